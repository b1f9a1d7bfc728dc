"""Pictures of catalogue data: a relief timeline, an invasiveness ladder and the
stepped pathway for a condition (as a Rich tree and as Mermaid). Nothing here prints.

Every picture is built only from catalogue data. Its meaning never depends on colour:
bars differ by character, and every bar is followed by its numbers in words, so the
output reads the same with NO_COLOR, on a dumb terminal and through a pipe.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import singledispatch
from itertools import pairwise

from rich.cells import cell_len, set_cell_size
from rich.console import Group
from rich.text import Text
from rich.tree import Tree

from painopts.layout import PROSE_WIDTH, Hanging, Tail, Tidy
from painopts.models import (
    Catalogue,
    Condition,
    Indication,
    Invasiveness,
    PrerequisiteKind,
    Technique,
    TimeUnit,
)
from painopts.pathway import CARE, Edge, Pathway, Stage, Step, build_pathway
from painopts.styles import AGAINST, AGAINST_HEADING, stance_text
from painopts.views import PathwayView, View
from painopts.wording import TEST_NOT_TREATMENT, duration_words, level_title

# --- the time axis ----------------------------------------------------------------

MIN_WIDTH = 40
"""The narrowest ``timeline`` width supported; pass ``max(console.width, MIN_WIDTH)``."""

_MONTH = TimeUnit.MONTHS.days
_YEAR = TimeUnit.YEARS.days

TICKS: tuple[tuple[str, float], ...] = (
    ("1h", TimeUnit.HOURS.days),
    ("1d", 1.0),
    ("1w", 7.0),
    ("1m", _MONTH),
    ("3m", 3 * _MONTH),
    ("6m", 6 * _MONTH),
    ("1y", _YEAR),
    ("2y", 2 * _YEAR),
    ("5y", 5 * _YEAR),
    ("10y", 10 * _YEAR),
)
"""Axis ticks as (label, days). The first is the left edge and the last the right."""

_SEGMENTS = len(TICKS) - 1
# Labels placed first win when two would touch on a narrow axis.
_LABEL_PRIORITY = ("1d", "1m", "1y", "10y", "1w", "6m", "5y", "3m", "2y", "1h")


def axis_position(days: float) -> float:
    """Where *days* falls on the axis, from 0.0 (1 hour or less) to 1.0 (10 years or more).

    See ``axis_column`` for the mapping.
    """
    if math.isnan(days):
        raise ValueError("days must be a number, not NaN")
    if days <= TICKS[0][1]:
        return 0.0
    for i, ((_, lo), (_, hi)) in enumerate(pairwise(TICKS)):
        if days <= hi:
            return (i + math.log(days / lo) / math.log(hi / lo)) / _SEGMENTS
    return 1.0


def axis_column(days: float, width: int) -> int:
    """The column (0 .. width-1) of *days* on a piecewise-logarithmic axis, 1 hour .. 10 years.

    The axis is cut at its ten ticks: 1h (left edge), 1d, 1w, 1m, 3m, 6m, 1y, 2y, 5y and
    10y (right edge), where a month is 365.25/12 days and a year 365.25 days. Each of the
    nine intervals between neighbouring ticks gets an equal share of the axis, and within
    an interval the position is logarithmic::

        p = (i + log(days / tick[i]) / log(tick[i+1] / tick[i])) / 9
        column = round(p * (width - 1))        (halves round up)

    so the ticks are evenly spaced (tick k is at column round(k * (width - 1) / 9)). From
    one week upwards every interval is a factor of 2 to 4.3, so that part is close to a
    plain log scale; the first two intervals (x24 and x7) are compressed, which leaves
    room for relief that lasts months or years. Values below 1 hour map to column 0,
    above 10 years to ``width - 1``. The mapping is monotonic (non-decreasing).
    """
    if width < 1:
        raise ValueError("width must be at least 1")
    return int(axis_position(days) * (width - 1) + 0.5)


def tick_columns(width: int) -> list[tuple[str, int]]:
    """Each tick's label and column on an axis *width* columns wide."""
    return [(label, axis_column(days, width)) for label, days in TICKS]


