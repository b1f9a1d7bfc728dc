"""Terminal layout (issue 12, "Layout"): words never break, tables stack on narrow
terminals, prose stays readable on wide ones, nothing trails, URLs stay whole."""

from __future__ import annotations

import pytest

from .conftest import MINI, Run


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch, run: Run) -> Run:
    """Run painopts at a width given as the first argument."""

    def go(width: int, *args: str) -> str:
        monkeypatch.setenv("COLUMNS", str(width))
        out: str = run(*args).stdout
        return out

    return go  # type: ignore[return-value]


def test_list_at_60_columns_stacks_rows_without_breaking_words(at: Run) -> None:
    out = at(60, "list")
    assert out.startswith(
        "lumbar-rfa\n"
        "  name: Lumbar medial branch radiofrequency ablation\n"
        "  category: ablation\n"
        "  invasiveness: 2/4 percutaneous\n"
        "  relief: 6-12 months\n"
        "\n"
        "cervical-rfa\n"
    )
    assert "invasivene\n" not in out and "ra\n" not in out


def test_list_evidence_at_60_columns_hangs_long_values_under_their_start(at: Run) -> None:
    out = at(60, "list", "--evidence", "moderate")
    assert out.startswith(
        "onb\n"
        "  name: Occipital nerve block\n"
        "  category: nerve-block\n"
        "  invasiveness: 1/4 needle\n"
        "  relief: 1-2 months\n"
        "  best matching indication: Cluster headache: recommended,\n"
        "                            moderate certainty of benefit\n"
        "\n"
        "botox-migraine\n"
        "  name: OnabotulinumtoxinA (Botox) for chronic migraine\n"
    )


def test_at_80_columns_names_get_their_share_before_other_columns(at: Run) -> None:
    out = at(80, "list", "--category", "nerve-block")
    assert out.splitlines()[:6] == [
        "id               name                      category  invasiveness  relief",
        "─" * 80,
        "onb              Occipital nerve block     nerve-    1/4 needle    1-2 months",
        "                                           block",
        "spg-block        Sphenopalatine ganglion   nerve-    1/4 needle    1-6 months",
        "                 block                     block",
    ]


@pytest.mark.parametrize("width", [60, 70, 80, 100, 120, 200])
@pytest.mark.parametrize(
    "args", [("list",), ("list", "--evidence", "moderate"), ("conditions",), ("search", "nerve")]
)
def test_table_cells_break_only_between_words(at: Run, width: int, args: tuple[str, ...]) -> None:
    from painopts.loader import load_catalogue

    cat = load_catalogue()
    out = at(width, *args)
    # Every piece of a technique name that reaches a line end is a whole word.
    for t in cat.techniques.values():
        for word in t.name.split():
            if len(word) > 6:
                for cut in range(3, len(word) - 2):
                    assert f" {word[:cut]}\n" not in out.replace("\n", " \n"), (word, cut)
    assert max(len(line) for line in out.splitlines()) <= width


def test_prose_is_capped_at_100_columns_on_a_wide_terminal(at: Run) -> None:
    out = at(200, "show", "lumbar-rfa").splitlines()
    i = out.index("How it works")
    assert out[i + 1 : i + 4] == [
        "Radiofrequency current heats the tip of an insulated needle placed beside the nerve. The heat",
        "damages the nerve so it stops sending pain signals from the joint. Over months the nerve can regrow,",
        "and pain may return.",
    ]
    assert max(len(line) for line in out if "://" not in line) <= 100


def test_bullets_and_numbered_cards_hang_under_their_text(at: Run) -> None:
    out = at(60, "show", "lumbar-rfa").splitlines()
    i = out.index("Prerequisites")
    assert out[i + 1 : i + 4] == [
        "- Pain has lasted for months and has not settled with",
        "  non-surgical care such as exercise and manual or",
        "  psychological therapies.",
    ]
    i = out.index("Evidence by condition")
    assert out[i + 1 : i + 4] == [
        "1. Facet joint pain (lumbar facet / axial low back pain)",
        "   [facet-pain]  may be considered",
        "   Evidence: low certainty, conflicting ('consider'",
    ]


def test_labelled_facts_continue_under_the_value(at: Run) -> None:
    out = at(60, "--no-bundled", "--catalog", str(MINI), "show", "rfa").splitlines()
    i = out.index("Invasiveness        2/4 percutaneous")
    assert out[i : i + 5] == [
        "Invasiveness        2/4 percutaneous",
        "                    Percutaneous procedure: needles, probes",
        "                    or cannulas through the skin heat,",
        "                    freeze, destroy or reshape tissue, or",
        "                    place cement.",
    ]


