"""The commands, end to end through the CLI runner, on the small fixture catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from painopts.wording import NOTICE

from .conftest import Run


def lines(text: str) -> list[str]:
    """Output lines without trailing padding, and without blank lines at either end."""
    out = [ln.rstrip() for ln in text.splitlines()]
    while out and not out[0]:
        out.pop(0)
    while out and not out[-1]:
        out.pop()
    return out


def test_list_is_a_table_of_every_technique(run_mini: Run) -> None:
    out = lines(run_mini("list").stdout)
    assert out[0].split() == ["id", "name", "category", "invasiveness", "relief"]
    assert out[2:5] == [
        "esi  Epidural steroid injection  injection        1/4 needle        1-3 months",
        "rfa  Radiofrequency ablation     ablation         2/4 percutaneous  6-12 months",
        "scs  Spinal cord stimulation     neuromodulation  3/4 implant       1+ years (open-ended)",
    ]
    assert out[-1] == NOTICE


@pytest.mark.parametrize(
    "name", ["rfa", "RFA", "Radiofrequency Ablation", "radiofrequency-denervation"]
)
def test_show_matches_ids_aliases_and_names_case_insensitively(run_mini: Run, name: str) -> None:
    out = lines(run_mini("show", name).stdout)
    assert out[0] == "Radiofrequency ablation  [rfa]"
    assert out[1] == "Recommended for 1 condition; see Evidence by condition"
    assert out[2] == "Also called: radiofrequency denervation"


def test_show_gives_every_section_with_evidence_and_sources(run_mini: Run) -> None:
    out = lines(run_mini("show", "esi").stdout)
    for heading in (
        "How it works",
        "What to expect",
        "Prerequisites",
        "Risks and how often they happen",
        "Contraindications",
        "Regulatory warnings",
        "Evidence by condition",
        "Recommended against for these conditions",
        "References",
    ):
        assert heading in out
    i = out.index("Evidence by condition")
    assert out[i + 1 : i + 8] == [
        "1. Sciatica [sciatica]  may be considered",
        "   Evidence: moderate certainty, points to benefit (Level II; Guide A levels)",
        "   Short-term relief. [1,2]",
        "",
        "Recommended against for these conditions",
        "1. Facet joint pain [facet-pain]  not recommended",
        "   Evidence: low certainty, points to no benefit (do not offer; Guide A wording)",
    ]
    assert "- Headache: about 1 in 100" in out
    i = out.index("[1] Guide A. Example Society, 2020. (guideline)")
    assert out[i + 1] == "    https://example.org/a"
    assert out[-1] == NOTICE


def test_compare_puts_questions_in_rows_and_techniques_in_columns(run_mini: Run) -> None:
    out = lines(run_mini("compare", "rfa", "scs").stdout)
    top = next(n for n, ln in enumerate(out) if ln.split() == ["rfa", "scs"])
    rows = {ln.split("  ")[0]: ln for ln in out[top + 2 :] if ln.strip() and not ln.startswith(" ")}
    assert re.split(r"\s{2,}", rows["How invasive is it?"].strip()) == [
        "How invasive is it?",
        "2/4 percutaneous",
        "3/4 implant",
    ]
    assert re.split(r"\s{2,}", rows["Can it be repeated?"].strip()) == [
        "Can it be repeated?",
        "yes",
        "no",
    ]
    assert out[-1] == NOTICE


def test_compare_needs_two_different_techniques(run_mini: Run) -> None:
    assert run_mini("compare", "rfa", expect=2).stderr == (
        "painopts: compare needs at least two techniques, e.g. `painopts compare rfa scs`\n"
    )
    assert run_mini("compare", "rfa", "RFA", expect=2).stderr == (
        "painopts: those names all refer to the same technique; give two different ones\n"
    )


def test_for_reads_top_down_verdict_red_flags_first_line_then_stepped_care(
    run_mini: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = lines(run_mini("for", "Pinched Nerve").stdout)
    assert out[:20] == [
        "Sciatica  [sciatica]",
        "No procedure is recommended outright; may be considered: 2 options (listed below",
        "in stepped-care order).",
        "First-line care comes before any procedure; red flags need urgent help.",
        "",
        "Get urgent medical help if any of these occur",
        "- Loss of bladder control.",
        "",
        "About Sciatica",
        "Leg pain from an irritated nerve root. [1]",
        "Also called: pinched nerve, lumbar radiculopathy",
        "Region: low-back, lower-limb. Pain type: neuropathic.",
        "",
        "First-line care, before any procedure",
        "- Stay active.",
        "",
        "Procedures that may help, in stepped-care order",
        "1. Epidural steroid injection [esi]  may be considered",
        "   Evidence: moderate certainty, points to benefit (Level II; Guide A levels)",
        "   Invasiveness: 1/4 needle  Relief: 1-3 months",
    ]
    # Same stance: the needle injection comes before the implant.
    assert out.index("2. Spinal cord stimulation [scs]  may be considered") > 19
    # References close the page, then the catalogue line and the notice.
    i = out.index("References")
    assert out[i + 1 : i + 6] == [
        "[1] Guide A. Example Society, 2020. (guideline)",
        "    https://example.org/a",
        "[2] Review B. Example Collaboration, 2019. (systematic-review)",
        "    https://example.org/b",
        "Catalogue: test fixture 0.0.1, reviewed 2026-01-01; loaded from",
    ]
    assert " ".join(out[-2:]) == NOTICE


def test_for_shows_options_recommended_against_apart(run_mini: Run) -> None:
    out = lines(run_mini("for", "facet-pain").stdout)
    against = out.index("Recommended against by a guideline or the best evidence")
    assert out.index("1. Radiofrequency ablation [rfa]  recommended") < against
    assert out[against + 1] == "1. Epidural steroid injection [esi]  not recommended"


def test_conditions_counts_options(run_mini: Run) -> None:
    out = lines(run_mini("conditions").stdout)
    assert re.split(r"\s{2,}", out[2].strip()) == [
        "sciatica",
        "Sciatica",
        "low-back, lower-limb",
        "neuropathic",
        "2",
        "0",
    ]
    assert re.split(r"\s{2,}", out[3].strip()) == [
        "facet-pain",
        "Facet joint pain",
        "low-back",
        "nociceptive",
        "1",
        "1",
    ]


def test_sources_lists_every_reference(run_mini: Run) -> None:
    out = run_mini("sources").stdout
    assert "guide-a-2020" in out and "review-b-2019" in out
    assert "https://example.org/b" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "rfx"], "painopts: no technique called 'rfx'; did you mean rfa?\n"),
        (["for", "scaitica"], "painopts: no condition called 'scaitica'; did you mean sciatica?\n"),
        (
            ["show", "sciatica"],
            "painopts: no technique called 'sciatica' ('sciatica' is a condition: try "
            "`painopts for sciatica`)\n",
        ),
        (
            ["for", "spinal cord stimulator"],
            "painopts: no condition called 'spinal cord stimulator' ('spinal cord stimulator' is "
            "a technique: try `painopts show scs`)\n",
        ),
        (
            ["compare", "rfa", "zzz"],
            "painopts: no technique called 'zzz'; quote names with spaces, "
            "e.g. `painopts compare 'spinal cord stimulation' rfa`\n",
        ),
    ],
)
def test_unknown_names_exit_2_with_suggestions_on_stderr(
    run_mini: Run, args: list[str], message: str
) -> None:
    result = run_mini(*args, expect=2)
    assert result.stdout == ""
    assert result.stderr == message


def test_broken_catalogue_exits_1_without_traceback(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "sources:\n  - id: s\n    title: t\n    publisher: p\n    year: 2020\n"
        "    url: https://example.org\n    kind: guideline\n    nte: x\n",
        encoding="utf-8",
    )
    result = run("--no-bundled", "--catalog", str(bad), "list", expect=1)
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"painopts: {bad}:8:5: sources[s].nte: unknown key; did you mean 'note'?",
        f"painopts: the catalogue is invalid; run `painopts --no-bundled --catalog {bad} validate`"
        " for the full list.",
    ]


def test_validate_reports_every_problem_and_a_count(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources:\n  - id: s\n    year: '2020'\n", encoding="utf-8")
    result = run("--no-bundled", "validate", str(bad), expect=1)
    assert lines(result.stdout) == [
        f"{bad}:2:5: sources[s].title: missing required key (text)",
        f"{bad}:2:5: sources[s].publisher: missing required key (text)",
        f"{bad}:2:5: sources[s].url: missing required key (text)",
        f"{bad}:2:5: sources[s].kind: missing required key (one of guideline, systematic-review, "
        "trial, observational, patient-information, regulatory, review)",
        f"{bad}:3:11: sources[s].year: expected a whole number, found the text '2020'",
    ]
    assert result.stderr == "painopts: 5 problems found\n"


def test_validate_clean(run_mini: Run) -> None:
    from .conftest import MINI

    assert run_mini("validate").stdout == (
        f"valid: 3 techniques, 2 conditions, 4 indications, 2 sources ({MINI})\n"
    )


def test_no_arguments_prints_help_on_stdout_and_succeeds(run: Run) -> None:
    result = run()
    assert result.stdout.startswith("Usage: painopts [OPTIONS] COMMAND [ARGS]...\n")
    assert result.stderr == ""


def test_version(run: Run) -> None:
    from painopts import __version__

    assert run("--version").stdout == f"painopts {__version__}\n"


def test_ambiguous_names_list_the_candidates(run_mini: Run) -> None:
    result = run_mini("for", "p", expect=2)
    assert result.stderr == (
        "painopts: condition name 'p' is ambiguous: it could be sciatica (pinched nerve), "
        "facet-pain\n"
    )
    assert run_mini("show", "radio", expect=2).stderr == (
        "painopts: no technique called 'radio'; did you mean rfa (Radiofrequency ablation)?\n"
    )


def test_timeline_draws_one_shared_axis_with_numbers(run_mini: Run) -> None:
    out = lines(run_mini("timeline", "rfa", "scs", "--ascii").stdout)
    assert any(ln.startswith("rfa") for ln in out)
    assert any("onset 1-3 weeks, relief 6-12 months" in ln for ln in out)
    assert any("onset 1-7 days, relief 1+ years (open-ended)" in ln for ln in out)
    axis_labels = next(ln for ln in out if "1d" in ln and "10y" in ln).split()
    assert axis_labels == ["1h", "1d", "1w", "1m", "3m", "6m", "1y", "2y", "5y", "10y"]
    assert all(ord(ch) < 128 for ln in out for ch in ln)


def test_timeline_for_a_condition_and_needs_something_to_draw(run_mini: Run) -> None:
    out = run_mini("timeline", "--condition", "sciatica").stdout
    assert "esi" in out and "scs" in out and "rfa" not in out.split("Catalogue:")[0].split()
    assert run_mini("timeline", expect=2).stderr == (
        "painopts: name techniques or a --condition, e.g. `painopts timeline rfa scs`\n"
    )


def test_for_names_the_commands_that_draw_its_charts(run_mini: Run) -> None:
    """The charts left `for` to keep it short; it says where they are, and they draw."""
    out = " ".join(run_mini("for", "sciatica").stdout.split())
    assert (
        "Relief over time as a chart: painopts timeline --condition sciatica; "
        "the care pathway: painopts pathway sciatica" in out
    )
    assert "esi" in run_mini("timeline", "--condition", "sciatica").stdout
    assert "[esi]" in run_mini("pathway", "sciatica").stdout


def test_compare_names_the_timeline_command(run_mini: Run) -> None:
    out = " ".join(run_mini("compare", "rfa", "scs").stdout.split())
    assert "Relief over time as a chart: painopts timeline rfa scs" in out


def test_pathway_tree_and_mermaid(run_mini: Run) -> None:
    tree = run_mini("pathway", "facet-pain").stdout
    assert "1. Conservative first-line care" in tree
    assert "Recommended against (not part of the route)" in tree
    mermaid = run_mini("pathway", "facet-pain", "--format", "mermaid").stdout
    assert mermaid.startswith("flowchart TD\n")
    assert NOTICE not in mermaid
    assert 'subgraph against["Recommended against (not part of the route)"]' in mermaid


@pytest.mark.parametrize("width", [40, 80, 120])
def test_list_fits_the_terminal(run: Run, monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    from painopts.loader import load_catalogue

    monkeypatch.setenv("COLUMNS", str(width))
    out = run("list").stdout.splitlines()
    assert max(len(ln) for ln in out) <= width
    if width == 120:  # wide enough that no id wraps: each starts a row
        starts = {ln.split()[0] for ln in out if ln.strip() and not ln.startswith(" ")}
        assert set(load_catalogue().techniques) <= starts
