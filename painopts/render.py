"""Turn query results into Rich renderables. Nothing here prints.

Every piece of catalogue text goes in as ``Text`` (never as a markup string), so a
``[bold]`` or ``[link=...]`` written in a catalogue is shown, not interpreted.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from painopts.models import Catalogue, Indication, Source, Stance, Technique
from painopts.queries import (
    ConditionOptions,
    SearchHit,
    format_duration,
    technique_source_ids,
)
from painopts.textsafe import shown

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
    ev = ind.evidence
    return Text(f"{ev.strength.value} ({ev.grade}; {ev.system})")


def _by_stance(item: tuple[Technique, Indication]) -> tuple[int, int]:
    return (item[1].stance.rank, -item[1].evidence.strength.rank)


def relief_text(t: Technique) -> str:
    return format_duration(t.relief)


class SimpleTable:
    """A table of short plain cells, first column bold, laid out like Rich's SIMPLE_HEAD.

    Drawn as one block of aligned text; when the table is wider than the terminal,
    the columns with most slack wrap (at spaces and hyphens) until it fits. Measured at
    about 1-4 ms for the bundled `list` against 18-25 ms for a Rich Table, which is a
    tenth of painopts' whole start-up. If even the longest words cannot fit, a Rich
    Table takes over.
    """

    MIN_COLUMN = 6

    def __init__(self, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        self.headers = list(headers)
        self.rows = [list(r) for r in rows]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        columns = [[h, *(r[i] for r in self.rows)] for i, h in enumerate(self.headers)]
        if not all(c.isascii() and "\n" not in c for col in columns for c in col):
            yield self._rich_table()
            return
        widths = [max(map(len, col)) for col in columns]
        # Shrink to whole words first; then, like Rich's "fold", break words, down to
        # a few characters a column.
        words = [max(len(w) for c in col for w in _PIECES.split(c) if w) for col in columns]
        gaps = 2 + 3 * (len(widths) - 1) + 2
        for floors in (words, [min(f, self.MIN_COLUMN) for f in words]):
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


def technique_list(techniques: Iterable[Technique]) -> SimpleTable:
    return SimpleTable(
        ["id", "name", "category", "invasiveness", "typical relief"],
        [
            [t.id, t.name, t.category, f"{t.invasiveness.rank} {t.invasiveness}", relief_text(t)]
            for t in techniques
        ],
    )


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


def technique_detail(cat: Catalogue, t: Technique) -> Group:
    title = Text(t.name, style="bold")
    title.append(f"  [{t.id}]", style="dim")
    parts: list[RenderableType] = [title]
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
                ("Duration of relief", _with_note(format_duration(t.relief), t.relief.note)),
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
            return txt(format_duration(t.relief))
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
    cat: Catalogue, found: ConditionOptions, charts: Sequence[RenderableType] = ()
) -> Group:
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
    if found.options:
        parts.append(option_cards(cat, found.options))
    else:
        parts.append(Text("No procedure in this catalogue is supported for this condition."))
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
    cat: Catalogue, options: Sequence[tuple[Technique, Indication]], *, by_condition: bool = False
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
            facts.append(relief_text(t))
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
