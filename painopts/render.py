"""Turn query results into Rich renderables. Nothing here prints.

Every piece of catalogue text goes in as ``Text`` (never as a markup string), so a
``[bold]`` or ``[link=...]`` written in a catalogue is shown, not interpreted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.text import Text

if TYPE_CHECKING:
    from rich.table import Table

from painopts.layout import (
    NAME_SHARE,
    PROSE_WIDTH,
    STACK_BELOW,
    Hanging,
    Tail,
    Tidy,
    Url,
    cell_floor,
    prose,
    wrap_cells,
)
from painopts.models import Catalogue, Condition, Indication, Source, Technique
from painopts.queries import (
    ConditionList,
)
from painopts.styles import AGAINST_HEADING, stance_text
from painopts.textsafe import shown
from painopts.wording import (
    NONE_MATCH,
    NOT_SUPPORTED,
    NOTICE,
    QUESTIONS,
    bleeding_label,
    citation,
    evidence_short,
    evidence_words,
    level_name,
    relief_words,
    stance_words,
)


def txt(value: object, style: str = "") -> Text:
    return Text(str(value), style=style)


def notice() -> Hanging:
    return prose(Text(NOTICE, style="dim italic"))


def evidence_text(ind: Indication) -> Text:
    return Text(evidence_words(ind))


class SimpleTable:
    """A table of short plain cells, first column bold, drawn as aligned text.

    Cells wrap only between words (or after a hyphen between letters), never inside
    one. The name column gets its share of the width first; then the width goes to
    the column with most text still to show. Below ``STACK_BELOW`` columns, or when
    even whole words do not fit, each row becomes a small block of "label: value"
    lines. Widths are measured in terminal cells, so an accented letter or a wide
    character changes nothing but its own cell.
    """

    def __init__(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        keep: Sequence[int] = (),
        grow_first: int = 1,
        trailing_blank: bool = True,
    ) -> None:
        self.headers = list(headers)
        self.rows = [list(r) for r in rows]
        # Columns that wrap only as a last resort: a stance read as "not" on one line
        # and "recommended" on the next is easy to misread.
        self.keep = set(keep)
        self.grow_first = grow_first
        self.trailing_blank = trailing_blank

    def widths(self, max_width: int) -> tuple[list[int], str] | None:
        """Column widths and the gap between columns for *max_width*, or None when
        the rows should stack."""
        if max_width < STACK_BELOW:
            return None
        columns = [[h, *(r[i] for r in self.rows)] for i, h in enumerate(self.headers)]
        natural = [max(cell_len(line) for c in col for line in c.split("\n")) for col in columns]
        # Ids (the first column) never break: an id is what the reader types next, so
        # when the rows cannot keep every id whole they stack instead.
        gap = "  "
        room = max_width - len(gap) * (len(columns) - 1)
        floors = [
            natural[i] if i in self.keep else cell_floor(col, hyphens=bool(i))
            for i, col in enumerate(columns)
        ]
        floors[0] = natural[0]
        if sum(floors) > room:
            return None
        widths = floors
        spare = room - sum(widths)
        g = self.grow_first
        if 0 <= g < len(widths):
            grow = max(0, min(spare, min(natural[g], NAME_SHARE) - widths[g]))
            widths[g] += grow
            spare -= grow
        while spare > 0:
            deficit = [n - w for n, w in zip(natural, widths, strict=True)]
            most = max(deficit)
            if most <= 0:
                break
            widths[deficit.index(most)] += 1
            spare -= 1
        return widths, gap

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        laid = self.widths(options.max_width)
        if laid is None:
            yield from self._stacked(console, options)
            return
        widths, gap = laid
        rule = "-" if options.ascii_only else "─"
        lines = [*self._lines(self.headers, widths, gap, header=True)]
        lines.append(Text(rule * (sum(widths) + len(gap) * (len(widths) - 1))))
        for row in self.rows:
            lines += self._lines(row, widths, gap)
        yield from self._block(lines)

    @staticmethod
    def _lines(
        cells: Sequence[str], widths: Sequence[int], gap: str, header: bool = False
    ) -> list[Text]:
        parts = [
            wrap_cells(c, w, hyphens=bool(i) or cell_len(c) > w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        out = []
        for n in range(max(map(len, parts))):
            line = Text()
            for i, width in enumerate(widths):
                cell = parts[i][n] if n < len(parts[i]) else ""
                if i:
                    line.append(gap)
                line.append(cell, style="bold" if header or i == 0 else "")
                line.append(" " * (width - cell_len(cell)))
            line.rstrip()
            out.append(line)
        return out

    def _stacked(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """One block per row: the first cell as its title, then "label: value", each
        value continuing under its own start. Drawn as one Text, wrapped here: a
        Hanging per value cost several milliseconds for the bundled `list`."""
        width = min(options.max_width, PROSE_WIDTH)
        lines: list[Text] = []
        for n, row in enumerate(self.rows):
            if n:
                lines.append(Text(""))
            lines += (Text(part, style="bold") for part in wrap_cells(row[0], width))
            for label, value in zip(self.headers[1:], row[1:], strict=True):
                if not value:
                    continue
                head = f"  {label}: "
                hang = cell_len(head)
                for i, part in enumerate(wrap_cells(value, max(8, width - hang))):
                    line = Text(head, style="dim") if i == 0 else Text(" " * hang)
                    line.append(part)
                    lines.append(line)
        yield from self._block(lines)

    def _block(self, lines: list[Text]) -> RenderResult:
        # One unwrapped Text: every line is already laid out to fit, and Rich's
        # per-line wrapping was most of the cost of the table.
        block = Text("\n").join(lines)
        block.no_wrap = True
        block.overflow = "ignore"
        yield block
        if self.trailing_blank:
            yield Text("")


def condition_option_table(
    options: Sequence[tuple[Technique, Indication]], *, bleeding: bool = False
) -> SimpleTable:
    """Options for one condition: the stance and the evidence in words on every row;
    with *bleeding* (--bleeding-risk), each option's bleeding-risk class too."""
    return SimpleTable(
        ["id", "name", "stance", "evidence", "invasiveness", "relief"]
        + (["bleeding risk"] if bleeding else []),
        [
            [
                t.id,
                t.name,
                stance_words(ind),
                evidence_short(ind),
                level_name(t.invasiveness),
                relief_words(t, ind),
            ]
            + ([bleeding_label(t)] if bleeding else [])
            for t, ind in options
        ],
        keep=[0, 2, 6] if bleeding else [0, 2],
    )


