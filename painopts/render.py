"""Turn query results into Rich renderables. Nothing here prints.

Every piece of catalogue text goes in as ``Text`` (never as a markup string), so a
``[bold]`` or ``[link=...]`` written in a catalogue is shown, not interpreted.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import ControlType, Segment
from rich.style import Style
from rich.text import Text

if TYPE_CHECKING:
    from rich.table import Table

from painopts.models import Catalogue, Condition, Indication, Source, Stance, Technique
from painopts.queries import (
    ConditionList,
)
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

STANCE_STYLE = {
    Stance.RECOMMENDED: "green",
    Stance.MAY_BE_CONSIDERED: "yellow",
    Stance.NOT_RECOMMENDED: "red",
}


def txt(value: object, style: str = "") -> Text:
    return Text(str(value), style=style)


def notice() -> Hanging:
    return prose(Text(NOTICE, style="dim italic"))


def heading(title: str) -> Text:
    return Text(title, style="bold underline")


def stance_text(stance: Stance) -> Text:
    # The word itself carries the meaning; colour only repeats it.
    return Text(stance.label, style=STANCE_STYLE[stance])


def evidence_text(ind: Indication) -> Text:
    return Text(evidence_words(ind))


# --- layout primitives ---------------------------------------------------------------

# Prose longer than this is hard to follow from one line to the next, however wide
# the terminal.
PROSE_WIDTH = 100
# Below this many columns, tables become one small block per record.
STACK_BELOW = 70
# The share of a row that a name column takes before other columns widen.
NAME_SHARE = 32


def _rstrip(line: list[Segment]) -> list[Segment]:
    """*line* without trailing spaces: a pipe gets no padding to clean up."""
    out = list(line)
    while out and not out[-1].control:
        text = out[-1].text.rstrip(" ")
        if text:
            out[-1] = Segment(text, out[-1].style)
            break
        out.pop()
    return out


def _lines_of(
    console: Console, renderable: RenderableType, options: ConsoleOptions
) -> list[list[Segment]]:
    """Rendered lines, uncropped (a URL may run past the edge) and right-stripped."""
    lines = Segment.split_lines(console.render(renderable, options))
    return [_rstrip(line) for line in lines]


class Tidy:
    """*renderable* with trailing spaces removed from every line (tables and padding
    fill lines with spaces that a pipe would keep), at most *cap* cells wide."""

    def __init__(self, renderable: RenderableType, cap: int | None = None) -> None:
        self.renderable, self.cap = renderable, cap

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.cap is not None and options.max_width > self.cap:
            options = options.update_width(self.cap)
        for line in _lines_of(console, self.renderable, options):
            yield from line
            yield Segment.line()


class Hanging:
    """*marker* ("- ", "3. ", or nothing) then *body*, wrapped at most
    ``PROSE_WIDTH`` wide, with continuation lines indented under the body's first
    character rather than under the marker."""

    def __init__(
        self,
        marker: Text | str,
        body: RenderableType,
        *,
        indent: int = 0,
        cap: int = PROSE_WIDTH,
        hang: int | None = None,
    ) -> None:
        self.marker = marker if isinstance(marker, Text) else Text(marker)
        self.body, self.indent, self.cap, self.hang = body, indent, cap, hang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        body, marker, hang = self.body, self.marker, self.marker.cell_len
        if self.hang is not None and isinstance(body, Text):
            # A long marker (a source id) would leave a sliver of text: the text
            # follows it on the first line and continues *hang* cells in.
            body, marker, hang = Text.assemble(marker, body), Text(), self.hang
        width = max(8, min(options.max_width, self.cap) - self.indent - hang)
        inner = options.update(width=width, max_width=width)
        for n, line in enumerate(_lines_of(console, body, inner)):
            out = [Segment(" " * self.indent)]
            if n == 0:
                out += marker.render(console)
            elif line:
                out.append(Segment(" " * hang))
            yield from _rstrip(out + line)
            yield Segment.line()


class Tail:
    """*text*, then *tail* after two spaces; the tail is never split across lines
    (a stance read as "not" on one line and "recommended" on the next is easy to
    misread), so it moves whole to a line of its own when it does not fit."""

    def __init__(self, text: Text, tail: Text) -> None:
        self.text, self.tail = text, tail

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        lines = list(self.text.wrap(console, width))
        last = lines[-1]
        last.rstrip()
        if last.cell_len + 2 + self.tail.cell_len <= width:
            last.append("  ")
            last.append_text(self.tail)
        else:
            lines.append(self.tail.copy())
        for line in lines:
            line.rstrip()
            line.no_wrap, line.overflow = True, "ignore"
            yield line


def prose(text: Text | str, style: str = "") -> Hanging:
    """A paragraph wrapped at words, no wider than ``PROSE_WIDTH``."""
    return Hanging("", text if isinstance(text, Text) else Text(text, style=style))


def _hyperlinks(console: Console) -> bool:
    """Whether *console* is a terminal known to show OSC 8 links. Others print the
    escape sequence as junk, and a pipe or a file must get the bare URL."""
    if not console.is_terminal or console.is_dumb_terminal or console.color_system is None:
        return False
    env = os.environ
    forced = env.get("FORCE_HYPERLINK")
    if forced is not None:
        return forced not in ("", "0")
    if env.get("TERM_PROGRAM") in {"iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper"}:
        return True
    if env.get("TERM", "") in {"xterm-kitty", "xterm-ghostty", "alacritty", "wezterm", "foot"}:
        return True
    if any(name in env for name in ("WT_SESSION", "KONSOLE_VERSION", "DOMTERM")):
        return True
    vte = env.get("VTE_VERSION", "")
    return vte.isdigit() and int(vte) >= 5000


# Rich crops every printed line to the terminal width; a segment carrying a control
# code is never cropped, so a long URL stays whole (the terminal wraps it for the eye
# without breaking it for copy and paste).
_WHOLE = ((ControlType.BELL,),)


class Url:
    """A URL on a line of its own, never wrapped, never cropped; an OSC 8 hyperlink
    where the terminal shows them."""

    def __init__(self, url: str, indent: int = 0) -> None:
        # A control segment bypasses Rich's own stripping of control characters, so
        # the URL is made safe here even though the loader already refuses them.
        self.url, self.indent = shown(url), indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        style = Style(dim=True, link=self.url if _hyperlinks(console) else None)
        if self.indent:
            yield Segment(" " * self.indent)
        yield Segment(self.url, style, _WHOLE)
        yield Segment.line()


# Where a cell may break besides spaces: after a hyphen between letters
# ("minimally-invasive"), never inside "6-12".
_HYPHEN = re.compile(r"(?<=[^\W\d_]-)(?=[^\W\d_])")


def _tokens(text: str, hyphens: bool) -> list[tuple[str, bool]]:
    """Unbreakable pieces of *text*, each with whether a space goes before it."""
    out: list[tuple[str, bool]] = []
    for word in text.split():
        parts = _HYPHEN.split(word) if hyphens else [word]
        out += [(p, j == 0 and bool(out)) for j, p in enumerate(parts)]
    return out


def wrap_cells(text: str, width: int, *, hyphens: bool = True) -> list[str]:
    """*text* in lines of at most *width* terminal cells, broken only between words
    (or after a hyphen between letters); a piece wider than *width* stays whole."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for piece, space in _tokens(para, hyphens):
            joined = line + (" " if space and line else "") + piece
            if line and cell_len(joined) > width:
                lines.append(line)
                line = piece
            else:
                line = joined
        lines.append(line)
    return lines


def _floor(cells: Iterable[str], hyphens: bool) -> int:
    return max((cell_len(p) for c in cells for p, _ in _tokens(c, hyphens)), default=0)


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
        # Ids (the first column) break at their hyphens only when nothing else fits.
        for gap, id_hyphens in (("  ", False), ("  ", True)):
            room = max_width - len(gap) * (len(columns) - 1)
            floors = [
                natural[i] if i in self.keep else _floor(col, hyphens=bool(i) or id_hyphens)
                for i, col in enumerate(columns)
            ]
            if sum(floors) <= room:
                break
        else:
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
            Text(f"Recommended against for {c.name} (not options)", style="bold red"),
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
