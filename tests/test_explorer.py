"""Filters, sorting, search and output formats, through the CLI on the fixture."""

from __future__ import annotations

import csv
import io
import json

import pytest

from painopts.wording import NOTICE

from .conftest import Run


def csv_ids(text: str) -> list[str]:
    return [row["id"] for row in csv.DictReader(io.StringIO(text))]


@pytest.mark.parametrize(
    ("args", "ids"),
    [
        ([], ["esi", "rfa", "scs"]),
        (["--condition", "pinched nerve"], ["esi", "scs"]),
        (["--category", "ablation"], ["rfa"]),
        (["--category", "ablation", "--category", "injection"], ["esi", "rfa"]),
        (["--max-invasiveness", "percutaneous"], ["esi", "rfa"]),
        (["--min-invasiveness", "implant"], ["scs"]),
        (["--min-relief", "6m"], ["rfa", "scs"]),
        (["--min-relief", "13 months"], ["scs"]),
        (["--max-relief", "2w"], []),
        (["--max-relief", "1y"], ["esi", "rfa", "scs"]),
        (["--evidence", "moderate"], ["esi", "rfa"]),
        (["--condition", "sciatica", "--evidence", "moderate"], ["esi"]),
        (["--stance", "recommended"], ["rfa"]),
        (["--stance", "not-recommended"], ["esi"]),
        (["--region", "lower-limb"], ["esi", "scs"]),
        (["--therapeutic"], ["esi", "rfa", "scs"]),
        (["--diagnostic"], []),
        (["--sort", "name"], ["esi", "rfa", "scs"]),
        (["--sort", "relief"], ["scs", "rfa", "esi"]),
        (["--sort", "relief", "--reverse"], ["esi", "rfa", "scs"]),
        (["--sort", "invasiveness", "--reverse"], ["scs", "rfa", "esi"]),
        # Stance first (rfa is recommended), then certainty of benefit.
        (["--sort", "evidence"], ["rfa", "esi", "scs"]),
    ],
)
def test_list_filters_and_sorts(run_mini: Run, args: list[str], ids: list[str]) -> None:
    result = run_mini("list", *args, "--format", "csv")
    assert csv_ids(result.stdout) == ids
    # What the filters hid goes to stderr, since CSV carries data only.
    said = result.stderr.splitlines()
    filtered = [line for line in said if line.startswith("painopts: Filtered: ")]
    narrowing = [a for a in args if a.startswith("--") and a not in ("--sort", "--reverse")]
    assert len(filtered) == (1 if set(narrowing) - {"--condition"} else 0)
    nothing = (
        [] if ids or "--condition" in args else ["painopts: no technique matches those filters"]
    )
    assert [line for line in said if line not in filtered] == nothing


@pytest.mark.parametrize(
    ("args", "options", "against"),
    [
        ([], ["esi", "scs"], []),
        (["--max-invasiveness", "needle"], ["esi"], []),
        (["--evidence", "moderate"], ["esi"], []),
        (["--sort", "invasiveness", "--reverse"], ["scs", "esi"], []),
    ],
)
def test_for_accepts_the_same_filters(
    run_mini: Run, args: list[str], options: list[str], against: list[str]
) -> None:
    doc = json.loads(run_mini("for", "sciatica", *args, "--format", "json").stdout)
    assert [o["technique"] for o in doc["options"]] == options
    assert [o["technique"] for o in doc["against"]] == against


def test_for_with_nothing_left_says_so_and_exits_0(run_mini: Run) -> None:
    result = run_mini("for", "sciatica", "--min-invasiveness", "surgery")
    assert result.stderr == "painopts: no option for sciatica matches those filters\n"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--category", "foo"], "'foo' is not one of 'injection', 'nerve-block', 'ablation'"),
        (
            ["--max-invasiveness", "huge"],
            "'huge' is not a level; use one of 1 needle, 2 percutaneous, 3 implant, 4 surgery",
        ),
        (
            ["--evidence", "great"],
            "'great' is not one of 'high', 'moderate', 'low', 'very-low', 'insufficient'",
        ),
        (["--sort", "size"], "'size' is not one of 'name', 'invasiveness', 'relief', 'evidence'"),
        (["--format", "xml"], "'xml' is not one of 'table', 'json', 'markdown', 'csv'"),
    ],
)
def test_bad_option_values_list_the_valid_ones(
    run_mini: Run, args: list[str], fragment: str
) -> None:
    result = run_mini("list", *args, expect=2)
    assert fragment in " ".join(result.stderr.split())


