"""The pictures in painopts.visual: time axis, timeline, ladder, pathway tree and Mermaid."""

from __future__ import annotations

import dataclasses
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console, RenderableType

from painopts import pathway, visual, wording
from painopts.loader import load_catalogue
from painopts.models import (
    Catalogue,
    Condition,
    Prerequisite,
    PrerequisiteKind,
    Purpose,
    Technique,
    TimeUnit,
)
from painopts.queries import options_for

VISUAL = Path(__file__).parent / "fixtures" / "visual"
MONTH = TimeUnit.MONTHS.days
YEAR = TimeUnit.YEARS.days


@pytest.fixture(scope="session")
def cat() -> Catalogue:
    return load_catalogue([VISUAL], bundled=False)


@pytest.fixture(scope="session")
def bundled() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def back_pain(cat: Catalogue) -> Condition:
    return cat.conditions["back-pain"]


def rows_of(cat: Catalogue) -> list[tuple[str, Technique]]:
    return [(t.id, t) for t in cat.techniques.values()]


def render_raw(renderable: RenderableType, width: int) -> list[str]:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.export_text().splitlines()


def render(renderable: RenderableType, width: int) -> str:
    """Plain text as a piped, colourless terminal shows it; padding spaces dropped."""
    return "\n".join(line.rstrip() for line in render_raw(renderable, width)) + "\n"


def with_technique(cat: Catalogue, t: Technique) -> Catalogue:
    return dataclasses.replace(cat, techniques={**cat.techniques, t.id: t})


# --- the axis -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "column"),
    [
        (1 / 24, 0),
        (1.0, 7),
        (7.0, 13),
        (14.0, 16),  # inside 1w..1m: log(2)/log(30.44/7) = 0.47 of the way
        (MONTH, 20),
        (3 * MONTH, 26),
        (6 * MONTH, 33),
        (YEAR, 39),
        (2 * YEAR, 46),
        (5 * YEAR, 52),
        (10 * YEAR, 59),
        (0.0, 0),  # clamped below
        (-5.0, 0),
        (1e-9, 0),
        (100 * YEAR, 59),  # clamped above
        (math.inf, 59),
    ],
)
def test_axis_maps_known_durations_to_columns_at_width_60(days: float, column: int) -> None:
    assert visual.axis_column(days, 60) == column


def test_ticks_are_evenly_spaced() -> None:
    assert visual.tick_columns(60) == [
        ("1h", 0),
        ("1d", 7),
        ("1w", 13),
        ("1m", 20),
        ("3m", 26),
        ("6m", 33),
        ("1y", 39),
        ("2y", 46),
        ("5y", 52),
        ("10y", 59),
    ]
    assert [label for label, _ in visual.TICKS] == [
        "1h",
        "1d",
        "1w",
        "1m",
        "3m",
        "6m",
        "1y",
        "2y",
        "5y",
        "10y",
    ]


@pytest.mark.parametrize("width", [1, 2, 29, 40, 60, 80, 119, 120])
def test_axis_is_monotonic_and_stays_in_range(width: int) -> None:
    grid = [10 ** (k / 50) for k in range(-150, 250)]  # 1e-3 .. 1e5 days
    columns = [visual.axis_column(d, width) for d in grid]
    assert columns == sorted(columns)
    assert columns[0] == 0
    assert columns[-1] == width - 1
    assert all(0 <= c < width for c in columns)


def test_axis_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        visual.axis_column(math.nan, 60)
    with pytest.raises(ValueError):
        visual.axis_column(1.0, 0)


# --- timeline -----------------------------------------------------------------------

TIMELINE_60 = """\
mbb         ███░░ onset 1 hour, relief 2-8 hours
esi                ███████████░░░░
            onset 2-7 days,
            relief 1-3 months (no condition's evidence
            points to benefit)
rfa                   ██████████████████░░░░░
            onset 1-3 weeks, relief 6-12 months
scs              ███████████████████████████░░░░░░░░░░░░░░░→
            onset 1-7 days, relief 1+ years (open-ended)
fusion                      ██████████████████████░░░░░░░░░→
            onset 1-3 months, relief 2+ years (open-ended)
            ┬────┬────┬─────┬────┬────┬────┬─────┬────┬────┬
            1h   1d   1w    1m   3m   6m   1y    2y   5y 10y
axis: time after the procedure   █ onset to shortest relief
░ up to longest relief   → open-ended
Not drawn (diagnostic test, not a treatment): discography
"""

