"""One document model for every human-readable format (terminal, Markdown, HTML).

A view that reads as prose (``show``, ``for``, ``compare``, the handout) is built once
as a :class:`Document`: titled sections of a few kinds of block. Each format renders
the same Document, so no format can drop a section another shows; a test compares
the section keys each renderer emits. No I/O and no Rich here: renderers live apart.

Citations inside block text are short numbers such as ``[3]`` that point into
``Document.references``. Section keys are stable ids (``"red-flags"``, ``"risks"``,
``"notice"`` ...): HTML templates and tests address sections by key, so keys are
never renamed, only added.

The reference list is data, not a Section: every renderer emits it after the
sections, as a numbered footer under the key ``"references"`` (see
``REFERENCES_KEY``), then the catalogue version and review date (``"meta"``), and
the notice last, where a reader finishes. ``rendered_keys`` gives that order; each
renderer yields its parts keyed by it, and a test holds every renderer to it.
"""

from __future__ import annotations

from typing import Final, Literal

from painopts.frozen import Record, record

Tone = Literal["normal", "warning", "against"]
TONES: Final[tuple[Tone, ...]] = ("normal", "warning", "against")

#: The key under which renderers emit ``Document.references``.
REFERENCES_KEY: Final = "references"
#: The key of the catalogue line (version, review date) renderers emit after them.
META_KEY: Final = "meta"
#: The key of the title (and subtitle) renderers emit first.
TITLE_KEY: Final = "title"
#: The key of the "not medical advice" section every human-readable document has.
NOTICE_KEY: Final = "notice"
#: Sections that read as part of the page around them, without a heading of their
#: own: the verdict under the title, where the eye lands, other names, the review
#: date.
UNTITLED: Final = ("verdict", "aliases", "reviewed")


@record(kw_only=False)
class Paragraph(Record):
    """A run of prose."""

    text: str


@record(kw_only=False)
class Bullets(Record):
    """An unordered list; each item is one line of prose (renderers wrap it)."""

    items: tuple[str, ...]


@record(kw_only=False)
class Facts(Record):
    """Label/value pairs ("How long relief lasts" / "3-6 months"). A value may add a
    note on a second line (after "\n"): the terminal sets it below the value, formats
    without line breaks join it as a sentence."""

    rows: tuple[tuple[str, str], ...]


@record(kw_only=False)
class Grid(Record):
    """A table with a label per row and one cell per column.

    ``columns`` names the cell columns only; the row-label column is unnamed. A cell
    that is a list holds one item per line, each starting "- "; renderers that cannot
    break a cell into lines (a Markdown table) join the items on one line.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]


@record(kw_only=False)
class Note(Record):
    """A remark about the document itself, e.g. that a list was shortened and where
    to see the rest ("and 4 more: painopts show ilesi")."""

    text: str


@record(kw_only=False)
class Entry(Record):
    """One titled item in a list of options or techniques (an option card).

    ``label`` (a stance such as "not recommended") belongs with the title and is
    never split from it; ``number`` is its place in the list when order matters
    (stepped care). Then label/value ``facts``, ``paragraphs`` of prose and bullet
    ``items``, in that order. An item may end in a stance label after two spaces
    ("Name [id]  may be considered"): renderers keep that label whole and apart.
    ``tone`` "against" marks an option guidelines recommend against, "warning" a
    safety entry."""

    title: str
    label: str | None = None
    number: int | None = None
    facts: tuple[tuple[str, str], ...] = ()
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    tone: Tone = "normal"


Block = Paragraph | Bullets | Facts | Grid | Note | Entry


@record(kw_only=False)
class Section(Record):
    """A titled part of a document. ``key`` is a stable id; ``tone`` tells renderers
    to set a section apart: "warning" (red flags, regulatory warnings) or "against"
    (options guidelines recommend against)."""

    key: str
    heading: str
    blocks: tuple[Block, ...]
    tone: Tone = "normal"


@record(kw_only=False)
class Reference(Record):
    """One numbered entry of the reference list; ``text`` is the full citation
    (authors, title, publisher, year) without the URL."""

    number: int
    source_id: str
    text: str
    url: str


@record(kw_only=False)
class DocMeta(Record):
    """Where the content comes from and when: ``generated`` is the date the document
    was made (ISO), ``reviewed`` the catalogue's review date (ISO) or None."""

    catalogue_version: str
    reviewed: str | None
    generated: str
    #: The catalogue's title ("painopts bundled catalogue").
    catalogue_title: str = ""
    #: Where the catalogue was loaded from; the terminal names them, documents meant
    #: to be shared need not.
    origins: tuple[str, ...] = ()


@record(kw_only=False)
class Document(Record):
    title: str
    subtitle: str | None
    sections: tuple[Section, ...]
    references: tuple[Reference, ...]
    meta: DocMeta

    def section(self, key: str) -> Section | None:
        """The section with this key, or None."""
        for section in self.sections:
            if section.key == key:
                return section
        return None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(section.key for section in self.sections)


def rendered_keys(doc: Document) -> tuple[str, ...]:
    """The parts every renderer emits, in order: the title, each section but the
    notice, the references, the catalogue line, then the notice."""
    middle = tuple(k for k in doc.keys if k != NOTICE_KEY)
    notice = (NOTICE_KEY,) if NOTICE_KEY in doc.keys else ()
    return (TITLE_KEY, *middle, REFERENCES_KEY, META_KEY, *notice)


def block_texts(block: Block) -> tuple[str, ...]:
    """Every piece of text a block carries, in reading order (for tests and search)."""
    if isinstance(block, Paragraph | Note):
        return (block.text,)
    if isinstance(block, Bullets):
        return block.items
    if isinstance(block, Facts):
        return tuple(part for row in block.rows for part in row)
    if isinstance(block, Entry):
        head = (block.title,) if block.label is None else (block.title, block.label)
        facts = tuple(part for row in block.facts for part in row)
        return head + facts + block.paragraphs + block.items
    texts: list[str] = list(block.columns)
    for label, cells in block.rows:
        texts.append(label)
        texts.extend(cells)
    return tuple(texts)