COMMANDS = [
    ("list",),
    ("list", "--evidence", "moderate"),
    ("show", "esi"),
    ("compare", "rfa", "scs"),
    ("timeline", "rfa"),
    ("for", "sciatica", "--max-invasiveness", "needle", "--min-relief", "1y"),
    ("list", "--condition", "chronic low back pain"),
    ("show", "rfa"),
    ("for", "sciatica"),
    ("compare", "lumbar-rfa", "scs", "tfesi"),
    ("compare", "lumbar-rfa", "scs", "--condition", "sciatica"),
    ("conditions",),
    ("search", "nerve"),
    ("sources",),
    ("timeline", "lumbar-rfa", "scs"),
    ("pathway", "sciatica"),
]


@pytest.mark.parametrize("width", [60, 80, 120, 200])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_trailing_spaces_and_no_blank_first_line(
    at: Run, width: int, args: tuple[str, ...]
) -> None:
    out = at(width, *args)
    assert out.splitlines()[0].strip()
    assert [line for line in out.splitlines() if line.endswith(" ")] == []


def test_urls_stay_whole_on_a_line_of_their_own(at: Run) -> None:
    out = at(60, "show", "lumbar-rfa").splitlines()
    url = (
        "https://www.nice.org.uk/researchrecommendation/radiofrequency-denervation-what-is-the-"
        "clinical-and-cost-effectiveness-of-radiofrequency-denervation-for-chronic-low-back-pain-"
        "in-the-long-term"
    )
    assert f"    {url}" in out
    assert "\x1b]8;" not in "\n".join(out)


def _render_link(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], terminal: bool) -> str:
    import io

    from rich.console import Console

    from painopts.render import Url

    for name in ("FORCE_HYPERLINK", "TERM_PROGRAM", "VTE_VERSION", "WT_SESSION", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=terminal, color_system="standard", width=20)
    console.print(Url("https://example.org/a/long/path/that/runs/past/the/edge"))
    return buf.getvalue()


def test_urls_are_osc8_links_only_on_terminals_that_show_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = "https://example.org/a/long/path/that/runs/past/the/edge"
    linked = _render_link(monkeypatch, {"TERM_PROGRAM": "WezTerm"}, terminal=True)
    assert "\x1b]8;id=" in linked and f";{url}\x1b\\" in linked
    assert _render_link(monkeypatch, {"VTE_VERSION": "7600"}, terminal=True).count("\x1b]8;") == 2
    for env, terminal in (
        ({}, True),  # a terminal not known to show links
        ({"TERM_PROGRAM": "WezTerm", "TERM": "dumb"}, True),
        ({"TERM_PROGRAM": "WezTerm"}, False),  # piped
        ({"FORCE_HYPERLINK": "0", "TERM_PROGRAM": "WezTerm"}, True),
    ):
        out = _render_link(monkeypatch, env, terminal)
        assert "\x1b]8;" not in out and url in out, env


def test_compare_of_three_at_80_columns_is_one_block_of_questions(at: Run) -> None:
    out = at(80, "compare", "lumbar-rfa", "scs", "tfesi")
    lines = out.splitlines()
    i = lines.index("How long might relief last?")
    assert lines[i + 1 : i + 4] == [
        "  lumbar-rfa  6-12 months",
        "  scs         6+ months (open-ended)",
        "  tfesi       2-12 weeks",
    ]
    # One block: every question once, each with one entry per technique.
    questions = [ln for ln in lines if ln.endswith("?") and not ln.startswith(" ")]
    assert len(questions) == len(set(questions)) == 13
    # Every risk of each technique follows, under its name, none cut.
    i = lines.index("Risks and how often they happen")
    assert lines[i + 1 : i + 3] == [
        "Lumbar medial branch radiofrequency ablation [lumbar-rfa]",
        "  - Soreness at the needle sites for a few days: how often is not known [23]",
    ]
    risks = lines[i : lines.index("Contraindications")]
    from painopts.loader import load_catalogue

    techniques = load_catalogue().techniques
    expected = sum(len(techniques[t].risks) for t in ("lumbar-rfa", "scs", "tfesi"))
    assert sum(ln.startswith("  - ") for ln in risks) == expected > 3 * 4


def test_compare_for_a_condition_asks_about_that_condition(at: Run) -> None:
    out = at(80, "compare", "lumbar-rfa", "scs", "tfesi", "--condition", "sciatica")
    assert "Is it advised for Sciatica" in out
    assert "stance for sciatica" not in out


def test_a_stance_is_never_split_across_lines(at: Run) -> None:
    out = at(80, "list", "--condition", "chronic low back pain").splitlines()
    assert out[2:4] == [
        "1. Peripheral nerve stimulation (implanted or temporary percutaneous) [pns]",
        "   may be considered",
    ]


