"""Every bundled condition's handout, opened in a real Chromium through Playwright.

The system Chromium is used (Debian: `apt-get install -y chromium`); nothing here
downloads a browser. Without it the tests are skipped with a reason that says how to
install it, unless PAINOPTS_REQUIRE_BROWSER=1 (as in .ci/run), which makes a missing
browser a failure. PDF page counts are printed at the end of the run.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest
from typer.testing import CliRunner

from painopts.cli import app
from painopts.loader import load_catalogue
from tests.conftest import FIXTURES

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page

pytestmark = pytest.mark.browser

CONDITIONS = sorted(load_catalogue().conditions)
INSTALL = (
    "needs Chromium and the test extras: `apt-get install -y chromium` (Debian/Ubuntu, as "
    "root), then `pip install -e '.[test]'`; or point PAINOPTS_CHROMIUM at a Chromium "
    "binary. Never `playwright install`: the system browser is used."
)
# CSS pixels at 96 per inch: the page widths a handout must fit without scrolling.
WIDTHS = {"phone": 375, "A4": 794}
# Recorded here, printed by tests/conftest.py at the end of the run.
PDF_PAGES: dict[str, dict[str, int]] = {}


def chromium_path() -> str | None:
    given = os.environ.get("PAINOPTS_CHROMIUM")
    if given:
        return given if os.access(given, os.X_OK) else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _unavailable(why: str) -> NoReturn:
    if os.environ.get("PAINOPTS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required (PAINOPTS_REQUIRE_BROWSER=1) but {why}; {INSTALL}")
    pytest.skip(f"{why}: {INSTALL}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    path = chromium_path()
    if path is None:
        given = os.environ.get("PAINOPTS_CHROMIUM")
        _unavailable(
            f"PAINOPTS_CHROMIUM={given} is not an executable file"
            if given
            else "no Chromium found (looked for chromium and chromium-browser on PATH)"
        )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def handouts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every bundled condition's handout, written by the command as a user runs it."""
    out = tmp_path_factory.mktemp("handouts")
    runner = CliRunner()
    for cid in CONDITIONS:
        result = runner.invoke(app, ["handout", cid, "-o", str(out / f"{cid}.html")])
        assert result.exit_code == 0, result.stderr
    return out


class Opened:
    """A page with everything it logged or asked for, from its first byte."""

    def __init__(self, browser: Browser, path: Path, width: int) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on(
            "console",
            lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None,
        )
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dismiss)
        self.url = path.resolve().as_uri()
        self.page.goto(self.url, wait_until="load")

    def _dismiss(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def overflow(self) -> int:
        """How many CSS pixels the page is wider than its window (0: no sideways scroll)."""
        return int(
            self.page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
        )


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def _serious(page: Page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} - "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("condition", CONDITIONS)
def test_handout_in_a_browser(browser: Browser, handouts: Path, condition: str) -> None:
    path = handouts / f"{condition}.html"
    phone = Opened(browser, path, WIDTHS["phone"])
    page = phone.page
    try:
        assert phone.errors == []
        assert phone.requests == [phone.url], "the page asked for something besides itself"
        assert phone.overflow() == 0, "sideways scrolling at 375 px"
        assert page.locator("#red-flags").is_visible()
        for item in page.locator("#red-flags li").all():
            assert item.is_visible()
        assert page.locator("#notice").is_visible()
        assert "not medical advice" in page.locator("#notice").inner_text()
        # the grid is stacked cards on a phone: the first card is "no procedure"
        assert page.locator(".grid-cards .card h3").first.inner_text() == (
            "No procedure: keep going with first-line care"
        )
        links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        assert links, "a handout cites its sources"
        assert [h for h in links if not h.startswith(("https://", "#"))] == []
        assert _serious(page) == []

        page.set_viewport_size({"width": WIDTHS["A4"], "height": 1123})
        assert phone.overflow() == 0, "sideways scrolling at A4 width"
        assert page.locator("table.grid").is_visible()
        assert _serious(page) == []

        counts = {}
        for paper in ("A4", "Letter"):
            pdf = page.pdf(format=paper, print_background=True)
            assert pdf.startswith(b"%PDF")
            counts[paper] = _pages(pdf)
            assert counts[paper] >= 2
        PDF_PAGES[condition] = counts
        assert phone.errors == [] and phone.dialogs == []
    finally:
        page.close()


DOCUMENTS = {
    "show-ilesi": ["show", "ilesi"],
    "for-sciatica": ["for", "sciatica"],
    "compare-rfa-scs": ["compare", "rfa", "scs", "--condition", "facet-pain"],
}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_documents_in_a_browser(browser: Browser, tmp_path: Path, name: str) -> None:
    """`show`, `for` and `compare` as HTML: the same checks as a handout, from the same
    document the terminal and Markdown print."""
    result = CliRunner().invoke(app, [*DOCUMENTS[name], "--format", "html"])
    assert result.exit_code == 0, result.stderr
    path = tmp_path / f"{name}.html"
    path.write_text(result.stdout, encoding="utf-8")
    opened = Opened(browser, path, WIDTHS["phone"])
    page = opened.page
    try:
        assert opened.errors == []
        assert opened.requests == [opened.url]
        assert opened.overflow() == 0, "sideways scrolling at 375 px"
        assert "not medical advice" in page.locator("#notice").inner_text()
        if name == "for-sciatica":
            assert page.locator("#red-flags").is_visible()
            assert page.locator("#against").is_visible()
        links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        assert [h for h in links if not h.startswith(("https://", "#"))] == []
        assert _serious(page) == []
        page.set_viewport_size({"width": WIDTHS["A4"], "height": 1123})
        assert opened.overflow() == 0, "sideways scrolling at A4 width"
    finally:
        page.close()


def test_catalogue_text_that_looks_like_markup_stays_text(browser: Browser, tmp_path: Path) -> None:
    out = tmp_path / "hostile.html"
    args = ["--no-bundled", "--catalog", str(FIXTURES / "hostile"), "handout", "sciatica"]
    result = CliRunner().invoke(app, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    opened = Opened(browser, out, WIDTHS["A4"])
    page = opened.page
    try:
        assert opened.dialogs == []
        assert page.evaluate("document.scripts.length") == 0
        summary = page.locator("#about p").first.inner_text()
        assert summary == (
            "Leg pain <script>alert('summary')</script> from a nerve root </td></tr></table> "
            "{{ 7*7 }} {% if 1 %}jinja{% endif %} & more."
        )
        flag = page.locator("#red-flags li").first.inner_text()
        assert (
            flag == "Loss of bladder control </li></ul><script>alert('flag')</script> {{ config }}."
        )
        # the grid keeps its shape: one cell per option in every row
        assert page.locator("table.grid tbody tr").count() == 8
        assert page.title() == "Sciatica: your options"
        ref = page.locator("#ref-1").inner_text()
        assert ref.startswith("Guide <b>A</b> </a><a href='http://evil.example'>x</a> {{ 6*7 }}.")
        links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        assert "http://evil.example" not in links
        assert opened.errors == []
    finally:
        page.close()


def test_the_checks_can_fail(browser: Browser, tmp_path: Path) -> None:
    """A page with a missing image text, a wide table and a console error is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html><head><title>x</title></head><body>"
        "<img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='>"
        "<div style='width:2000px'>wide</div><script>console.error('boom')</script>"
        "</body></html>"
    )
    opened = Opened(browser, bad, WIDTHS["phone"])
    try:
        assert opened.errors == ["boom"]
        assert opened.overflow() > 0
        assert any(v.startswith(("image-alt", "html-has-lang")) for v in _serious(opened.page))
    finally:
        opened.page.close()
