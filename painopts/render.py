"""Turn query results into Rich renderables. Nothing here prints.

Every piece of catalogue text goes in as ``Text`` (never as a markup string), so a
``[bold]`` or ``[link=...]`` written in a catalogue is shown, not interpreted.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from painopts.models import Catalogue, Condition, Indication, Source, Stance, Technique
from painopts.queries import (
    ComparedForCondition,
    ConditionList,
    ConditionOptions,
    Filters,
    SearchHit,
    best_indication,
    format_duration,
    technique_source_ids,
)
from painopts.textsafe import shown
from painopts.words import (
    TEST_NOT_TREATMENT,
    evidence_short,
    evidence_words,
    relief_words,
    stance_words,
    verdict,
)

NOTICE = (
    "Educational information only, not medical advice: "
    "discuss any procedure with a qualified clinician."
)

STANCE_STYLE = {
    Stance.RECOMMENDED: "green",
    Stance.MAY_BE_CONSIDERED: "yellow",
    Stance.NOT_RECOMMENDED: "red",
}


def txt(value: object, style: str = "") -> Text:
    return Text(str(value), style=style)


def notice() -> Text:
    return Text(NOTICE, style="dim italic")


def heading(title: str) -> Text:
    return Text(title, style="bold underline")


def _table(*columns: str, title: str | None = None) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", expand=False)
    for c in columns:
        table.add_column(c, overflow="fold")
    return table


def stance_text(stance: Stance) -> Text:
    # The word itself carries the meaning; colour only repeats it.
    return Text(stance.label, style=STANCE_STYLE[stance])


def evidence_text(ind: Indication) -> Text:
    return Text(evidence_words(ind))


def _by_stance(item: tuple[Technique, Indication]) -> tuple[int, int]:
    return (item[1].stance.rank, -item[1].evidence.certainty.rank)


def _relief_fact(t: Technique) -> tuple[str, Text | str]:
    if t.relief is None:
        return ("Duration of relief", TEST_NOT_TREATMENT)
    return ("Duration of relief", _with_note(relief_words(t), t.relief.note))


def relief_text(t: Technique) -> str:
    return relief_words(t)


class SimpleTable:
    """A table of short plain cells, first column bold, laid out like Rich's SIMPLE_HEAD.

    Drawn as one block of aligned text; when the table is wider than the terminal,
    the columns with most slack wrap (at spaces and hyphens) until it fits. Measured at
    about 1-4 ms for the bundled `list` against 18-25 ms for a Rich Table, which is a
    tenth of painopts' whole start-up. If even the longest words cannot fit, a Rich
    Table takes over.
    """

    MIN_COLUMN = 6

    def __init__(
        self, headers: Sequence[str], rows: Sequence[Sequence[str]], keep: Sequence[int] = ()
    ) -> None:
        self.headers = list(headers)
        self.rows = [list(r) for r in rows]
        # Columns that wrap only as a last resort: a stance read as "not" on one line
        # and "recommended" on the next is easy to misread.
        self.keep = set(keep)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        columns = [[h, *(r[i] for r in self.rows)] for i, h in enumerate(self.headers)]
        if not all(c.isascii() and "\n" not in c for col in columns for c in col):
            yield self._rich_table()
            return
        widths = [max(map(len, col)) for col in columns]
        # Shrink to whole words first; then, like Rich's "fold", break words, down to
        # a few characters a column.
        words = [
            widths[i] if i in self.keep else max(len(w) for c in col for w in _PIECES.split(c) if w)
            for i, col in enumerate(columns)
        ]
        gaps = 2 + 3 * (len(widths) - 1) + 2
        folded = [f if i in self.keep else min(f, self.MIN_COLUMN) for i, f in enumerate(words)]
        for floors in (words, folded):
            while gaps + sum(widths) > options.max_width:
                slack = [w - f for w, f in zip(widths, floors, strict=True)]
                if max(slack) <= 0:
                    break
                widths[slack.index(max(slack))] -= 1
        if gaps + sum(widths) > options.max_width:
            yield self._rich_table()
            return
        total = gaps + sum(widths)
        lines = [
            Text(""),
            *self._lines(self.headers, widths, header=True),
            Text(" " + "─" * (total - 2) + " "),
        ]
        for row in self.rows:
            lines += self._lines(row, widths)
        lines.append(Text(""))
        # One unwrapped Text: it is known to fit, and Rich's per-line wrapping was most
        # of the cost of the table.
        block = Text("\n").join(lines)
        block.no_wrap = True
        block.overflow = "ignore"
        yield block

    @staticmethod
    def _lines(cells: Sequence[str], widths: Sequence[int], header: bool = False) -> list[Text]:
        parts = [textwrap.wrap(c, w) or [""] for c, w in zip(cells, widths, strict=True)]
        out = []
        for n in range(max(map(len, parts))):
            line = Text("  ")
            for i, width in enumerate(widths):
                cell = parts[i][n] if n < len(parts[i]) else ""
                if i:
                    line.append("   ")
                line.append(cell, style="bold" if header or i == 0 else "")
                line.append(" " * (width - len(cell)))
            out.append(line)
        return out

    def _rich_table(self) -> Table:
        table = _table(*self.headers)
        for row in self.rows:
            table.add_row(*(txt(c, "bold" if i == 0 else "") for i, c in enumerate(row)))
        return table


# Where textwrap may break a cell: after spaces and after hyphens.
_PIECES = re.compile(r"\s+|(?<=-)")


def condition_option_table(options: Sequence[tuple[Technique, Indication]]) -> SimpleTable:
    """Options for one condition: the stance and the evidence in words on every row."""
    return SimpleTable(
        ["id", "name", "stance", "evidence", "invasiveness", "typical relief"],
        [
            [
                t.id,
                t.name,
                stance_words(ind),
                evidence_short(ind),
                f"{t.invasiveness.rank} {t.invasiveness}",
                relief_words(t, ind),
            ]
            for t, ind in options
        ],
        keep=[0, 2],
    )


class ByWidth:
    """*wide* when the terminal has at least *columns*, else *narrow*: a six-column
    table folds words apart at 80 columns, while cards read well at any width."""

    def __init__(self, wide: RenderableType, narrow: RenderableType, columns: int) -> None:
        self.wide, self.narrow, self.columns = wide, narrow, columns

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.wide if options.max_width >= self.columns else self.narrow


def _options_block(
    cat: Catalogue | None, options: Sequence[tuple[Technique, Indication]]
) -> RenderableType:
    table = condition_option_table(options)
    if cat is None:
        return table
    return ByWidth(table, Group(Text(""), option_cards(cat, options, brief=True)), 120)


def condition_list_view(view: ConditionList, cat: Catalogue | None = None) -> Group:
    """`list --condition`: the options, then (with --all) those recommended against
    under their own heading, then the lines saying what was left out."""
    c = view.condition
    title = Text(f"Options for {c.name}", style="bold")
    title.append(f"  [{c.id}]", style="dim")
    parts: list[RenderableType] = [title]
    if view.options:
        parts.append(_options_block(cat, view.options))
    elif not view.narrowed.supported:
        parts.append(Text(NOT_SUPPORTED))
    else:
        parts.append(Text(NONE_MATCH))
    if view.against:
        parts += [
            Text(""),
            Text(f"Recommended against for {c.name} (not options)", style="bold red"),
            _options_block(cat, view.against),
        ]
    closing = view.closing()
    if closing:
        parts += [Text(""), *(Text(line, style="bold") for line in closing)]
    return Group(*parts)


NOT_SUPPORTED = "No procedure in this catalogue is supported for this condition."
NONE_MATCH = "No supported procedure matches these filters."


def technique_list(
    techniques: Sequence[Technique], cat: Catalogue | None = None, f: Filters | None = None
) -> SimpleTable:
    """Techniques, one per row. When filters look at indications (evidence, stance,
    region), a last column names the indication that matched best, with its stance."""
    rows = [
        [t.id, t.name, t.category, f"{t.invasiveness.rank} {t.invasiveness}", relief_text(t)]
        for t in techniques
    ]
    headers = ["id", "name", "category", "invasiveness", "typical relief"]
    if cat is not None and f is not None and f.on_indications:
        headers.append("best matching indication")
        for row, t in zip(rows, techniques, strict=True):
            best = best_indication(cat, t, f)
            row.append(_indication_summary(cat, best) if best else "")
    return SimpleTable(headers, rows)


def _indication_summary(cat: Catalogue, ind: Indication) -> str:
    cond = cat.conditions.get(ind.condition)
    return f"{cond.name if cond else ind.condition}: {stance_words(ind)}, {evidence_short(ind)}"


def _bullets(items: Iterable[str]) -> Text:
    return Text("\n").join(Text(f"- {i}") for i in items) if items else Text("none listed")


def _facts(rows: Sequence[tuple[str, Text | str]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(txt(label), value if isinstance(value, Text) else txt(value))
    return grid


def _with_note(main: str, note: str | None) -> Text:
    out = Text(main)
    if note:
        out.append(f"\n{note}", style="dim")
    return out


def source_lines(cat: Catalogue, ids: Iterable[str]) -> Text:
    lines = [source_line(cat.sources[i]) for i in dict.fromkeys(ids) if i in cat.sources]
    return Text("\n").join(lines) if lines else Text("none")


def source_line(s: Source) -> Text:
    out = Text(f"[{s.id}] ", style="bold")
    out.append(f"{s.title}. {s.publisher}, {s.year}. ({s.kind}) ")
    out.append(s.url, style="dim")
    return out


def technique_detail(cat: Catalogue, t: Technique, alternatives: str | None = None) -> Group:
    """Everything about *t*. The verdict comes first, under the title, so that a
    stance against is never 45 lines below a duration of relief; *alternatives* names
    the other techniques a generic name could have meant."""
    title = Text(t.name, style="bold")
    title.append(f"  [{t.id}]", style="dim")
    against = any(ind.stance is Stance.NOT_RECOMMENDED for ind in t.indications)
    parts: list[RenderableType] = [
        title,
        Text(verdict(t), style="bold red" if against else "bold"),
    ]
    if alternatives:
        parts.append(Text(alternatives, style="bold"))
    if t.aliases:
        parts.append(Text("Also called: " + ", ".join(t.aliases), style="dim"))
    parts += [
        Text(""),
        Text(t.summary),
        Text(""),
        heading("How it works"),
        Text(t.mechanism),
        Text(""),
    ]
    inv = t.invasiveness
    parts.append(
        _facts(
            [
                ("Category", str(t.category)),
                ("Invasiveness", _with_note(f"{inv.rank}/4 {inv}", inv.meaning)),
                ("Purpose", str(t.purpose)),
                ("Onset of relief", _with_note(format_duration(t.onset), t.onset.note)),
                _relief_fact(t),
                ("Repeatable", _with_note("yes" if t.repeatable else "no", t.repeat_note)),
                ("Imaging", ", ".join(map(str, t.imaging))),
                ("Anaesthesia", ", ".join(map(str, t.anaesthesia))),
                ("Setting", ", ".join(map(str, t.setting))),
                ("Recovery", t.recovery),
            ]
        )
    )
    parts += [
        Text(""),
        heading("What to expect"),
        _facts(
            [("Before", t.expect.before), ("During", t.expect.during), ("After", t.expect.after)]
        ),
        Text(""),
        heading("Prerequisites"),
        _bullets(
            [p.text + (f" (see {p.technique})" if p.technique else "") for p in t.prerequisites]
        ),
        Text(""),
        heading("Risks"),
        _bullets([r.name + (f" ({r.frequency})" if r.frequency else "") for r in t.risks]),
        Text(""),
        heading("Contraindications"),
        _bullets(t.contraindications),
    ]
    if t.regulatory:
        parts += [Text(""), heading("Regulatory status"), Text(t.regulatory)]
    parts += [
        Text(""),
        heading("Evidence by condition"),
        option_cards(
            cat, sorted(((t, i) for i in t.indications), key=_by_stance), by_condition=True
        ),
    ]
    if t.related:
        parts.append(Text("Related: " + ", ".join(t.related), style="dim"))
    parts += [
        Text(""),
        heading("Sources"),
        source_lines(cat, technique_source_ids(t)),
        Text(""),
        Text(f"Last reviewed {t.reviewed}.", style="dim"),
    ]
    return Group(*parts)


COMPARE_ROWS: tuple[str, ...] = (
    "name",
    "category",
    "invasiveness",
    "purpose",
    "onset",
    "relief",
    "repeatable",
    "imaging",
    "anaesthesia",
    "setting",
    "recovery",
    "prerequisites",
    "main risks",
    "conditions",
)


def compare_cell(cat: Catalogue, t: Technique, row: str) -> Text:
    match row:
        case "name":
            return txt(t.name, "bold")
        case "category":
            return txt(t.category)
        case "invasiveness":
            return txt(f"{t.invasiveness.rank}/4 {t.invasiveness}")
        case "purpose":
            return txt(t.purpose)
        case "onset":
            return txt(format_duration(t.onset))
        case "relief":
            return txt(relief_words(t))
        case "repeatable":
            return txt("yes" if t.repeatable else "no")
        case "imaging":
            return txt(", ".join(map(str, t.imaging)))
        case "anaesthesia":
            return txt(", ".join(map(str, t.anaesthesia)))
        case "setting":
            return txt(", ".join(map(str, t.setting)))
        case "recovery":
            return txt(t.recovery)
        case "prerequisites":
            return _bullets([p.text for p in t.prerequisites])
        case "main risks":
            return _bullets(
                [r.name + (f" ({r.frequency})" if r.frequency else "") for r in t.risks[:4]]
            )
        case "conditions":
            lines = []
            for ind in sorted(t.indications, key=lambda i: i.stance.rank):
                cond = cat.conditions.get(ind.condition)
                line = Text(f"{cond.name if cond else ind.condition}: ")
                line.append_text(stance_text(ind.stance))
                lines.append(line)
            return Text("\n").join(lines)
    raise ValueError(row)


def compare_rows_for(
    cat: Catalogue, techniques: Sequence[Technique], *, diff: bool = False
) -> list[tuple[str, list[Text]]]:
    """Attribute rows for a comparison; with *diff*, rows the same for all are dropped."""
    rows = []
    for row in COMPARE_ROWS:
        cells = [compare_cell(cat, t, row) for t in techniques]
        if diff and len({c.plain for c in cells}) == 1:
            continue
        rows.append((row, cells))
    return rows


CONDITION_ROWS: tuple[str, ...] = (
    "stance",
    "certainty",
    "direction",
    "grade (system)",
    "note",
    "disagreement",
    "sources",
)
NOT_LISTED = "not listed for this condition in the catalogue"


def condition_cell(ind: Indication | None, row: str) -> Text:
    """One technique's evidence for the compared condition, row by row."""
    if ind is None:
        return txt(NOT_LISTED if row == "stance" else "")
    ev = ind.evidence
    match row:
        case "stance":
            return stance_text(ind.stance)
        case "certainty":
            return txt(ev.certainty.label)
        case "direction":
            return txt(ev.direction.label)
        case "grade (system)":
            return txt(f"{ev.grade} ({ev.system})")
        case "note":
            return txt(ind.note)
        case "disagreement":
            return txt(ind.disagreement or "none recorded")
        case "sources":
            return txt(", ".join(ind.sources))
    raise ValueError(row)


