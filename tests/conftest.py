from __future__ import annotations

import os
from collections.abc import Generator
from pathlib import Path
from typing import Protocol

import pluggy
import pytest
from typer.testing import CliRunner, Result

from painopts.cli import app
from painopts.loader import load_catalogue
from painopts.models import Catalogue

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


class Run(Protocol):
    """The `run` and `run_mini` fixtures: painopts with these arguments, failing the test
    unless it exits with *expect*."""

    def __call__(self, *args: str, expect: int = 0) -> Result: ...


@pytest.fixture(autouse=True)
def _private_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tests never read or write the user's real cache."""
    monkeypatch.delenv("PAINOPTS_NO_CACHE", raising=False)
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Render as a plain 100-column terminal so expected text is stable."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    for name in ("FORCE_COLOR", "PAINOPTS_CATALOG", "PAINOPTS_DEBUG", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)


def _invoke(args: list[str], expect: int) -> Result:
    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == expect, (
        f"exit {result.exit_code} != {expect}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


@pytest.fixture
def run() -> Run:
    """Run painopts on the bundled catalogue; fail loudly on an unexpected exit code."""

    def go(*args: str, expect: int = 0) -> Result:
        return _invoke(list(args), expect)

    return go


@pytest.fixture
def run_mini() -> Run:
    """Run painopts on the small fixture catalogue only."""

    def go(*args: str, expect: int = 0) -> Result:
        return _invoke(["--no-bundled", "--catalog", str(MINI), *args], expect)

    return go


@pytest.fixture(scope="session")
def mini() -> Catalogue:
    return load_catalogue([MINI], bundled=False)


@pytest.fixture(scope="session")
def bundled() -> Catalogue:
    return load_catalogue()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Report the handouts' PDF page counts (tests/test_browser.py records them)."""
    import sys

    browser = sys.modules.get("tests.test_browser")
    pages = getattr(browser, "PDF_PAGES", None)
    if not pages:
        return
    terminalreporter.section("handout PDF pages (A4 / Letter)")
    for condition, counts in sorted(pages.items()):
        terminalreporter.write_line(f"{condition}: {counts['A4']} / {counts['Letter']}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pluggy.Result[pytest.TestReport], None]:
    """With PAINOPTS_REQUIRE_BROWSER=1 (as .ci/run sets it), a browser test that was
    skipped, for whatever reason, is a failure: CI must not pass without a browser."""
    outcome = yield
    report = outcome.get_result()
    if (
        report.skipped
        and item.get_closest_marker("browser") is not None
        and os.environ.get("PAINOPTS_REQUIRE_BROWSER") == "1"
    ):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped, but PAINOPTS_REQUIRE_BROWSER=1 requires it: {reason}"
