"""A Document on the terminal: Rich renderables built from render.py's layout rules
(words never broken, prose capped at ``PROSE_WIDTH``, hanging indents, no trailing
spaces, URLs whole and OSC 8 links where the terminal shows them). Nothing prints.

``terminal_parts`` yields each part with the section key it renders, so a test can
check that no section of the Document is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.text import Text

from painopts.document import (
    META_KEY,
    NOTICE_KEY,
    REFERENCES_KEY,
    TITLE_KEY,
    UNTITLED,
    Block,
    Bullets,
    DocMeta,
    Document,
    Entry,
    Facts,
    Grid,
    Note,
    Paragraph,
    Reference,
    Section,
)
from painopts.layout import Hanging, Tail, Tidy, Url, prose
from painopts.models import Stance
from painopts.render import SOURCE_HANG, CompareBlock
from painopts.styles import AGAINST_HEADING, STANCE_STYLE, WARNING_HEADING, heading
from painopts.textsafe import shown

_LABEL_STYLE = {s.label: style for s, style in STANCE_STYLE.items()}
_HEADING_STYLE = {
    "normal": "bold underline",
    "warning": WARNING_HEADING,
    "against": AGAINST_HEADING,
}


def _heading(section: Section) -> Text:
    style = _HEADING_STYLE.get(section.tone, "bold underline")
    return heading(section.heading) if style == "bold underline" else Text(section.heading, style)


def _bullets(items: Sequence[str], indent: int = 0) -> list[RenderableType]:
    if not items:
        return [Hanging("", Text("none listed"), indent=indent)]
    return [Hanging("- ", Text(i), indent=indent) for i in items]


def _facts(rows: Sequence[tuple[str, str]], indent: int = 0) -> list[RenderableType]:
    """Label and value pairs; a long value continues under the value, not the label."""
    width = max(cell_len(label) for label, _ in rows) + 2
    return [
        Hanging(Text(label + " " * (width - cell_len(label)), style="bold"), _valued(value),
                indent=indent)
        for label, value in rows
    ]  # fmt: skip


def _valued(value: str) -> Text:
    """A fact's value, with any note after its first line dimmed."""
    main, _, note = value.partition("\n")
    out = Text(main)
    if note:
        out.append("\n" + note, style="dim")
    return out


def _entry(entry: Entry) -> RenderableType:
    """An option card: the number hangs, so title, facts and prose line up after it."""
    head = Text(entry.title, style="bold")
    marker = Text(f"{entry.number}. " if entry.number is not None else "", style="bold")
    indent = marker.cell_len if entry.number is not None else 2
    parts: list[RenderableType] = []
    if entry.label is not None:
        style = _LABEL_STYLE.get(entry.label, "bold")
        if entry.tone == "against":
            style = STANCE_STYLE[Stance.NOT_RECOMMENDED]
        parts.append(Hanging(marker, Tail(head, Text(entry.label, style=style))))
    else:
        parts.append(Hanging(marker, head))
    if entry.facts:
        # The first fact (the evidence) has a line of its own; the short ones after it
        # share a line, as "Invasiveness: 1/4 needle  Relief: 2-12 weeks".
        facts = Text()
        for n, (label, value) in enumerate(entry.facts):
            if n:
                facts.append("\n" if n == 1 else "  ")
            facts.append(f"{label}: ", style="dim")
            facts.append(value)
        parts.append(Hanging("", facts, indent=indent))
    for n, para in enumerate(entry.paragraphs):
        style = "italic" if para.startswith("Sources disagree:") and n else ""
        parts.append(Hanging("", Text(para, style=style), indent=indent))
    parts += [_item(item, indent) for item in entry.items]
    return Group(*parts)


def _item(item: str, indent: int) -> RenderableType:
    """A bullet; a label after two spaces (a stance) is never split across lines."""
    text, sep, label = item.rpartition("  ")
    if not sep or label not in _LABEL_STYLE:
        return Hanging("- ", Text(item), indent=indent)
    return Hanging("- ", Tail(Text(text), Text(label, style=_LABEL_STYLE[label])), indent=indent)


