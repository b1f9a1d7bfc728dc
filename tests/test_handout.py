"""The handout: which options it compares, what each cell says, and how it is written.

What a browser shows is checked in tests/test_browser.py; here the document itself,
the HTML as text and the command's behaviour with files.
"""

from __future__ import annotations

import dataclasses
import os
import re
import stat
from pathlib import Path

import pytest

from painopts.document import Bullets, Document, Entry, Grid, Note, block_texts
from painopts.handout import (
    MAX_OPTIONS,
    NO_PROCEDURE,
    QUESTIONS,
    Choice,
    choose,
    handout,
)
from painopts.models import (
    Benefit,
    Catalogue,
    Rate,
    RatePer,
    Risk,
    Stance,
    Technique,
)
from painopts.queries import options_for
from painopts.wording import NOTICE
from tests.conftest import FIXTURES, Run

HOSTILE = FIXTURES / "hostile"


def _grid(doc: Document) -> Grid:
    section = doc.section("options")
    assert section is not None
    grids = [b for b in section.blocks if isinstance(b, Grid)]
    assert len(grids) == 1
    return grids[0]


def _row(doc: Document, question: str) -> tuple[str, ...]:
    return dict(_grid(doc).rows)[question]


def _texts(doc: Document) -> str:
    return "\n".join(t for s in doc.sections for b in s.blocks for t in block_texts(b))


# --- which options ---------------------------------------------------------------


def test_without_options_the_supported_treatments_come_in_stepped_care_order(
    bundled: Catalogue,
) -> None:
    choice = choose(bundled, bundled.conditions["sciatica"])
    assert [t.id for t, _ in choice.options] == ["caudal-esi", "ilesi", "snrb", "tfesi"]
    assert [t.id for t, _ in choice.left_out] == ["laminectomy", "microdiscectomy"]
    assert [t.id for t, _ in choice.against] == ["pulsed-rf"]
    doc = handout(bundled, choice).document
    notes = [b.text for s in doc.sections for b in s.blocks if isinstance(b, Note)]
    assert any(
        n.startswith("Left out to keep the grid readable (2 more")
        and "Lumbar microdiscectomy [microdiscectomy]" in n
        for n in notes
    ), notes


def test_recommended_comes_before_may_be_considered(bundled: Catalogue) -> None:
    choice = choose(bundled, bundled.conditions["knee-oa"])
    ranks = [ind.stance.rank for _, ind in choice.options]
    assert ranks == sorted(ranks)
    assert len(choice.options) == MAX_OPTIONS


def test_diagnostic_tests_are_named_but_not_put_in_the_grid(bundled: Catalogue) -> None:
    choice = choose(bundled, bundled.conditions["discogenic-pain"])
    assert [t.id for t, _ in choice.tests] == ["discography"]
    doc = handout(bundled, choice).document
    assert "Discography" not in " ".join(_grid(doc).columns)
    assert "Diagnostic tests, not treatments, so not in the grid: " in _texts(doc)


@pytest.mark.parametrize("condition", ["sciatica", "knee-oa", "fibromyalgia", "vcf", "crps"])
def test_every_grid_has_no_procedure_first_and_never_an_option_recommended_against(
    bundled: Catalogue, condition: str
) -> None:
    cond = bundled.conditions[condition]
    doc = handout(bundled, choose(bundled, cond)).document
    grid = _grid(doc)
    assert grid.columns[0] == NO_PROCEDURE
    assert tuple(label for label, _ in grid.rows) == QUESTIONS
    assert all(len(cells) == len(grid.columns) for _, cells in grid.rows)
    against = {t.name for t, _ in options_for(bundled, cond).against}
    supported = options_for(bundled, cond).options
    assert (
        grid.columns[1:]
        == tuple(f"{t.name} ({ind.stance.label})" for t, ind in supported if not t.is_test_only)[
            :MAX_OPTIONS
        ]
    )
    assert not {c.rsplit(" (", 1)[0] for c in grid.columns[1:]} & against
    section = doc.section("against")
    if against:
        assert section is not None and section.tone == "against"
        entries = [b for b in section.blocks if isinstance(b, Entry)]
        assert {e.title for e in entries} == against
        assert {e.label for e in entries} == {"recommended against"}
    else:
        assert section is None


