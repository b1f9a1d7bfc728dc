"""Whole-process start-up of painopts against a minimal Typer + Rich app.

    python benchmarks/startup.py [--runs 30] [--warmup 1] [--json] [--module] [--check]

Each painopts command is run alternately with the baseline app (benchmarks/baseline_app.py)
and with bare `python -c pass`, same interpreter and environment, rotating the order in
every round, so machine noise hits all three alike. Output goes to a pipe, as in
`painopts list | less`. Reported: medians, the ratio to the baseline (the target) and to
bare Python. painopts is started through its console script next to sys.executable when
there is one (what users run), else with `python -m painopts` (or force that: --module).
PAINOPTS_CATALOG is removed from the environment, so the bundled catalogue is measured.

Exit status: 0, or 1 if a run fails (or with --check, if a target is missed).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import Any

from _bench import (
    BASELINE_APP,
    RunFailed,
    base_env,
    finish,
    format_table,
    machine_info,
    machine_lines,
    median,
    painopts_invocation,
    run_once,
    verdict,
)

COMMAND_TARGET = 1.15
COMPLETION_TARGET = 1.2


@dataclass(slots=True)
class Case:
    name: str
    argv: list[str]
    baseline_argv: list[str]
    env: dict[str, str]
    baseline_env: dict[str, str]
    target: float
    expect: str | None = None  # text the painopts output must contain
    samples: list[float] = field(default_factory=list)
    baseline_samples: list[float] = field(default_factory=list)
    python_samples: list[float] = field(default_factory=list)


def build_cases(module: bool) -> tuple[list[Case], str]:
    po = painopts_invocation(module)
    env = base_env()
    base = [sys.executable, str(BASELINE_APP)]
    hello = [*base, "hello", "world"]
    cases = [
        Case("painopts list", [*po.argv, "list"], hello, env, env, COMMAND_TARGET),
        Case(
            "painopts compare rfa scs",
            [*po.argv, "compare", "rfa", "scs"],
            hello,
            env,
            env,
            COMMAND_TARGET,
        ),
        Case(
            "painopts for sciatica",
            [*po.argv, "for", "sciatica"],
            hello,
            env,
            env,
            COMMAND_TARGET,
        ),
        Case(
            "completion: painopts show rf<TAB>",
            list(po.completion_argv),
            base,
            base_env(
                {
                    "_PAINOPTS_COMPLETE": "complete_bash",
                    "COMP_WORDS": "painopts show rf",
                    "COMP_CWORD": "2",
                }
            ),
            base_env(
                {
                    "_BASELINE_COMPLETE": "complete_bash",
                    "COMP_WORDS": "baseline hello wo",
                    "COMP_CWORD": "2",
                }
            ),
            COMPLETION_TARGET,
            expect="rfa",
        ),
    ]
    return cases, po.how


def measure(cases: list[Case], runs: int, warmup: int) -> list[float]:
    """Fill each case's samples; return the samples of bare Python over all rounds."""
    bare = [sys.executable, "-c", "pass"]
    env = base_env()
    all_python: list[float] = []
    for case in cases:
        jobs: list[tuple[list[str], dict[str, str], list[float], str | None]] = [
            (case.argv, case.env, case.samples, case.expect),
            (case.baseline_argv, case.baseline_env, case.baseline_samples, None),
            (bare, env, case.python_samples, None),
        ]
        for _ in range(warmup):
            for argv, job_env, _samples, expect in jobs:
                run_once(argv, job_env, check_output=expect)
        for i in range(runs):
            shift = i % len(jobs)
            for argv, job_env, samples, expect in jobs[shift:] + jobs[:shift]:
                seconds, _ = run_once(argv, job_env, check_output=expect)
                samples.append(seconds * 1000)
        all_python += case.python_samples
    return all_python


def report(cases: list[Case], python_ms: list[float], how: str, runs: int) -> dict[str, Any]:
    results = []
    for c in cases:
        med, base, py = median(c.samples), median(c.baseline_samples), median(c.python_samples)
        results.append(
            {
                "name": c.name,
                "argv": c.argv,
                "median_ms": round(med, 2),
                "min_ms": round(min(c.samples), 2),
                "baseline_median_ms": round(base, 2),
                "python_median_ms": round(py, 2),
                "ratio_to_baseline": round(med / base, 3),
                "ratio_to_python": round(med / py, 3),
                "target_ratio": c.target,
                "pass": med / base <= c.target,
                "samples_ms": [round(s, 2) for s in c.samples],
                "baseline_samples_ms": [round(s, 2) for s in c.baseline_samples],
            }
        )
    baseline_all = [s for c in cases[:-1] for s in c.baseline_samples]
    return {
        "benchmark": "startup",
        "machine": machine_info(),
        "painopts_invocation": how,
        "runs": runs,
        "results": results,
        "baseline_median_ms": round(median(baseline_all), 2),
        "python_median_ms": round(median(python_ms), 2),
        "all_pass": all(r["pass"] for r in results),
    }


def print_report(doc: dict[str, Any]) -> None:
    print("Start-up: whole process, stdout to a pipe")
    for line in machine_lines(doc["machine"]):
        print(line)
    print(f"painopts run as: {doc['painopts_invocation']}")
    print(f"median of {doc['runs']} runs each, alternating with the baseline app and bare python")
    print()
    rows = [
        [
            r["name"],
            f"{r['median_ms']:.1f}",
            f"{r['baseline_median_ms']:.1f}",
            f"{r['ratio_to_baseline']:.2f}x",
            f"{r['ratio_to_python']:.2f}x",
            f"<= {r['target_ratio']:.2f}x",
            verdict(r["pass"]),
        ]
        for r in doc["results"]
    ]
    baseline, python = doc["baseline_median_ms"], doc["python_median_ms"]
    rows.append(
        [
            "baseline app (Typer + Rich table)",
            f"{baseline:.1f}",
            "",
            "1.00x",
            f"{baseline / python:.2f}x",
            "",
            "",
        ]
    )
    rows.append(["python -c pass", f"{python:.1f}", "", "", "1.00x", "", ""])
    headers = ["command", "median ms", "baseline ms", "x baseline", "x python", "target", "result"]
    print(format_table(headers, rows))
    print()
    failed = [r["name"] for r in doc["results"] if not r["pass"]]
    print("targets: " + ("all met" if not failed else f"missed by {', '.join(failed)}"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="timed runs per command (30)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first (1)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--module", action="store_true", help="run `python -m painopts`")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")
    cases, how = build_cases(args.module)
    try:
        python_ms = measure(cases, args.runs, args.warmup)
    except RunFailed as exc:
        print(f"startup: a run failed: {exc}", file=sys.stderr)
        return 1
    doc = report(cases, python_ms, how, args.runs)
    return finish(doc, as_json=args.json, check=args.check, ok=doc["all_pass"], report=print_report)


if __name__ == "__main__":
    sys.exit(main())
