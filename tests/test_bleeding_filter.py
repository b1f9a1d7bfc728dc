"""--bleeding-risk: the classes of the 2018 multisociety guidance (Narouze et al.) as a
filter on `list` and `for`, shown beside each option when the filter is given, and
options the guidance does not classify left out and counted in the Filtered line."""

from __future__ import annotations

import csv
import io
import json

import pytest

from painopts import complete
from painopts.queries import filtered_line

from .conftest import Run

HIGH = ["scs", "hf10-scs", "burst-scs", "drg-stim", "itp", "vertebroplasty", "kyphoplasty", "mild"]
HIGH_LINE = (
    "Filtered: bleeding risk high; 40 of 48 techniques hidden by filters, 17 of them "
    "because the 2018 multisociety guidance does not classify their bleeding risk"
)
GUIDANCE = "the 2018 multisociety guidance"


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _flat(text: str) -> str:
    """Terminal text with its line wrapping undone."""
    return " ".join(text.split())


def test_list_high_returns_exactly_the_high_risk_procedures(run: Run) -> None:
    rows = _csv(run("list", "--bleeding-risk", "high", "-f", "csv").stdout)
    assert [r["id"] for r in rows] == HIGH
    assert {r["bleeding_risk"] for r in rows} == {"high"}


def test_the_csv_gains_a_bleeding_risk_column_only_with_the_filter(run: Run) -> None:
    header = run("list", "--bleeding-risk", "high", "-f", "csv").stdout.splitlines()[0]
    assert header == (
        "id,name,category,invasiveness,invasiveness_rank,relief,relief_min_days,"
        "relief_max_days,bleeding_risk"
    )
    assert "bleeding" not in run("list", "-f", "csv").stdout.splitlines()[0]


def test_the_filtered_line_counts_what_the_guidance_does_not_classify(run: Run) -> None:
    table = run("list", "--bleeding-risk", "high")
    assert HIGH_LINE in _flat(table.stdout)
    # Machine formats keep stdout data only: the line goes to stderr.
    assert run("list", "--bleeding-risk", "high", "-f", "csv").stderr == f"painopts: {HIGH_LINE}\n"


def test_the_terminal_table_shows_the_class(run: Run) -> None:
    lines = run("list", "--bleeding-risk", "high").stdout.splitlines()
    # The short column keeps its header whole, even at 100 columns.
    assert lines[0].split() == [
        "id", "name", "category", "invasiveness", "relief", "bleeding", "risk",
    ]  # fmt: skip
    assert lines[0].endswith("bleeding risk")
    rows = [line for line in lines[2:] if line[:1].isalnum() and line.split()[0] in HIGH]
    assert [r.split()[0] for r in rows] == HIGH
    assert all(r.endswith(" high") for r in rows)


def test_json_carries_the_class_and_the_unclassified_count(run: Run) -> None:
    doc = json.loads(run("list", "--bleeding-risk", "high", "-f", "json").stdout)
    assert [t["id"] for t in doc["techniques"]] == HIGH
    assert {t["bleeding_risk"]["risk"] for t in doc["techniques"]} == {"high"}
    assert doc["filtered"] == {
        "filters": ["bleeding risk high"],
        "hidden": 40,
        "of": 48,
        "hidden_unclassified": 17,
    }
    plain = json.loads(run("list", "-f", "json").stdout)
    assert "hidden_unclassified" not in plain["filtered"]


def test_markdown_has_the_column(run: Run) -> None:
    lines = run("list", "--bleeding-risk", "low,high", "-f", "markdown").stdout.splitlines()
    assert lines[0] == "| id | name | category | invasiveness | relief | bleeding risk |"
    assert lines[2].startswith("| lumbar-rfa | ") and lines[2].endswith(" | low |")


def test_a_comma_list_is_the_same_as_repeating_the_option(run: Run) -> None:
    comma = run("list", "--bleeding-risk", "Low,intermediate", "-f", "csv").stdout
    repeated = run(
        "list", "--bleeding-risk", "low", "--bleeding-risk", "INTERMEDIATE", "-f", "csv"
    ).stdout
    assert comma == repeated
    assert {r["bleeding_risk"] for r in _csv(comma)} == {"low", "intermediate"}
    assert len(_csv(comma)) == 48 - 17 - len(HIGH)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "not-classified",
            "options the guidance does not classify cannot be chosen: the filter always "
            "leaves them out; use low, intermediate, high",
        ),
        ("medium", "'medium' is not a bleeding-risk class; use low, intermediate, high"),
        ("low,,high", "'' is not a bleeding-risk class; use low, intermediate, high"),
    ],
)
def test_a_value_outside_the_classes_is_a_usage_error(run: Run, value: str, message: str) -> None:
    result = run("list", "--bleeding-risk", value, expect=2)
    assert message in result.stderr
    assert result.stdout == ""