def test_a_condition_with_no_supported_procedure_says_so(bundled: Catalogue) -> None:
    doc = handout(bundled, choose(bundled, bundled.conditions["fibromyalgia"])).document
    assert _grid(doc).columns == (NO_PROCEDURE,)
    assert (
        "No procedure in this catalogue is supported for fibromyalgia: first-line care is "
        "the only option the grid can show."
    ) in _texts(doc)


def test_a_named_option_recommended_against_goes_apart(bundled: Catalogue) -> None:
    techs = [bundled.techniques["pulsed-rf"], bundled.techniques["ilesi"]]
    choice = choose(bundled, bundled.conditions["sciatica"], techs)
    assert [t.id for t, _ in choice.options] == ["ilesi"]
    assert [t.id for t, _ in choice.against] == ["pulsed-rf"]
    assert choice.other_against == 0


def test_naming_only_an_option_recommended_against_never_reads_as_nothing_supported(
    run: Run,
) -> None:
    md = run("handout", "sciatica", "pulsed-rf", "-f", "markdown").stdout
    assert "No procedure in this catalogue is supported" not in md
    assert "None of the options named for this handout is supported for it" in md
    assert "painopts handout sciatica) to compare the ones that are." in md


def test_naming_options_keeps_their_order_and_counts_the_other_against(
    bundled: Catalogue,
) -> None:
    techs = [bundled.techniques[i] for i in ("tfesi", "caudal-esi", "tfesi")]
    choice = choose(bundled, bundled.conditions["sciatica"], techs)
    assert [t.id for t, _ in choice.options] == ["tfesi", "caudal-esi"]
    assert choice.other_against == 1
    doc = handout(bundled, choice).document
    assert "1 other option is recommended against for this condition: painopts for sciatica" in (
        _texts(doc)
    )


def test_an_option_with_no_entry_for_the_condition_is_refused(run: Run) -> None:
    result = run("handout", "sciatica", "rfa", expect=2)
    assert result.stdout == ""
    first, refusal = result.stderr.splitlines(keepends=True)
    # "rfa" is a name several entries could mean: the others are named first
    assert first.startswith("painopts: 'rfa' opens Lumbar medial branch radiofrequency")
    assert refusal == (
        "painopts: Lumbar medial branch radiofrequency ablation [lumbar-rfa] has no entry "
        "for sciatica in the catalogue, so a handout cannot say whether it is advised for "
        "it; options for sciatica: caudal-esi, ilesi, snrb, tfesi, laminectomy, "
        "microdiscectomy (see `painopts for sciatica`)\n"
    )


def test_a_name_several_entries_could_mean_names_the_others_on_stderr(run: Run) -> None:
    result = run("handout", "sciatica", "esi")
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert result.stderr.startswith(
        "painopts: 'esi' opens Interlaminar epidural steroid injection [ilesi]. It can also mean: "
    )
    assert "[tfesi]" in result.stderr and "[caudal-esi]" in result.stderr


def test_more_than_four_named_options_are_refused(run: Run) -> None:
    result = run(
        "handout", "sciatica", "caudal-esi", "ilesi", "snrb", "tfesi", "laminectomy", expect=2
    )
    assert "name at most 4 options" in result.stderr


def test_a_condition_name_in_several_words_needs_no_quotes(run: Run) -> None:
    html = run("handout", "chronic", "low", "back", "pain", "pns").stdout
    assert "<title>Chronic non-specific low back pain: your options</title>" in html


# --- what the cells say ----------------------------------------------------------