TIMELINE_40_PLAIN = """\
mbb        ==-
           onset 1 hour,
           relief 2-8 hours
esi            =======---
           onset 2-7 days,
           relief 1-3 months (no
           condition's evidence points
           to benefit)
rfa              ===========---
           onset 1-3 weeks,
           relief 6-12 months
scs           =================-------->
           onset 1-7 days,
           relief 1+ years (open-ended)
fusion              ==============----->
           onset 1-3 months,
           relief 2+ years (open-ended)
           +--+--+--+--+---+--+--+--+--+
           1h 1d 1w 1m 3m  6m 1y 2y  10y
axis: time after the procedure
= onset to shortest relief
- up to longest relief   > open-ended
Not drawn (diagnostic test, not a
treatment): discography
"""


def test_timeline_at_60(cat: Catalogue) -> None:
    assert render(visual.timeline(rows_of(cat), 60), 60) == TIMELINE_60


def test_timeline_plain_at_40(cat: Catalogue) -> None:
    assert render(visual.timeline(rows_of(cat), 40, plain=True), 40) == TIMELINE_40_PLAIN


def test_bar_spans_onset_to_end_of_relief(cat: Catalogue) -> None:
    """rfa at width 60 (labels 11 wide, so the axis is 48 columns from column 12): onset
    1 week is axis column 10; 3 weeks + 6 months is column 27; 3 weeks + 12 months is 32."""
    lines = visual.timeline(rows_of(cat), 60).plain.splitlines()
    axis = next(line for line in lines if line.startswith("rfa "))[12:]
    assert axis == " " * 10 + "█" * (27 - 10 + 1) + "░" * (32 - 27)
    assert visual.axis_column(7, 48) == 10
    assert visual.axis_column(21 + 6 * MONTH, 48) == 27
    assert visual.axis_column(21 + YEAR, 48) == 32


@pytest.mark.parametrize("width", [40, 80, 120])
@pytest.mark.parametrize("plain", [False, True])
def test_open_ended_bars_reach_the_right_edge(cat: Catalogue, width: int, plain: bool) -> None:
    arrow = ">" if plain else "→"
    lines = render_raw(visual.timeline(rows_of(cat), width, plain=plain), width)
    ends = {line.split()[0]: line for line in lines if line.rstrip().endswith(arrow)}
    assert set(ends) == {"scs", "fusion"}
    for line in ends.values():
        assert cell_len(line.rstrip()) == width
    bounded = [line for line in lines if line.split()[:1] in (["esi"], ["rfa"])]
    assert all(cell_len(line.rstrip()) < width for line in bounded)


@pytest.mark.parametrize("width", [40, 41, 57, 80, 99, 120])
@pytest.mark.parametrize("plain", [False, True])
def test_no_line_exceeds_the_width(cat: Catalogue, width: int, plain: bool) -> None:
    long_label = "[bold]a-very-long-label-that-needs-cutting-down-to-size[/]"
    rows = [*rows_of(cat), (long_label, cat.techniques["scs"])]
    out = visual.timeline(rows, width, plain=plain)
    for line in [*out.plain.splitlines(), *render_raw(out, width)]:
        assert cell_len(line) <= width, line


def test_labels_are_text_not_markup_and_are_cut_with_an_ellipsis(cat: Catalogue) -> None:
    rows = [("[bold]x[/bold] and a label far too long", cat.techniques["esi"])]
    first = render(visual.timeline(rows, 40), 40).splitlines()[0]
    assert first.startswith("[bold]x[/… ")
    plain_first = render(visual.timeline(rows, 40, plain=True), 40).splitlines()[0]
    assert plain_first.startswith("[bold]x[/~ ")