def test_bad_durations_explain_the_units(run_mini: Run) -> None:
    result = run_mini("list", "--min-relief", "six months", expect=2)
    assert result.stderr == (
        "painopts: cannot read 'six months' as a duration; use a number and a unit such as "
        "12h, 10d, 2w, 6m (months) or 1y\n"
    )


def test_json_is_a_stable_envelope_with_the_catalogue_version(run_mini: Run) -> None:
    doc = json.loads(run_mini("list", "--format", "json").stdout)
    assert set(doc) == {"painopts", "contract", "command", "catalogue", "techniques", "filtered"}
    assert doc["filtered"] == {"filters": [], "hidden": 0, "of": 3}
    assert doc["contract"] == 3
    assert doc["command"] == "list"
    assert doc["catalogue"]["version"] == "0.0.1"
    rfa = doc["techniques"][1]
    assert rfa["id"] == "rfa"
    assert rfa["invasiveness"] == "percutaneous" and rfa["invasiveness_rank"] == 2
    assert rfa["relief"] == {
        "min": 6.0,
        "max": 12.0,
        "unit": "months",
        "note": None,
        "sources": ["guide-a-2020"],
        "basis": "controlled-trials",
    }
    assert rfa["indications"][0]["evidence"] == {
        "grade": "consider",
        "system": "Guide A wording",
        "certainty": "moderate",
        "direction": "benefit",
    }
    scs = doc["techniques"][2]
    assert scs["relief_days"] == {"min": 365.25, "max": None}


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["show", "rfa"],
        ["compare", "rfa", "scs"],
        ["for", "sciatica"],
        ["conditions"],
        ["sources"],
        ["search", "nerve"],
    ],
)
def test_machine_formats_carry_no_notice_and_no_styling(run_mini: Run, args: list[str]) -> None:
    # Markdown is a reader's copy: documents (show, compare, for) and tables (list,
    # conditions, sources, search) alike carry the notice once; JSON and CSV are data.
    for fmt in ("json", "csv", "markdown"):
        result = run_mini(*args, "--format", fmt, "--color", "always")
        expected = 1 if fmt == "markdown" else 0
        assert result.stdout.count(NOTICE) == expected, fmt
        assert "\x1b[" not in result.stdout
        if fmt == "json":
            assert json.loads(result.stdout)["catalogue"]["origins"]


def test_csv_opens_as_a_spreadsheet_would(run_mini: Run) -> None:
    text = run_mini("for", "sciatica", "--format", "csv").stdout
    assert "\r" not in text  # LF line endings, for awk, cut and grep
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "order",
        "group",
        "technique",
        "name",
        "stance",
        "certainty",
        "direction",
        "grade",
        "system",
        "invasiveness",
        "invasiveness_rank",
        "relief",
        "relief_min_days",
        "relief_max_days",
        "note",
        "sources",
    ]
    assert rows[1] == [
        "1",
        "option",
        "esi",
        "Epidural steroid injection",
        "may-be-considered",
        "moderate",
        "benefit",
        "Level II",
        "Guide A levels",
        "needle",
        "1",
        "1-3 months",
        "30.4375",
        "91.3125",
        "Short-term relief.",
        "guide-a-2020 review-b-2019",
    ]


def test_markdown_is_a_table(run_mini: Run) -> None:
    out = run_mini("list", "--format", "markdown", "--sort", "relief").stdout.splitlines()
    assert out == [
        "| id | name | category | invasiveness | relief |",
        "|---|---|---|---|---|",
        "| scs | Spinal cord stimulation | neuromodulation | 3/4 implant | 1+ years (open-ended) |",
        "| rfa | Radiofrequency ablation | ablation | 2/4 percutaneous | 6-12 months |",
        "| esi | Epidural steroid injection | injection | 1/4 needle | 1-3 months |",
        "",
        NOTICE,
    ]