class ByWidth:
    """*wide* when the terminal has at least *columns*, else *narrow*: a six-column
    table folds words apart at 80 columns, while cards read well at any width."""

    def __init__(self, wide: RenderableType, narrow: RenderableType, columns: int) -> None:
        self.wide, self.narrow, self.columns = wide, narrow, columns

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.wide if options.max_width >= self.columns else self.narrow


def _options_block(
    cat: Catalogue | None,
    options: Sequence[tuple[Technique, Indication]],
    bleeding: bool = False,
) -> RenderableType:
    table = condition_option_table(options, bleeding=bleeding)
    table.trailing_blank = False
    if cat is None:
        return Group(Text(""), table)
    cards = option_cards(cat, options, brief=True, bleeding=bleeding)
    return ByWidth(Group(Text(""), table), Group(Text(""), cards), 120)


def condition_list_view(view: ConditionList, cat: Catalogue | None = None) -> Tidy:
    """`list --condition`: the options, then (with --all) those recommended against
    under their own heading, then the lines saying what was left out."""
    c = view.condition
    title = Text(f"Options for {c.name}", style="bold")
    title.append(f"  [{c.id}]", style="dim")
    parts: list[RenderableType] = [prose(title)]
    if view.options:
        parts.append(_options_block(cat, view.options, view.narrowed.by_bleeding))
    elif not view.narrowed.supported:
        parts.append(Text(NOT_SUPPORTED))
    else:
        parts.append(Text(NONE_MATCH))
    if view.against:
        parts += [
            Text(""),
            Text(f"Recommended against for {c.name} (not options)", style=AGAINST_HEADING),
            _options_block(cat, view.against, view.narrowed.by_bleeding),
        ]
    closing = view.closing()
    if closing:
        parts += [Text(""), *(prose(line, style="bold") for line in closing)]
    return Tidy(Group(*parts))


def indication_summary(cat: Catalogue, ind: Indication) -> str:
    cond = cat.conditions.get(ind.condition)
    return f"{cond.name if cond else ind.condition}: {stance_words(ind)}, {evidence_short(ind)}"


SOURCE_HANG = 4


def source_line(s: Source) -> Group:
    """The reference, wrapped under its text, then its URL whole on a line of its own."""
    return Group(
        Hanging(
            Text(f"[{s.id}] ", style="bold"),
            Text(f"{citation(s)} ({s.kind})"),
            hang=SOURCE_HANG,
        ),
        Url(s.url, indent=SOURCE_HANG),
    )


def question(label: str, condition: Condition | None) -> str:
    """The question a comparison row answers; *label* is the field name that CSV keeps
    (condition rows end in " for <condition id>")."""
    if condition is not None and label.endswith(f" for {condition.id}"):
        label = label.removesuffix(f" for {condition.id}")
        return QUESTIONS.get(label, label).format(condition=condition.name)
    return QUESTIONS.get(label, label)