@pytest.mark.parametrize("width", [40, 80, 120])
def test_plain_timeline_is_ascii(cat: Catalogue, width: int) -> None:
    assert visual.timeline(rows_of(cat), width, plain=True).plain.isascii()
    assert not visual.timeline(rows_of(cat), width).plain.isascii()


@pytest.mark.parametrize("width", [40, 80, 120])
def test_every_bar_says_its_numbers_in_words(cat: Catalogue, width: int) -> None:
    """The fallback that survives NO_COLOR, TERM=dumb and pipes: the words, whole."""
    text = " ".join(render(visual.timeline(rows_of(cat), width), width).split())
    for t in cat.techniques.values():
        if t.relief is None:
            continue
        onset, relief = wording.duration_words(t)
        assert f"{onset}, {relief}" in text
    assert "onset 1-3 weeks, relief 6-12 months" in text


def test_a_diagnostic_test_gets_no_bar_and_is_named_below(cat: Catalogue) -> None:
    lines = render(visual.timeline(rows_of(cat), 80), 80).splitlines()
    assert not any(line.startswith("discography") for line in lines)
    assert lines[-1] == "Not drawn (diagnostic test, not a treatment): discography"


def test_colour_carries_no_meaning(cat: Catalogue) -> None:
    out = visual.timeline(rows_of(cat), 80)
    coloured = Console(width=80, record=True, color_system="truecolor", file=io.StringIO())
    coloured.print(out)
    assert coloured.export_text(styles=False) == "\n".join(render_raw(out, 80)) + "\n"


def test_timeline_width_limits(cat: Catalogue) -> None:
    with pytest.raises(ValueError, match="at least 40"):
        visual.timeline(rows_of(cat), 39)
    assert visual.timeline([], 80).plain == ""


# --- ladder -------------------------------------------------------------------------

LADDER_60 = """\
Level 1/4 needle
  Needle injection: medicine goes in through a needle;
  nothing is destroyed or left behind.
  - Medial branch block [mbb]  recommended
  - Epidural steroid injection [esi]  not recommended

Level 2/4 percutaneous
  Percutaneous procedure: needles, probes or cannulas
  through the skin heat, freeze, destroy or reshape tissue,
  or place cement.
  - Radiofrequency ablation [rfa]  recommended

Level 3/4 implant
  Implanted device: a stimulator, pump, lead or spacer is
  placed through small incisions and stays in the body.
  - Spinal cord stimulation [scs]  may be considered

Level 4/4 surgery
  Surgery: an operation through an incision that removes,
  decompresses or fuses tissue.
  - Lumbar fusion [fusion]  may be considered
"""


def test_ladder_groups_by_invasiveness_lowest_first(cat: Catalogue, back_pain: Condition) -> None:
    found = options_for(cat, back_pain)
    by_id = {t.id: (t, ind) for t, ind in [*found.options, *found.against]}
    assert sorted(by_id) == ["esi", "fusion", "mbb", "rfa", "scs"]
    # Given highest level first: the ladder regroups them, lowest level first, and
    # keeps the order it was given inside a level (mbb before esi here).
    given = [by_id[i] for i in ("fusion", "scs", "mbb", "rfa", "esi")]
    assert render(visual.ladder(given), 60) == LADDER_60
    # The same options in another order: only the order inside level 1 changes.
    given = [by_id[i] for i in ("esi", "rfa", "fusion", "mbb", "scs")]
    mbb = "  - Medial branch block [mbb]  recommended\n"
    esi = "  - Epidural steroid injection [esi]  not recommended\n"
    assert LADDER_60.count(mbb + esi) == 1
    assert render(visual.ladder(given), 60) == LADDER_60.replace(mbb + esi, esi + mbb)


def test_ladder_skips_empty_levels(cat: Catalogue) -> None:
    esi = cat.techniques["esi"]
    text = render(visual.ladder([(esi, esi.indications[0])]), 80)
    assert text.splitlines()[0] == "Level 1/4 needle"
    assert "Level 2/4" not in text
    assert render(visual.ladder([]), 80) == "\n"


# --- pathway ------------------------------------------------------------------------