# --- timeline -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Glyphs:
    solid: str
    light: str
    arrow: str
    rule: str
    tick: str
    ellipsis: str


_UNICODE = _Glyphs(solid="█", light="░", arrow="→", rule="─", tick="┬", ellipsis="…")
_ASCII = _Glyphs(solid="=", light="-", arrow=">", rule="-", tick="+", ellipsis="~")
# Options recommended against are drawn with other characters, so that they stand
# apart in plain ASCII and without colour, not only in red.
_UNICODE_AGAINST = _Glyphs(solid="▓", light="▒", arrow="→", rule="─", tick="┬", ellipsis="…")
_ASCII_AGAINST = _Glyphs(solid="x", light=".", arrow=">", rule="-", tick="+", ellipsis="~")
_AGAINST_STYLE = AGAINST

_SOLID_STYLE = "cyan"
_LIGHT_STYLE = "cyan dim"


def _fit(text: str, width: int, ellipsis: str) -> str:
    """*text* padded or cut to exactly *width* cells, marking a cut with *ellipsis*."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + ellipsis


def _wrap_parts(parts: Sequence[str], width: int, sep: str = ", ") -> list[str]:
    """Join *parts* with *sep* into lines of at most *width* cells, breaking between
    parts (and inside a part only when it is longer than a line). A line that breaks
    after a part keeps the separator's punctuation (", " leaves a comma)."""
    tail = sep.rstrip()
    lines: list[str] = []
    current = ""
    for i, part in enumerate(parts):
        piece = part + (tail if i < len(parts) - 1 else "")
        candidate = current + sep[len(tail) :] + piece if current else piece
        if cell_len(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        chunks = textwrap.wrap(piece, width) or [""]
        lines.extend(chunks[:-1])
        current = chunks[-1]
    if current:
        lines.append(current)
    return lines


def _span_days(t: Technique) -> tuple[float, float, float | None]:
    """(start, end of solid part, end of bar or None when open-ended), in days."""
    onset_max = t.onset.max_days if t.onset.max_days is not None else t.onset.min_days
    if t.relief is None:
        return t.onset.min_days, onset_max, onset_max
    relief_max = t.relief.max_days
    end = None if relief_max is None or t.onset.open_ended else onset_max + relief_max
    return t.onset.min_days, onset_max + t.relief.min_days, end


def _bar(t: Technique, axis_w: int, g: _Glyphs, against: bool = False) -> Text:
    """The bar of *t* on an axis *axis_w* wide, without trailing space."""
    start_d, solid_d, end_d = _span_days(t)
    c0 = axis_column(start_d, axis_w)
    c1 = max(c0, axis_column(solid_d, axis_w))
    if end_d is None:
        c2 = axis_w - 1
    else:
        c2 = max(c1, axis_column(end_d, axis_w))
    solid_style, light_style = (
        (_AGAINST_STYLE, _AGAINST_STYLE) if against else (_SOLID_STYLE, _LIGHT_STYLE)
    )
    bar = Text(" " * c0)
    bar.append(g.solid * (c1 - c0 + 1), style=solid_style)
    bar.append(g.light * (c2 - c1), style=light_style)
    if end_d is None:
        bar.right_crop(1)
        bar.append(g.arrow, style=solid_style)
    return bar


def _axis_lines(indent: int, axis_w: int, g: _Glyphs) -> tuple[str, str]:
    ticks = tick_columns(axis_w)
    rule = [g.rule] * axis_w
    for _, col in ticks:
        rule[col] = g.tick
    labels = [" "] * axis_w
    taken = [False] * axis_w
    where = dict(ticks)
    for label in _LABEL_PRIORITY:
        start = min(where[label], axis_w - len(label))
        lo, hi = max(0, start - 1), min(axis_w, start + len(label) + 1)
        if start < 0 or any(taken[lo:hi]):
            continue
        labels[start : start + len(label)] = label
        for i in range(start, start + len(label)):
            taken[i] = True
    pad = " " * indent
    return pad + "".join(rule), (pad + "".join(labels)).rstrip()


def timeline(
    rows: Sequence[tuple[str, Technique]],
    width: int,
    *,
    plain: bool = False,
    indications: Mapping[str, Indication] | None = None,
    against: Sequence[tuple[str, Technique, Indication]] = (),
    closing: Sequence[str] = (),
) -> Text:
    """One bar per technique on one shared time axis, at most *width* cells per line.

    Each line holds the label (cut with an ellipsis when longer than a quarter of the
    width), then the bar: solid from the earliest onset until the latest onset plus the
    shortest typical relief, lighter up to the latest onset plus the longest typical
    relief, and an arrow at the right edge when relief is open-ended. The numbers
    follow in words on the same line when they fit, else on the next line(s) under the
    bar. Then the axis, its tick labels and a legend. ``plain`` draws with ASCII only.
    With *indications* (technique id -> its indication for one condition) each bar's
    words start with the stance. Options recommended against (*against*) are drawn
    apart, below the others under a line of their own, with other characters and
    their stance written beside the bar. *closing* lines end the chart.
    Raises ValueError when *width* is below ``MIN_WIDTH``; nothing to draw and no
    closing lines gives empty text.
    """
    if width < MIN_WIDTH:
        raise ValueError(f"timeline width must be at least {MIN_WIDTH}, got {width}")
    every = [*rows, *((label, t) for label, t, _ in against)]
    if not every:
        return Text("\n".join(closing))
    # Every label counts for the width, drawn or not, so that a chart keeps its
    # geometry whichever options a filter leaves in it.
    label_w = min(max(cell_len(label) for label, _ in every), max(10, width // 4))
    tests = [label for label, t in every if t.relief is None]
    rows = [(label, t) for label, t in rows if t.relief is not None]
    against = [(label, t, ind) for label, t, ind in against if t.relief is not None]
    if not rows and not against:
        return Text("\n".join([*_tests_line(tests, width), *closing]))
    g = _ASCII if plain else _UNICODE
    ga = _ASCII_AGAINST if plain else _UNICODE_AGAINST
    axis_x = label_w + 1
    axis_w = width - axis_x
    lines: list[Text] = []

    def draw(label: str, t: Technique, ind: Indication | None, apart: bool) -> None:
        glyphs = ga if apart else g
        line = Text(_fit(label, label_w, glyphs.ellipsis), style="bold")
        line.append(" ")
        line.append_text(_bar(t, axis_w, glyphs, against=apart))
        words = duration_words(t, ind)
        inline = ", ".join(words)
        if line.cell_len + 1 + len(inline) <= width:
            line.append(" " + inline)
            lines.append(line)
            return
        lines.append(line)
        lines.extend(Text(" " * axis_x + w) for w in _wrap_parts(words, axis_w))

    for label, t in rows:
        draw(label, t, (indications or {}).get(t.id), False)
    if against:
        lines.extend(
            Text(w, style=AGAINST_HEADING)
            for w in _wrap_parts(
                [f"Recommended against, drawn apart ({ga.solid}{ga.light}); not options:"], width
            )
        )
        for label, t, ind in against:
            draw(label, t, ind, True)
    rule, labels = _axis_lines(axis_x, axis_w, g)
    lines += [Text(rule, style="dim"), Text(labels, style="dim")]
    legend = [
        "axis: time after the procedure",
        f"{g.solid} onset to shortest relief",
        f"{g.light} up to longest relief",
        f"{g.arrow} open-ended",
    ]
    if against:
        legend.append(f"{ga.solid}{ga.light} recommended against")
    lines.extend(Text(w, style="dim") for w in _wrap_parts(legend, width, sep="   "))
    lines.extend(Text(w) for w in _tests_line(tests, width))
    for note in closing:
        lines.extend(Text(w) for w in _wrap_parts([note], width))
    out = Text("\n").join(lines)
    out.no_wrap = True
    out.overflow = "crop"
    return out


def _tests_line(labels: Sequence[str], width: int) -> list[str]:
    """Diagnostic tests get no bar: they are not treatments and give no relief."""
    if not labels:
        return []
    return _wrap_parts([f"Not drawn ({TEST_NOT_TREATMENT}): " + ", ".join(labels)], width)


# --- ladder -------------------------------------------------------------------------


def _technique_line(t: Technique) -> Text:
    line = Text(t.name)
    line.append(f" [{t.id}]", style="dim")
    return line


def ladder(options: Sequence[tuple[Technique, Indication]], closing: Sequence[str] = ()) -> Group:
    """*options* grouped by invasiveness, lowest level first, keeping their order within
    a level. Each group is headed by the level number and name, then its plain meaning;
    each option reads "- name [id]  stance". *closing* lines end it (what was left
    out). No options and no closing lines gives an empty group."""
    parts: list[Text | Hanging] = []
    for level in Invasiveness:
        items = [(t, ind) for t, ind in options if t.invasiveness is level]
        if not items:
            continue
        if parts:
            parts.append(Text(""))
        parts.append(Text(level_title(level), style="bold"))
        parts.append(Hanging("", Text(level.meaning, style="dim"), indent=2))
        for t, ind in items:
            parts.append(Hanging("- ", Tail(_technique_line(t), stance_text(ind.stance)), indent=2))
    if closing and parts:
        parts.append(Text(""))
    parts.extend(Text(line) for line in closing)
    return Group(*parts)


# --- pathway ------------------------------------------------------------------------


def _stage_heading(number: int | None, stage: Stage) -> Text:
    prefix = f"{number}. " if number is not None else ""
    style = AGAINST_HEADING if stage.kind == "against" else "bold"
    return Text(prefix + stage.title, style=style)


def _numbered(stages: Iterable[Stage]) -> list[tuple[int | None, Stage]]:
    out: list[tuple[int | None, Stage]] = []
    n = 0
    for stage in stages:
        if stage.kind == "against":
            out.append((None, stage))
        else:
            n += 1
            out.append((n, stage))
    return out


def _step_text(s: Step) -> Text:
    if s.technique is None:
        line = Text(f"[{s.technique_id}]")
        line.append("  not in this catalogue", style="dim")
        return line
    line = _technique_line(s.technique)
    line.append("  ")
    if s.indication is None:
        line.append("named as a prerequisite", style="dim")
    else:
        line.append_text(stance_text(s.indication.stance))
    return line


_AFTER_KINDS = (
    PrerequisiteKind.DIAGNOSTIC_BLOCK,
    PrerequisiteKind.TRIAL,
    PrerequisiteKind.CONSERVATIVE_CARE,
)


def _prerequisite_text(edge: Edge) -> Text:
    p = edge.prerequisite
    head = "after " if p.kind in _AFTER_KINDS else "needs "
    head += edge.label
    if p.technique is not None:
        head += f" [{p.technique}]"
    out = Text(head + ": ", style="dim")
    out.append(p.text)
    return out


def pathway_tree(route: Pathway) -> Tree:
    """*route* as a Rich tree: a branch per stage, a leaf per step, and each step's
    prerequisites as leaves below it."""
    c = route.condition
    root = Text(c.name, style="bold")
    root.append(f" [{c.id}]", style="dim")
    root.append(": stepped route from the catalogue")
    tree = Tree(root)
    by_target: dict[str, list[Edge]] = {}
    for e in route.edges:
        by_target.setdefault(e.target, []).append(e)
    has_procedures = False
    for number, stage in _numbered(route.stages):
        branch = tree.add(_stage_heading(number, stage))
        if stage.kind == "conservative":
            for item in c.first_line:
                branch.add(Text(item))
            continue
        has_procedures = True
        for s in stage.steps:
            leaf = branch.add(_step_text(s))
            for e in by_target.get(s.key, []):
                leaf.add(_prerequisite_text(e))
    if not has_procedures:
        tree.add(Text("No procedure in this catalogue is supported for this condition."))
    if c.interventional_note:
        tree.add(Text(c.interventional_note, style="italic"))
    return tree


def pathway(cat: Catalogue, condition: Condition) -> Tidy:
    """The stepped route for *condition* as a Rich tree (see ``build_pathway``): its
    steps are sentences, so it is no wider than prose, and no spaces are left at the
    ends of wrapped lines."""
    return Tidy(pathway_tree(build_pathway(cat, condition)), cap=PROSE_WIDTH)


# --- Mermaid ------------------------------------------------------------------------

# Mermaid entity codes (``#<decimal>;``) for every character that could end a quoted
# label, start markup, or be read as an entity. "#" goes first so codes stay intact.
_MERMAID_ESCAPES = {
    ord("#"): "#35;",
    ord('"'): "#34;",
    ord("&"): "#38;",
    ord("<"): "#60;",
    ord(">"): "#62;",
    ord("["): "#91;",
    ord("]"): "#93;",
    ord("{"): "#123;",
    ord("}"): "#125;",
    ord("|"): "#124;",
    ord("`"): "#96;",
}


def mermaid_text(text: str) -> str:
    """*text* made safe inside a quoted Mermaid label: whitespace runs become one space
    and special characters become Mermaid entity codes."""
    return " ".join(text.split()).translate(_MERMAID_ESCAPES)


def mermaid_id(key: str) -> str:
    """A node key ("t:lumbar-rfa") as a Mermaid identifier ("t_lumbar_rfa")."""
    out = "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in key)
    return out if out[:1].isalpha() else "n_" + out


def _label(*lines: str) -> str:
    return '"' + "<br/>".join(mermaid_text(line) for line in lines) + '"'


def _mermaid_step(s: Step) -> str:
    if s.technique is None:
        return _label(f"({s.technique_id})", "not in this catalogue")
    what = "named as a prerequisite" if s.indication is None else s.indication.stance.label
    return _label(f"{s.technique.name} ({s.technique_id})", what)


RED_FLAGS_TITLE = "First: get urgent medical help if any of these occur"


def pathway_to_mermaid(route: Pathway) -> str:
    """*route* as a Mermaid ``flowchart TD``: a subgraph per stage (the stages chained
    in order), a node per step, prerequisites as labelled edges, and a separate
    subgraph for options recommended against. Ends with a newline."""
    c = route.condition
    out = ["flowchart TD", f"    %% {mermaid_text(c.name)} ({c.id}): stepped route"]
    own_nodes: dict[str, list[Edge]] = {}
    for e in route.edges:
        if e.source.startswith("p:"):
            own_nodes.setdefault(e.target, []).append(e)
    chain: list[str] = []
    if c.red_flags:
        # Red flags come before the route, as on every page about the condition: a
        # flowchart pasted on its own must not start at "keep active" when the reader
        # needs an emergency department today.
        out.append(f"    subgraph redflags[{_label(RED_FLAGS_TITLE)}]")
        out.append(f"        flags[{_label(*c.red_flags)}]")
        out.append("    end")
        chain.append("redflags")
    for number, stage in _numbered(route.stages):
        if stage.kind == "against":
            sid = "against"
        else:
            sid = f"stage{number}"
            chain.append(sid)
        title = f"{number}. {stage.title}" if number is not None else stage.title
        out.append(f"    subgraph {sid}[{_label(title)}]")
        if stage.kind == "conservative":
            out.append(f"        {CARE}[{_label(*c.first_line)}]")
        for s in stage.steps:
            out.append(f"        {mermaid_id(s.key)}[{_mermaid_step(s)}]")
            for e in own_nodes.get(s.key, []):
                p = e.prerequisite
                text = f"{p.kind.value.replace('-', ' ')}: {p.text}"
                out.append(f"        {mermaid_id(e.source)}[{_label(text)}]")
        out.append("    end")
    out += [f"    {a} --> {b}" for a, b in pairwise(chain)]
    out += [
        f"    {mermaid_id(e.source)} -->|{mermaid_text(e.label)}| {mermaid_id(e.target)}"
        for e in route.edges
    ]
    return "\n".join(out) + "\n"


def pathway_mermaid(cat: Catalogue, condition: Condition) -> str:
    """The stepped route for *condition* as Mermaid flowchart source (see
    ``build_pathway``), ready for a fenced ```mermaid block."""
    return pathway_to_mermaid(build_pathway(cat, condition))


@singledispatch
def to_mermaid(view: View) -> str:
    """A view as Mermaid source; only the pathway is a graph."""
    raise TypeError(f"no Mermaid for {type(view).__name__}")


@to_mermaid.register
def _(view: PathwayView) -> str:
    return pathway_to_mermaid(view.route)
