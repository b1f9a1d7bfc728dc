"""Structured numbers: rates, chances of benefit and bleeding-risk classes, as
validated data and in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from painopts.models import (
    Benefit,
    BleedingClass,
    BleedingRisk,
    Catalogue,
    Rate,
    RatePer,
    Risk,
)
from painopts.numbers import (
    benefit_words,
    bleeding_words,
    common_denominator,
    rate_words,
    risk_words,
)
from painopts.queries import Filters, bleeding_risk, describe_filters, select_techniques

from .test_loader import issues_for, mini_with

HEADACHE = "    risks: [{name: Headache, frequency: about 1 in 100}]\n"


def rate(count: float, denominator: int, per: str = "procedure") -> Rate:
    return Rate(
        count=count,
        denominator=denominator,
        per=RatePer(per),
        timeframe=None,
        sources=("guide-a-2020",),
    )


# --- wording ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("r", "denominator", "expected"),
    [
        (rate(5, 1000), None, "about 5 in 1,000 procedures"),
        (rate(1, 200), None, "about 5 in 1,000 procedures"),
        (rate(30, 100, "patient"), None, "about 30 in 100 people treated"),
        (rate(1, 200), 10_000, "about 50 in 10,000 procedures"),
        (rate(12.5, 1000), None, "about 13 in 1,000 procedures"),
        (rate(3, 100_000), 10_000, "fewer than 1 in 10,000 procedures"),
        (rate(1, 10_000_000), None, "fewer than 1 in 10,000 procedures"),
        (rate(15, 1_160_000), None, "fewer than 1 in 10,000 procedures"),
        (rate(1, 10_000_000), 1_000_000, "fewer than 1 in 1,000,000 procedures"),
        (rate(0, 350), 1000, "none seen in 350 procedures"),
        (rate(0.5, 1000), None, "about 5 in 10,000 procedures"),
        (rate(1.5, 100), None, "about 15 in 1,000 procedures"),
        (rate(1.9, 100), None, "about 2 in 100 procedures"),
    ],
)
def test_rate_words(r: Rate, denominator: int | None, expected: str) -> None:
    assert rate_words(r, denominator) == expected


@pytest.mark.parametrize(
    ("rates", "expected"),
    [
        ([], 100),
        ([rate(30, 100)], 100),
        ([rate(30, 100), rate(1, 200)], 1000),
        ([rate(1, 200), rate(3, 10_000)], 10_000),
        ([rate(0, 40), rate(2, 100)], 100),
        ([rate(1, 10**9)], 10_000),
        ([rate(15, 1_160_000), rate(24.5, 100)], 10_000),
        ([rate(12.5, 1000), rate(40, 100)], 1000),
    ],
)
def test_common_denominator(rates: list[Rate], expected: int) -> None:
    assert common_denominator(rates) == expected


def test_rates_on_one_denominator_read_side_by_side() -> None:
    rates = [rate(1, 200), rate(3, 10_000, "patient")]
    d = common_denominator(rates)
    assert [rate_words(r, d) for r in rates] == [
        "about 50 in 10,000 procedures",
        "about 3 in 10,000 people treated",
    ]


def test_risk_words_add_the_time_frame_or_say_the_rate_is_unknown() -> None:
    timed = Rate(
        count=2,
        denominator=100,
        per=RatePer.PATIENT,
        timeframe="within a year of implant",
        sources=("x",),
    )
    assert risk_words(Risk(name="Infection", rate=timed)) == (
        "about 2 in 100 people treated, within a year of implant"
    )
    assert risk_words(Risk(name="Infection", frequency="uncommon")) == "how often is not known"


def test_benefit_words() -> None:
    b = Benefit(
        condition="sciatica",
        outcome="at least half their leg pain relieved",
        timeframe="at 6 months",
        helped=48,
        comparator="usual care alone",
        comparator_helped=9,
        sources=("x",),
    )
    assert benefit_words(b, "spinal cord stimulation") == (
        "About 48 in 100 people had at least half their leg pain relieved at 6 months "
        "with spinal cord stimulation, against 9 in 100 with usual care alone."
    )
    assert benefit_words(b).startswith("About 48 in 100 people had ")
    assert " with this option, against 9 in 100 " in benefit_words(b)


@pytest.mark.parametrize(
    ("cls", "expected"),
    [
        (None, "not classified by the 2018 multisociety guidance"),
        (BleedingRisk.NOT_CLASSIFIED, "not classified by the 2018 multisociety guidance"),
        (BleedingRisk.LOW, "low bleeding risk in the 2018 multisociety guidance"),
        (
            BleedingRisk.INTERMEDIATE,
            "intermediate bleeding risk in the 2018 multisociety guidance",
        ),
        (BleedingRisk.HIGH, "high bleeding risk in the 2018 multisociety guidance"),
    ],
)
def test_bleeding_words(cls: BleedingRisk | None, expected: str) -> None:
    value = None if cls is None else BleedingClass(risk=cls, basis="b", sources=("x",))
    assert bleeding_words(value) == expected


# --- loading and validation -----------------------------------------------------------

RATE_BLOCK = (
    "    risks:\n"
    "      - name: Headache\n"
    "        frequency: about 1 in 100\n"
    "        rate: {count: COUNT, denominator: DENOM, per: procedure, timeframe: null, "
    "sources: [SRC]}\n"
)


def with_rate(count: str = "1", denom: str = "100", src: str = "review-b-2019") -> str:
    block = RATE_BLOCK.replace("COUNT", count).replace("DENOM", denom).replace("SRC", src)
    return mini_with(HEADACHE, block)


BENEFIT = (
    "    benefits:\n"
    "      - condition: COND\n"
    "        outcome: at least half their leg pain relieved\n"
    "        timeframe: at 3 months\n"
    "        helped: HELPED\n"
    "        comparator: a sham injection\n"
    "        comparator_helped: 20\n"
    "        sources: [SRC]\n"
)


def with_benefit(
    cond: str = "sciatica", helped: str = "40", src: str = "review-b-2019", bleeding: str = ""
) -> str:
    block = BENEFIT.replace("COND", cond).replace("HELPED", helped).replace("SRC", src)
    return mini_with(HEADACHE, HEADACHE + block + bleeding)


def test_numbers_load_into_the_model(tmp_path: Path) -> None:
    from painopts.loader import load_catalogue

    bleeding = (
        "    bleeding_risk: {risk: intermediate, basis: Listed as an epidural., "
        "sources: [guide-a-2020]}\n"
    )
    text = with_benefit(bleeding=bleeding).replace(
        HEADACHE,
        "    risks:\n      - name: Headache\n        rate: {count: 0.5, denominator: 100, "
        "per: patient, timeframe: within a week, sources: [review-b-2019], note: One trial.}\n",
    )
    (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
    cat = load_catalogue([tmp_path], bundled=False)
    esi = cat.techniques["esi"]
    assert esi.risks[0].rate == Rate(
        count=0.5,
        denominator=100,
        per=RatePer.PATIENT,
        timeframe="within a week",
        sources=("review-b-2019",),
        note="One trial.",
    )
    assert esi.benefits[0].helped == 40 and esi.benefits[0].comparator_helped == 20
    assert esi.bleeding_risk == BleedingClass(
        risk=BleedingRisk.INTERMEDIATE, basis="Listed as an epidural.", sources=("guide-a-2020",)
    )
    assert cat.techniques["rfa"].bleeding_risk is None
    assert cat.techniques["rfa"].benefits == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            with_rate(count="-1"),
            "c.yaml:60:23: techniques[esi].risks[0].rate.count: expected a number of 0 or "
            "more, found -1",
        ),
        (
            with_rate(count="101"),
            "c.yaml:60:23: techniques[esi].risks[0].rate.count: count (101) is more than "
            "the denominator (100)",
        ),
        (
            with_rate(denom="0"),
            "c.yaml:60:39: techniques[esi].risks[0].rate.denominator: expected a whole number "
            "above 0, found 0",
        ),
        (
            with_rate(denom="2.5"),
            "c.yaml:60:39: techniques[esi].risks[0].rate.denominator: expected a whole number, "
            "found the number 2.5",
        ),
        (
            with_rate(src="review-b-2091"),
            "c.yaml:60:87: techniques[esi].risks[0].rate.sources[0]: unknown source "
            "'review-b-2091'; did you mean 'review-b-2019'?",
        ),
        (
            with_rate(src=""),
            "c.yaml:60:86: techniques[esi].risks[0].rate.sources: expected at least 1 "
            "item(s), found an empty list",
        ),
        (
            with_rate().replace("timeframe: null, ", ""),
            "c.yaml:60:15: techniques[esi].risks[0].rate.timeframe: missing required "
            "key (text or null)",
        ),
        (
            with_rate().replace("per: procedure", "per: person"),
            "c.yaml:60:49: techniques[esi].risks[0].rate.per: expected one of "
            "procedure, patient; found the text 'person'",
        ),
        (
            with_benefit(helped="140"),
            "c.yaml:62:17: techniques[esi].benefits[sciatica].helped: expected a whole number "
            "from 0 to 100 (people out of 100), found 140",
        ),
        (
            with_benefit(helped="-3"),
            "c.yaml:62:17: techniques[esi].benefits[sciatica].helped: expected a whole number "
            "from 0 to 100 (people out of 100), found -3",
        ),
        (
            with_benefit(cond="sciatika"),
            "c.yaml:59:20: techniques[esi].benefits[sciatika].condition: unknown condition "
            "'sciatika'; did you mean 'sciatica'?",
        ),
        (
            mini_with(
                "    risks: [{name: Neuritis}]\n",
                "    risks: [{name: Neuritis}]\n"
                + BENEFIT.replace("COND", "sciatica")
                .replace("HELPED", "40")
                .replace("SRC", "review-b-2019"),
            ),
            "c.yaml:92:20: techniques[rfa].benefits[sciatica].condition: 'rfa' has no "
            "indication for condition 'sciatica'; a benefit belongs to one of the "
            "technique's indications",
        ),
        (
            with_benefit(src="guide-z"),
            "c.yaml:65:19: techniques[esi].benefits[sciatica].sources[0]: unknown source "
            "'guide-z'; did you mean 'guide-a-2020'?",
        ),
        (
            with_benefit(
                bleeding="    bleeding_risk: {risk: moderate, basis: x, sources: [guide-a-2020]}\n"
            ),
            "c.yaml:66:27: techniques[esi].bleeding_risk.risk: expected one of low, "
            "intermediate, high, not-classified; found the text 'moderate'",
        ),
        (
            with_benefit(
                bleeding="    bleeding_risk: {risk: low, basis: x, sources: [guide-b-2020]}\n"
            ),
            "c.yaml:66:52: techniques[esi].bleeding_risk.sources[0]: unknown source "
            "'guide-b-2020'; did you mean 'guide-a-2020'?",
        ),
        (
            with_benefit(bleeding="    bleeding_risk: {risk: low, sources: [guide-a-2020]}\n"),
            "c.yaml:66:20: techniques[esi].bleeding_risk.basis: missing required key (text)",
        ),
    ],
)
def test_a_bad_number_is_located(tmp_path: Path, text: str, expected: str) -> None:
    assert issues_for(tmp_path, ("c.yaml", text)) == [expected]


def test_removing_a_condition_drops_its_benefits(tmp_path: Path) -> None:
    from painopts.loader import load_catalogue

    base = tmp_path / "base"
    base.mkdir()
    (base / "c.yaml").write_text(with_benefit(), encoding="utf-8")
    over = tmp_path / "over.yaml"
    over.write_text("remove: {conditions: [sciatica], techniques: [scs]}\n", encoding="utf-8")
    assert load_catalogue([base], bundled=False).techniques["esi"].benefits != ()
    cat = load_catalogue([base, over], bundled=False)
    assert cat.techniques["esi"].benefits == ()


# --- the bleeding-risk filter ---------------------------------------------------------


def _classed(mini: Catalogue) -> Catalogue:
    import dataclasses

    classes = {
        "esi": BleedingRisk.INTERMEDIATE,
        "rfa": BleedingRisk.NOT_CLASSIFIED,
    }
    techniques = {
        tid: dataclasses.replace(
            t,
            bleeding_risk=(
                BleedingClass(risk=classes[tid], basis="b", sources=("guide-a-2020",))
                if tid in classes
                else None
            ),
        )
        for tid, t in mini.techniques.items()
    }
    return dataclasses.replace(mini, techniques=techniques)


def test_bleeding_filter_keeps_only_classified_matches(mini: Catalogue) -> None:
    cat = _classed(mini)
    ts = list(cat.techniques.values())
    assert [t.id for t in bleeding_risk(ts, BleedingRisk.INTERMEDIATE)] == ["esi"]
    assert bleeding_risk(ts, BleedingRisk.LOW) == []
    # Not classified (rfa) and no class at all (scs) never pass, whatever is asked.
    assert [t.id for t in bleeding_risk(ts, *BleedingRisk)] == ["esi"]
    f = Filters(bleeding_risks=frozenset({BleedingRisk.INTERMEDIATE, BleedingRisk.LOW}))
    assert [t.id for t in select_techniques(cat, f)] == ["esi"]
    assert describe_filters(cat, f) == ["bleeding risk low or intermediate"]


# --- the bundled catalogue -----------------------------------------------------------

GUIDANCE_ID = "narouze-asra-anticoagulation-2018"


def test_every_bundled_technique_has_a_bleeding_class_from_the_guidance(
    bundled: Catalogue,
) -> None:
    missing = [t.id for t in bundled.techniques.values() if t.bleeding_risk is None]
    assert missing == []
    for t in bundled.techniques.values():
        assert t.bleeding_risk is not None
        assert GUIDANCE_ID in t.bleeding_risk.sources, t.id
        if t.bleeding_risk.risk is BleedingRisk.NOT_CLASSIFIED:
            # Silence is said in words, never left to look like a class.
            assert t.bleeding_risk.basis.startswith("Not "), t.id


@pytest.mark.parametrize(
    ("tid", "risk"),
    [
        ("scs", BleedingRisk.HIGH),
        ("drg-stim", BleedingRisk.HIGH),
        ("vertebroplasty", BleedingRisk.HIGH),
        ("ilesi", BleedingRisk.INTERMEDIATE),
        ("sgb", BleedingRisk.INTERMEDIATE),
        ("cervical-rfa", BleedingRisk.INTERMEDIATE),
        ("lumbar-rfa", BleedingRisk.LOW),
        ("iacs", BleedingRisk.LOW),
        ("bvna", BleedingRisk.NOT_CLASSIFIED),
        ("genicular-rfa", BleedingRisk.NOT_CLASSIFIED),
    ],
)
def test_bleeding_classes_of_key_procedures(
    bundled: Catalogue, tid: str, risk: BleedingRisk
) -> None:
    cls = bundled.techniques[tid].bleeding_risk
    assert cls is not None and cls.risk is risk


def test_every_bundled_number_cites_a_source_in_the_catalogue(bundled: Catalogue) -> None:
    rates = [
        (t.id, r.rate) for t in bundled.techniques.values() for r in t.risks if r.rate is not None
    ]
    benefits = [(t.id, b) for t in bundled.techniques.values() for b in t.benefits]
    assert rates and benefits
    for tid, rate in rates:
        assert rate.sources and set(rate.sources) <= set(bundled.sources), tid
        assert 0 <= rate.count <= rate.denominator, tid
    for tid, b in benefits:
        assert b.sources and set(b.sources) <= set(bundled.sources), tid
        conditions = {i.condition for i in bundled.techniques[tid].indications}
        assert b.condition in conditions, tid


def test_a_techniques_references_include_the_sources_of_its_numbers(bundled: Catalogue) -> None:
    from painopts.queries import technique_source_ids

    ids = technique_source_ids(bundled.techniques["scs"])
    for needed in ("kumar-process-2007", "kumar-process-24-month-2008", GUIDANCE_ID):
        assert needed in ids
