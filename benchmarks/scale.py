"""How painopts scales with catalogue size: time and peak memory of whole-process runs.

    python benchmarks/scale.py [--sizes 1000,10000] [--runs 3] [--json] [--data-dir DIR]

For each size N (techniques; 100000 is opt-in: `--sizes 1000,10000,100000`, slow) a
synthetic catalogue from gen_catalogue.py is written to a temporary directory (or reused
from --data-dir), then these are run as separate processes:

    painopts --no-bundled --catalog DIR validate
    painopts --no-bundled --catalog DIR list --format json > /dev/null
    painopts --no-bundled --catalog DIR for sciatica

The first run of each is reported on its own (XDG_CACHE_HOME points to a fresh, empty
directory for each size and command, and PAINOPTS_CACHE_DIR is unset, so painopts' catalogue cache
starts cold; set PAINOPTS_NO_CACHE=1 to measure without it), then the median of --runs
repeated runs. Peak memory is the maximum resident set size of the command's own
process, started from a tiny helper so that the benchmark's memory is not counted
(_bench.run_measured). Growth is the ratio of median times between successive sizes.
Targets: 10x the data costs at most 12x the time; `for` at 10k at most 0.6 s (repeated).

Exit status: 0, or 1 if a run fails (or with --check, if a target is missed).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _bench import (
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
from gen_catalogue import generate

GROWTH_SLACK = 1.2  # 10x data may cost 12x time
ABSOLUTE_TARGETS_S = {(10000, "for"): 0.6}  # (size, command): median seconds
COMMANDS: dict[str, tuple[list[str], bool]] = {
    # name: (arguments after the global options, send stdout to /dev/null)
    "validate": (["validate"], False),
    "list": (["list", "--format", "json"], True),
    "for": (["for", "sciatica"], False),
}


@dataclass(frozen=True, slots=True)
class Sample:
    seconds: float
    max_rss_mb: float | None


def measure_once(argv: Sequence[str], env: dict[str, str], devnull: bool) -> Sample:
    """Run once; time it and take that command's own peak RSS (see _bench.run_measured)."""
    run = run_measured(argv, env, devnull=devnull)
    return Sample(run.seconds, run.max_rss_mib)


def measure_size(
    size: int, runs: int, seed: int, data_dir: Path | None, module: bool, workdir: Path
) -> dict[str, Any]:
    if data_dir is not None:
        cat_dir = data_dir / f"synthetic-{size}-seed{seed}"
    else:
        cat_dir = workdir / f"catalogue-{size}"
    done = cat_dir / ".complete"
    start = time.perf_counter()
    if done.exists():
        counts = json.loads(done.read_text())
        generated = False
    else:
        if cat_dir.exists() and any(cat_dir.iterdir()):
            raise RunFailed(f"{cat_dir} holds an incomplete catalogue; remove it and retry")
        counts = generate(cat_dir, size, seed=seed)
        done.write_text(json.dumps(counts))
        generated = True
    gen_s = time.perf_counter() - start
    megabytes = sum(p.stat().st_size for p in cat_dir.rglob("*.yaml")) / 1e6
    po = painopts_invocation(module)
    commands: dict[str, Any] = {}
    for name, (args, devnull) in COMMANDS.items():
        cache = workdir / f"cache-{size}-{name}"
        cache.mkdir()
        env = base_env({"XDG_CACHE_HOME": str(cache)})
        env.pop("PAINOPTS_CACHE_DIR", None)
        argv = [*po.argv, "--no-bundled", "--catalog", str(cat_dir), *args]
        first = measure_once(argv, env, devnull)
        repeated = [measure_once(argv, env, devnull) for _ in range(runs)]
        rss = [s.max_rss_mb for s in repeated if s.max_rss_mb is not None]
        commands[name] = {
            "argv": argv,
            "first_s": round(first.seconds, 4),
            "first_max_rss_mb": None if first.max_rss_mb is None else round(first.max_rss_mb, 1),
            "median_s": round(median([s.seconds for s in repeated]), 4),
            "max_rss_mb": round(max(rss), 1) if rss else None,
            "samples_s": [round(s.seconds, 4) for s in repeated],
        }
    return {
        "size": size,
        "counts": counts,
        "catalogue_mb": round(megabytes, 1),
        "generated": generated,
        "generate_s": round(gen_s, 2),
        "commands": commands,
    }


