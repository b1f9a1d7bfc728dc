"""Renderers share words (wording.py), looks (styles.py) and building blocks
(layout.py); none imports another renderer for a label."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "painopts"


def painopts_imports(module: str | Path) -> set[str]:
    """The painopts modules *module* (a name in the package, or a file) imports, at
    the top or inside functions."""
    path = module if isinstance(module, Path) else PACKAGE / f"{module}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "painopts":
                found |= {f"painopts.{a.name}" for a in node.names}
            elif node.module.startswith("painopts."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("painopts.")}
    return found


def test_the_chart_module_imports_no_other_renderer() -> None:
    imports = painopts_imports("visual")
    assert not imports & {"painopts.render", "painopts.render_document", "painopts.terminal"}
    assert {"painopts.layout", "painopts.styles", "painopts.wording"} <= imports


@pytest.mark.parametrize("module", ["layout", "styles", "wording"])
def test_the_shared_modules_import_no_renderer(module: str) -> None:
    renderers = {"painopts.render", "painopts.render_document", "painopts.visual"}
    assert not painopts_imports(module) & renderers


def test_stance_colours_are_defined_once() -> None:
    defining = [
        p.stem
        for p in sorted(PACKAGE.glob("*.py"))
        if "STANCE_STYLE = " in p.read_text(encoding="utf-8")
    ]
    assert defining == ["styles"]


def test_the_old_words_module_is_gone() -> None:
    assert importlib.util.find_spec("painopts.words") is None
    files = [*PACKAGE.glob("*.py"), *(PACKAGE.parent / "tests").glob("*.py")]
    assert [p.name for p in sorted(files) if "painopts.words" in painopts_imports(p)] == []
