"""Lines that show a catalogue's regulatory note, related techniques and
disagreement between sources: each is pinned where a reader meets it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import MINI, Run

REGULATORY = "Cleared as a device in some countries; the lesion itself is not licensed."
DISAGREEMENT = "One review found the benefit fades within months."
# The blocks `show` prints; a technique without a regulatory note says so in words.
REGULATORY_BLOCK = ["Regulatory warnings", REGULATORY, ""]
RELATED_BLOCK = [
    "Related techniques",
    "- Spinal cord stimulation [scs]",
    "- Epidural steroid injection [esi]",
    "",
]


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    text = (MINI / "catalogue.yaml").read_text(encoding="utf-8")
    old = (
        '    reviewed: "2026-01-01"\n    indications:\n      - condition: facet-pain\n'
        "        stance: recommended\n"
    )
    assert text.count(old) == 1
    text = text.replace(
        old,
        f'    reviewed: "2026-01-01"\n    regulatory: {REGULATORY}\n    related: [scs, esi]\n'
        "    indications:\n      - condition: facet-pain\n        stance: recommended\n"
        f"        disagreement: {DISAGREEMENT}\n",
    )
    path = tmp_path_factory.mktemp("lines") / "catalogue.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _lines(run: Run, catalogue: Path, *args: str) -> list[str]:
    return run("--no-bundled", "--catalog", str(catalogue), *args).stdout.splitlines()


def _after(lines: list[str], first: str, count: int) -> list[str]:
    start = lines.index(first)
    return lines[start : start + count]


def test_show_gives_the_regulatory_status_its_own_heading(run: Run, catalogue: Path) -> None:
    lines = _lines(run, catalogue, "show", "rfa")
    assert _after(lines, REGULATORY_BLOCK[0], len(REGULATORY_BLOCK)) == REGULATORY_BLOCK
    assert _after(_lines(run, catalogue, "show", "scs"), REGULATORY_BLOCK[0], 2) == [
        REGULATORY_BLOCK[0],
        "None recorded.",
    ]


def test_show_names_related_techniques(run: Run, catalogue: Path) -> None:
    lines = _lines(run, catalogue, "show", "rfa")
    assert _after(lines, RELATED_BLOCK[0], len(RELATED_BLOCK)) == RELATED_BLOCK
    assert not [line for line in _lines(run, catalogue, "show", "scs") if "Related" in line]


def test_option_cards_say_where_sources_disagree(run: Run, catalogue: Path) -> None:
    line = f"   Sources disagree: {DISAGREEMENT}"
    for args in (["show", "rfa"], ["for", "facet-pain"]):
        lines = _lines(run, catalogue, *args)
        assert lines.count(line) == 1
        # Under the note of the indication it qualifies.
        assert lines[lines.index(line) - 1].startswith("   After a positive block.")
    # An indication with no disagreement recorded has no such line.
    lines = _lines(run, catalogue, "show", "scs")
    assert not [line for line in lines if "disagree" in line]


def test_compare_asks_whether_sources_disagree(run: Run, catalogue: Path) -> None:
    lines = _lines(run, catalogue, "compare", "rfa", "esi", "--condition", "facet-pain")
    asked = [line for line in lines if line.startswith("Do sources disagree?")]
    assert asked == [
        f"Do sources disagree?   {DISAGREEMENT}",
        "Do sources disagree?   none recorded",
    ]


def test_the_data_formats_carry_the_same_facts(run: Run, catalogue: Path) -> None:
    doc = json.loads(
        run("--no-bundled", "--catalog", str(catalogue), "show", "rfa", "-f", "json").stdout
    )
    record = doc["technique"]
    assert record["regulatory"] == REGULATORY
    assert record["related"] == ["scs", "esi"]
    assert [i["disagreement"] for i in record["indications"]] == [DISAGREEMENT]
    csv = run(
        "--no-bundled", "--catalog", str(catalogue), "compare", "rfa", "esi",
        "--condition", "facet-pain", "-f", "csv",
    ).stdout  # fmt: skip
    assert f"disagreement for facet-pain,{DISAGREEMENT},none recorded\n" in csv
