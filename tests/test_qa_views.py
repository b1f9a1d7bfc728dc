"""Views as users meet them: defects found by running every README command (qa)."""

from __future__ import annotations

import pytest

from painopts.loader import load_catalogue
from painopts.queries import helps
from painopts.wording import NO_BENEFIT_ANYWHERE, relief_words

from .conftest import Run

CAT = load_catalogue()


def test_a_relief_range_no_condition_s_evidence_supports_is_labelled_everywhere(
    run: Run,
) -> None:
    # Lumbar RFA's evidence is conflicting for facet pain and unclear for chronic low
    # back pain; `list` and `show` printed "6-12 months" bare, as if trials showed it.
    rfa = CAT.techniques["lumbar-rfa"]
    assert not any(helps(i) for i in rfa.indications)
    assert relief_words(rfa) == f"6-12 months ({NO_BENEFIT_ANYWHERE})"
    tfesi = CAT.techniques["tfesi"]
    assert relief_words(tfesi) == f"2-12 weeks ({NO_BENEFIT_ANYWHERE})"
    # With a condition, the condition's own caveat says it; no second label.
    sciatica = next(i for i in tfesi.indications if i.condition == "sciatica")
    assert relief_words(tfesi, sciatica) == "2-12 weeks (evidence here conflicting)"
    # An option with evidence of benefit somewhere keeps its range as it was.
    assert relief_words(CAT.techniques["scs"]) == "6+ months (open-ended)"
    listed = " ".join(run("list", "--format", "markdown").stdout.split())
    assert (
        f"| lumbar-rfa | Lumbar medial branch radiofrequency ablation | ablation | 2/4 percutaneous | 6-12 months ({NO_BENEFIT_ANYWHERE}) |"
        in listed
    )
    shown = " ".join(run("show", "lumbar-rfa", "--format", "markdown").stdout.split())
    assert f"6-12 months ({NO_BENEFIT_ANYWHERE})" in shown
    record = run("show", "lumbar-rfa", "--format", "json").stdout
    assert f'"relief_caveat":"{NO_BENEFIT_ANYWHERE}"' in record


def test_markdown_tables_carry_the_notice_after_the_table_and_data_formats_do_not(
    run: Run,
) -> None:
    # A Markdown page is a reader's copy, as the terminal table is: `list --condition
    # knee-oa -f markdown` (stances for a condition) had no "not medical advice".
    from painopts.wording import NOTICE

    for args in (
        ["list", "--condition", "knee-oa"],
        ["list"],
        ["conditions"],
        ["search", "heat", "nerve"],
        ["sources", "--for", "sciatica"],
    ):
        md = run(*args, "--format", "markdown").stdout
        assert md.count(NOTICE) == 1, args
        assert md.endswith(f"\n\n{NOTICE}\n"), args
        table = [line for line in md.splitlines() if line.startswith("|")]
        assert not any(NOTICE in line for line in table)
        for fmt in ("csv", "json"):
            assert NOTICE not in run(*args, "--format", fmt).stdout, (args, fmt)


def test_ladder_note_agrees_in_number_and_levels_read_from_the_scale() -> None:
    from painopts.document import Entry, Note
    from painopts.documents import compare_value, ladder_blocks
    from painopts.wording import level_name

    rfa = CAT.techniques["lumbar-rfa"]
    ind = rfa.indications[0]
    one = ladder_blocks([(rfa, ind)], 1)
    two = ladder_blocks([(rfa, ind)], 2)
    assert isinstance(one[-1], Note) and isinstance(two[-1], Note)
    assert one[-1].text.endswith("(listed above under its own heading).")
    assert two[-1].text.endswith("(listed above under their own heading).")
    assert isinstance(one[0], Entry) and one[0].title == f"Level {level_name(rfa.invasiveness)}"
    assert compare_value(rfa, "invasiveness") == level_name(rfa.invasiveness)


