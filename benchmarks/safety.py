"""Work that must stay bounded on hostile or large input (issue 13).

    python benchmarks/safety.py [--mb 2] [--sizes 1000,2000,4000,8000] [--json] [--check]

1. validate: one catalogue file of about --mb megabytes whose techniques reference ids
   that do not exist (each a typo of a real one, so every one gets a "did you mean"
   search against thousands of known ids). Comparing every unknown id with every known
   id made a 1.7 MB file take over 20 s; the target is a few seconds (<= 5 s), run as
   `painopts --no-bundled validate FILE` in a fresh process with the cache off.
2. pathway: painopts' pathway build (build_pathway) for one condition indicated by N
   techniques, each naming the one before it as a prerequisite, at several N. The
   target is linear growth: doubling N at most 2.5x the time (a quadratic build shows 4x).

The same file is cheap to make for any size: the generator is a string template here.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _bench import base_env, finish, format_table, machine_info, machine_lines, median, verdict

VALIDATE_TARGET_S = 5.0
GROWTH_TARGET = 2.5

_HEAD = """catalogue: {title: hostile, version: "1", reviewed: "2026-01-01"}
sources:
  - {id: src, title: S, publisher: P, year: 2020, url: "https://example.org/s", kind: guideline}
conditions:
  - id: cond
    name: Condition
    synonyms: []
    regions: [low-back]
    pain_type: nociceptive
    summary: A condition.
    first_line: [Stay active.]
    red_flags: []
    sources: [src]
    reviewed: "2026-01-01"
techniques:
"""

_TECHNIQUE = """  - id: {id}
    name: Technique {n}
    aliases: []
    category: injection
    invasiveness: needle
    purpose: therapeutic
    summary: A technique.
    mechanism: Works.
    onset: {{min: 1, max: 2, unit: days}}
    relief: {{min: 1, max: 3, unit: months, sources: [src]}}
    repeatable: true
    imaging: [fluoroscopy]
    anaesthesia: [local]
    setting: [day-case]
    recovery: Same day.
    expect: {{before: B., during: D., after: A.}}
    prerequisites: [{{text: T., kind: trial, technique: {prereq}}}]
    risks: [{{name: R}}]
    contraindications: [C.]
    sources: [{src}]
    reviewed: "2026-01-01"
    related: [{related}]
    indications:
      - {{condition: {cond}, stance: recommended, note: N., sources: [src],
          evidence: {{grade: A, system: S, strength: moderate}}}}
