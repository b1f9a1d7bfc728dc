"""The loader and the published JSON Schema apply the same rules (painopts.spec).

Every fixture, good and bad, goes through both. The schema side sees a file the way
an editor with the schema does: the YAML values (as painopts reads them: `no` and
dates stay text), turned into JSON; a file the YAML reader refuses, or that holds a
value JSON cannot carry (infinity), is rejected by both. The loader side is
loader.check_file: the rules one file can be held to on its own, without references
to other files. The only rules the schema may miss are those in spec.schema_gaps(),
and the loader's verdict without them must equal the schema's exactly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from painopts.catalogue_files import BUNDLED_DIR
from painopts.errors import CatalogueError
from painopts.loader import check_file, load_catalogue
from painopts.schema import catalogue_schema
from painopts.spec import TEXT_CHECKS, schema_gaps
from painopts.yamlread import read_yaml

from .conftest import FIXTURES
from .test_loader import MINI_TEXT, ONE_BAD_FIELD, TOP_LEVEL_SHAPES
from .test_yamlread import BAD_DOCUMENTS

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator


@cache
def _validator() -> Draft202012Validator:
    import jsonschema

    schema = catalogue_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def schema_errors(path: Path) -> list[str]:
    """What the published schema says about *path* (empty: it accepts the file)."""
    try:
        data = read_yaml(path)
    except CatalogueError as exc:
        return [f"unreadable: {exc}"]
    try:
        instance = json.loads(json.dumps(data, allow_nan=False))
    except ValueError as exc:
        return [f"not JSON: {exc}"]
    return [e.message for e in _validator().iter_errors(instance)]


def loader_issues(path: Path, *, schema_rules_only: bool = False) -> list[str]:
    root = f"{path.parent}/"
    issues = check_file(path, schema_rules_only=schema_rules_only)
    return [str(i).replace(root, "") for i in issues]


def assert_agree(path: Path) -> None:
    loader = loader_issues(path, schema_rules_only=True)
    schema = schema_errors(path)
    assert bool(loader) == bool(schema), f"loader: {loader}\nschema: {schema}"


def mini_with(old: str, new: str) -> str:
    assert MINI_TEXT.count(old) == 1, old
    return MINI_TEXT.replace(old, new)


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    issues: tuple[str, ...]  # exactly what check_file reports; () for a valid file
    gap: str | None = None  # the spec.schema_gaps() rule the schema cannot see


FACET = "      - condition: facet-pain\n        stance: recommended\n"
HEADACHE = "    risks: [{name: Headache, frequency: about 1 in 100}]\n"
RATE = (
    "    risks:\n      - name: Headache\n        rate: {{count: {count}, denominator: "
    "{denominator}, per: procedure, timeframe: null, sources: [review-b-2019]}}\n"
)
BENEFIT = (
    "    benefits:\n      - condition: sciatica\n        outcome: half the pain gone\n"
    "        timeframe: at 3 months\n        helped: {helped}\n        comparator: sham\n"
    "        comparator_helped: 20\n        sources: [review-b-2019]\n"
)
# The fixture with every kind of record in it (a rate, a benefit, a bleeding class).
RICH_TEXT = mini_with(
    HEADACHE,
    RATE.format(count=1, denominator=100)
    + BENEFIT.format(helped=40)
    + "    bleeding_risk: {risk: low, basis: A shallow needle., sources: [guide-a-2020]}\n",
)


CASES = [
    Case("mini", MINI_TEXT, ()),
    Case("every kind of record", RICH_TEXT, ()),
    Case(
        "blank text",
        mini_with("    recovery: A few days.\n", '    recovery: "  "\n'),
        ("c.yaml:86:15: techniques[rfa].recovery: expected text, found an empty string",),
    ),
    Case(
        "a blank item in a list of text",
        mini_with(
            "contraindications: [Infection.]\n    sources: [guide-a-2020]\n    reviewed: "
            '"2026-01-01"\n    indications:\n      - condition: facet-pain',
            "contraindications: ['']\n    sources: [guide-a-2020]\n    reviewed: "
            '"2026-01-01"\n    indications:\n      - condition: facet-pain',
        ),
        (
            "c.yaml:91:25: techniques[rfa].contraindications[0]: expected text, found an empty "
            "string",
        ),
    ),  # fmt: skip
    Case(
        "a link to nowhere",
        mini_with("    url: https://example.org/a\n", "    url: http://.\n"),
        ("c.yaml:10:10: sources[guide-a-2020].url: expected an http(s) URL, found 'http://.'",),
    ),
    Case(
        "an id that ends in a newline",
        mini_with("  - id: guide-a-2020\n", '  - id: "guide-a-2020\\n"\n'),
        (
            "c.yaml:6:9: sources[guide-a-2020\n].id: expected an id of lowercase letters, digits "
            "and hyphens, found 'guide-a-2020\\n'",
        ),
    ),  # fmt: skip
    Case(
        "a negative duration",
        mini_with("onset: {min: 1, max: 3, unit: weeks}", "onset: {min: -1, max: 3, unit: weeks}"),
        ("c.yaml:80:18: techniques[rfa].onset.min: expected a number of 0 or more, found -1",),
    ),
    Case(
        "relief that lasts no time",
        mini_with(
            "relief: {min: 6, max: 12, unit: months", "relief: {min: 0, max: 0, unit: months"
        ),
        (
            "c.yaml:81:27: techniques[rfa].relief.max: relief that lasts no time is not relief: "
            "give a duration above 0",
        ),
    ),  # fmt: skip
    Case(
        "relief without sources",
        mini_with("unit: months, sources: [guide-a-2020], basis", "unit: months, basis"),
        (
            "c.yaml:81:13: techniques[rfa].relief.sources: expected at least 1 source for the "
            "duration of relief",
        ),
    ),  # fmt: skip
    Case(
        "a treatment without relief",
        mini_with(
            "    relief: {min: 6, max: 12, unit: months, sources: [guide-a-2020], "
            "basis: controlled-trials}\n",
            "    relief: null\n",
        ),
        (
            "c.yaml:72:5: techniques[rfa].relief: missing required key (a mapping); only a "
            "diagnostic test may leave it out",
        ),
    ),  # fmt: skip
    Case(
        "a diagnostic test with relief",
        mini_with(
            "    purpose: therapeutic\n    summary: Heat",
            "    purpose: diagnostic\n    summary: Heat",
        ),
        (
            "c.yaml:81:13: techniques[rfa].relief: a diagnostic test (purpose: diagnostic) has no "
            "duration of relief; remove the relief block",
        ),
    ),  # fmt: skip
    Case(
        "a diagnostic test with relief: null",
        mini_with(
            "    purpose: therapeutic\n    summary: Heat lesion of the medial branch nerves.\n"
            "    mechanism: Interrupts pain signals.\n    onset: {min: 1, max: 3, unit: weeks}\n"
            "    relief: {min: 6, max: 12, unit: months, sources: [guide-a-2020], "
            "basis: controlled-trials}\n",
            "    purpose: diagnostic\n    summary: Heat lesion of the medial branch nerves.\n"
            "    mechanism: Interrupts pain signals.\n    onset: {min: 1, max: 3, unit: weeks}\n"
            "    relief: null\n",
        ),
        (),
    ),
    Case(
        "an empty list where one item is the minimum",
        mini_with(
            "    imaging: [fluoroscopy]\n    anaesthesia: [local, sedation]",
            "    imaging: []\n    anaesthesia: [local, sedation]",
        ),
        (
            "c.yaml:83:14: techniques[rfa].imaging: expected at least 1 item(s), found an empty "
            "list",
        ),
    ),  # fmt: skip
    Case(
        "a recommendation against the evidence",
        mini_with(
            FACET + '        evidence: {grade: "consider", system: Guide A wording, '
            "certainty: moderate, direction: benefit}",
            FACET + '        evidence: {grade: "consider", system: Guide A wording, '
            "certainty: moderate, direction: harm}",
        ),
        (
            "c.yaml:97:96: techniques[rfa].indications[facet-pain].evidence.direction: a "
            "recommended option cannot have evidence that points to harm; check the stance or "
            "the direction",
        ),
    ),  # fmt: skip
    Case(
        "a year written as a decimal",
        mini_with("    year: 2019\n", "    year: 2019.0\n"),
        (),
    ),
    Case(
        "a year with a fraction",
        mini_with("    year: 2019\n", "    year: 2019.5\n"),
        (
            "c.yaml:15:11: sources[review-b-2019].year: expected a whole number, found the number "
            "2019.5",
        ),
    ),  # fmt: skip
    Case(
        "a number too large to be finite",
        mini_with(
            "onset: {min: 1, max: 3, unit: weeks}", "onset: {min: 1.0e400, max: 3, unit: weeks}"
        ),
        (
            "c.yaml:80:18: techniques[rfa].onset.min: expected a finite number, found the number "
            "inf",
        ),
    ),  # fmt: skip
    Case(
        "a leap day",
        mini_with('"0.0.1"\n  reviewed: "2026-01-01"\n', '"0.0.1"\n  reviewed: "2024-02-29"\n'),
        (),
    ),
    Case(
        "no leap day in a century",
        mini_with('"0.0.1"\n  reviewed: "2026-01-01"\n', '"0.0.1"\n  reviewed: "1900-02-29"\n'),
        (
            "c.yaml:4:13: catalogue.reviewed: expected a date written YYYY-MM-DD, found "
            "'1900-02-29'",
        ),
    ),  # fmt: skip
    Case(
        "a tagged scalar that would build an object",
        mini_with("    title: Guide A\n", "    title: !!python/object:os.system Guide A\n"),
        (
            "c.yaml:7:12: tag 'tag:yaml.org,2002:python/object:os.system' is not allowed in a "
            "catalogue",
        ),
    ),  # fmt: skip
    Case("a core tag", mini_with("    title: Guide A\n", "    title: !!str Guide A\n"), ()),
    # remove: files, good and bad (what they remove is checked against the layer below)
    Case(
        "the README's overlay",
        "remove:\n  techniques: [stem-cells]\n  conditions: [fibromyalgia]\n",
        (),
    ),
    Case("an empty removal", "remove: {}\n", ()),
    Case(
        "removing an unknown section",
        "remove:\n  technique: [rfa]\n",
        ("c.yaml:2:3: remove.technique: unknown key; allowed: techniques, conditions, sources",),
    ),
    Case(
        "removing one id, not a list",
        "remove:\n  techniques: rfa\n",
        ("c.yaml:2:15: remove.techniques: expected a list of ids, found the text 'rfa'",),
    ),
    Case(
        "removing something that is not an id",
        "remove:\n  techniques: [Spinal Cord Stimulation, 7]\n",
        (
            "c.yaml:2:16: remove.techniques[0]: expected an id, found the text 'Spinal Cord "
            "Stimulation'",
            "c.yaml:2:41: remove.techniques[1]: expected an id, found the number 7",
        ),
    ),  # fmt: skip
    Case(
        "a list of removals",
        "remove: [rfa]\n",
        (
            "c.yaml:1:9: remove: expected a mapping of techniques, conditions, sources to ids, "
            "found a list",
        ),
    ),  # fmt: skip
    # Rules the schema cannot say: the loader alone rejects these.
    Case(
        "min above max",
        mini_with("onset: {min: 1, max: 3, unit: weeks}", "onset: {min: 4, max: 3, unit: weeks}"),
        ("c.yaml:80:26: techniques[rfa].onset.max: max (3) is less than min (4)",),
        gap="min-not-above-max",
    ),
    Case(
        "two indications for one condition",
        mini_with(
            "        sources: [review-b-2019]\n",
            "        sources: [review-b-2019]\n"
            "      - condition: sciatica\n        stance: not-recommended\n"
            '        evidence: {grade: "very low", system: GRADE, certainty: very-low, '
            "direction: uncertain}\n        note: Again.\n        sources: [review-b-2019]\n",
        ),
        (
            "c.yaml:128:20: techniques[scs].indications[sciatica].condition: a second indication "
            "for condition 'sciatica'",
        ),
        gap="one-indication-per-condition",
    ),  # fmt: skip
    Case(
        "a rate on no one",
        mini_with(HEADACHE, RATE.format(count=1, denominator=0)),
        (
            "c.yaml:59:39: techniques[esi].risks[0].rate.denominator: expected a whole number "
            "above 0, found 0",
        ),
    ),  # fmt: skip
    Case(
        "a benefit for more than everyone",
        mini_with(HEADACHE, HEADACHE + BENEFIT.format(helped=101)),
        (
            "c.yaml:62:17: techniques[esi].benefits[sciatica].helped: expected a whole number "
            "from 0 to 100 (people out of 100), found 101",
        ),
    ),  # fmt: skip
    Case(
        "a rate of more than all",
        mini_with(HEADACHE, RATE.format(count=3, denominator=2)),
        (
            "c.yaml:59:23: techniques[esi].risks[0].rate.count: count (3) is more than the "
            "denominator (2)",
        ),
        gap="count-within-denominator",
    ),  # fmt: skip
    Case(
        "a certainty the grade table disagrees with",
        mini_with(
            "system: Guide A levels, certainty: moderate",
            'system: "ASIPP levels of evidence (I-V)", certainty: moderate',
        ),
        (
            "c.yaml:64:92: techniques[esi].indications[sciatica].evidence: certainty 'moderate' "
            "disagrees with the certainty table: 'Level II' on the ASIPP levels of evidence (I-V) "
            "scale is 'low' (docs/certainty-mapping.md)",
        ),
        gap="certainty-matches-table",
    ),  # fmt: skip
    Case(
        "a name with a no-break space",
        mini_with(
            "    name: Spinal cord stimulation\n", "    name: Spinal\u00a0cord stimulation\n"
        ),
        (
            "c.yaml:101:11: techniques[scs].name: a name may not contain the invisible or special "
            "character \\xa0",
        ),
        gap="visible-names",
    ),  # fmt: skip
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_loader_and_schema_agree_on_each_case(tmp_path: Path, case: Case) -> None:
    f = tmp_path / "c.yaml"
    f.write_text(case.text, encoding="utf-8")
    assert loader_issues(f) == list(case.issues)
    assert_agree(f)
    if case.gap is not None:
        assert case.gap in schema_gaps()
        assert schema_errors(f) == [], "the schema can see this rule after all"
        assert loader_issues(f, schema_rules_only=True) == []
    if case.text.startswith("catalogue:"):
        # A whole catalogue: the full load reports these too (a broken id can add
        # references to it that no longer resolve), and nothing when there are none.
        try:
            load_catalogue([f], bundled=False)
            full: list[str] = []
        except CatalogueError as exc:
            full = [str(i).replace(f"{tmp_path}/", "") for i in exc.issues]
        assert set(case.issues) <= set(full)
        assert bool(full) == bool(case.issues)


def test_the_gaps_are_the_ones_we_chose() -> None:
    """Adding a rule the schema cannot say is a decision, taken here in view."""
    assert sorted(schema_gaps()) == [
        "certainty-matches-table",
        "count-within-denominator",
        "min-not-above-max",
        "one-indication-per-condition",
        "visible-names",
    ]
    comment = catalogue_schema()["$comment"]
    for gap in schema_gaps().values():
        assert gap in comment


def _fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*/*.yaml")) + sorted(BUNDLED_DIR.rglob("*.yaml"))


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_good_fixture_passes_both(path: Path) -> None:
    assert loader_issues(path) == []
    assert schema_errors(path) == []


def _write(tmp_path: Path, text: str | bytes) -> Path:
    f = tmp_path / "c.yaml"
    if isinstance(text, bytes):
        f.write_bytes(text)
    else:
        f.write_text(text, encoding="utf-8")
    return f


@pytest.mark.parametrize(("old", "new", "expected"), ONE_BAD_FIELD)
def test_the_loader_tests_bad_fields_agree(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert_agree(_write(tmp_path, mini_with(old, new)))


@pytest.mark.parametrize(("text", "expected"), TOP_LEVEL_SHAPES)
def test_the_loader_tests_bad_shapes_agree(tmp_path: Path, text: str, expected: str) -> None:
    f = _write(tmp_path, text)
    assert loader_issues(f) and schema_errors(f)
    assert_agree(f)


@pytest.mark.parametrize(("text", "message"), BAD_DOCUMENTS)
def test_the_readers_bad_documents_are_refused_by_both(
    tmp_path: Path, text: str | bytes, message: str
) -> None:
    f = _write(tmp_path, text)
    assert loader_issues(f) == [message]
    assert schema_errors(f)


# --- any change to a valid file --------------------------------------------------------

INTERESTING = st.sampled_from(
    [None, True, 0, -1, 1, 2019.0, 0.5, -0.5, 10**15, 10**15 + 1, 1e16, float("inf"), "",
     " ", "\t\n", "x", "Not An Id", "an-id", "an-id\n", "http://.", "https://x.org",
     "2024-02-29", "2023-02-29", "0000-01-01", "a\x1bb", "a\u202eb", [], ["x"], [""], {},
     {"min": 1, "max": 2, "unit": "days"}, "diagnostic", "recommended", "harm", "needle"]
)  # fmt: skip
VALUES = st.recursive(
    INTERESTING | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _places(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _places(v, (*path, i))
    return out


_DOC = yaml.safe_load(RICH_TEXT)
_PLACES = _places(_DOC)[1:]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(where=st.sampled_from(_PLACES), value=VALUES, drop=st.booleans())
def test_any_one_change_to_a_valid_file_gets_the_same_verdict(
    tmp_path: Path, where: tuple[Any, ...], value: Any, drop: bool
) -> None:
    doc = json.loads(json.dumps(_DOC))
    parent = doc
    for step in where[:-1]:
        parent = parent[step]
    if drop and isinstance(parent, dict):
        del parent[where[-1]]
    else:
        parent[where[-1]] = value
    f = tmp_path / "c.yaml"
    f.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert_agree(f)


def test_the_date_pattern_is_the_calendar() -> None:
    import datetime as dt

    check = TEXT_CHECKS["date"]
    for year in ("0000", "0001", "1900", "1996", "2000", "2023", "2024", "2100", "9999"):
        for month in range(0, 14):
            for day in range(0, 33):
                text = f"{year}-{month:02d}-{day:02d}"
                try:
                    dt.date.fromisoformat(text)
                    real = True
                except ValueError:
                    real = False
                assert check.accepts(text) is real, text
    assert not check.accepts("2024-01-01\n")
    assert not check.accepts("2024-1-01")


def test_the_loaders_fast_text_tests_are_the_schema_patterns() -> None:
    import re
    import sys

    from painopts.spec import NOT_BLANK, UNSAFE_TEXT

    blank = re.compile(NOT_BLANK)
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        assert (blank.search(c) is None) == c.isspace(), hex(code)
        if UNSAFE_TEXT.match(c):
            assert not c.isprintable(), hex(code)