def test_a_frequency_from_another_study_than_the_rate_is_not_read_as_its_restatement() -> None:
    # Laminectomy's dural tear: the rate (15 of 167, Swiss centres) and the words
    # ("about 1 in 12 (8.5%) in UK stenosis operations") come from different studies;
    # "about 9 in 100 (about 1 in 12 ... UK ...)" attributed the 9 in 100 to the UK study.
    from painopts.wording import how_often

    tear = next(r for r in CAT.techniques["laminectomy"].risks if r.name.startswith("Tear"))
    assert tear.rate is not None and set(tear.rate.sources).isdisjoint(tear.sources)
    assert how_often(tear) == (
        "about 9 in 100 people treated, during the operation; "
        "in another study, about 1 in 12 (8.5%) in UK stenosis operations"
    )
    same = next(r for r in CAT.techniques["kyphoplasty"].risks if r.rate is not None)
    assert how_often(same) == (
        "about 13 in 1,000 people treated, within 12 months (2 in 149 people in the FREE trial)"
    )


def _console_examples() -> list[tuple[str, list[str]]]:
    """Every `$ painopts ...` line of the README's console blocks, with the output
    shown under it (none when the next line is another command)."""
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    examples: list[tuple[str, list[str]]] = []
    for block in readme.split("```console\n")[1:]:
        for line in block.split("\n```", 1)[0].splitlines():
            if line.startswith("$ painopts "):
                examples.append((line.removeprefix("$ painopts "), []))
            else:
                examples[-1][1].append(line)
    return examples


EXAMPLES = _console_examples()


def test_the_readme_shows_console_examples() -> None:
    assert len(EXAMPLES) >= 6
    assert any(shown for _, shown in EXAMPLES)


