"""Regenerate painopts/bundled.msgpack, the pre-built bundled catalogue.

    python scripts/build_bundled.py

Run it after any change to painopts/data/ or to the code that loads a catalogue
(tests/test_cache.py says when it is due). It always builds from this checkout's
painopts, whichever painopts is installed.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from painopts import cache  # noqa: E402
from painopts.errors import CatalogueError  # noqa: E402


def main() -> int:
    if Path(cache.__file__).resolve().parent != ROOT / "painopts":
        print(f"build_bundled: imported {cache.__file__}, not {ROOT}'s", file=sys.stderr)
        return 1
    try:
        key = cache.build_prebuilt()
    except CatalogueError as exc:
        for issue in exc.issues:
            print(issue, file=sys.stderr)
        print("build_bundled: the bundled catalogue is invalid; nothing written", file=sys.stderr)
        return 1
    except RuntimeError as exc:
        print(f"build_bundled: {exc}", file=sys.stderr)
        return 1
    size = cache.PREBUILT.stat().st_size
    print(f"wrote {cache.PREBUILT.relative_to(ROOT)} ({size:,} bytes, key {key[:12]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