"""


def _tid(n: int) -> str:
    return f"technique-{n:06d}"


def _typo(ident: str) -> str:
    # Swap two letters: close to the real id, so a suggestion search runs in full.
    return ident.replace("technique", "tehcnique")


def hostile_file(path: Path, megabytes: float) -> dict[str, int]:
    """A file of about *megabytes* MB; every technique has 4 unknown references."""
    rng = random.Random(0)
    parts = [_HEAD]
    size = len(_HEAD)
    n = 0
    while size < megabytes * 1_000_000:
        # Typos of random earlier ids: each unknown id is a new search.
        entry = _TECHNIQUE.format(
            id=_tid(n),
            n=n,
            prereq=_typo(_tid(rng.randrange(n + 1))),
            src="scr",
            related=", ".join(_typo(_tid(rng.randrange(n + 1))) for _ in range(2)),
            cond="cnod",
        )
        parts.append(entry)
        size += len(entry)
        n += 1
    path.write_text("".join(parts), encoding="utf-8")
    return {"bytes": path.stat().st_size, "techniques": n, "unknown_references": 6 * n}


def measure_validate(megabytes: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="painopts-safety-") as tmp:
        f = Path(tmp) / "hostile.yaml"
        made = hostile_file(f, megabytes)
        env = base_env({"PAINOPTS_NO_CACHE": "1"})
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "painopts", "--no-bundled", "validate", str(f)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - start
    problems = proc.stdout.count("\n")
    ok = proc.returncode == 1 and problems > 0 and "did you mean" in proc.stdout
    return {
        **made,
        "exit": proc.returncode,
        "problems": problems,
        "seconds": round(elapsed, 2),
        "target_s": VALIDATE_TARGET_S,
        "pass": ok and elapsed <= VALIDATE_TARGET_S,
    }


def measure_pathway(sizes: list[int], runs: int) -> dict[str, Any]:
    from painopts.loader import load_catalogue
    from painopts.models import Catalogue, Prerequisite, PrerequisiteKind
    from painopts.pathway import build_pathway

    base = load_catalogue()
    template = base.techniques["lumbar-rfa"] if "lumbar-rfa" in base.techniques else None
    template = template or next(iter(base.techniques.values()))
    condition = base.conditions[template.indications[0].condition]
    indication = template.indications[0]
    rows = []
    for n in sizes:
        techniques = {}
        for i in range(n):
            prereq = Prerequisite(
                text="Earlier step.",
                kind=PrerequisiteKind.TRIAL,
                technique=_tid(i - 1) if i else None,
            )
            techniques[_tid(i)] = dataclasses.replace(
                template, id=_tid(i), name=f"T {i}", prerequisites=(prereq,),
                indications=(indication,), related=(),
            )  # fmt: skip
        cat = Catalogue(
            meta=base.meta, techniques=techniques, conditions=base.conditions,
            sources=base.sources, origins=("synthetic",),
        )  # fmt: skip
        samples = []
        for _ in range(runs):
            t0 = time.perf_counter()
            built = build_pathway(cat, condition)
            samples.append(time.perf_counter() - t0)
        steps = sum(len(s.steps) for s in built.stages)
        rows.append({"techniques": n, "steps": steps, "ms": round(median(samples) * 1000, 2)})
    growth = [
        round(b["ms"] / a["ms"], 2) / (b["techniques"] / a["techniques"]) * 2
        for a, b in zip(rows, rows[1:], strict=False)
        if a["ms"] > 0
    ]
    return {
        "sizes": rows,
        "growth_per_doubling": [round(g, 2) for g in growth],
        "target_growth": GROWTH_TARGET,
        "pass": all(g <= GROWTH_TARGET for g in growth),
    }


def print_report(doc: dict[str, Any]) -> None:
    print("Safety bounds: hostile validate, pathway build growth")
    for line in machine_lines(doc["machine"]):
        print(line)
    v = doc["validate"]
    print()
    print(
        f"validate: {v['bytes'] / 1e6:.2f} MB file, {v['techniques']} techniques, "
        f"{v['unknown_references']} unknown references -> exit {v['exit']}, "
        f"{v['problems']} problems"
    )
    print(
        format_table(
            ["measure", "s", "target", "result"],
            [["painopts validate (no cache)", f"{v['seconds']:.2f}", f"<= {v['target_s']:g} s",
              verdict(v["pass"])]],
        )
    )  # fmt: skip
    p = doc["pathway"]
    print()
    rows = [[str(r["techniques"]), str(r["steps"]), f"{r['ms']:.2f}"] for r in p["sizes"]]
    print(format_table(["techniques", "steps", "build_pathway ms"], rows, left=0))
    growth = ", ".join(f"{g:.2f}x" for g in p["growth_per_doubling"])
    print(
        f"growth per doubling: {growth} (target <= {p['target_growth']:g}x): {verdict(p['pass'])}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=2.0, help="hostile file size (2 MB)")
    parser.add_argument("--sizes", default="1000,2000,4000,8000", help="pathway sizes")
    parser.add_argument("--runs", type=int, default=5, help="pathway runs per size (5)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    os.environ.pop("PAINOPTS_CATALOG", None)
    doc: dict[str, Any] = {
        "benchmark": "safety",
        "machine": machine_info(),
        "validate": measure_validate(args.mb),
        "pathway": measure_pathway(sizes, args.runs),
    }
    ok = doc["validate"]["pass"] and doc["pathway"]["pass"]
    return finish(doc, as_json=args.json, check=args.check, ok=ok, report=print_report)


if __name__ == "__main__":
    sys.exit(main())