PATHWAY_80 = """\
Chronic low back pain [back-pain]: stepped route from the catalogue
├── 1. Conservative first-line care
│   ├── Stay active.
│   └── Exercise therapy.
├── 2. Diagnostic steps
│   ├── Medial branch block [mbb]  recommended
│   └── Provocation discography [discography]  named as a prerequisite
├── 3. Level 2/4 percutaneous
│   └── Radiofrequency ablation [rfa]  recommended
│       ├── after failed conservative care: Pain not settled with conservative
│       │   care.
│       └── after positive block [mbb]: A positive medial branch block.
├── 4. Level 3/4 implant
│   └── Spinal cord stimulation [scs]  may be considered
│       └── after successful trial: A successful trial of stimulation.
├── 5. Level 4/4 surgery
│   └── Lumbar fusion [fusion]  may be considered
│       ├── after failed conservative care: At least a year of conservative
│       │   care.
│       └── needs assessment [discography]: A disc test that reproduces the
│           pain.
└── Recommended against (not part of the route)
    └── Epidural steroid injection [esi]  not recommended
"""


def test_pathway_tree(cat: Catalogue, back_pain: Condition) -> None:
    assert render(visual.pathway(cat, back_pain), 80) == PATHWAY_80


def stage_summary(route: pathway.Pathway) -> list[tuple[str, str, list[str]]]:
    return [(s.kind, s.title, [step.technique_id for step in s.steps]) for s in route.stages]


def edge_summary(route: pathway.Pathway) -> list[tuple[str, str, str]]:
    return [(e.source, e.label, e.target) for e in route.edges]


def test_pathway_stages_and_edges(cat: Catalogue, back_pain: Condition) -> None:
    route = pathway.build_pathway(cat, back_pain)
    assert stage_summary(route) == [
        ("conservative", "Conservative first-line care", []),
        ("diagnostic", "Diagnostic steps", ["mbb", "discography"]),
        ("procedures", "Level 2/4 percutaneous", ["rfa"]),
        ("procedures", "Level 3/4 implant", ["scs"]),
        ("procedures", "Level 4/4 surgery", ["fusion"]),
        ("against", "Recommended against (not part of the route)", ["esi"]),
    ]
    assert edge_summary(route) == [
        ("care", "failed conservative care", "t:rfa"),
        ("t:mbb", "positive block", "t:rfa"),
        ("p:scs:1", "successful trial", "t:scs"),
        ("care", "failed conservative care", "t:fusion"),
        ("t:discography", "assessment", "t:fusion"),
    ]
    # discography has no stance for back pain: it is there only as a prerequisite.
    diagnostic = route.stages[1].steps
    assert [s.indication is None for s in diagnostic] == [False, True]


def test_pathway_follows_the_data_not_fixed_knowledge(cat: Catalogue, back_pain: Condition) -> None:
    rfa = cat.techniques["rfa"]
    changed = with_technique(
        cat,
        dataclasses.replace(
            rfa,
            purpose=Purpose.DIAGNOSTIC,
            prerequisites=(
                Prerequisite(text="An X-ray.", kind=PrerequisiteKind.IMAGING),
                Prerequisite(text="Try it.", kind=PrerequisiteKind.OTHER, technique="scs"),
            ),
        ),
    )
    route = pathway.build_pathway(changed, back_pain)
    # rfa is now diagnostic; scs, named as a prerequisite, leaves the implant level.
    assert stage_summary(route)[1:] == [
        ("diagnostic", "Diagnostic steps", ["mbb", "rfa", "scs", "discography"]),
        ("procedures", "Level 4/4 surgery", ["fusion"]),
        ("against", "Recommended against (not part of the route)", ["esi"]),
    ]
    assert edge_summary(route)[:2] == [
        ("p:rfa:1", "imaging", "t:rfa"),
        ("t:scs", "first", "t:rfa"),
    ]
    tree = render(visual.pathway(changed, back_pain), 100)
    assert "needs imaging: An X-ray." in tree
    assert "needs first [scs]: Try it." in tree


