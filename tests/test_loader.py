"""Validation of catalogue content: every problem located by file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from painopts.errors import CatalogueError
from painopts.loader import load_catalogue
from painopts.models import Invasiveness, Stance, TimeUnit

from .conftest import MINI

MINI_TEXT = (MINI / "catalogue.yaml").read_text(encoding="utf-8")


def issues_for(tmp_path: Path, *files: tuple[str, str]) -> list[str]:
    for name, text in files:
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue([tmp_path], bundled=False)
    root = str(tmp_path) + "/"
    return [str(i).replace(root, "") for i in info.value.issues]


def mini_with(old: str, new: str) -> str:
    assert old in MINI_TEXT, old
    return MINI_TEXT.replace(old, new, 1)


def test_fixture_loads_into_frozen_dataclasses(mini: object) -> None:
    from painopts.models import Catalogue

    assert isinstance(mini, Catalogue)
    assert list(mini.techniques) == ["esi", "rfa", "scs"]
    rfa = mini.techniques["rfa"]
    assert rfa.invasiveness is Invasiveness.PERCUTANEOUS
    assert rfa.relief is not None
    assert rfa.relief.unit is TimeUnit.MONTHS and rfa.relief.max == 12.0
    assert rfa.indications[0].stance is Stance.RECOMMENDED
    scs_relief = mini.techniques["scs"].relief
    assert scs_relief is not None and scs_relief.open_ended
    with pytest.raises(AttributeError):
        rfa.name = "x"  # type: ignore[misc]


ONE_BAD_FIELD = [
    (
        "    category: ablation\n",
        "    category: ablation\n    categroy: x\n",
        "c.yaml:76:5: techniques[rfa].categroy: unknown key; did you mean 'category'?",
    ),
    (
        "    invasiveness: percutaneous\n",
        "    invasiveness: keyhole\n",
        "c.yaml:76:19: techniques[rfa].invasiveness: expected one of needle, percutaneous, "
        "implant, surgery; found the text 'keyhole'",
    ),
    (
        "    repeatable: false\n",
        "    repeatable: no\n",
        "c.yaml:110:17: techniques[scs].repeatable: expected true or false, found the text "
        "'no' (write true or false)",
    ),
    (
        "    year: 2019\n",
        "    year: '2019'\n",
        "c.yaml:15:11: sources[review-b-2019].year: expected a whole number, found the text '2019'",
    ),
    (
        "    recovery: A few days.\n",
        "",
        "c.yaml:72:5: techniques[rfa].recovery: missing required key (text)",
    ),
    (
        "relief: {min: 6, max: 12, unit: months",
        "relief: {min: 12, max: 6, unit: months",
        "c.yaml:81:28: techniques[rfa].relief.max: max (6) is less than min (12)",
    ),
    (
        "      - condition: facet-pain\n        stance: recommended",
        "      - condition: facet-pian\n        stance: recommended",
        "c.yaml:95:20: techniques[rfa].indications[facet-pian].condition: unknown condition "
        "'facet-pian'; did you mean 'facet-pain'?",
    ),
    (
        '    sources: [review-b-2019]\n    reviewed: "2026-01-01"\n    indications:\n'
        "      - condition: sciatica\n        stance: may-be-considered\n"
        '        evidence: {grade: "low',
        '    sources: [review-c-2019]\n    reviewed: "2026-01-01"\n    indications:\n'
        "      - condition: sciatica\n        stance: may-be-considered\n"
        '        evidence: {grade: "low',
        "c.yaml:120:15: techniques[scs].sources[0]: unknown source 'review-c-2019'; did you "
        "mean 'review-b-2019'?",
    ),
    (
        "    aliases: [spinal cord stimulator]\n",
        "    aliases: [Pinched-Nerve]\n",
        "c.yaml:21:16: conditions[sciatica].synonyms: 'pinched nerve' is already used by "
        "technique 'scs' (c.yaml:100); names, aliases and synonyms must be unique",
    ),
    (
        '    reviewed: "2026-01-01"\n    indications:\n      - condition: facet-pain',
        "    reviewed: 2026-13-01\n    indications:\n      - condition: facet-pain",
        "c.yaml:93:15: techniques[rfa].reviewed: expected a date written YYYY-MM-DD, found "
        "'2026-13-01'",
    ),
    (
        "    url: https://example.org/a\n",
        "    url: example.org/a\n",
        "c.yaml:10:10: sources[guide-a-2020].url: expected an http(s) URL, found 'example.org/a'",
    ),
    (
        "    summary: Heat lesion of the medial branch nerves.\n",
        '    summary: "Heat \\e[31mlesion"\n',
        "c.yaml:78:14: techniques[rfa].summary: text contains a control, bidirectional or "
        "invisible character (\\x1b)",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), ONE_BAD_FIELD)
def test_one_bad_field_is_located(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert issues_for(tmp_path, ("c.yaml", mini_with(old, new))) == [expected]


def test_every_problem_is_reported_in_one_run(tmp_path: Path) -> None:
    text = mini_with("    invasiveness: percutaneous\n", "    invasiveness: keyhole\n")
    text = text.replace("    repeatable: false\n", "    repeatable: yes\n")
    text = text.replace("  - id: facet-pain\n", "  - id: Facet Pain\n")
    assert issues_for(tmp_path, ("c.yaml", text)) == [
        "c.yaml:29:9: conditions[Facet Pain].id: expected an id of lowercase letters, digits "
        "and hyphens, found 'Facet Pain'",
        "c.yaml:67:20: techniques[esi].indications[facet-pain].condition: unknown condition "
        "'facet-pain'",
        "c.yaml:76:19: techniques[rfa].invasiveness: expected one of needle, percutaneous, "
        "implant, surgery; found the text 'keyhole'",
        "c.yaml:110:17: techniques[scs].repeatable: expected true or false, found the text "
        "'yes' (write true or false)",
    ]


def test_duplicate_ids_across_files_name_both_places(tmp_path: Path) -> None:
    extra = (
        "sources:\n"
        "  - id: guide-a-2020\n"
        "    title: Again\n    publisher: X\n    year: 2021\n"
        "    url: https://example.org/x\n    kind: review\n"
    )
    assert issues_for(tmp_path, ("a.yaml", MINI_TEXT), ("b.yaml", extra)) == [
        "b.yaml:2:5: sources[guide-a-2020].id: duplicate source id 'guide-a-2020' "
        "(first defined at a.yaml:6)"
    ]


TOP_LEVEL_SHAPES = [
    (
        "- a\n- b\n",
        "c.yaml:1:1: expected a mapping with keys catalogue, sources, conditions, "
        "techniques at the top level, found a list",
    ),
    (
        "just text\n",
        "c.yaml:1:1: expected a mapping with keys catalogue, sources, conditions, "
        "techniques at the top level, found the text 'just text'",
    ),
    (
        "technique: []\n",
        "c.yaml:1:1: technique: unknown top-level key; did you mean 'techniques'?",
    ),
    (
        "techniques: {}\n",
        "c.yaml:1:13: techniques: expected a list of techniques, found a mapping",
    ),
]


@pytest.mark.parametrize(("text", "expected"), TOP_LEVEL_SHAPES)
def test_top_level_shape(tmp_path: Path, text: str, expected: str) -> None:
    assert issues_for(tmp_path, ("c.yaml", text)) == [expected]


def test_missing_path_and_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError) as info:
        load_catalogue([tmp_path / "absent"], bundled=False)
    assert [str(i) for i in info.value.issues] == [f"{tmp_path}/absent: no such file or directory"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(CatalogueError) as info:
        load_catalogue([tmp_path / "empty"], bundled=False)
    assert [str(i) for i in info.value.issues] == [
        f"{tmp_path}/empty: directory holds no .yaml or .yml files"
    ]


def test_later_layer_replaces_an_entry_with_the_same_id(tmp_path: Path) -> None:
    override = tmp_path / "local.yaml"
    override.write_text(
        "sources:\n  - id: guide-a-2020\n    title: Local guide\n    publisher: Our clinic\n"
        "    year: 2025\n    url: https://example.org/local\n    kind: guideline\n",
        encoding="utf-8",
    )
    cat = load_catalogue([MINI, override], bundled=False)
    assert cat.sources["guide-a-2020"].title == "Local guide"
    assert len(cat.sources) == 2
    assert cat.origins == (str(MINI), str(override))


def test_records_compare_hash_and_print_by_value() -> None:
    from painopts.models import Certainty, Direction, Duration, Evidence, TimeUnit

    a = Duration(min=1, max=3, unit=TimeUnit.WEEKS)
    b = Duration(min=1, max=3, unit=TimeUnit.WEEKS)
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != Duration(min=1, max=4, unit=TimeUnit.WEEKS)
    e = Evidence(grade="1", system="s", certainty=Certainty.LOW, direction=Direction.BENEFIT)
    assert a != e
    assert repr(e) == (
        "Evidence(grade='1', system='s', certainty=<Certainty.LOW: 'low'>, "
        "direction=<Direction.BENEFIT: 'benefit'>)"
    )
    with pytest.raises(AttributeError):
        a.min = 2  # type: ignore[misc]


def test_a_source_records_when_and_how_it_was_checked(tmp_path: Path) -> None:
    checked = (
        "    checked:\n"
        '      date: "2026-11-30"\n'
        "      how: Opened the guideline page; title, year and the cited advice match.\n"
    )
    first_source_end = MINI_TEXT.index("    kind: ", MINI_TEXT.index("sources:"))
    line_end = MINI_TEXT.index("\n", first_source_end) + 1
    (tmp_path / "c.yaml").write_text(
        MINI_TEXT[:line_end] + checked + MINI_TEXT[line_end:], encoding="utf-8"
    )
    cat = load_catalogue([tmp_path], bundled=False)
    check = next(iter(cat.sources.values())).checked
    assert check is not None
    assert (check.date, check.how) == (
        "2026-11-30",
        "Opened the guideline page; title, year and the cited advice match.",
    )
    assert [s.checked for s in list(cat.sources.values())[1:]] == [None] * (len(cat.sources) - 1)


def test_an_entry_without_an_id_is_named_by_its_section_and_position(tmp_path: Path) -> None:
    text = (
        "sources:\n"
        "  - {title: No id, publisher: X, year: 2020, url: 'https://example.org', kind: review}\n"
        "techniques:\n"
        "  - {name: First}\n"
        "  - {name: Second}\n"
    )
    issues = issues_for(tmp_path, ("c.yaml", text))
    assert [i.split(": ")[0] + ": " + i.split(": ")[1] for i in issues] == [
        "c.yaml:2:5: sources[0].id",
        *[f"c.yaml:4:5: techniques[0].{key}" for key in _TECHNIQUE_REQUIRED],
        *[f"c.yaml:5:5: techniques[1].{key}" for key in _TECHNIQUE_REQUIRED],
    ]
    assert issues[0] == "c.yaml:2:5: sources[0].id: missing required key (text)"


_TECHNIQUE_REQUIRED = [
    "id", "aliases", "category", "invasiveness", "purpose", "summary", "mechanism", "onset",
    "repeatable", "imaging", "anaesthesia", "setting", "recovery", "expect", "prerequisites",
    "risks", "contraindications", "sources", "reviewed", "indications",
]  # fmt: skip
