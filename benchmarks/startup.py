"""Whole-process start-up of painopts against three references, in one alternating run.

    python benchmarks/startup.py [--runs 20] [--warmup 1] [--json] [--module] [--check]

References, each run in every round alongside every painopts case, in a rotating order
so machine noise hits them all alike:
- `python -c pass`: the interpreter alone;
- the floor, `python -c 'import yaml, rich.console'`: the libraries painopts cannot
  avoid for a table on the terminal;
- the minimal Typer app (benchmarks/baseline_app.py): a Typer + Rich table command.

Output goes to a pipe, as in `painopts list | less`, with a warm catalogue cache (the
warm-up round fills a cache of the benchmark's own). Reported: medians of wall time,
each command's ratio to every reference, its CPU time (user + system, steadier than
wall time when other work shares the machine; targets are judged on wall time), and
the median of its peak memory (from the command's own process, not the benchmark's:
see _bench.run_measured). painopts is started through its console script next to
sys.executable when there is one (what users run), else with `python -m painopts`
(or force that: --module). PAINOPTS_CATALOG is removed from the environment, so the
bundled catalogue is measured.

Targets (issue 14): commands at most 2.0x the floor (stretch 1.6x); `--help` and
`COMMAND --help` at most 1.5x the floor; completing an id at most 5x bare Python
(stretch 2x); peak memory of `for sciatica` at most 27 MiB.

Exit status: 0, or 1 if a run fails (or with --check, if a target is missed).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
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
    run_measured,
    verdict,
)

COMMAND_TARGET = 2.0  # x floor
HELP_TARGET = 1.5  # x floor
COMPLETION_TARGET = 5.0  # x bare python
MEMORY_TARGET_MIB = 27.0  # `for sciatica`


@dataclass(slots=True)
class Job:
    name: str
    argv: list[str]
    env: dict[str, str]
    reference: str | None = None  # "python" or "floor" for a target ratio; None: no target
    target: float | None = None
    memory_target: float | None = None
    expect: str | None = None  # text the output must contain
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)


def completion_env(words: str) -> dict[str, str]:
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    return base_env(
        {"_PAINOPTS_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    )


def build_jobs(module: bool) -> tuple[list[Job], list[Job], str]:
    """(references, painopts cases, how painopts is run)."""
    po = painopts_invocation(module)
    env = base_env()
    py = sys.executable
    references = [
        Job("python -c pass", [py, "-c", "pass"], env),
        Job("floor: import yaml, rich.console", [py, "-c", "import yaml, rich.console"], env),
        Job("minimal Typer app", [py, str(BASELINE_APP), "hello", "world"], env),
    ]
    cases = [
        Job("for sciatica", [*po.argv, "for", "sciatica"], env, "floor", COMMAND_TARGET,
            MEMORY_TARGET_MIB, expect="sciatica"),
        Job("list", [*po.argv, "list"], env, "floor", COMMAND_TARGET, expect="rfa"),
        Job("compare rfa scs", [*po.argv, "compare", "rfa", "scs"], env, "floor",
            COMMAND_TARGET, expect="rfa"),
        Job("show rfa", [*po.argv, "show", "rfa"], env, "floor", COMMAND_TARGET, expect="rfa"),
        Job("--help", [*po.argv, "--help"], env, "floor", HELP_TARGET, expect="Usage"),
        Job("for --help", [*po.argv, "for", "--help"], env, "floor", HELP_TARGET,
            expect="Usage"),
        Job("completion: show rf<Tab>", list(po.completion_argv),
            completion_env("painopts show rf"), "python", COMPLETION_TARGET, expect="rfa"),
        Job("completion: comp<Tab>", list(po.completion_argv), completion_env("painopts comp"),
            "python", COMPLETION_TARGET, expect="compare"),
    ]  # fmt: skip
    return references, cases, po.how


def measure(jobs: list[Job], runs: int, warmup: int) -> None:
    """Every round runs every job once, starting from a different job each round."""
    for _ in range(warmup):
        for job in jobs:
            run_measured(job.argv, job.env, check_output=job.expect)
    for i in range(runs):
        shift = i % len(jobs)
        for job in jobs[shift:] + jobs[:shift]:
            run = run_measured(job.argv, job.env, check_output=job.expect)
            job.seconds.append(run.seconds * 1000)
            job.cpu.append(run.cpu_seconds * 1000)
            if run.max_rss_mib is not None:
                job.rss.append(run.max_rss_mib)


def _ms(job: Job) -> float:
    return median(job.seconds)


def report(references: list[Job], cases: list[Job], how: str, runs: int) -> dict[str, Any]:
    refs = {
        "python": _ms(references[0]),
        "floor": _ms(references[1]),
        "typer": _ms(references[2]),
    }
    floor_cpu = median(references[1].cpu)
    results = []
    for c in cases:
        med = _ms(c)
        ratios = {k: round(med / v, 3) for k, v in refs.items()}
        rss = median(c.rss) if c.rss else None
        ok = c.reference is None or c.target is None or ratios[c.reference] <= c.target
        mem_ok = c.memory_target is None or (rss is not None and rss <= c.memory_target)
        results.append(
            {
                "name": c.name,
                "argv": c.argv,
                "median_ms": round(med, 2),
                "min_ms": round(min(c.seconds), 2),
                "cpu_median_ms": round(median(c.cpu), 2),
                "cpu_ratio_to_floor": round(median(c.cpu) / floor_cpu, 3),
                "ratio_to_python": ratios["python"],
                "ratio_to_floor": ratios["floor"],
                "ratio_to_typer_app": ratios["typer"],
                "target": None if c.target is None else f"<= {c.target:g}x {c.reference}",
                "peak_rss_mib": None if rss is None else round(rss, 1),
                "memory_target_mib": c.memory_target,
                "pass": ok and mem_ok,
                "samples_ms": [round(s, 2) for s in c.seconds],
            }
        )
    return {
        "benchmark": "startup",
        "machine": machine_info(),
        "painopts_invocation": how,
        "runs": runs,
        "references": [
            {
                "name": r.name,
                "argv": r.argv,
                "median_ms": round(_ms(r), 2),
                "cpu_median_ms": round(median(r.cpu), 2),
                "peak_rss_mib": round(median(r.rss), 1) if r.rss else None,
                "samples_ms": [round(s, 2) for s in r.seconds],
            }
            for r in references
        ],
        "results": results,
        "all_pass": all(r["pass"] for r in results),
    }


def print_report(doc: dict[str, Any]) -> None:
    print("Start-up: whole process, stdout to a pipe, warm cache")
    for line in machine_lines(doc["machine"]):
        print(line)
    print(f"painopts run as: {doc['painopts_invocation']}")
    print(f"median of {doc['runs']} rounds; every round runs every line below, order rotating")
    print()
    rows = [
        [
            r["name"],
            f"{r['median_ms']:.1f}",
            f"{r['ratio_to_python']:.2f}x",
            f"{r['ratio_to_floor']:.2f}x",
            f"{r['ratio_to_typer_app']:.2f}x",
            f"{r['cpu_median_ms']:.1f}",
            f"{r['cpu_ratio_to_floor']:.2f}x",
            "" if r["peak_rss_mib"] is None else f"{r['peak_rss_mib']:.1f}",
            (r["target"] or "")
            + ("" if r["memory_target_mib"] is None else f", <= {r['memory_target_mib']:g} MiB"),
            verdict(r["pass"]),
        ]
        for r in doc["results"]
    ]
    floor_cpu = doc["references"][1]["cpu_median_ms"]
    typer_ms = doc["references"][2]["median_ms"]
    floor_ms = doc["references"][1]["median_ms"]
    python_ms = doc["references"][0]["median_ms"]
    for ref in doc["references"]:
        ms = ref["median_ms"]
        rows.append(
            [
                f"({ref['name']})",
                f"{ms:.1f}",
                f"{ms / python_ms:.2f}x",
                f"{ms / floor_ms:.2f}x",
                f"{ms / typer_ms:.2f}x",
                f"{ref['cpu_median_ms']:.1f}",
                f"{ref['cpu_median_ms'] / floor_cpu:.2f}x",
                "" if ref["peak_rss_mib"] is None else f"{ref['peak_rss_mib']:.1f}",
                "",
                "",
            ]
        )
    headers = [
        "command",
        "ms",
        "x python",
        "x floor",
        "x Typer app",
        "cpu ms",
        "cpu x floor",
        "MiB",
        "target",
        "result",
    ]
    print(format_table(headers, rows))
    print()
    failed = [r["name"] for r in doc["results"] if not r["pass"]]
    print("targets: " + ("all met" if not failed else f"missed by {', '.join(failed)}"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed rounds (20)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first (1)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--module", action="store_true", help="run `python -m painopts`")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")
    # A cache of its own: other painopts processes pruning the shared one would turn
    # some timed runs into cold loads.
    with tempfile.TemporaryDirectory(prefix="painopts-startup-") as cache:
        os.environ["PAINOPTS_CACHE_DIR"] = cache
        references, cases, how = build_jobs(args.module)
        try:
            measure(references + cases, args.runs, args.warmup)
        except RunFailed as exc:
            print(f"startup: a run failed: {exc}", file=sys.stderr)
            return 1
    doc = report(references, cases, how, args.runs)
    return finish(doc, as_json=args.json, check=args.check, ok=doc["all_pass"], report=print_report)


if __name__ == "__main__":
    sys.exit(main())