def test_options_recommended_against_draw_no_edges_and_unknown_ids_still_show(
    cat: Catalogue, back_pain: Condition
) -> None:
    esi = dataclasses.replace(
        cat.techniques["esi"],
        prerequisites=(Prerequisite(text="Block.", kind=PrerequisiteKind.TRIAL, technique="mbb"),),
    )
    fusion = dataclasses.replace(
        cat.techniques["fusion"],
        prerequisites=(Prerequisite(text="Gone.", kind=PrerequisiteKind.OTHER, technique="ghost"),),
    )
    changed = with_technique(with_technique(cat, esi), fusion)
    route = pathway.build_pathway(changed, back_pain)
    assert [e.target for e in route.edges if e.source == "t:mbb"] == ["t:rfa"]
    assert ("t:ghost", "first", "t:fusion") in edge_summary(route)
    ghost = route.stages[1].steps[-1]
    assert (ghost.technique_id, ghost.technique, ghost.indication) == ("ghost", None, None)
    chart = parse_mermaid(visual.pathway_mermaid(changed, back_pain))
    assert chart.nodes["t_ghost"] == "(ghost)<br/>not in this catalogue"
    assert "[ghost]  not in this catalogue" in render(visual.pathway(changed, back_pain), 80)


def test_pathway_for_a_condition_without_procedures(cat: Catalogue) -> None:
    lonely = dataclasses.replace(
        cat.conditions["disc-pain"], id="lonely", interventional_note="Nothing [red]here[/]."
    )
    assert render(visual.pathway(cat, lonely), 80) == (
        "Disc pain [lonely]: stepped route from the catalogue\n"
        "├── 1. Conservative first-line care\n"
        "│   └── Exercise.\n"
        "├── No procedure in this catalogue is supported for this condition.\n"
        "└── Nothing [red]here[/].\n"
    )
    chart = parse_mermaid(visual.pathway_mermaid(cat, lonely))
    assert list(chart.subgraphs) == ["stage1"]
    assert chart.edges == []


# --- Mermaid ------------------------------------------------------------------------

IDENT = r"[A-Za-z][A-Za-z0-9_]*"
QUOTED = r'"(?P<label>[^"]*)"'
NODE_RE = re.compile(rf"^(?P<id>{IDENT})\[{QUOTED}\]$")
SUBGRAPH_RE = re.compile(rf"^subgraph (?P<id>{IDENT})\[{QUOTED}\]$")
EDGE_RE = re.compile(rf"^(?P<a>{IDENT}) -->(?:\|(?P<label>[^|\"]+)\|)? (?P<b>{IDENT})$")
# Outside entity codes (#34;) and our own line breaks, none of these may stay in a label.
UNSAFE_IN_LABEL = set('"[]{}|<>`')


class MermaidError(AssertionError):
    pass


@dataclass
class Flowchart:
    nodes: dict[str, str] = field(default_factory=dict)
    subgraphs: dict[str, str] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)
    edges: list[tuple[str, str | None, str]] = field(default_factory=list)


def _check_label(label: str, line: str) -> None:
    bad = UNSAFE_IN_LABEL & set(label.replace("<br/>", ""))
    if bad:
        raise MermaidError(f"unescaped {sorted(bad)} in {line!r}")