def _with_numbers(t: Technique, condition: str) -> Technique:
    first, *rest = t.risks
    return dataclasses.replace(
        t,
        risks=(
            dataclasses.replace(
                first,
                rate=Rate(
                    count=1,
                    denominator=200,
                    per=RatePer.PROCEDURE,
                    timeframe="within 30 days",
                    sources=("guide-a-2020",),
                ),
            ),  # fmt: skip
            Risk(name="Soreness where the needle went in"),
            *rest,
        ),
        benefits=(
            Benefit(
                condition=condition,
                outcome="at least half their leg pain relieved",
                timeframe="at 3 months",
                helped=40,
                comparator="a sham procedure",
                comparator_helped=25,
                sources=("review-b-2019",),
            ),
        ),  # fmt: skip
    )


def test_rates_share_one_denominator_and_missing_numbers_are_said_in_words(
    mini: Catalogue,
) -> None:
    cond = mini.conditions["sciatica"]
    (t, ind), *_ = options_for(mini, cond).options
    other = dataclasses.replace(
        mini.techniques["scs"],
        risks=(
            Risk(
                name="Lead moves",
                rate=Rate(count=3, denominator=10_000, per=RatePer.PATIENT, timeframe=None,
                          sources=("guide-a-2020",)),
            ),
        ),
    )  # fmt: skip
    ind_other = dataclasses.replace(ind, condition="sciatica")
    choice = Choice(cond, ((_with_numbers(t, "sciatica"), ind), (other, ind_other)), ())
    made = handout(mini, choice)
    risks = _row(made.document, "What are the risks, and how often?")
    first_risk = t.risks[0].name
    # 1 in 200 and 3 in 10,000 share 10,000
    assert f"{first_risk}: about 50 in 10,000 procedures, within 30 days. [" in risks[1]
    assert "Lead moves: about 3 in 10,000 people treated. [" in risks[2]
    assert "Soreness where the needle went in: how often is not known." in risks[1].split("\n")
    helped = _row(made.document, "How many people are helped?")
    assert helped[0] == (
        "Not known: the catalogue has no sourced number for this. In the trials beside it, "
        "some people in the comparison groups were helped too: see the second number in "
        "each option's cell."
    )
    assert helped[1].startswith(
        "About 40 in 100 people had at least half their leg pain relieved at 3 months with "
        "epidural steroid injection, against 25 in 100 with a sham procedure. ["
    )
    assert helped[2] == "Not known: the catalogue has no sourced number for this."
    assert [(a.option, a.helped, a.comparator_helped) for a in made.icon_arrays] == [
        (t.name, 40, 25)
    ]


def test_every_risk_of_every_option_is_in_the_grid(bundled: Catalogue) -> None:
    for cond in bundled.conditions.values():
        choice = choose(bundled, cond)
        risks = _row(handout(bundled, choice).document, "What are the risks, and how often?")
        for (t, _), cell in zip(choice.options, risks[1:], strict=True):
            lines = cell.split("\n")
            assert len(lines) == len(t.risks) + 1  # and the bleeding-risk class
            for risk, line in zip(t.risks, lines, strict=False):
                assert line.startswith(f"{risk.name}: ")
            assert lines[-1].startswith("Bleeding risk for people on blood thinners: ")


def test_the_guidelines_row_gives_stance_and_evidence_with_citations(bundled: Catalogue) -> None:
    made = handout(bundled, choose(bundled, bundled.conditions["sciatica"]))
    cells = _row(made.document, "What do guidelines say, and how sure is the evidence?")
    assert cells[2].startswith(
        "May be considered for this condition. Evidence: moderate certainty, conflicting "
        "('consider' (conditional); NICE recommendation wording). NICE suggests"
    )
    assert re.search(r"(\[\d+\])+$", cells[2])