def test_catalogue_text_is_never_read_as_markup() -> None:
    import io

    from rich.console import Console

    from painopts.render import CompareBlock, Hanging, SimpleTable, Tail, Text, prose

    odd = "[bold]x[/] [link=https://e.org]y[/link] :warning:"
    for width in (60, 120):
        buf = io.StringIO()
        console = Console(file=buf, width=width, markup=True, emoji=True, color_system=None)
        console.print(SimpleTable(["id", "name"], [["a", odd]]))
        console.print(Hanging("- ", Text(odd)))
        console.print(prose(odd))
        console.print(Tail(Text(odd), Text(odd)))
        console.print(CompareBlock([("name", [Text(odd), Text(odd)])], ["a", "b"]))
        text = buf.getvalue()
        assert text.count("[bold]x[/]") == text.count(":warning:") == 7 and "\x1b]8" not in text


def test_compare_side_by_side_hangs_list_items_and_asks_questions(at: Run) -> None:
    lines = at(120, "compare", "lumbar-rfa", "scs", "tfesi").splitlines()
    assert lines[lines.index("Side by side") + 1].split() == ["lumbar-rfa", "scs", "tfesi"]
    i = next(n for n, ln in enumerate(lines) if ln.startswith("What must come"))
    assert lines[i : i + 2] == [
        "What must come         - Pain has lasted for months     - Neuropathic pain scoring at"
        "    - Severe nerve-root pain that",
        "first?                   and has not settled with         least 50 out of 100 that has"
        "     has not settled with simpler",
    ]
    assert "How long might         6-12 months" in "\n".join(lines)


def test_ladder_items_hang_and_keep_their_stance_whole(at: Run) -> None:
    lines = at(60, "for", "sciatica").splitlines()
    i = lines.index("Level 1/4 needle")
    assert lines[i + 1 : i + 6] == [
        "  Needle injection: medicine goes in through a needle;",
        "  nothing is destroyed or left behind.",
        "  - Caudal epidural steroid injection [caudal-esi]",
        "    may be considered",
        "  - Interlaminar epidural steroid injection [ilesi]",
    ]


def test_compare_by_question_leaves_out_techniques_with_nothing_to_say(at: Run) -> None:
    lines = at(60, "compare", "lumbar-rfa", "scs", "tfesi", "--condition", "sciatica").splitlines()
    lines = lines[lines.index("Side by side") + 1 :]
    assert lines[:6] == [
        "Is it advised for Sciatica (lumbar radiculopathy)?",
        "  lumbar-rfa  not listed for this condition in the catalogue",
        "  scs         not listed for this condition in the catalogue",
        "  tfesi       may be considered",
        "",
        "How sure is the evidence?",
    ]
    assert lines[6] == "  tfesi       moderate"


def test_an_accented_letter_keeps_the_same_table_layout() -> None:
    import io

    from rich.console import Console

    from painopts.render import SimpleTable

    def draw(name: str) -> list[str]:
        buf = io.StringIO()
        Console(file=buf, width=80, color_system=None).print(
            SimpleTable(["id", "name", "category"], [["a", name, "neuromodulation"]])
        )
        return buf.getvalue().splitlines()

    plain, accented = draw("Radiculopathie lombaire"), draw("Radiculopathié lombaire")
    assert plain == [
        "id  name                     category",
        "─" * 44,
        "a   Radiculopathie lombaire  neuromodulation",
        "",
    ]
    assert accented[2] == "a   Radiculopathié lombaire  neuromodulation"
    assert [len(line) for line in accented] == [len(line) for line in plain]


def test_pathway_is_no_wider_than_prose_on_a_wide_terminal(at: Run) -> None:
    from rich.cells import cell_len

    lines = at(200, "pathway", "sciatica").splitlines()
    assert lines[2] == (
        "│   ├── Keep as active as you can and carry on with normal activities; advice and "
        "reassurance suit"
    )
    assert max(cell_len(line) for line in lines) <= 100


def test_search_table_stacks_at_60_with_the_id_as_title(at: Run) -> None:
    out = at(60, "--no-bundled", "--catalog", str(MINI), "search", "spinal", "cord")
    assert out.startswith(
        "scs\n"
        "  kind: technique\n"
        "  name: Spinal cord stimulation\n"
        "  why it matched: name 'Spinal cord stimulation'; alias\n"
        "                  'spinal cord stimulator'\n"
        "\n"
    )


def test_condition_table_sits_one_blank_line_below_its_title(at: Run) -> None:
    lines = at(120, "list", "--condition", "sciatica", "--all").splitlines()
    assert lines[:2] == ["Options for Sciatica (lumbar radiculopathy)  [sciatica]", ""]
    assert lines[2].split()[:4] == ["id", "name", "stance", "evidence"]
    i = lines.index("Recommended against for Sciatica (lumbar radiculopathy) (not options)")
    assert lines[i - 2] != "" and lines[i - 1] == "" and lines[i + 1] == ""


def test_a_url_cannot_smuggle_escape_sequences() -> None:
    import io

    from rich.console import Console

    from painopts.render import Url

    buf = io.StringIO()
    Console(file=buf, width=40, color_system=None).print(Url("https://e.org/\x1b]52;c;x\x07"))
    assert "\x1b" not in buf.getvalue() and "\x07" not in buf.getvalue()