def _grid(grid: Grid) -> RenderableType:
    """Columns side by side when they fit at a readable width; otherwise each row
    label followed by one line per column (CompareBlock's rule)."""
    rows = [(label, [Text(c) for c in cells]) for label, cells in grid.rows]
    return CompareBlock(rows, grid.columns)


def block(b: Block) -> list[RenderableType]:
    match b:
        case Paragraph(text=text):
            return [prose(text)]
        case Note(text=text):
            return [prose(Text(text, style="bold"))]
        case Bullets(items=items):
            return _bullets(items)
        case Facts(rows=rows):
            return _facts(rows) if rows else []
        case Grid():
            return [_grid(b)]
        case Entry():
            return [_entry(b)]
    raise TypeError(type(b).__name__)


def _section(section: Section) -> RenderableType:
    parts: list[RenderableType] = []
    if section.key == NOTICE_KEY:
        return Group(*(prose(Text(t, style="dim italic")) for p in section.blocks
                       for t in _texts(p)))  # fmt: skip
    if section.key in UNTITLED:
        style = {"verdict": AGAINST_HEADING if section.tone == "against" else "bold"}.get(
            section.key, "dim"
        )
        for b in section.blocks:
            parts += [prose(Text(t, style=style)) for t in _texts(b)] or block(b)
        return Group(*parts)
    parts.append(_heading(section))
    for n, b in enumerate(section.blocks):
        # Cards follow each other closely (their numbers hang); anything after a card
        # or a grid is set off by a blank line so it does not read as part of it.
        if n and not isinstance(b, Entry) and isinstance(section.blocks[n - 1], Entry | Grid):
            parts.append(Text(""))
        parts += block(b)
    return Group(*parts)


def section(section: Section) -> RenderableType:
    """One section as every document draws it (for a view that is not a document but
    must carry one of its sections, such as the pathway's red flags)."""
    return _section(section)


def _texts(b: Block) -> list[str]:
    return [b.text] if isinstance(b, Paragraph | Note) else []


def reference_line(ref: Reference) -> RenderableType:
    """The full reference wrapped under its text, then its URL whole on its own line."""
    return Group(
        Hanging(Text(f"[{ref.number}] ", style="bold"), Text(ref.text), hang=SOURCE_HANG),
        Url(ref.url, indent=SOURCE_HANG),
    )


def meta_line(meta: DocMeta) -> str:
    text = f"Catalogue: {meta.catalogue_title} {meta.catalogue_version}".replace("  ", " ")
    if meta.reviewed:
        text += f", reviewed {meta.reviewed}"
    if meta.origins:
        text += f"; loaded from {shown(', '.join(meta.origins))}"
    return text + "."


def terminal_parts(doc: Document) -> Iterator[tuple[str, RenderableType]]:
    """(section key, renderable) in reading order; the title's key is "title"."""
    title = Text(doc.title, style="bold")
    if doc.subtitle:
        title.append(f"  {doc.subtitle}", style="dim")
    yield TITLE_KEY, prose(title)
    notice = None
    for section in doc.sections:
        if section.key == NOTICE_KEY:
            notice = section
            continue
        yield section.key, _section(section)
    refs = [heading("References"), *(reference_line(r) for r in doc.references)]
    if not doc.references:
        refs.append(Text("none"))
    yield REFERENCES_KEY, Group(*refs)
    yield META_KEY, prose(Text(meta_line(doc.meta), style="dim"))
    # The notice closes the page, after the references, where people look last.
    if notice is not None:
        yield NOTICE_KEY, _section(notice)


def terminal(doc: Document) -> Tidy:
    """The whole document as one renderable, sections separated by a blank line."""
    parts: list[RenderableType] = []
    for key, part in terminal_parts(doc):
        if parts and key not in ("verdict", "aliases", META_KEY, NOTICE_KEY):
            parts.append(Text(""))
        parts.append(part)
    return Tidy(Group(*parts))