def parse_mermaid(source: str) -> Flowchart:
    """A strict reader for the subset of Mermaid that painopts writes."""
    lines = source.splitlines()
    if not lines or lines[0] != "flowchart TD":
        raise MermaidError("first line must be 'flowchart TD'")
    if not source.endswith("\n"):
        raise MermaidError("no final newline")
    chart = Flowchart()
    open_subgraphs: list[str] = []
    for raw in lines[1:]:
        line = raw.strip()
        if not line or line.startswith("%%"):
            continue
        if line == "end":
            if not open_subgraphs:
                raise MermaidError("'end' without 'subgraph'")
            open_subgraphs.pop()
        elif m := SUBGRAPH_RE.match(line):
            _check_label(m["label"], line)
            if m["id"] in chart.subgraphs or m["id"] in chart.nodes:
                raise MermaidError(f"duplicate id {m['id']}")
            chart.subgraphs[m["id"]] = m["label"]
            chart.members[m["id"]] = []
            open_subgraphs.append(m["id"])
        elif m := NODE_RE.match(line):
            _check_label(m["label"], line)
            if m["id"] in chart.nodes or m["id"] in chart.subgraphs or m["id"] == "end":
                raise MermaidError(f"duplicate or reserved id {m['id']}")
            chart.nodes[m["id"]] = m["label"]
            if open_subgraphs:
                chart.members[open_subgraphs[-1]].append(m["id"])
        elif m := EDGE_RE.match(line):
            chart.edges.append((m["a"], m["label"], m["b"]))
        else:
            raise MermaidError(f"not understood: {raw!r}")
    if open_subgraphs:
        raise MermaidError(f"subgraph {open_subgraphs[-1]} never ends")
    declared = chart.nodes.keys() | chart.subgraphs.keys()
    for a, _, b in chart.edges:
        if a not in declared or b not in declared:
            raise MermaidError(f"edge {a} -> {b} names an undeclared node")
    return chart


@pytest.mark.parametrize(
    "bad",
    [
        'graph LR\n  a["x"]\n',
        'flowchart TD\n  subgraph s["S"]\n  a["x"]\n',
        'flowchart TD\n  a["x"]\n  end\n',
        'flowchart TD\n  a["x"]\n  a --> b\n',
        'flowchart TD\n  a["x [y]"]\n',
        "flowchart TD\n  a[x]\n",
        'flowchart TD\n  a["x"]\n  a -->|p|q| a\n',
        'flowchart TD\n  a["x"]\n  a["y"]\n',
    ],
)
def test_the_mermaid_reader_rejects_broken_charts(bad: str) -> None:
    with pytest.raises(MermaidError):
        parse_mermaid(bad)


MERMAID = """\
flowchart TD
    %% Chronic low back pain (back-pain): stepped route
    subgraph stage1["1. Conservative first-line care"]
        care["Stay active.<br/>Exercise therapy."]
    end
    subgraph stage2["2. Diagnostic steps"]
        t_mbb["Medial branch block (mbb)<br/>recommended"]
        t_discography["Provocation discography (discography)<br/>named as a prerequisite"]
    end
    subgraph stage3["3. Level 2/4 percutaneous"]
        t_rfa["Radiofrequency ablation (rfa)<br/>recommended"]
    end
    subgraph stage4["4. Level 3/4 implant"]
        t_scs["Spinal cord stimulation (scs)<br/>may be considered"]
        p_scs_1["trial: A successful trial of stimulation."]
    end
    subgraph stage5["5. Level 4/4 surgery"]
        t_fusion["Lumbar fusion (fusion)<br/>may be considered"]
    end
    subgraph against["Recommended against (not part of the route)"]
        t_esi["Epidural steroid injection (esi)<br/>not recommended"]
    end
    stage1 --> stage2
    stage2 --> stage3
    stage3 --> stage4
    stage4 --> stage5
    care -->|failed conservative care| t_rfa
    t_mbb -->|positive block| t_rfa
    p_scs_1 -->|successful trial| t_scs
    care -->|failed conservative care| t_fusion
    t_discography -->|assessment| t_fusion
"""


def test_mermaid_for_the_fixture(cat: Catalogue, back_pain: Condition) -> None:
    source = visual.pathway_mermaid(cat, back_pain)
    assert source == MERMAID
    chart = parse_mermaid(source)
    assert chart.members["against"] == ["t_esi"]
    assert chart.subgraphs["against"].startswith("Recommended against")
    assert ("t_mbb", "positive block", "t_rfa") in chart.edges
    assert ("p_scs_1", "successful trial", "t_scs") in chart.edges
    assert ("care", "failed conservative care", "t_fusion") in chart.edges