def test_sections_come_in_decision_aid_order_and_citations_resolve(bundled: Catalogue) -> None:
    import datetime

    made = handout(
        bundled, choose(bundled, bundled.conditions["sciatica"]), today=datetime.date(2026, 12, 1)
    )
    doc = made.document
    assert doc.keys == (
        "red-flags", "decision", "about", "first-line", "options", "against", "questions",
        "what-matters", "about-handout", "notice",
    )  # fmt: skip
    red = doc.section("red-flags")
    assert red is not None and red.tone == "warning"
    bullets = [b for b in red.blocks if isinstance(b, Bullets)][0]
    assert len(bullets.items) == len(bundled.conditions["sciatica"].red_flags)
    assert [r.number for r in doc.references] == list(range(1, len(doc.references) + 1))
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", _texts(doc))}
    assert cited == set(range(1, len(doc.references) + 1))
    about = doc.section("about-handout")
    assert about is not None
    texts = block_texts(about.blocks[0])
    facts = {texts[i]: texts[i + 1] for i in range(0, 10, 2)}
    assert facts["Made on"] == "2026-12-01"
    assert (
        facts["Catalogue"] == "painopts bundled catalogue, version 2026.11.0, reviewed 2026-11-21"
    )
    assert "Funding and conflicts of interest" in facts
    assert "How it is kept up to date" in facts
    assert doc.section("notice") is not None and NOTICE in _texts(doc)


def test_the_timeline_draws_only_options_in_the_grid_and_says_what_it_left_out(
    bundled: Catalogue,
) -> None:
    made = handout(bundled, choose(bundled, bundled.conditions["sciatica"]))
    assert [b.label for b in made.timeline] == [
        "Caudal epidural steroid injection",
        "Interlaminar epidural steroid injection",
        "Selective nerve root block",
        "Transforaminal epidural steroid injection",
    ]
    assert {b.stance for b in made.timeline} == {Stance.MAY_BE_CONSIDERED.label}
    assert made.timeline_note == "Not drawn: 1 option recommended against (listed apart)."


# --- the command, the formats and files --------------------------------------------


def test_html_is_self_contained_and_escapes_catalogue_text(run: Run) -> None:
    html = run("--no-bundled", "--catalog", str(HOSTILE), "handout", "sciatica").stdout
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(&#39;summary&#39;)&lt;/script&gt;" in html
    assert "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt; {{ 7*7 }} {% if 1 %}jinja{% endif %}" in html
    assert "Guide &lt;b&gt;A&lt;/b&gt;" in html
    # no request leaves the page: no src, no stylesheet link, no url() or @import
    assert not re.search(r"\ssrc=|<link|url\(|@import", html)
    assert "default-src 'none'" in html
    # the running header's title is a CSS string no catalogue text can end
    assert "</title><script>" not in html


def test_markdown_has_every_red_flag_risk_and_the_notice(run: Run, bundled: Catalogue) -> None:
    md = run("handout", "sciatica", "-f", "markdown").stdout
    cond = bundled.conditions["sciatica"]
    from painopts.markdown import escape

    for flag in cond.red_flags:
        assert escape(flag) in md
    for t, _ in choose(bundled, cond).options:
        for risk in t.risks:
            assert escape(risk.name) in md
    assert escape(NOTICE) in md
    assert md.index("Get help urgently") < md.index("Your options side by side")


def test_output_file_is_written_and_reported_on_stderr(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "sciatica.html"
    result = run("handout", "sciatica", "-o", str(target))
    assert result.stdout == ""
    assert result.stderr == f"painopts: wrote the sciatica handout (html) to {target}\n"
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["sciatica.html"]


def test_a_directory_is_refused_and_left_alone(run: Run, tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = run("handout", "sciatica", "-o", str(tmp_path), expect=2)
    assert result.stderr.startswith(f"painopts: {tmp_path} is a directory; give a file name")
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_replacing_a_file_keeps_its_permissions_and_follows_a_link(
    run: Run, tmp_path: Path
) -> None:
    real = tmp_path / "real.md"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.md"
    link.symlink_to(real)
    run("handout", "sciatica", "-f", "markdown", "-o", str(link))
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("# Sciatica: your options")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_a_failed_write_leaves_the_old_file_whole(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.html"
    target.write_text("old")

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    result = run("handout", "sciatica", "-o", str(target), expect=4)
    assert result.stderr == (
        f"painopts: could not write {target}: No space left on device; nothing there was changed\n"
    )
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.html"]


def test_something_that_is_not_a_regular_file_is_refused(run: Run, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run("handout", "sciatica", "-o", str(fifo), expect=2)
    assert result.stderr == (
        f"painopts: {fifo} exists and is not a regular file; choose another name\n"
    )
