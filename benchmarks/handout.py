"""How long a handout takes to make, against `painopts for` on the same condition.

    python benchmarks/handout.py [--condition sciatica] [--runs 15] [--json] [--check]

Runs `painopts handout CONDITION -o FILE` (HTML, written to a temporary file) and
`painopts for CONDITION` (to a pipe) alternately, each as a fresh process with a warm
catalogue cache, and compares their median wall and CPU times. Target: the handout
takes at most 1.5 times as long as `for`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from _bench import (
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

TARGET_RATIO = 1.5


def measure(condition: str, runs: int) -> dict[str, Any]:
    inv = painopts_invocation()
    with tempfile.TemporaryDirectory() as tmp:
        env = base_env({"PAINOPTS_CACHE_DIR": str(Path(tmp) / "cache"), "COLUMNS": "100"})
        out = str(Path(tmp) / "handout.html")
        commands = {
            f"handout {condition} -o FILE": [*inv.argv, "handout", condition, "-o", out],
            f"for {condition}": [*inv.argv, "for", condition],
        }
        for argv in commands.values():  # warm the catalogue cache and the OS file cache
            run_measured(argv, env)
        samples: dict[str, list[tuple[float, float, float | None]]] = {k: [] for k in commands}
        for _ in range(runs):
            for name, argv in commands.items():
                r = run_measured(argv, env)
                samples[name].append((r.seconds, r.cpu_seconds, r.max_rss_mib))
        size = Path(out).stat().st_size
    wall = {name: median([s[0] for s in values]) * 1000 for name, values in samples.items()}
    cpu = {name: median([s[1] for s in values]) * 1000 for name, values in samples.items()}
    rows = {
        name: {
            "wall_ms": wall[name],
            "cpu_ms": cpu[name],
            "max_rss_mib": max((s[2] for s in values if s[2] is not None), default=None),
        }
        for name, values in samples.items()
    }
    handout, for_ = commands
    ratio = wall[handout] / wall[for_]
    cpu_ratio = cpu[handout] / cpu[for_] if cpu[for_] else float("nan")
    return {
        "how": inv.how,
        "runs": runs,
        "commands": rows,
        "html_bytes": size,
        "ratio_wall": ratio,
        "ratio_cpu": cpu_ratio,
        "target_ratio": TARGET_RATIO,
        "ok": ratio <= TARGET_RATIO,
        "machine": machine_info(),
    }


def report(doc: dict[str, Any]) -> None:
    for line in machine_lines(doc["machine"]):
        print(line)
    print(f"painopts run as: {doc['how']}; {doc['runs']} alternating runs each, warm cache")
    rows = [
        [name, f"{r['wall_ms']:.0f}", f"{r['cpu_ms']:.0f}", f"{r['max_rss_mib'] or 0:.1f}"]
        for name, r in doc["commands"].items()
    ]
    print(format_table(["command", "median ms", "cpu ms", "peak MiB"], rows))
    print(f"handout HTML: {doc['html_bytes']:,} bytes")
    print(
        f"handout / for: {doc['ratio_wall']:.2f}x wall, {doc['ratio_cpu']:.2f}x cpu "
        f"(target <= {doc['target_ratio']}x wall): {verdict(doc['ok'])}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--condition", default="sciatica")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    args = ap.parse_args()
    doc = measure(args.condition, max(1, args.runs))
    return finish(doc, as_json=args.json, check=args.check, ok=doc["ok"], report=report)


if __name__ == "__main__":
    sys.exit(main())