def test_table_output_names_the_catalogue_loaded(run_mini: Run) -> None:
    from .conftest import MINI

    out = " ".join(run_mini("list").stdout.split())
    assert f"Catalogue: test fixture 0.0.1, reviewed 2026-01-01; loaded from {MINI}." in out


def test_compare_diff_hides_identical_rows(run_mini: Run) -> None:
    out = run_mini("compare", "rfa", "esi", "--diff", "--format", "csv").stdout
    labels = [row[0] for row in csv.reader(io.StringIO(out))]
    assert labels == [
        "attribute",
        "name",
        "category",
        "invasiveness",
        "onset",
        "relief",
        "anaesthesia",
        "recovery",
        "prerequisites",
        "risks",
        "conditions",
    ]
    full = run_mini("compare", "rfa", "esi", "--format", "csv").stdout
    assert "imaging" in [row[0] for row in csv.reader(io.StringIO(full))]


def test_compare_stays_readable_at_80_columns(
    run_mini: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = run_mini("compare", "rfa", "scs", "esi").stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    # Three techniques do not fit side by side at 80 columns: one block, each
    # question followed by one line per technique.
    block = out.split("Side by side\n", 1)[1]
    assert block.startswith(
        "What is it called?\n"
        "  rfa  Radiofrequency ablation\n"
        "  scs  Spinal cord stimulation\n"
        "  esi  Epidural steroid injection\n"
        "\n"
        "What kind of procedure?\n"
        "  rfa  ablation\n"
        "  scs  neuromodulation\n"
        "  esi  injection\n"
        "\n"
        "How invasive is it?\n"
        "  rfa  2/4 percutaneous\n"
        "  scs  3/4 implant\n"
        "  esi  1/4 needle\n"
    )
    block = block.split("\nRelief over time", 1)[0]
    assert "\n\n\n" not in block


def test_search_ranks_and_says_why(run_mini: Run) -> None:
    doc = json.loads(run_mini("search", "spinal", "cord", "--format", "json").stdout)
    assert doc["hits"][0]["id"] == "scs"
    assert doc["hits"][0]["matched"] == [
        "name 'Spinal cord stimulation' (Spinal, cord)",
        "alias 'spinal cord stimulator' (spinal, cord)",
    ]
    assert doc["hits"][0]["reasons"][0] == {
        "field": "name",
        "words": ["Spinal", "cord"],
        "text": "Spinal cord stimulation",
    }
    assert doc["corrected"] == {}
    doc = json.loads(run_mini("search", "nerve", "--format", "json").stdout)
    assert [(h["kind"], h["id"], h["score"]) for h in doc["hits"]] == [
        ("condition", "sciatica", 180),
        ("technique", "esi", 40),
        ("technique", "rfa", 40),
    ]
    assert doc["hits"][0]["matched"] == [
        "synonym 'pinched nerve' (nerve)",
        "summary 'Leg pain from an irritated nerve root.' (nerve)",
    ]
    # "nerves" is the same word as "nerve"
    assert doc["hits"][2]["reasons"][0]["words"] == ["nerves"]


def test_search_with_no_hits_says_so(run_mini: Run) -> None:
    result = run_mini("search", "zebra")
    assert result.stderr == "painopts: nothing matches 'zebra'\n"


def complete(words: str) -> list[str]:
    """Ask the app for completions the way bash does on Tab."""
    from typer.testing import CliRunner

    from painopts.cli import app

    result = CliRunner().invoke(
        app,
        [],
        prog_name="painopts",
        env={
            "_PAINOPTS_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        },
    )
    assert result.exit_code == 0, result.output
    return result.stdout.split()


def test_completion_offers_ids_and_aliases_for_a_partial_word() -> None:
    from .conftest import MINI

    base = f"painopts --no-bundled --catalog {MINI}"
    assert complete(f"{base} show rf") == ["rfa"]
    assert complete(f"{base} compare rfa s") == ["scs"]
    assert complete(f"{base} for sc") == ["sciatica"]
    assert complete(f"{base} for fac") == ["facet-pain"]
    assert "compare" in complete("painopts comp")
    assert complete(f"{base} list --max-invasiveness p") == ["percutaneous"]