def condition_rows_for(
    condition: Condition, pairs: Sequence[tuple[Technique, Indication | None]]
) -> list[tuple[str, list[Text]]]:
    """Rows that say, for *condition*, what each technique's evidence is."""
    return [
        (f"{row} for {condition.id}", [condition_cell(ind, row) for _, ind in pairs])
        for row in CONDITION_ROWS
    ]


@dataclass(frozen=True, slots=True)
class CompareLayout:
    """The rows of a comparison, computed once for every technique (so --diff judges
    them all together), with the columns split into options and, for a condition,
    those recommended against."""

    options: list[Technique]
    against: list[Technique]
    rows: list[tuple[str, list[Text]]]

    def split(self) -> tuple[list[tuple[str, list[Text]]], list[tuple[str, list[Text]]]]:
        k = len(self.options)
        return (
            [(label, cells[:k]) for label, cells in self.rows],
            [(label, cells[k:]) for label, cells in self.rows],
        )


def compare_layout(
    cat: Catalogue,
    techniques: Sequence[Technique],
    compared: ComparedForCondition | None,
    *,
    diff: bool = False,
) -> CompareLayout:
    if compared is None:
        return CompareLayout(list(techniques), [], compare_rows_for(cat, techniques, diff=diff))
    options = [t for t, _ in compared.options]
    against = [t for t, _ in compared.against]
    rows = condition_rows_for(compared.condition, [*compared.options, *compared.against])
    rows += compare_rows_for(cat, options + against, diff=diff)
    return CompareLayout(options, against, rows)