@pytest.mark.parametrize(("command", "shown"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_every_readme_console_example_shows_what_painopts_prints(
    monkeypatch: pytest.MonkeyPatch, command: str, shown: list[str]
) -> None:
    # `show esi` in the README said "Recommended against for 3 conditions" after a
    # fourth (neck pain) was added. Shown text may be wrapped differently or cut
    # with "...": each run of shown lines must appear, whitespace aside.
    import shlex

    from typer.testing import CliRunner

    from painopts.cli import app

    monkeypatch.setenv("COLUMNS", "80")
    result = CliRunner().invoke(app, shlex.split(command))
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.stdout + result.stderr
    printed = " ".join((result.stdout + result.stderr).split())
    chunk: list[str] = []
    for line in [*shown, "..."]:
        if line.strip() != "...":
            chunk.append(line)
            continue
        text = " ".join(" ".join(chunk).split())
        assert text in printed, text
        chunk = []


def test_list_condition_markdown_puts_options_against_in_a_table_of_their_own(run: Run) -> None:
    # With --all the terminal lists PRP, prolotherapy and stem cells under "Recommended
    # against ... (not options)"; the Markdown mixed them into the options' table.
    md = run("list", "--condition", "knee-oa", "--all", "--format", "markdown").stdout
    heading = "**Recommended against for Knee osteoarthritis (not options)**"
    assert md.startswith("**Options for Knee osteoarthritis [knee-oa]**\n\n| id |")
    options, _, against = md.partition(f"\n{heading}\n")
    assert against, md
    for tid in ("prp", "prolotherapy", "stem-cells"):
        assert f"\n| {tid} |" in against and f"\n| {tid} |" not in options
    for tid in ("iacs", "genicular-rfa"):
        assert f"\n| {tid} |" in options and f"\n| {tid} |" not in against
    # Only those recommended against: no empty table of options, but the reason.
    text = run(
        "list", "--condition", "knee-oa", "--stance", "not-recommended", "-f", "markdown"
    ).stdout
    assert "No supported procedure matches these filters." in text
    assert text.count("| id |") == 1 and text.index(heading) < text.index("| id |")


def test_markdown_option_rows_read_in_words_as_on_screen(run: Run) -> None:
    # Markdown is for people: "not recommended", not the CSV value "not-recommended".
    md = run("list", "--condition", "knee-oa", "--all", "--format", "markdown").stdout
    row = next(line for line in md.splitlines() if line.startswith("| prp |"))
    assert "| recommended against | not recommended | low | points to no benefit |" in row
    row = next(line for line in md.splitlines() if line.startswith("| genicular-block |"))
    assert "| option | may be considered | low | points to benefit |" in row
    csv_text = run("list", "--condition", "knee-oa", "--all", "--format", "csv").stdout
    assert ",recommended against,not-recommended,low,no-benefit," in csv_text


def test_pathway_on_screen_opens_with_the_condition_s_red_flags(run: Run) -> None:
    # The stepped route began with first-line care: someone following it for sciatica
    # never saw "cauda equina ... go to an emergency department the same day".
    out = run("pathway", "sciatica").stdout
    text = " ".join(out.split())
    flags = CAT.conditions["sciatica"].red_flags
    assert flags
    assert "Get urgent medical help if any of these occur" in text
    for flag in flags:
        assert f"- {' '.join(flag.split())}" in text, flag
    assert out.index("Get urgent medical help") < out.index("1. Conservative first-line care")
    assert out.index(flags[0][:20]) < out.index("1. Conservative first-line care")


def test_timeline_for_a_condition_with_no_supported_option_says_so(
    monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    # `timeline --condition fibromyalgia` printed only "1 option recommended against
    # ... not shown", with a trailing space: nothing said no procedure is supported.
    from painopts.wording import NOT_SUPPORTED

    monkeypatch.setenv("COLUMNS", "80")
    out = run("timeline", "--condition", "fibromyalgia").stdout
    lines = out.splitlines()
    assert lines[:2] == ["Relief over time for Fibromyalgia [fibromyalgia]", NOT_SUPPORTED]
    assert "1 option recommended against for Fibromyalgia not shown" in " ".join(out.split())
    assert not [line for line in lines if line != line.rstrip()]
    # A condition with options draws them, with no such line.
    assert NOT_SUPPORTED not in run("timeline", "--condition", "sciatica").stdout


def test_sources_for_a_condition_include_those_behind_its_numbers_of_people_helped(
    run: Run,
) -> None:
    # `for sciatica` cites Ghahreman 2010 for "about 54 in 100 people ... with
    # transforaminal injection"; `sources --for sciatica -f bibtex` left it out.
    import json

    from painopts.queries import condition_source_ids

    ids = condition_source_ids(CAT, CAT.conditions["sciatica"])
    assert "ghahreman-tfesi-2010" in ids
    for c in CAT.conditions.values():
        wanted = {s for t in CAT.techniques.values() for b in t.benefits
                  if b.condition == c.id for s in b.sources}  # fmt: skip
        assert wanted <= set(condition_source_ids(CAT, c)), c.id
    listed = json.loads(run("sources", "--for", "sciatica", "-f", "json").stdout)
    assert "ghahreman-tfesi-2010" in {s["id"] for s in listed["sources"]}


def test_the_left_out_line_agrees_in_number() -> None:
    from painopts.queries import hidden_against_line

    c = CAT.conditions["fibromyalgia"]
    assert hidden_against_line(1, c).startswith(
        "1 option recommended against for Fibromyalgia not shown: add --all to see it apart,"
    )
    assert "add --all to see them apart," in hidden_against_line(3, c)


def test_an_open_ended_range_and_its_caveat_share_one_pair_of_brackets() -> None:
    # "2+ months (open-ended) (uncontrolled studies only)" read as two afterthoughts.
    pns = CAT.techniques["pns"]
    assert relief_words(pns) == "2+ months (open-ended; uncontrolled studies only)"
    assert relief_words(CAT.techniques["scs"]) == "6+ months (open-ended)"
    assert relief_words(CAT.techniques["stem-cells"]) == (
        f"6-12 months (uncontrolled studies only; {NO_BENEFIT_ANYWHERE})"
    )
