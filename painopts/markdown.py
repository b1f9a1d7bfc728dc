"""A Document as Markdown: headings, paragraphs and lists, with a table only where
a table is natural (a comparison grid). No HTML: a cell never holds ``<br>``, so
the text pastes cleanly into a word processor. Returns a string; nothing prints.

``markdown_parts`` yields each part with the section key it renders, so a test can
check that no section of the Document is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

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
    Section,
)
from painopts.models import Stance

STANCE_LABELS = frozenset(s.label for s in Stance)

# What would turn text into markup, each made literal with a backslash: emphasis,
# code, raw HTML and autolinks, strikethrough and table cell ends anywhere; an entity
# ("&amp;"); and a "]" that could close a link or image ("](", "][", "]:"). A lone
# "[3]" stays as it is, so citations read cleanly even as plain text.
_SPECIAL = re.compile(r"([\\`*_<>|~]|&(?=#?\w+;)|\](?=[(\[]))")
# What would make a line of prose into a list item, a heading, a quote or a link
# reference definition ("[x]: url" starts a line).
_LINE_START = re.compile(r"^(\s*)(\[|(?:[-+>=#]|\d+[.)])(?=\s|$))")


def _joined(lines: list[str], sep: str) -> str:
    """Lines as one line: joined by *sep*, or by a space after a line that ends its
    own sentence."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out:
            out += " " if out.endswith((".", "?", "!", ":", ";")) else sep
        out += line
    return out


def _line_start(m: re.Match[str]) -> str:
    lead, mark = m.group(1), m.group(2)
    if mark[0].isdigit():
        return f"{lead}{mark[:-1]}\\{mark[-1]}"
    return f"{lead}\\{mark}"


def escape(text: str) -> str:
    """*text* as literal Markdown on one line."""
    # A value and its note (a second line) read as two sentences.
    flat = " ".join(_joined(text.replace("\r", "").split("\n"), ". ").split())
    return _LINE_START.sub(_line_start, _SPECIAL.sub(r"\\\1", flat))


def _cell(text: str) -> str:
    """A table cell on one line: a list's items ("- a" lines) joined as sentences."""
    items = [line.strip().removeprefix("- ") for line in text.replace("\r", "").split("\n")]
    return escape(_joined(items, "; ")) or " "


def _item(item: str) -> str:
    """A bullet; a label after two spaces (a stance) follows a dash."""
    text, sep, label = item.rpartition("  ")
    if sep and label in STANCE_LABELS:
        return f"- {escape(text)} — {escape(label)}"
    return f"- {escape(item)}"


def _bullets(items: Sequence[str]) -> list[str]:
    return [_item(i) for i in items] if items else ["- none listed"]


def _facts(rows: Sequence[tuple[str, str]]) -> list[str]:
    return [f"- **{escape(label)}:** {escape(value)}" for label, value in rows]


def _grid(grid: Grid) -> list[str]:
    lines = [
        "| | " + " | ".join(_cell(c) for c in grid.columns) + " |",
        "|---|" + "|".join("---" for _ in grid.columns) + "|",
    ]
    lines += [
        f"| **{_cell(label)}** | " + " | ".join(_cell(c) for c in cells) + " |"
        for label, cells in grid.rows
    ]
    return lines


def _entry(entry: Entry) -> list[str]:
    title = escape(entry.title)
    if entry.number is not None:
        title = f"{entry.number}. {title}"
    if entry.label is not None:
        title += f" — {escape(entry.label)}"
    lines = [f"### {title}", ""]
    if entry.facts:
        lines += [*_facts(entry.facts), ""]
    for para in entry.paragraphs:
        lines += [escape(para), ""]
    if entry.items:
        lines += [*_bullets(entry.items), ""]
    return lines[:-1]


def block(b: Block) -> list[str]:
    match b:
        case Paragraph(text=text):
            return [escape(text)]
        case Note(text=text):
            return [f"*{escape(text)}*"]
        case Bullets(items=items):
            return _bullets(items)
        case Facts(rows=rows):
            return _facts(rows)
        case Grid():
            return _grid(b)
        case Entry():
            return _entry(b)
    raise TypeError(type(b).__name__)


def _section(section: Section) -> str:
    if section.key in UNTITLED:
        bold = section.key == "verdict"
        return "\n\n".join(
            f"**{line}**" if bold and isinstance(b, Paragraph) else line
            for b in section.blocks
            for line in ["\n".join(block(b))]
        )
    lines = [f"## {escape(section.heading)}"]
    for b in section.blocks:
        lines += ["", *block(b)]
    return "\n".join(lines)


def meta_text(meta: DocMeta) -> str:
    text = f"Catalogue: {meta.catalogue_title} {meta.catalogue_version}".replace("  ", " ")
    if meta.reviewed:
        text += f", reviewed {meta.reviewed}"
    return escape(text + f". This document was made on {meta.generated}.")


def markdown_parts(doc: Document) -> Iterator[tuple[str, str]]:
    """(section key, Markdown) in reading order; the title's key is "title"."""
    title = f"# {escape(doc.title)}"
    if doc.subtitle:
        title += f" {escape(doc.subtitle)}"
    yield TITLE_KEY, title
    notice = None
    for section in doc.sections:
        if section.key == NOTICE_KEY:
            notice = section
            continue
        yield section.key, _section(section)
    lines = ["## References", ""]
    # The URL stays bare: escaping its underscores would break the link.
    lines += [f"{r.number}. {escape(r.text)} {r.url}" for r in doc.references] or ["None."]
    yield REFERENCES_KEY, "\n".join(lines)
    yield META_KEY, meta_text(doc.meta)
    if notice is not None:
        yield NOTICE_KEY, _section(notice)


def to_markdown(doc: Document) -> str:
    return "\n\n".join(part for _, part in markdown_parts(doc)) + "\n"
