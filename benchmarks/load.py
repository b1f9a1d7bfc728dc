"""In-process time to load and validate the bundled catalogue with load_catalogue().

    python benchmarks/load.py [--runs 20] [--json]

Run it as a fresh process: the first call is "cold" (first in this interpreter, as in
every painopts command), later calls are "warm" (reported as their median). The import
of painopts.loader is timed on its own, in fresh interpreters (median of 3), since this
script's own imports would hide part of it. Target: 15 ms, judged on the cached load that
every run of the CLI does; the full parse and validation (paid once after any change to
the catalogue files) is reported alongside.

For information, when painopts has an on-disk catalogue cache (painopts.cache.load, what
the CLI calls), its warm median is reported too, using a temporary cache directory.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from typing import Any

from _bench import base_env, finish, format_table, machine_info, machine_lines, median, verdict

TARGET_MS = 15.0
_TIME_IMPORT = (
    "import time; t = time.perf_counter(); import painopts.loader; print(time.perf_counter() - t)"
)


def import_ms() -> float:
    """Median time to import painopts.loader in a fresh interpreter."""
    samples = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", _TIME_IMPORT],
            env=base_env(),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        samples.append(float(out) * 1000)
    return median(samples)


_TIME_CACHED_LOAD = (
    "import time; t = time.perf_counter(); from painopts import cache; cache.load(); "
    "print(time.perf_counter() - t)"
)


def fresh_cached_ms() -> float | None:
    """Median of import + painopts.cache.load() in a fresh interpreter (what one run of
    the CLI pays, the cache's own imports included); None if it fails."""
    samples = []
    for _ in range(5):
        done = subprocess.run(
            [sys.executable, "-c", _TIME_CACHED_LOAD],
            env=base_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            return None
        samples.append(float(done.stdout) * 1000)
    return median(samples)


def cached_median_ms(runs: int) -> float | None:
    """Median of painopts.cache.load() with a warm, temporary cache; None if absent."""
    try:
        from painopts import cache
    except ImportError:
        return None
    load = getattr(cache, "load", None)
    if not callable(load):
        return None
    saved = {k: os.environ.get(k) for k in ("PAINOPTS_CACHE_DIR", "PAINOPTS_NO_CACHE")}
    with tempfile.TemporaryDirectory(prefix="painopts-load-") as tmp:
        os.environ["PAINOPTS_CACHE_DIR"] = tmp
        os.environ.pop("PAINOPTS_NO_CACHE", None)
        try:
            load()  # fills the cache
            samples = []
            for _ in range(runs):
                t0 = time.perf_counter()
                load()
                samples.append((time.perf_counter() - t0) * 1000)
        except Exception as exc:  # an API that changed under us: report, do not crash
            print(f"load: painopts.cache.load() failed: {exc!r}", file=sys.stderr)
            return None
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    return median(samples)


def measure(runs: int) -> dict[str, Any]:
    from painopts.loader import load_catalogue

    imported = time.perf_counter()
    cat = load_catalogue()
    first = time.perf_counter()
    warm: list[float] = []
    for _ in range(runs):
        t0 = time.perf_counter()
        load_catalogue()
        warm.append((time.perf_counter() - t0) * 1000)
    first_ms = (first - imported) * 1000
    cached = cached_median_ms(runs)
    fresh = fresh_cached_ms()
    warm_ms = median(warm)
    return {
        "benchmark": "load",
        "machine": machine_info(),
        "runs": runs,
        "counts": {
            "techniques": len(cat.techniques),
            "conditions": len(cat.conditions),
            "indications": sum(len(t.indications) for t in cat.techniques.values()),
            "sources": len(cat.sources),
        },
        "import_ms": round(import_ms(), 2),
        "first_call_ms": round(first_ms, 2),
        "warm_median_ms": round(warm_ms, 2),
        "warm_min_ms": round(min(warm), 2),
        "warm_samples_ms": [round(s, 2) for s in warm],
        "cached_warm_median_ms": None if cached is None else round(cached, 2),
        "cached_fresh_process_ms": None if fresh is None else round(fresh, 2),
        "target_ms": TARGET_MS,
        # The CLI loads through the cache on every run; a full parse and validation is
        # paid once after any change to the files, and is reported, not judged.
        "cached_pass": cached is not None and cached <= TARGET_MS,
    }


def print_report(doc: dict[str, Any]) -> None:
    print("Catalogue load: load_catalogue() of the bundled catalogue, in process")
    for line in machine_lines(doc["machine"]):
        print(line)
    print("catalogue: " + ", ".join(f"{v} {k}" for k, v in doc["counts"].items()))
    print()
    target = f"<= {doc['target_ms']:g} ms"
    cached = doc["cached_warm_median_ms"]
    fresh = doc["cached_fresh_process_ms"]
    rows = [
        [
            "painopts.cache.load(): load + validated catalogue, as every run does",
            "n/a" if cached is None else f"{cached:.1f}",
            target,
            verdict(doc["cached_pass"]),
        ],
        [
            "import painopts.cache + load() in a fresh process, info",
            "n/a" if fresh is None else f"{fresh:.1f}",
            "",
            "",
        ],
        ["import painopts.loader (fresh process), info", f"{doc['import_ms']:.1f}", "", ""],
        ["full parse + validation, first call, info", f"{doc['first_call_ms']:.1f}", "", ""],
        [
            f"full parse + validation, median of {doc['runs']}, info",
            f"{doc['warm_median_ms']:.1f}",
            "",
            "",
        ],
    ]
    print(format_table(["measure", "ms", "target", "result"], rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="warm calls (20)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if "painopts.loader" in sys.modules:  # pragma: no cover - only if imported as a module
        print("load: painopts.loader is already imported; the first call is not cold")
    doc = measure(args.runs)
    return finish(
        doc, as_json=args.json, check=args.check, ok=doc["cached_pass"], report=print_report
    )


if __name__ == "__main__":
    sys.exit(main())
