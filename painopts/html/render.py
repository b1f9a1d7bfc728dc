"""A Document (and, for a handout, its pictures) as one self-contained HTML page."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from painopts.document import (
    NOTICE_KEY,
    Bullets,
    Document,
    Entry,
    Facts,
    Grid,
    Note,
    Paragraph,
    block_texts,
)

if TYPE_CHECKING:
    from painopts.handout import Bar, IconArray
    from painopts.views import View

TEMPLATES = Path(__file__).parent / "templates"

_CITATION = re.compile(r"\[(\d+)\]")

# The relief timeline's geometry, in SVG user units (the picture scales to its box).
_WIDTH = 360.0
_PAD = 10.0


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text, or (``ref`` set) a citation mark that links to its reference."""

    text: str
    ref: int | None = None


def pieces(text: str, known: frozenset[int]) -> list[Piece]:
    """*text* split into plain runs and citation marks ("[3]") that name a reference."""
    out: list[Piece] = []
    last = 0
    for m in _CITATION.finditer(text):
        n = int(m.group(1))
        if n not in known:
            continue
        if m.start() > last:
            out.append(Piece(text[last : m.start()]))
        out.append(Piece(m.group(0), n))
        last = m.end()
    if last < len(text):
        out.append(Piece(text[last:]))
    return out


def _css_string(text: str) -> Any:
    """*text* as a CSS string literal that no character of it can end early (nor close
    the style element): every character but ASCII letters, digits and spaces becomes a
    hex escape, followed by the one space CSS takes as the escape's end. Marked safe,
    since HTML escaping inside <style> would show as-is."""
    from markupsafe import Markup

    body = "".join(
        c if (c.isascii() and c.isalnum()) or c == " " else f"\\{ord(c):06x} " for c in text
    )
    return Markup(f'"{body}"')


def _axis(days: float) -> float:
    from painopts.visual import axis_position

    return _PAD + axis_position(days) * (_WIDTH - 2 * _PAD)


def _timeline(bars: Sequence[Bar]) -> dict[str, Any]:
    from painopts.visual import TICKS

    rows = []
    for bar in bars:
        x0 = _axis(bar.start)
        x1 = max(x0 + 3, _axis(bar.solid))
        x2 = _WIDTH - _PAD if bar.end is None else max(x1, _axis(bar.end))
        rows.append({"bar": bar, "x0": x0, "x1": x1, "x2": x2, "open": bar.end is None})
    ticks = [{"label": label, "x": _axis(days)} for label, days in TICKS]
    return {"rows": rows, "ticks": ticks, "width": _WIDTH, "left": _PAD, "right": _WIDTH - _PAD}


def _icons(count: int) -> list[dict[str, float | bool]]:
    """100 figures, ten to a row, the first *count* of them filled."""
    return [{"x": (i % 10) * 11.0, "y": (i // 10) * 15.0, "on": i < count} for i in range(100)]


def _block(block: object, known: frozenset[int]) -> dict[str, Any]:
    def p(text: str) -> list[Piece]:
        return pieces(text, known)

    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "text": p(block.text)}
    if isinstance(block, Note):
        return {"kind": "note", "text": p(block.text)}
    if isinstance(block, Bullets):
        return {"kind": "bullets", "items": [p(item) for item in block.items]}
    if isinstance(block, Facts):
        return {"kind": "facts", "rows": [(label, p(value)) for label, value in block.rows]}
    if isinstance(block, Grid):
        rows = [
            (label, [[p(line) for line in cell.split("\n") if line.strip()] for cell in cells])
            for label, cells in block.rows
        ]
        return {"kind": "grid", "columns": list(block.columns), "rows": rows}
    if isinstance(block, Entry):
        return {
            "kind": "entry", "title": block.title, "label": block.label, "number": block.number,
            "facts": [(label, p(value)) for label, value in block.facts],
            "paragraphs": [p(text) for text in block.paragraphs],
            "items": [p(item) for item in block.items], "tone": block.tone,
        }  # fmt: skip
    raise TypeError(f"not a block: {block!r}")


def render_html(
    doc: Document,
    *,
    timeline: Sequence[Bar] = (),
    timeline_note: str | None = None,
    icon_arrays: Sequence[IconArray] = (),
    figures_after: str = "options",
) -> str:
    """*doc* as one HTML page. A handout passes the data of its pictures: the relief
    timeline and the icon arrays go at the end of section *figures_after*."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["css_string"] = _css_string
    known = frozenset(r.number for r in doc.references)
    # The notice also goes under the title: a page read only in part still says it.
    notice_section = doc.section(NOTICE_KEY)
    notice = (
        " ".join(t for b in notice_section.blocks for t in block_texts(b))
        if notice_section is not None
        else None
    )
    sections = [
        {"key": s.key, "heading": s.heading, "tone": s.tone,
         "blocks": [_block(b, known) for b in s.blocks]}
        for s in doc.sections
    ]  # fmt: skip
    arrays = [
        {"a": a, "helped": _icons(a.helped), "comparator": _icons(a.comparator_helped)}
        for a in icon_arrays
    ]
    return env.get_template("document.html.j2").render(
        doc=doc,
        sections=sections,
        references=doc.references,
        timeline=_timeline(timeline) if timeline else None,
        timeline_note=timeline_note,
        icon_arrays=arrays,
        figures_after=figures_after,
        notice=notice,
    )


def render_view(view: View) -> str:
    """A command's view as HTML: a handout with its pictures, any other view that is a
    document (painopts.views.as_document) as that document."""
    from painopts.views import HandoutView, as_document

    if isinstance(view, HandoutView):
        made = view.handout
        return render_html(
            made.document,
            timeline=made.timeline,
            timeline_note=made.timeline_note,
            icon_arrays=made.icon_arrays,
        )
    doc = as_document(view)
    if doc is None:
        raise TypeError(f"{type(view).__name__} is a table, not a document: no HTML for it")
    return render_html(doc)