def add_targets(sizes: list[dict[str, Any]]) -> None:
    for prev, cur in zip(sizes, sizes[1:], strict=False):
        factor = cur["size"] / prev["size"]
        for name, c in cur["commands"].items():
            p = prev["commands"][name]
            c["growth"] = round(c["median_s"] / p["median_s"], 2)
            c["first_growth"] = round(c["first_s"] / p["first_s"], 2)
            c["growth_target"] = round(factor * GROWTH_SLACK, 2)
            c["growth_pass"] = c["growth"] <= c["growth_target"]
    for s in sizes:
        for name, c in s["commands"].items():
            limit = ABSOLUTE_TARGETS_S.get((s["size"], name))
            if limit is not None:
                c["limit_s"] = limit
                c["limit_pass"] = c["median_s"] <= limit


def print_report(doc: dict[str, Any]) -> None:
    print("Scale: whole-process runs on synthetic catalogues (--no-bundled --catalog DIR)")
    for line in machine_lines(doc["machine"]):
        print(line)
    print(f"painopts run as: {doc['painopts_invocation']}")
    print(f"first run, then the median of {doc['runs']} repeated runs; RSS = peak of one process")
    print()
    for s in doc["sizes"]:
        made = f"generated in {s['generate_s']:.1f} s" if s["generated"] else "reused"
        counts = ", ".join(f"{v} {k}" for k, v in s["counts"].items())
        print(f"size {s['size']}: {counts}; {s['catalogue_mb']:.1f} MB of YAML ({made})")
    print()
    rows = []
    for s in doc["sizes"]:
        for name, c in s["commands"].items():
            targets, results = [], []
            if "growth" in c:
                targets.append(f"growth <= {c['growth_target']:g}x")
                results.append(verdict(c["growth_pass"]))
            if "limit_s" in c:
                targets.append(f"<= {c['limit_s']:g} s")
                results.append(verdict(c["limit_pass"]))
            rows.append(
                [
                    str(s["size"]),
                    name,
                    f"{c['first_s']:.3f}",
                    f"{c['median_s']:.3f}",
                    _mb(c["first_max_rss_mb"]),
                    _mb(c["max_rss_mb"]),
                    f"{c['growth']:.2f}x" if "growth" in c else "",
                    ", ".join(targets),
                    " ".join(results),
                ]
            )
    headers = [
        "size",
        "command",
        "first s",
        "median s",
        "first MB",
        "peak MB",
        "growth",
        "target",
        "result",
    ]
    print(format_table(headers, rows, left=2))
    print()
    failed = [r for r in rows if "FAIL" in r[-1]]
    if not any(r[-1] for r in rows):
        print("targets: none apply to these sizes")
    else:
        names = ", ".join(f"{r[1]} at {r[0]}" for r in failed)
        print("targets: " + ("all met" if not failed else f"missed by {names}"))


def _mb(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


def all_pass(doc: dict[str, Any]) -> bool:
    return all(
        c.get("growth_pass", True) and c.get("limit_pass", True)
        for s in doc["sizes"]
        for c in s["commands"].values()
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="1000,10000", help="comma-separated technique counts (1000,10000)"
    )
    parser.add_argument("--runs", type=int, default=3, help="repeated runs after the first (3)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (0)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="keep generated catalogues here and reuse them on later runs",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--module", action="store_true", help="run `python -m painopts`")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(x) for x in args.sizes.split(",") if x.strip()})
    except ValueError:
        parser.error(f"--sizes wants comma-separated whole numbers, got {args.sizes!r}")
    if not sizes or sizes[0] < 1 or args.runs < 1:
        parser.error("sizes must be at least 1, and --runs at least 1")
    results = []
    with tempfile.TemporaryDirectory(prefix="painopts-scale-") as tmp:
        for size in sizes:
            if not args.json:
                print(f"measuring size {size}...", file=sys.stderr, flush=True)
            try:
                results.append(
                    measure_size(size, args.runs, args.seed, args.data_dir, args.module, Path(tmp))
                )
            except RunFailed as exc:
                print(f"scale: a run failed: {exc}", file=sys.stderr)
                return 1
    add_targets(results)
    doc = {
        "benchmark": "scale",
        "machine": machine_info(),
        "painopts_invocation": painopts_invocation(args.module).how,
        "runs": args.runs,
        "sizes": results,
    }
    doc["all_pass"] = all_pass(doc)
    return finish(doc, as_json=args.json, check=args.check, ok=doc["all_pass"], report=print_report)


if __name__ == "__main__":
    sys.exit(main())
