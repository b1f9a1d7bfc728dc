"""Pictures of a real handout for the README, taken with the system Chromium.

    python scripts/handout_screenshot.py [--condition sciatica] [--out docs/images]

Runs `painopts handout CONDITION -o FILE` (the installed command, as a user would),
opens the file in Chromium through Playwright (the test extra) and saves two PNGs:
the top of the page (title, red flags, what the condition is) and the start of the
decision grid. Nothing downloads a browser: set PAINOPTS_CHROMIUM, or have chromium
or chromium-browser on PATH (Debian: apt-get install -y chromium).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def chromium() -> str:
    given = os.environ.get("PAINOPTS_CHROMIUM")
    found = given or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        sys.exit("no Chromium: apt-get install -y chromium, or set PAINOPTS_CHROMIUM")
    return found


def painopts() -> list[str]:
    script = Path(sys.executable).parent / "painopts"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "painopts"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--condition", default="sciatica")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    ap.add_argument("--width", type=int, default=1000, help="window width in CSS pixels")
    ap.add_argument("--height", type=int, default=1000, help="height of each picture")
    args = ap.parse_args()

    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / f"{args.condition}.html"
        subprocess.run([*painopts(), "handout", args.condition, "-o", str(page_file)], check=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
            page = browser.new_page(
                viewport={"width": args.width, "height": args.height}, device_scale_factor=1
            )
            page.goto(page_file.as_uri(), wait_until="load")
            top = args.out / f"handout-{args.condition}-top.png"
            page.screenshot(path=str(top))
            grid = page.locator("#options").bounding_box()
            assert grid is not None, "the handout has no options section"
            shot = args.out / f"handout-{args.condition}-grid.png"
            page.screenshot(
                path=str(shot),
                full_page=True,
                clip={"x": 0, "y": grid["y"], "width": args.width, "height": args.height},
            )
            browser.close()
    for made in (top, shot):
        print(f"wrote {made.relative_to(ROOT) if made.is_relative_to(ROOT) else made}")


if __name__ == "__main__":
    main()