def test_mermaid_escapes_whatever_the_catalogue_says(cat: Catalogue, back_pain: Condition) -> None:
    nasty = 'Stim "x" [a] {b} (c) |d| <e> #f; &g `h` end %% q\nnext'
    scs = dataclasses.replace(cat.techniques["scs"], name=nasty)
    condition = dataclasses.replace(back_pain, first_line=('Say "no" | <br> [x]', "end"))
    changed = dataclasses.replace(
        with_technique(cat, scs), conditions={**cat.conditions, "back-pain": condition}
    )
    chart = parse_mermaid(visual.pathway_mermaid(changed, condition))
    assert chart.nodes["t_scs"] == (
        "Stim #34;x#34; #91;a#93; #123;b#125; (c) #124;d#124; #60;e#62; #35;f; #38;g "
        "#96;h#96; end %% q next (scs)<br/>may be considered"
    )
    assert chart.nodes["care"] == "Say #34;no#34; #124; #60;br#62; #91;x#93;<br/>end"


def test_mermaid_ids_are_safe_identifiers() -> None:
    assert visual.mermaid_id("t:lumbar-rfa") == "t_lumbar_rfa"
    assert visual.mermaid_id("p:scs:2") == "p_scs_2"
    assert visual.mermaid_id("9lives") == "n_9lives"
    assert re.fullmatch(IDENT, visual.mermaid_id("t:ö-x"))


def test_mermaid_for_every_bundled_condition(bundled: Catalogue) -> None:
    for condition in bundled.conditions.values():
        source = visual.pathway_mermaid(bundled, condition)
        chart = parse_mermaid(source)
        assert "care" in chart.members["stage1"], condition.id
        found = options_for(bundled, condition)
        if found.against:
            assert len(chart.members["against"]) == len(found.against), condition.id
        else:
            assert "against" not in chart.subgraphs, condition.id
        # Every option is drawn once, in exactly one subgraph.
        drawn = [n for members in chart.members.values() for n in members]
        assert len(drawn) == len(set(drawn)), condition.id
        for t, _ in [*found.options, *found.against]:
            assert visual.mermaid_id(pathway.step_key(t.id)) in drawn, (condition.id, t.id)


def test_options_recommended_against_are_drawn_apart_in_ascii(cat: Catalogue) -> None:
    """Another fill, under a line of their own, with the stance beside the bar: the
    difference survives ASCII, NO_COLOR and a pipe."""
    esi = cat.techniques["esi"]
    rfa = cat.techniques["rfa"]
    (esi_back,) = esi.indications
    (rfa_ind, *_) = rfa.indications
    out = render(
        visual.timeline(
            [("rfa", rfa)],
            60,
            plain=True,
            indications={"rfa": rfa_ind},
            against=[("esi", esi, esi_back)],
            closing=["1 option left out."],
        ),
        60,
    ).splitlines()
    assert out[0].startswith("rfa ") and "=" in out[0] and "x" not in out[0]
    assert out[1].split() == "recommended, onset 1-3 weeks, relief 6-12 months".split()
    apart = out.index("Recommended against, drawn apart (x.); not options:")
    assert out[apart + 1].startswith("esi ") and "x" in out[apart + 1]
    assert "=" not in out[apart + 1]
    assert "not recommended, onset" in " ".join(out[apart + 1 : apart + 3])
    assert "x. recommended against" in out[-2]
    assert out[-1] == "1 option left out."


def test_mermaid_puts_red_flags_before_the_route(cat: Catalogue, back_pain: Condition) -> None:
    flags = ("Numbness in the saddle area: emergency department today.", "Fever [x].")
    condition = dataclasses.replace(back_pain, red_flags=flags)
    changed = dataclasses.replace(cat, conditions={**cat.conditions, "back-pain": condition})
    source = visual.pathway_mermaid(changed, condition)
    chart = parse_mermaid(source)
    assert list(chart.subgraphs)[:2] == ["redflags", "stage1"]
    assert chart.subgraphs["redflags"] == "First: get urgent medical help if any of these occur"
    assert chart.members["redflags"] == ["flags"]
    assert chart.nodes["flags"] == (
        "Numbness in the saddle area: emergency department today.<br/>Fever #91;x#93;."
    )
    assert ("redflags", None, "stage1") in chart.edges
    # Without red flags the chart is as before (test_mermaid_for_the_fixture).
    assert "redflags" not in visual.pathway_mermaid(cat, back_pain)