def test_list_condition_shows_the_class_and_the_count(run: Run) -> None:
    result = run("list", "--condition", "knee-oa", "--bleeding-risk", "low", "-f", "csv")
    rows = _csv(result.stdout)
    assert [(r["id"], r["bleeding_risk"]) for r in rows] == [
        ("iacs", "low"),
        ("genicular-block", "low"),
    ]
    assert (
        "painopts: Filtered: bleeding risk low; 4 of 8 options hidden by filters, 4 of them "
        "because the 2018 multisociety guidance does not classify their bleeding risk\n"
    ) in result.stderr
    # Below 120 columns each option is a card, with its class on a line of its own.
    cards = run("list", "--condition", "knee-oa", "--bleeding-risk", "low").stdout
    assert cards.count("\n   Bleeding risk: low\n") == 2


def test_for_shows_each_options_class_and_what_was_hidden(run: Run) -> None:
    rows = _csv(run("for", "sciatica", "--bleeding-risk", "intermediate", "-f", "csv").stdout)
    assert [(r["technique"], r["bleeding_risk"]) for r in rows] == [
        ("caudal-esi", "intermediate"),
        ("ilesi", "intermediate"),
        ("tfesi", "intermediate"),
    ]
    out = run("for", "sciatica", "--bleeding-risk", "intermediate").stdout
    assert _flat(out).count(f"Bleeding risk: intermediate bleeding risk in {GUIDANCE}") == 3
    assert (
        "Filtered: bleeding risk intermediate; 4 of 7 options hidden by filters, 4 of them "
        "because the 2018 multisociety guidance does not classify their bleeding risk"
    ) in _flat(out)
    md = run("for", "sciatica", "--bleeding-risk", "intermediate", "-f", "markdown").stdout
    assert md.count(f"- **Bleeding risk:** intermediate bleeding risk in {GUIDANCE}") == 3
    doc = json.loads(run("for", "sciatica", "--bleeding-risk", "intermediate", "-f", "json").stdout)
    assert [o["bleeding_risk"]["risk"] for o in doc["options"]] == ["intermediate"] * 3
    assert doc["filtered"]["hidden_unclassified"] == 4


def test_for_without_the_filter_does_not_add_the_line(run: Run) -> None:
    assert "Bleeding risk:" not in run("for", "sciatica").stdout
    assert "bleeding_risk" not in run("for", "sciatica", "-f", "csv").stdout.splitlines()[0]


def test_the_line_says_none_when_nothing_hidden_was_unclassified() -> None:
    assert filtered_line(["bleeding risk low"], 2, 5, unclassified=0) == (
        "Filtered: bleeding risk low; 2 of 5 options hidden by filters, none of them "
        "because the 2018 multisociety guidance does not classify their bleeding risk"
    )
    assert filtered_line(["x"], 1, 2) == "Filtered: x; 1 of 2 options hidden by filters"


# --- show and compare say the class, never a blank --------------------------------------


def test_show_says_a_class_in_words(run: Run) -> None:
    out = run("show", "scs").stdout
    assert f"Bleeding risk       high bleeding risk in {GUIDANCE}" in out


def test_show_says_not_classified_in_words(run: Run, run_mini: Run) -> None:
    # An explicit "not-classified" in the bundled catalogue, and no class at all in a
    # custom one, read the same: never a blank.
    for out in (run("show", "si-fusion").stdout, run_mini("show", "scs").stdout):
        assert f"Bleeding risk       not classified by {GUIDANCE}" in out
    md = run_mini("show", "scs", "-f", "markdown").stdout
    assert f"- **Bleeding risk:** not classified by {GUIDANCE}" in md
    rows = run_mini("show", "scs", "-f", "csv").stdout.splitlines()
    assert f"bleeding,not classified by {GUIDANCE}" in rows


def test_compare_shows_both_classes(run: Run) -> None:
    rows = run("compare", "scs", "tfesi", "-f", "csv").stdout.splitlines()
    assert (
        f"bleeding,high bleeding risk in {GUIDANCE},intermediate bleeding risk in {GUIDANCE}"
    ) in rows


# --- completion -----------------------------------------------------------------------


def _complete(words: str) -> str | None:
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    env = {"_PAINOPTS_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    return complete.answer(env, prog="painopts")


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("painopts list --bleeding-risk ", "low\nintermediate\nhigh\n"),
        ("painopts for sciatica --bleeding-risk I", "intermediate\n"),
        ("painopts list --blee", "--bleeding-risk\n"),
    ],
)
def test_the_classes_complete(words: str, expected: str) -> None:
    assert _complete(words) == expected
