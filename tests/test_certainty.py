"""The grade-to-certainty table and the rules that keep certainty apart from
direction, and relief apart from diagnostic tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from painopts import certainty
from painopts.loader import load_catalogue
from painopts.models import Catalogue, Certainty, Direction, Purpose, Stance

from .test_loader import issues_for, mini_with

ESI_EVIDENCE = (
    '{grade: "Level II", system: Guide A levels, certainty: moderate, direction: benefit}'
)


def evidence(grade: str, system: str, cert: str, direction: str = "benefit") -> str:
    return f"{{grade: {grade!r}, system: {system!r}, certainty: {cert}, direction: {direction}}}"


@pytest.mark.parametrize(
    ("system", "grade", "expected"),
    [
        ("ASIPP levels of evidence (I-V)", "Level I", Certainty.MODERATE),
        ("ASIPP levels of evidence (I-V)", "Level I to II", Certainty.LOW),
        ("ASIPP levels of evidence (I-V)", "Level II (refractory nerve injury)", Certainty.LOW),
        ("ASIPP levels of evidence (I-V)", "Level V", Certainty.INSUFFICIENT),
        (
            "USPSTF-style levels of evidence (I, II-1, II-2, II-3, III)",
            "Evidence level I, grade A, strong consensus",
            Certainty.LOW,
        ),
        (
            "USPSTF-style levels of evidence (I, II-1, II-2, II-3, III)",
            "Evidence level I, grade B",
            Certainty.LOW,
        ),
        (
            "USPSTF-style levels of evidence (I, II-1, II-2, II-3, III)",
            "Evidence level III, grade B",
            Certainty.VERY_LOW,
        ),
        (
            "USPSTF-style levels of evidence (I, II-1, II-2, II-3, III)",
            "Level I or II-1",
            Certainty.LOW,
        ),
        (
            "USPSTF certainty of net benefit (high, moderate, low)",
            "Grade A; level of certainty high; level of evidence 1-A",
            Certainty.MODERATE,
        ),
        ("NASS levels of evidence (1-5)", "two Level 1 randomised trials", Certainty.LOW),
        ("AAN levels of recommendation (A, B, C, U)", "Level A", Certainty.MODERATE),
        ("NASS grades of recommendation (A, B, C, I)", "Grade B", Certainty.LOW),
        ("AAFP Strength of Recommendation Taxonomy (SORT)", "SORT B (summary)", Certainty.LOW),
        (
            "NICE interventional procedures guidance wording",
            "'standard arrangements' (good evidence of short-term relief)",
            Certainty.LOW,
        ),
        (
            "NICE interventional procedures guidance wording",
            "'special arrangements'",
            Certainty.VERY_LOW,
        ),
    ],
)
def test_the_table_maps_each_grade(system: str, grade: str, expected: Certainty) -> None:
    scale = certainty.BY_SYSTEM[system]
    assert scale.certainty(grade) is expected
    assert certainty.check(system, grade, expected) is None


def test_no_design_level_scale_reaches_high() -> None:
    """Only a stated certainty can be high: scales that count trials do not judge
    inconsistency, imprecision or bias, so their top grade is moderate."""
    for scale in certainty.SCALES:
        if scale.system.startswith("USPSTF certainty"):
            continue
        assert Certainty.HIGH not in scale.table.values(), scale.system


def test_the_same_grade_maps_the_same_way_across_the_bundled_catalogue(
    bundled: Catalogue,
) -> None:
    """Item 9 of issue 10: one (system, grade) never carries two certainties."""
    seen: dict[tuple[str, str], set[Certainty]] = {}
    mapped = 0
    for t in bundled.techniques.values():
        for ind in t.indications:
            ev = ind.evidence
            scale = certainty.BY_SYSTEM.get(ev.system)
            if scale is not None:
                mapped += 1
                assert scale.certainty(ev.grade) is ev.certainty, (t.id, ind.condition)
            seen.setdefault((ev.system, ev.grade), set()).add(ev.certainty)
    assert mapped >= 20
    for (system, grade), values in seen.items():
        if system in certainty.BY_SYSTEM:
            assert len(values) == 1, (system, grade, values)


def test_nice_ipg_grades_agree_for_genicular_and_cooled_rf(bundled: Catalogue) -> None:
    genicular = bundled.techniques["genicular-rfa"].indications[0].evidence
    cooled = bundled.techniques["cooled-rf"].indications[0].evidence
    assert genicular.system == cooled.system == "NICE interventional procedures guidance wording"
    assert genicular.certainty is cooled.certainty is Certainty.LOW


def test_a_certainty_that_disagrees_with_the_table_is_located(tmp_path: Path) -> None:
    text = mini_with(
        ESI_EVIDENCE,
        evidence("Level I", "ASIPP levels of evidence (I-V)", "high"),
    )
    assert issues_for(tmp_path, ("c.yaml", text)) == [
        "c.yaml:64:91: techniques[esi].indications[sciatica].evidence: certainty 'high' "
        "disagrees with the certainty table: 'Level I' on the ASIPP levels of evidence "
        "(I-V) scale is 'moderate' (docs/certainty-mapping.md)"
    ]


def test_a_mapped_system_written_another_way_is_located(tmp_path: Path) -> None:
    text = mini_with(ESI_EVIDENCE, evidence("Level I", "ASIPP 2021 (levels I-V)", "high"))
    assert issues_for(tmp_path, ("c.yaml", text)) == [
        "c.yaml:64:84: techniques[esi].indications[sciatica].evidence: write the system as "
        "'ASIPP levels of evidence (I-V)' so that the certainty table "
        "(docs/certainty-mapping.md) applies to it"
    ]


def test_a_grade_the_table_does_not_know_is_located(tmp_path: Path) -> None:
    text = mini_with(ESI_EVIDENCE, evidence("Level VI", "ASIPP levels of evidence (I-V)", "low"))
    (message,) = issues_for(tmp_path, ("c.yaml", text))
    assert message.startswith("c.yaml:64:92: techniques[esi].indications[sciatica].evidence: ")
    assert "names VI, which is not in the ASIPP levels of evidence (I-V) table" in message


def test_a_recommended_option_cannot_point_to_no_benefit(tmp_path: Path) -> None:
    text = mini_with(
        '{grade: "consider", system: Guide A wording, certainty: moderate, direction: benefit}',
        '{grade: "consider", system: Guide A wording, certainty: moderate, direction: no-benefit}',
    )
    assert issues_for(tmp_path, ("c.yaml", text)) == [
        "c.yaml:97:96: techniques[rfa].indications[facet-pain].evidence.direction: a "
        "recommended option cannot have evidence that points to no-benefit; check the "
        "stance or the direction"
    ]


def test_strength_is_gone(tmp_path: Path) -> None:
    text = mini_with(ESI_EVIDENCE, '{grade: "Level II", system: Guide A levels, strength: low}')
    assert (
        "c.yaml:64:63: techniques[esi].indications[sciatica].evidence.strength: unknown key; "
        "allowed: grade, system, certainty, direction"
    ) in issues_for(tmp_path, ("c.yaml", text))


def test_a_diagnostic_test_has_no_relief(tmp_path: Path) -> None:
    text = mini_with("    purpose: therapeutic\n", "    purpose: diagnostic\n")
    assert issues_for(tmp_path, ("c.yaml", text)) == [
        "c.yaml:49:13: techniques[esi].relief: a diagnostic test (purpose: diagnostic) has "
        "no duration of relief; remove the relief block"
    ]


def test_a_treatment_needs_relief_with_a_basis(tmp_path: Path) -> None:
    text = mini_with(
        "    relief: {min: 1, max: 3, unit: months, sources: [review-b-2019], "
        "basis: controlled-trials}\n",
        "",
    )
    assert issues_for(tmp_path, ("c.yaml", text)) == [
        "c.yaml:40:5: techniques[esi].relief: missing required key (a mapping); only a "
        "diagnostic test may leave it out"
    ]
    text = mini_with(", basis: controlled-trials}", "}")
    (message,) = issues_for(tmp_path, ("c.yaml", text))
    assert message == (
        "c.yaml:49:13: techniques[esi].relief.basis: missing required key (one of "
        "controlled-trials, uncontrolled-studies, expert-opinion)"
    )


def test_every_bundled_diagnostic_test_has_no_relief(bundled: Catalogue) -> None:
    tests = [t for t in bundled.techniques.values() if t.purpose is Purpose.DIAGNOSTIC]
    assert [t.id for t in tests] == ["discography"]
    assert all(t.relief is None for t in tests)
    assert all(
        t.relief is not None
        for t in bundled.techniques.values()
        if t.purpose is not Purpose.DIAGNOSTIC
    )


def test_every_bundled_not_recommended_option_has_a_direction_other_than_benefit(
    bundled: Catalogue,
) -> None:
    for t in bundled.techniques.values():
        for ind in t.indications:
            if ind.stance is Stance.NOT_RECOMMENDED:
                assert ind.evidence.direction is not Direction.BENEFIT, (t.id, ind.condition)


def test_the_bundled_catalogue_loads(bundled: Catalogue) -> None:
    assert load_catalogue() == bundled


def test_the_documented_table_names_every_scale_the_code_applies() -> None:
    doc = (Path(__file__).parent.parent / "docs" / "certainty-mapping.md").read_text("utf-8")
    for scale in certainty.SCALES:
        assert f"`{scale.system}`" in doc, scale.system
