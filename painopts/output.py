"""The table of output formats, and which command offers which format.

Every command builds one view (painopts.views); ``render(view, format, target)`` picks
the renderer for the format here and nowhere else. A renderer returns a string (written
to stdout as it is: JSON, CSV, Markdown, Mermaid), a ``Page`` of terminal renderables
(printed with the catalogue footer and the notice), or None (nothing to show).

``MATRIX`` is the published command x format matrix: the ``--format`` choices of each
command, its help, the README's table and tests/test_pipeline.py all come from it. A
pair outside it is a usage error. A new format is one ``Format`` member, one renderer
in ``RENDERERS`` and its commands' entries here; a new command is one entry here plus
a view its formats can render.

Kept light: nothing is imported until a renderer runs, so the CLI can build its
options from this module at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from painopts.frozen import Frozen

if TYPE_CHECKING:
    from painopts.views import View


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    YAML = "yaml"
    CSV = "csv"
    MERMAID = "mermaid"
    BIBTEX = "bibtex"
    CSL_JSON = "csl-json"
    HTML = "html"


_T, _J, _M, _C = Format.TABLE, Format.JSON, Format.MARKDOWN, Format.CSV

MATRIX: dict[str, tuple[Format, ...]] = {
    "for": (_T, _J, _M, _C, Format.HTML),
    "show": (_T, _J, _M, _C, Format.YAML, Format.HTML),
    "compare": (_T, _J, _M, _C, Format.HTML),
    "search": (_T, _J, _M, _C),
    "list": (_T, _J, _M, _C),
    "conditions": (_T, _J, _M, _C),
    "timeline": (_T, _J),
    "pathway": (_T, _J, Format.MERMAID),
    "sources": (_T, _J, _M, _C, Format.BIBTEX, Format.CSL_JSON),
    "validate": (_T, _J),
    "handout": (Format.HTML, _M),
}
"""Command -> the formats it offers, the default first."""

# Formats whose output is data: the view's lead and closing lines go to stderr instead.
DATA_ONLY = frozenset({Format.CSV, Format.YAML, Format.BIBTEX, Format.CSL_JSON})


class Target(Frozen):
    """Where the output goes: the width and character set for pictures, and whether
    JSON is indented (for a person at a terminal) or compact (for a pipe)."""

    width: int = 80
    plain: bool = False
    pretty: bool = False


class Page(Frozen):
    """Terminal renderables for one view. The printer adds the catalogue footer and
    the notice, unless the page is a document that carries its own (``footer=False``)."""

    parts: tuple[Any, ...]
    footer: bool = True


Rendered = str | Page | None
Renderer = Callable[["View", Target], Rendered]


def _table(view: View, target: Target) -> Rendered:
    from painopts.terminal import to_terminal

    return to_terminal(view, target)


def _json(view: View, target: Target) -> Rendered:
    from painopts.formats import to_json

    return to_json(view, pretty=target.pretty)


def _markdown(view: View, target: Target) -> Rendered:
    from painopts.formats import to_markdown_view

    return to_markdown_view(view)


def _yaml(view: View, target: Target) -> Rendered:
    from painopts.formats import to_yaml

    return to_yaml(view)


def _csv(view: View, target: Target) -> Rendered:
    from painopts.formats import to_csv_view

    return to_csv_view(view)


def _mermaid(view: View, target: Target) -> Rendered:
    from painopts.visual import to_mermaid

    return to_mermaid(view)


def _bibtex(view: View, target: Target) -> Rendered:
    from painopts.formats import references
    from painopts.refs import bibtex

    return bibtex(references(view))


def _csl_json(view: View, target: Target) -> Rendered:
    from painopts.formats import references
    from painopts.refs import csl_json

    return csl_json(references(view))


def _html(view: View, target: Target) -> Rendered:
    from painopts.html import render_view

    return render_view(view)


RENDERERS: dict[Format, Renderer] = {
    Format.TABLE: _table,
    Format.JSON: _json,
    Format.MARKDOWN: _markdown,
    Format.YAML: _yaml,
    Format.CSV: _csv,
    Format.MERMAID: _mermaid,
    Format.BIBTEX: _bibtex,
    Format.CSL_JSON: _csl_json,
    Format.HTML: _html,
}


def offered(command: str) -> tuple[Format, ...]:
    return MATRIX.get(command, ())


def not_offered(command: str, fmt: Format) -> str:
    """The usage error for a pair outside the matrix, in the voice of every other."""
    choices = ", ".join(offered(command)) or "none"
    return f"{command} has no {fmt} format (it offers {choices}); see `painopts {command} -h`"


def render(view: View, fmt: Format, target: Target | None = None) -> Rendered:
    from painopts.errors import UsageError

    if fmt not in offered(view.command):
        raise UsageError(not_offered(view.command, fmt))
    return RENDERERS[fmt](view, target or Target())


def format_help(command: str) -> str:
    """The --format help of *command*, from the matrix."""
    names = [str(f) for f in offered(command)]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return f"Output format: {listed}."


def matrix_markdown() -> str:
    """The matrix as the README shows it."""
    formats = [f for f in Format if any(f in v for v in MATRIX.values())]
    lines = [
        "| command | " + " | ".join(formats) + " |",
        "|---|" + "---|" * len(formats),
    ]
    for command, offers in MATRIX.items():
        cells = ["yes" if f in offers else "" for f in formats]
        lines.append(f"| `{command}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