# Below this many cells a column stops being readable; when the techniques do not
# all fit side by side, each question lists them one per line instead.
MIN_COMPARE_COLUMN = 22
QUESTION_COLUMN = 20


class CompareBlock:
    """Techniques side by side when they all fit at a readable width; otherwise one
    block, each question followed by one line per technique, so that no technique
    is a second table far below the first."""

    def __init__(
        self,
        rows: Sequence[tuple[str, Sequence[Text]]],
        ids: Sequence[str],
        condition: Condition | None = None,
    ) -> None:
        self.rows = [(question(label, condition), cells) for label, cells in rows]
        self.ids = list(ids)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        fits = (options.max_width - QUESTION_COLUMN - 2) // MIN_COMPARE_COLUMN
        if len(self.ids) <= fits:
            yield Tidy(self._table())
        else:
            yield from self._by_question()

    def _table(self) -> Table:
        from rich import box
        from rich.table import Table

        table = Table(box=box.SIMPLE_HEAD, show_lines=True, show_edge=False, pad_edge=False)
        table.add_column("", style="bold", max_width=QUESTION_COLUMN)
        for ident in self.ids:
            table.add_column(txt(ident), overflow="fold", ratio=1)
        for label, cells in self.rows:
            table.add_row(txt(label), *map(_hung, cells))
        return table

    def _by_question(self) -> RenderResult:
        width = max(cell_len(i) for i in self.ids) + 2
        for n, (label, cells) in enumerate(self.rows):
            if n:
                yield Text("")
            yield prose(label, style="bold")
            for ident, cell in zip(self.ids, cells, strict=True):
                if not cell.plain:
                    # Not listed for the condition: the first question says so.
                    continue
                marker = Text(ident + " " * (width - cell_len(ident)), style="bold")
                yield Hanging(marker, _one_line(cell), indent=2)


def _hung(cell: Text) -> RenderableType:
    """A cell that is a list, with each item's continuation under its text."""
    lines = cell.split("\n")
    if not any(line.plain.startswith("- ") for line in lines):
        return cell
    return Group(
        *(Hanging("- ", line[2:]) if line.plain.startswith("- ") else line for line in lines)
    )


def _one_line(cell: Text) -> Text:
    """A cell of several lines (a list) as one line, items joined by "; " (by a space
    after an item that ends its own sentence)."""
    items = [line[2:] if line.plain.startswith("- ") else line for line in cell.split("\n")]
    out = Text()
    for n, item in enumerate(items):
        if n:
            out.append(" " if out.plain.endswith((".", "?", "!")) else "; ")
        out.append_text(item)
    return out


def footer(cat: Catalogue) -> Hanging:
    m = cat.meta
    return prose(
        Text(
            f"Catalogue: {m.title} {m.version}, reviewed {m.reviewed}; "
            f"loaded from {shown(', '.join(cat.origins))}.",
            style="dim",
        )
    )


def option_cards(
    cat: Catalogue,
    options: Sequence[tuple[Technique, Indication]],
    *,
    by_condition: bool = False,
    brief: bool = False,
    bleeding: bool = False,
) -> Group:
    """One short block per option: readable at any width, wrapping at word boundaries."""
    cards: list[RenderableType] = []
    for n, (t, ind) in enumerate(options, 1):
        head = Text()
        if by_condition:
            cond = cat.conditions.get(ind.condition)
            head.append(cond.name if cond else ind.condition, style="bold")
            head.append(f" [{ind.condition}]", style="dim")
        else:
            head.append(t.name, style="bold")
            head.append(f" [{t.id}]", style="dim")
        title = Tail(head, stance_text(ind.stance))
        facts = Text("Evidence: ", style="dim")
        facts.append_text(evidence_text(ind))
        if not by_condition:
            facts.append("\nInvasiveness: ", style="dim")
            facts.append(level_name(t.invasiveness))
            facts.append("  Relief: ", style="dim")
            facts.append(relief_words(t, ind))
        if bleeding:
            facts.append("\nBleeding risk: ", style="dim")
            facts.append(bleeding_label(t))
        # The number hangs: the name, the facts and the note all line up after it.
        number = Text(f"{n}. ", style="bold")
        indent = number.cell_len
        if brief:
            cards.append(Group(Hanging(number, title), Hanging("", facts, indent=indent)))
            continue
        body = Text(ind.note)
        if ind.disagreement:
            body.append(f"\nSources disagree: {ind.disagreement}", style="italic")
        body.append(f"\nSources: {', '.join(ind.sources)}", style="dim")
        cards.append(Group(Hanging(number, title), Hanging("", Group(facts, body), indent=indent)))
    return Group(*cards)


def sources_list(sources: Iterable[Source]) -> Tidy:
    """One line per reference: a table would fold the URLs that people need whole."""
    return Tidy(Group(*(source_line(s) for s in sources)))
