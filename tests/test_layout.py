"""Terminal layout (issue 12, "Layout"): words never break, tables stack on narrow
terminals, prose stays readable on wide ones, nothing trails, URLs stay whole."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import pytest

from .conftest import MINI, Run

if TYPE_CHECKING:
    from rich.console import RenderableType

    from painopts.models import Source


class At(Protocol):
    def __call__(self, width: int, *args: str) -> str: ...


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch, run: Run) -> At:
    """Run painopts at a width given as the first argument."""

    def go(width: int, *args: str) -> str:
        monkeypatch.setenv("COLUMNS", str(width))
        out: str = run(*args).stdout
        return out

    return go


def test_list_at_60_columns_stacks_rows_without_breaking_words(at: At) -> None:
    out = at(60, "list")
    assert out.startswith(
        "lumbar-rfa\n"
        "  name: Lumbar medial branch radiofrequency ablation\n"
        "  category: ablation\n"
        "  invasiveness: 2/4 percutaneous\n"
        "  relief: 6-12 months (no condition's evidence points to\n"
        "          benefit)\n"
        "\n"
        "cervical-rfa\n"
    )
    assert "invasivene\n" not in out and "ra\n" not in out


def test_list_evidence_at_60_columns_hangs_long_values_under_their_start(at: At) -> None:
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


def test_at_80_columns_names_get_their_share_before_other_columns(at: At) -> None:
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
def test_table_cells_break_only_between_words(at: At, width: int, args: tuple[str, ...]) -> None:
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


def test_prose_is_capped_at_100_columns_on_a_wide_terminal(at: At) -> None:
    out = at(200, "show", "lumbar-rfa").splitlines()
    i = out.index("How it works")
    assert out[i + 1 : i + 4] == [
        "Radiofrequency current heats the tip of an insulated needle placed beside the nerve. The heat",
        "damages the nerve so it stops sending pain signals from the joint. Over months the nerve can regrow,",
        "and pain may return.",
    ]
    assert max(len(line) for line in out if "://" not in line) <= 100


def test_bullets_and_numbered_cards_hang_under_their_text(at: At) -> None:
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
        "   Evidence: very low certainty, conflicting ('consider'",
    ]


def test_labelled_facts_continue_under_the_value(at: At) -> None:
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
    at: At, width: int, args: tuple[str, ...]
) -> None:
    out = at(width, *args)
    assert out.splitlines()[0].strip()
    assert [line for line in out.splitlines() if line.endswith(" ")] == []


def test_urls_stay_whole_on_a_line_of_their_own(at: At) -> None:
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

    from painopts.layout import Url

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


def test_compare_of_three_at_80_columns_is_one_block_of_questions(at: At) -> None:
    out = at(80, "compare", "lumbar-rfa", "scs", "tfesi")
    lines = out.splitlines()
    i = lines.index("How long might relief last?")
    assert lines[i + 1 : i + 4] == [
        "  lumbar-rfa  6-12 months (no condition's evidence points to benefit)",
        "  scs         6+ months (open-ended)",
        "  tfesi       2-12 weeks (no condition's evidence points to benefit)",
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


def test_compare_for_a_condition_asks_about_that_condition(at: At) -> None:
    out = at(80, "compare", "lumbar-rfa", "scs", "tfesi", "--condition", "sciatica")
    assert "Is it advised for Sciatica" in out
    assert "stance for sciatica" not in out


def test_a_stance_is_never_split_across_lines(at: At) -> None:
    out = at(80, "list", "--condition", "chronic low back pain").splitlines()
    assert out[2:4] == [
        "1. Peripheral nerve stimulation (implanted or temporary percutaneous) [pns]",
        "   may be considered",
    ]


def test_catalogue_text_is_never_read_as_markup() -> None:
    import io

    from rich.console import Console
    from rich.text import Text

    from painopts.layout import Hanging, Tail, prose
    from painopts.render import CompareBlock, SimpleTable

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


def test_compare_side_by_side_hangs_list_items_and_asks_questions(at: At) -> None:
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


def test_ladder_items_hang_and_keep_their_stance_whole(at: At) -> None:
    lines = at(60, "for", "sciatica").splitlines()
    i = lines.index("Level 1/4 needle")
    assert lines[i + 1 : i + 6] == [
        "  Needle injection: medicine goes in through a needle;",
        "  nothing is destroyed or left behind.",
        "  - Caudal epidural steroid injection [caudal-esi]",
        "    may be considered",
        "  - Interlaminar epidural steroid injection [ilesi]",
    ]


def test_compare_by_question_leaves_out_techniques_with_nothing_to_say(at: At) -> None:
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


def _simple_table(rows: list[list[str]], width: int) -> list[str]:
    import io

    from rich.console import Console

    from painopts.render import SimpleTable

    buf = io.StringIO()
    Console(file=buf, width=width, color_system=None).print(
        SimpleTable(["id", "name", "category"], rows)
    )
    return buf.getvalue().splitlines()


# "é" as e + a combining accent: two code points, one cell. Wide (CJK) characters: one
# code point, two cells. len() is wrong both ways; a table measured with it misaligns.
DECOMPOSED = "Radiculopathie\u0301 lombaire"
WIDE = "腰椎神経根症 腰痛"


def test_a_combining_accent_takes_no_cell_of_its_own() -> None:
    assert _simple_table([["a", DECOMPOSED, "neuromodulation"], ["bb", "x", "y"]], 80) == [
        "id  name                     category",
        "─" * 44,
        f"a   {DECOMPOSED}  neuromodulation",
        "bb  x                        y",
        "",
    ]


def test_wide_characters_take_two_cells_each() -> None:
    assert _simple_table([["a", WIDE, "neuromodulation"], ["bb", "x", "y"]], 80) == [
        "id  name               category",
        "─" * 38,
        f"a   {WIDE}  neuromodulation",
        "bb  x                  y",
        "",
    ]


def test_wide_characters_wrap_by_cells_between_words() -> None:
    name = "腰椎神経根症の高周波熱凝固療法 と 脊髄刺激療法 と 硬膜外ステロイド注射"
    lines = _simple_table([["a", name, "neuromodulation"]], 70)
    assert lines == [
        "id  name                                               category",
        "─" * 70,
        "a   腰椎神経根症の高周波熱凝固療法 と 脊髄刺激療法 と  neuromodulation",
        "    硬膜外ステロイド注射",
        "",
    ]


def test_stacked_rows_hang_values_by_cells() -> None:
    # 32 cells for a value at 40 columns: 30 on the first line, the next word would pass it
    lines = _simple_table([["a", " ".join([WIDE] * 3), "neuromodulation"]], 40)
    assert lines == [
        "a",
        "  name: 腰椎神経根症 腰痛 腰椎神経根症",
        "        腰痛 腰椎神経根症 腰痛",
        "  category: neuromodulation",
        "",
    ]


def test_pathway_is_no_wider_than_prose_on_a_wide_terminal(at: At) -> None:
    from rich.cells import cell_len

    lines = at(200, "pathway", "sciatica").splitlines()
    lines = lines[lines.index("") + 1 :]  # after the red flags
    assert lines[2] == (
        "│   ├── Keep as active as you can and carry on with normal activities; advice and "
        "reassurance suit"
    )
    assert max(cell_len(line) for line in lines) <= 100


def test_search_table_stacks_at_60_with_the_id_as_title(at: At) -> None:
    out = at(60, "--no-bundled", "--catalog", str(MINI), "search", "spinal", "cord")
    assert out.startswith(
        "scs\n"
        "  kind: technique\n"
        "  name: Spinal cord stimulation\n"
        "  why it matched: name 'Spinal cord stimulation' (Spinal,\n"
        "                  cord)\n"
        "\n"
    )
    why = at(60, "--no-bundled", "--catalog", str(MINI), "search", "spinal", "cord", "--why")
    assert why.startswith(
        "scs\n"
        "  kind: technique\n"
        "  name: Spinal cord stimulation\n"
        "  why it matched: name 'Spinal cord stimulation' (Spinal,\n"
        "                  cord); alias 'spinal cord stimulator'\n"
        "                  (spinal, cord)\n"
        "\n"
    )


def test_condition_table_sits_one_blank_line_below_its_title(at: At) -> None:
    lines = at(120, "list", "--condition", "sciatica", "--all").splitlines()
    assert lines[:2] == ["Options for Sciatica (lumbar radiculopathy)  [sciatica]", ""]
    assert lines[2].split()[:4] == ["id", "name", "stance", "evidence"]
    i = lines.index("Recommended against for Sciatica (lumbar radiculopathy) (not options)")
    assert lines[i - 2] != "" and lines[i - 1] == "" and lines[i + 1] == ""


def test_a_url_cannot_smuggle_escape_sequences() -> None:
    import io

    from rich.console import Console

    from painopts.layout import Url

    buf = io.StringIO()
    Console(file=buf, width=40, color_system=None).print(Url("https://e.org/\x1b]52;c;x\x07"))
    assert "\x1b" not in buf.getvalue() and "\x07" not in buf.getvalue()


# --- source authors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("authors", "shown"),
    [
        ("Ilfeld BM, Duke KB, Donohue MC", "Ilfeld BM, Duke KB, Donohue MC"),
        ("Govind J, King W, Bailey B, Bogduk N", "Govind J, King W, Bailey B, et al."),
        ("Kornick C, Kramarich SS, Lamer TJ, et al.", "Kornick C, Kramarich SS, Lamer TJ, et al."),
        ("Desai MJ, et al.", "Desai MJ, et al."),
        ("Cher DJ, Wine KD; INSITE Study Group", "Cher DJ, Wine KD, INSITE Study Group"),
        ("McCarthy J", "McCarthy J"),
    ],
)
def test_short_authors(authors: str, shown: str) -> None:
    from painopts.wording import short_authors

    assert short_authors(authors) == shown


def _source(authors: str | None) -> Source:
    from painopts.models import Source, SourceKind

    return Source(
        id="liu-2023", title="Epidural steroids for sciatica", publisher="BMJ", year=2023,
        url="https://example.org/liu", kind=SourceKind("systematic-review"), authors=authors,
    )  # fmt: skip


def _lines(renderable: RenderableType, width: int) -> list[str]:
    import io

    from rich.console import Console

    buf = io.StringIO()
    Console(file=buf, width=width, color_system=None).print(renderable)
    return buf.getvalue().splitlines()


def test_a_reference_names_its_first_authors_then_et_al() -> None:
    from painopts.render import source_line

    many = "Liu C, Ferreira GE, Abdel Shaheed C, Chen Q, Harris IA, Bailey CS, Peul WC, Koes B"
    assert _lines(source_line(_source(many)), 80) == [
        "[liu-2023] Liu C, Ferreira GE, Abdel Shaheed C, et al. Epidural steroids for",
        "    sciatica. BMJ, 2023. (systematic-review)",
        "    https://example.org/liu",
    ]
    assert _lines(source_line(_source(None)), 80) == [
        "[liu-2023] Epidural steroids for sciatica. BMJ, 2023. (systematic-review)",
        "    https://example.org/liu",
    ]


@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_sources_list_shows_authors_and_fits(at: At, width: int) -> None:
    from painopts.loader import load_catalogue
    from painopts.wording import short_authors

    out = at(width, "sources")
    cat = load_catalogue([])
    joined = " ".join(out.split())
    with_authors = [s for s in cat.sources.values() if s.authors]
    assert with_authors
    for s in with_authors:
        assert f"[{s.id}] {short_authors(s.authors or '')}" in joined, s.id
    urls = {s.url for s in cat.sources.values()}
    assert all(len(line) <= width for line in out.splitlines() if line.strip() not in urls)


def test_machine_formats_carry_every_author(run: Run) -> None:
    import csv
    import io
    import json

    from painopts.loader import load_catalogue

    cat = load_catalogue([])
    rows = list(csv.DictReader(io.StringIO(run("sources", "-f", "csv").stdout)))
    assert {r["id"]: r["authors"] for r in rows} == {
        s.id: s.authors or "" for s in cat.sources.values()
    }
    records = json.loads(run("sources", "-f", "json").stdout)["sources"]
    assert {r["id"]: r["authors"] for r in records} == {
        s.id: s.authors for s in cat.sources.values()
    }


@pytest.mark.parametrize("width", [80, 100, 120])
@pytest.mark.parametrize("command", [["conditions"], ["list"], ["list", "--condition", "knee-oa"]])
def test_ids_are_never_broken_at_their_hyphens(at: At, width: int, command: list[str]) -> None:
    """An id is what the reader types next: "neuropathic-" on one line and "pain" on
    the next cannot be copied. Rows that cannot keep every id whole stack instead."""
    from painopts.loader import load_catalogue

    cat = load_catalogue([])
    ids = set(cat.conditions) if command == ["conditions"] else set(cat.techniques)
    firsts = {line.split(" ")[0] for line in at(width, *command).splitlines() if line}
    broken = {w for w in firsts if w.endswith("-") and any(i.startswith(w) for i in ids)}
    assert broken == set()
