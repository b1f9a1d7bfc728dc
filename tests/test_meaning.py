"""What a view means: issue 10's "What was seen" items, each pinned on the bundled
catalogue, and the guards that keep every view honest about options recommended
against and about evidence that does not show benefit."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from painopts.loader import load_catalogue
from painopts.models import Catalogue, Certainty, Direction, Stance

from .conftest import Run

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def json_of(run: Run, *args: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(run(*args, "--format", "json").stdout)
    return doc


def flat(block: list[str]) -> str:
    """Lines joined as a reader would read them, without tree or table drawing."""
    return " ".join(re.sub(r"[│├└─]", " ", " ".join(block)).split())


def card_ids(block: list[str]) -> list[str]:
    """Ids of option cards ("1. Name [id]  stance"), in order."""
    out = []
    for line in block:
        m = re.match(r"^\d+\. .*?\[([a-z0-9-]+)\]", line)
        if m:
            out.append(m.group(1))
    return out


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def against_ids(cat: Catalogue, condition: str) -> list[str]:
    return [
        t.id for t, ind in cat.indications_for(condition) if ind.stance is Stance.NOT_RECOMMENDED
    ]


def option_ids(cat: Catalogue, condition: str) -> list[str]:
    return [
        t.id
        for t, ind in cat.indications_for(condition)
        if ind.stance is not Stance.NOT_RECOMMENDED
    ]


ALL_CONDITIONS = list(load_catalogue().conditions)


# --- What was seen, 1-7 --------------------------------------------------------------


def test_seen_1_evidence_high_is_not_the_three_epidurals(run: Run, bundled: Catalogue) -> None:
    ids = [t["id"] for t in json_of(run, "list", "--evidence", "high")["techniques"]]
    assert not {"ilesi", "tfesi", "caudal-esi"} & set(ids)
    for ident in ids:
        assert any(
            ind.evidence.direction is Direction.BENEFIT and ind.evidence.certainty is Certainty.HIGH
            for ind in bundled.techniques[ident].indications
        ), ident


def test_seen_2_evidence_moderate_leaves_out_what_does_not_help(run: Run) -> None:
    ids = {t["id"] for t in json_of(run, "list", "--evidence", "moderate")["techniques"]}
    # Epidurals left this list when their sciatica evidence became "conflicting": Cochrane
    # 2020's benefit is small (about 5 points in 100) and gone by 3 months.
    assert not {"vertebroplasty", "prp", "prolotherapy", "ilesi", "tfesi", "caudal-esi"} & ids
    assert {"onb", "botox-migraine"} <= ids


def test_seen_3_list_condition_shows_stances_and_leaves_out_against(run: Run) -> None:
    out = lines(run("list", "--condition", "chronic low back pain").stdout)
    text = "\n".join(out)
    # hf10-scs left when it was judged on the same Cochrane evidence as conventional SCS.
    assert card_ids(out) == ["pns"]
    assert out[2] == (
        "1. Peripheral nerve stimulation (implanted or temporary percutaneous) [pns]  may be "
        "considered"
    )
    assert "not recommended" not in text
    assert (
        "12 options recommended against for Chronic non-specific low back pain not shown: add "
        "--all to see them apart, or `painopts list --condition chronic-low-back-pain --stance "
        "not-recommended`." in " ".join(text.split())
    )


def test_seen_3_neck_pain_sorted_by_evidence_does_not_start_with_an_epidural(run: Run) -> None:
    rows = list(
        csv.DictReader(
            io.StringIO(
                run(
                    "list", "--condition", "neck pain", "--sort", "evidence", "--format", "csv"
                ).stdout
            )
        )
    )
    assert rows[0]["stance"] != "not-recommended"
    assert all(r["group"] == "option" for r in rows)
    assert "ilesi" not in [r["id"] for r in rows]


def test_seen_3_the_condition_option_no_longer_promises_evidence_in_favour(run: Run) -> None:
    help_text = " ".join(run("list", "--help").stdout.split())
    assert "evidence for this condition" not in help_text
    assert "recommended against are left out unless --all" in help_text


def test_seen_3_readme_knee_example_shows_stances(run: Run) -> None:
    block = README.split("$ painopts list --condition knee-oa", 1)[1].split("```", 1)[0]
    assert "may be considered" in block
    assert "prp " not in block and "stem-cells" not in block and "prolotherapy" not in block
    assert "recommended against for Knee osteoarthritis not shown" in " ".join(block.split())


def test_seen_4_for_fibromyalgia_draws_no_bar(run: Run) -> None:
    out = run("for", "fibromyalgia").stdout
    assert "Relief over time" not in out
    assert "█" not in out and "▓" not in out
    assert "No procedure in this catalogue is supported for this condition." in out


def test_seen_4_timeline_for_back_pain_draws_the_options_only(run: Run) -> None:
    out = lines(run("timeline", "--condition", "chronic low back pain").stdout)
    bars = [line.split()[0] for line in out if "█" in line and not line.startswith("axis")]
    assert bars == ["pns"]
    assert any("12 options recommended against" in line for line in out)


def test_seen_4_for_sciatica_does_not_draw_pulsed_rf_as_an_option(run: Run) -> None:
    out = lines(run("for", "sciatica").stdout)
    ladder = out[out.index("Invasiveness ladder (lowest first)") : out.index("References")]
    assert not any("Pulsed radiofrequency" in line for line in ladder)
    assert (
        "Not on the ladder: 1 option recommended against (listed above under its own "
        "heading)." in flat(ladder)
    )
    # The chart is its own command now, which leaves pulsed RF out (see the guard below).
    assert "Relief over time as a chart: painopts timeline --condition sciatica" in flat(out)
    chart = lines(run("timeline", "--condition", "sciatica").stdout)
    assert not any(line.startswith("pulsed-rf") for line in chart)


def test_seen_5_filters_are_named_and_never_read_as_not_supported(run: Run) -> None:
    out = " ".join(
        run("for", "sciatica", "--max-invasiveness", "needle", "--min-relief", "1y").stdout.split()
    )
    assert "No procedure in this catalogue is supported" not in out
    assert (
        "Filtered: invasiveness at most needle, relief at least 1 year, relief shown in "
        "controlled trials; 7 of 7 options hidden by filters" in out
    )
    assert "No supported procedure matches these filters." in out


def test_seen_5_json_says_what_filters_hid(run: Run) -> None:
    doc = json_of(run, "for", "sciatica", "--max-invasiveness", "needle", "--min-relief", "1y")
    assert doc["filtered"] == {
        "filters": [
            "invasiveness at most needle",
            "relief at least 1 year",
            "relief shown in controlled trials",
        ],
        "hidden": 7,
        "of": 7,
    }


@pytest.mark.parametrize("name", ["esi", "epidural"])
def test_seen_6_esi_and_epidural_name_the_other_routes(run: Run, name: str) -> None:
    out = " ".join(lines(run("show", name).stdout)[:6])
    assert "Interlaminar epidural steroid injection  [ilesi]" in out
    assert "Transforaminal epidural steroid injection [tfesi]" in out
    assert "Caudal epidural steroid injection [caudal-esi]" in out


def test_seen_6_rfa_stays_lumbar_and_names_the_other_radiofrequency_procedures(run: Run) -> None:
    out = " ".join(lines(run("show", "rfa").stdout)[:8])
    assert out.startswith("Lumbar medial branch radiofrequency ablation  [lumbar-rfa]")
    for ident in ("cervical-rfa", "si-rfa", "genicular-rfa", "cooled-rf", "pulsed-rf"):
        assert f"[{ident}]" in out
    compared = run("compare", "rfa", "scs").stdout
    assert "lumbar-rfa" in compared and "[cervical-rfa]" in compared


@pytest.mark.parametrize(
    ("name", "first"),
    [("steroid injection", "iacs"), ("nerve block", "pnb"), ("joint injection", "iacs")],
)
def test_seen_6_generic_names_are_ambiguous(run: Run, name: str, first: str) -> None:
    result = run("show", name, expect=2)
    assert result.stdout == ""
    assert f"technique name {name!r} is ambiguous: it could be {first} (" in result.stderr
    assert f"(to see them side by side: painopts compare {first} " in result.stderr


def test_seen_7_show_stem_cells_opens_with_its_verdict(run: Run) -> None:
    out = lines(run("show", "stem-cells").stdout)
    assert out[1] == "Recommended against for 2 conditions; see Evidence by condition"
    relief = next(line for line in out if line.startswith("Duration of relief"))
    assert "6-12 months (uncontrolled studies only; no condition's evidence points" in relief


def test_seen_7_relief_filters_leave_out_ranges_without_controlled_benefit(run: Run) -> None:
    ids = {t["id"] for t in json_of(run, "list", "--min-relief", "6m")["techniques"]}
    assert not {"stem-cells", "prolotherapy", "prp", "genicular-block", "bvna"} & ids
    assert {"cervical-rfa", "scs", "laminectomy"} <= ids
    everything = {
        t["id"] for t in json_of(run, "list", "--min-relief", "6m", "--all")["techniques"]
    }
    assert {"stem-cells", "prolotherapy", "prp", "bvna"} <= everything
    assert "discography" not in everything


def test_seen_7_a_diagnostic_test_never_shows_zero_hours_of_relief(run: Run) -> None:
    for args in (
        ["show", "discography"],
        ["list", "--format", "csv"],
        ["compare", "discography", "mbb", "--format", "csv"],
    ):
        out = run(*args).stdout
        assert "0 hours" not in out
        assert "diagnostic test, not a treatment" in " ".join(out.split())
    doc = json_of(run, "show", "discography")
    assert doc["technique"]["relief"] is None and doc["technique"]["relief_days"] is None


# --- Guards (item 9) -------------------------------------------------------------------


def test_most_conditions_have_options_recommended_against(bundled: Catalogue) -> None:
    assert len([c for c in bundled.conditions if against_ids(bundled, c)]) >= 12


@pytest.mark.parametrize("condition", ALL_CONDITIONS)
def test_every_view_labels_every_option_recommended_against(
    run: Run, bundled: Catalogue, condition: str
) -> None:
    against = against_ids(bundled, condition)
    options = option_ids(bundled, condition)
    if not against:
        # Nothing to label: no view may invent a heading for it either.
        assert json_of(run, "for", condition)["against"] == []
        assert "Recommended against" not in run("for", condition).stdout
        assert "recommended against for" not in run("list", "--condition", condition).stdout
        return

    # for: table, JSON, CSV, Markdown
    table = lines(run("for", condition).stdout)
    heading = table.index("Recommended against by a guideline or the best evidence")
    for ident in against:
        i = next(i for i, line in enumerate(table) if re.match(rf"\d+\. .*\[{ident}\]", line))
        assert i > heading
        assert "not recommended" in flat(table[i : i + 2])
    doc = json_of(run, "for", condition)
    assert sorted(o["technique"] for o in doc["against"]) == sorted(against)
    assert all(o["stance"] == "not-recommended" for o in doc["against"])
    assert not {o["technique"] for o in doc["options"]} & set(against)
    header, *table_rows = list(csv.reader(io.StringIO(run("for", condition, "-f", "csv").stdout)))
    for r in table_rows:
        row = dict(zip(header, r, strict=True))
        assert (row["group"] == "recommended against") == (row["technique"] in against)
        assert (row["stance"] == "not-recommended") == (row["technique"] in against)
    assert {r[header.index("technique")] for r in table_rows} >= set(against)
    # Markdown: a card under the against heading, with its label, and nowhere else.
    sections = run("for", condition, "--format", "markdown").stdout.split("\n## ")
    (apart,) = [s for s in sections if s.startswith("Recommended against by a guideline")]
    for ident in against:
        card = re.compile(rf"^### \d+\. .* \[{re.escape(ident)}\] — not recommended$", re.M)
        assert card.search(apart), ident
        assert not any(card.search(s) for s in sections if s is not apart), ident

    # list --condition: left out by default, labelled apart with --all, kept in JSON
    text = lines(run("list", "--condition", condition).stdout)
    assert not set(card_ids(text)) & set(against)
    assert "recommended against for" in " ".join(text)
    shown = lines(run("list", "--condition", condition, "--all").stdout)
    split = next(i for i, line in enumerate(shown) if line.startswith("Recommended against for"))
    assert set(card_ids(shown[split:])) == set(against)
    assert not set(card_ids(shown[:split])) & set(against)
    for i in range(split, len(shown)):
        if card_ids(shown[i : i + 1]):
            assert "not recommended" in flat(shown[i : i + 2])
    doc = json_of(run, "list", "--condition", condition)
    assert sorted(o["technique"] for o in doc["against"]) == sorted(against)
    rows = csv.DictReader(
        io.StringIO(run("list", "--condition", condition, "--all", "--format", "csv").stdout)
    )
    for record in rows:
        assert (record["group"] == "recommended against") == (record["id"] in against)
        assert (record["stance"] == "not-recommended") == (record["id"] in against)

    # timeline: left out by default; with --all drawn apart with the stance beside
    chart = lines(run("timeline", "--condition", condition).stdout)
    for ident in against:
        assert not any(line.startswith(f"{ident} ") for line in chart)
    chart = lines(run("timeline", "--condition", condition, "--all").stdout)
    start = next(i for i, line in enumerate(chart) if line.startswith("Recommended against,"))
    for ident in against:
        t = bundled.techniques[ident]
        if t.relief is None:
            continue
        i = next(i for i, line in enumerate(chart) if line.startswith(f"{ident} "))
        assert i > start
        assert "▓" in chart[i] and "█" not in chart[i]
        assert "not recommended" in " ".join(chart[i : i + 2])

    # pathway: tree and Mermaid keep them in a stage of their own
    tree = lines(run("pathway", condition).stdout)
    stage = next(i for i, line in enumerate(tree) if "Recommended against" in line)
    for ident in against:
        # An option recommended against may still be named earlier as a diagnostic prerequisite
        # ("after positive block [si-injection]: ..." before SI fusion); only its listing as an
        # option must sit in the stage of its own.
        listed = [i for i, line in enumerate(tree) if re.search(rf"\[{ident}\](?!:)", line)]
        assert listed and all(i > stage for i in listed), (ident, listed, stage)
        assert "not recommended" in flat(tree[listed[0] : listed[0] + 2])
    mermaid = run("pathway", condition, "--format", "mermaid").stdout
    block = mermaid.split("subgraph against", 1)[1].split("    end", 1)[0]
    for ident in against:
        assert f"({ident})<br/>not recommended" in block

    # compare --condition: apart under their own heading; JSON in "against"
    names = (options[:2] + against[:2]) if options else against[:2]
    if len(names) >= 2:
        out = run("compare", *names, "--condition", condition).stdout
        if options[:2]:
            assert f"Recommended against for {bundled.conditions[condition].name}" in out
        doc = json_of(run, "compare", *names, "--condition", condition)
        assert sorted(o["technique"] for o in doc["against"]) == sorted(against[:2])


@pytest.mark.parametrize("level", [c.value for c in Certainty])
def test_evidence_never_returns_no_benefit_or_harm(
    run: Run, bundled: Catalogue, level: str
) -> None:
    wanted = Certainty(level)
    for t in json_of(run, "list", "--evidence", level)["techniques"]:
        assert any(
            ind.evidence.direction is Direction.BENEFIT
            and ind.evidence.certainty.rank >= wanted.rank
            for ind in bundled.techniques[t["id"]].indications
        ), t["id"]
    for condition in bundled.conditions:
        doc = json_of(run, "for", condition, "--evidence", level)
        for o in doc["options"] + doc["against"]:
            assert o["evidence"]["direction"] == "benefit", (condition, o["technique"])
            assert Certainty(o["evidence"]["certainty"]).rank >= wanted.rank


def test_sort_evidence_orders_by_stance_then_certainty_of_benefit(
    run: Run, bundled: Catalogue
) -> None:
    for condition in bundled.conditions:
        doc = json_of(run, "for", condition, "--sort", "evidence")
        keys = []
        for o in doc["options"]:
            ev = o["evidence"]
            certainty = Certainty(ev["certainty"]).rank if ev["direction"] == "benefit" else 0
            keys.append((Stance(o["stance"]).rank, -certainty))
        assert keys == sorted(keys), condition