def compare_sections(
    layout: CompareLayout, compared: ComparedForCondition | None, width: int
) -> list[RenderableType]:
    """The comparison tables: options first; those recommended against for the
    compared condition under a heading of their own."""
    main, apart = layout.split()
    parts: list[RenderableType] = []
    if layout.options:
        parts += compare_tables(main, [t.id for t in layout.options], width)
    if compared is not None and layout.against:
        parts.append(Text(f"Recommended against for {compared.condition.name}", style="bold red"))
        parts += compare_tables(apart, [t.id for t in layout.against], width)
    return parts


# Below this many characters a column stops being readable; more techniques than fit
# are shown as several tables, each repeating the attribute column.
MIN_COMPARE_COLUMN = 22
ATTRIBUTE_COLUMN = 15


def compare_tables(
    rows: Sequence[tuple[str, Sequence[Text]]], ids: Sequence[str], width: int
) -> list[Table]:
    per_table = max(1, (width - ATTRIBUTE_COLUMN) // MIN_COMPARE_COLUMN)
    tables = []
    for start in range(0, len(ids), per_table):
        chunk = range(start, min(start + per_table, len(ids)))
        table = Table(box=box.SIMPLE_HEAD, show_lines=True)
        table.add_column("", style="bold", no_wrap=True)
        for i in chunk:
            table.add_column(txt(ids[i]), overflow="fold", ratio=1)
        for label, cells in rows:
            table.add_row(txt(label), *(cells[i] for i in chunk))
        tables.append(table)
    return tables


def search_table(hits: Iterable[SearchHit]) -> Table:
    table = _table("kind", "id", "name", "why it matched")
    for h in hits:
        table.add_row(txt(h.kind), txt(h.id, "bold"), txt(h.name), txt("; ".join(h.reasons)))
    return table


def footer(cat: Catalogue) -> Text:
    m = cat.meta
    return Text(
        f"Catalogue: {m.title} {m.version}, reviewed {m.reviewed}; "
        f"loaded from {shown(', '.join(cat.origins))}.",
        style="dim",
    )


def condition_view(
    cat: Catalogue,
    found: ConditionOptions,
    charts: Sequence[RenderableType] = (),
    *,
    filtered: str | None = None,
    supported: bool | None = None,
) -> Group:
    """The page for one condition. *filtered* names the active filters and what they
    hid; *supported* says whether any option exists before filters (by default,
    whether *found* has one), so that filtering never reads as "not supported"."""
    c = found.condition
    title = Text(c.name, style="bold")
    title.append(f"  [{c.id}]", style="dim")
    parts: list[RenderableType] = [title]
    if c.synonyms:
        parts.append(Text("Also called: " + ", ".join(c.synonyms), style="dim"))
    parts.append(
        Text(f"Region: {', '.join(map(str, c.regions))}. Pain type: {c.pain_type}.", style="dim")
    )
    parts += [Text(""), Text(c.summary), Text("")]
    if c.red_flags:
        parts += [
            Text("Get urgent medical help if any of these occur:", style="bold red"),
            _bullets(c.red_flags),
            Text(""),
        ]
    parts += [heading("Conservative first-line care"), _bullets(c.first_line), Text("")]
    if c.interventional_note:
        parts += [Text(c.interventional_note, style="italic"), Text("")]
    parts.append(heading("Procedures, in stepped-care order"))
    if filtered:
        parts.append(Text(filtered, style="bold"))
    if supported is None:
        supported = bool(found.options)
    if found.options:
        parts.append(option_cards(cat, found.options))
    elif not supported:
        parts.append(Text(NOT_SUPPORTED))
    else:
        parts.append(Text(NONE_MATCH))
    if found.against:
        parts += [
            Text(""),
            Text("Recommended against by a guideline or the best evidence", style="bold red"),
            option_cards(cat, found.against),
        ]
    for chart in charts:
        parts += [Text(""), chart]
    parts += [
        Text(""),
        heading("Sources"),
        source_lines(cat, found.source_ids),
        Text(""),
        Text(f"Last reviewed {c.reviewed}.", style="dim"),
    ]
    return Group(*parts)


def option_cards(
    cat: Catalogue,
    options: Sequence[tuple[Technique, Indication]],
    *,
    by_condition: bool = False,
    brief: bool = False,
) -> Group:
    """One short block per option: readable at any width, wrapping at word boundaries."""
    cards: list[RenderableType] = []
    for n, (t, ind) in enumerate(options, 1):
        head = Text(f"{n}. ", style="bold")
        if by_condition:
            cond = cat.conditions.get(ind.condition)
            head.append(cond.name if cond else ind.condition, style="bold")
            head.append(f" [{ind.condition}]", style="dim")
        else:
            head.append(t.name, style="bold")
            head.append(f" [{t.id}]", style="dim")
        head.append("  ")
        head.append_text(stance_text(ind.stance))
        facts = Text("Evidence: ", style="dim")
        facts.append_text(evidence_text(ind))
        if not by_condition:
            facts.append("\nInvasiveness: ", style="dim")
            facts.append(f"{t.invasiveness.rank}/4 {t.invasiveness}")
            facts.append("  Relief: ", style="dim")
            facts.append(relief_words(t, ind))
        if brief:
            cards.append(Group(head, Padding(facts, (0, 0, 0, 3))))
            continue
        body = Text(ind.note)
        if ind.disagreement:
            body.append(f"\nSources disagree: {ind.disagreement}", style="italic")
        body.append(f"\nSources: {', '.join(ind.sources)}", style="dim")
        cards.append(Group(head, Padding(Group(facts, body), (0, 0, 0, 3))))
    return Group(*cards)


def conditions_table(cat: Catalogue, counts: dict[str, tuple[int, int]]) -> SimpleTable:
    return SimpleTable(
        ["id", "name", "region", "pain type", "options", "against"],
        [
            [
                c.id,
                c.name,
                ", ".join(c.regions),
                c.pain_type,
                str(counts[c.id][0]),
                str(counts[c.id][1]),
            ]
            for c in cat.conditions.values()
        ],
    )


def sources_list(sources: Iterable[Source]) -> Text:
    """One line per reference: a table would fold the URLs that people need whole."""
    return Text("\n").join(source_line(s) for s in sources)
