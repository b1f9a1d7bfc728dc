"""The rules a catalogue file must follow, in one place.

The loader applies them to located values, so its messages name file, line and field;
painopts.schema publishes the same rules as a JSON Schema. Both read them from here:

- **Fields** come from the model (painopts.models): a field's type hint says what it
  holds (text, number, vocabulary, list, nested record, or that null is allowed), a
  field without a default is required, and its metadata adds
  ``"check"`` ("id", "date" or "url": a rule from TEXT_CHECKS), ``"min_items"``,
  ``"minimum"``, ``"maximum"``, ``"exclusive_minimum"`` and ``"meaning"`` (what a number
  counts, shown in messages and the schema). A record type added to the model is
  covered without an edit here.
- **Text** is never blank and never holds a control, bidi or invisible character
  (NOT_BLANK, UNSAFE_CLASS), whatever the field.
- **Records** may add rules that relate their own fields (RECORD_RULES). Each rule is
  a check for the loader and, where JSON Schema can say it, the schema fragment that
  says the same; where it cannot (comparing two fields, uniqueness by one key), the
  rule says why instead, and the schema carries that list in a ``$comment``.

Checks that need more than one entry -- references (a benefit's condition must also be
one of its technique's indications), duplicate ids and names, cycles of prerequisites,
what a ``remove:`` block removes -- are the loader's alone: a JSON
Schema sees one file at a time. tests/test_rules_agree.py runs every fixture through
both and requires the same verdict, apart from the rules listed in schema_gaps().
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from painopts import certainty, models
from painopts.models import (
    CatalogueMeta,
    Condition,
    Direction,
    Duration,
    Evidence,
    Indication,
    Purpose,
    Rate,
    Relief,
    Source,
    Stance,
    Technique,
)
from painopts.textsafe import escape_char

# The top level of a catalogue file: each section and the record type of its entries
# ("catalogue" holds one record, the others a list), and what `remove:` may name.
SECTIONS: dict[str, type] = {
    "catalogue": CatalogueMeta,
    "sources": Source,
    "conditions": Condition,
    "techniques": Technique,
}
REMOVABLE = ("techniques", "conditions", "sources")

# Larger numbers overflow to infinity once turned into days (Infinity is not JSON),
# and no duration, year or count needs them.
MAX_NUMBER = 10**15

# --- text ---------------------------------------------------------------------------

# The end of the text. `$` would also match before a final newline in Python (which
# the jsonschema package uses), letting "an-id\n" through; this works in Python and in
# the ECMA-262 regular expressions that editors use.
END = r"(?![\s\S])"
# Control characters other than tab/newline, bidi controls, line/paragraph separators,
# zero-width characters and tags: never legitimate in catalogue prose, and able to
# rewrite what a terminal shows or hide text from a reviewer. Written as the characters
# themselves (not escapes), so the class means the same to every regex engine.
UNSAFE_CLASS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b\u200e\u200f\u2028-\u202e"
    "\u2060-\u2069\ud800-\udfff\ufeff\ufff9-\ufffb\U000e0000-\U000e007f"
)
UNSAFE_TEXT = re.compile(f"[{UNSAFE_CLASS}]")
SAFE_TEXT = f"^[^{UNSAFE_CLASS}]*{END}"  # the same rule, as a schema pattern
NOT_BLANK = r"\S"


@dataclass(frozen=True, slots=True)
class TextCheck:
    """A rule a text field opts into with metadata {"check": name}."""

    pattern: str  # searched with re.search, as JSON Schema's "pattern" is
    expected: str  # "expected <this>, found '...'"

    def accepts(self, value: str) -> bool:
        return _compiled(self.pattern).search(value) is not None


_COMPILED: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    found = _COMPILED.get(pattern)
    if found is None:
        found = _COMPILED[pattern] = re.compile(pattern)
    return found


# A calendar date: month lengths, and 29 February in leap years only (every fourth
# year, but not centuries unless divisible by 400); year 0000 does not exist.
_DAY_IN_MONTH = (
    r"(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    r"|02-(?:0[1-9]|1[0-9]|2[0-8])"
)
_LEAP_YEAR = r"[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00"
TEXT_CHECKS: Mapping[str, TextCheck] = {
    "id": TextCheck(
        rf"^[a-z0-9]+(?:-[a-z0-9]+)*{END}", "an id of lowercase letters, digits and hyphens"
    ),
    "date": TextCheck(
        rf"^(?!0000)(?:[0-9]{{4}}-(?:{_DAY_IN_MONTH})|(?:{_LEAP_YEAR})-02-29){END}",
        "a date written YYYY-MM-DD",
    ),
    # A host must start with something other than a dot, slash or query, so that
    # "http://." and "https://?" are not links.
    "url": TextCheck(rf"^https?://[^\s/$.?#][^\s]*{END}", "an http(s) URL"),
}


def text_problem(value: str, check: str | None) -> str | None:
    """Why *value* is not acceptable text for a field with this check, or None."""
    # The same tests as NOT_BLANK and SAFE_TEXT, by faster means (checked by a test):
    # `\S` matches exactly what str.isspace() does not, and every unsafe character is
    # one Python cannot print.
    if not value or value.isspace():
        return "expected text, found an empty string"
    bad = None if value.isprintable() else UNSAFE_TEXT.search(value)
    if bad:
        return (
            "text contains a control, bidirectional or invisible character "
            f"({escape_char(bad.group())})"
        )
    rule = TEXT_CHECKS.get(check) if check else None
    if rule is not None and not rule.accepts(value):
        return f"expected {rule.expected}, found {value!r}"
    return None


# Fields people type to find an entry: compared after NFC, and every character must be
# visible (painopts.textsafe.first_invisible). Which characters are visible comes from
# Python's Unicode database, so the schema cannot list them (see schema_gaps()).
NAME_FIELDS: Mapping[type, tuple[str, ...]] = {
    Technique: ("name", "aliases"),
    Condition: ("name", "synonyms"),
}

# --- fields -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    type: Any
    required: bool
    meta: Mapping[str, Any]


_SPECS: dict[type, tuple[FieldSpec, ...]] = {}


def field_specs(cls: type) -> tuple[FieldSpec, ...]:
    """The fields of a model record, derived from its type hints and metadata."""
    spec = _SPECS.get(cls)
    if spec is None:
        hints = typing.get_type_hints(cls, vars(models))
        spec = tuple(
            FieldSpec(
                f.name,
                hints[f.name],
                f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
                f.metadata,
            )
            for f in dataclasses.fields(cls)
        )
        _SPECS[cls] = spec
    return spec


def bound_problem(value: float, meta: Mapping[str, Any]) -> str | None:
    """Why a number within MAX_NUMBER breaks its field's own bounds, or None."""
    low = meta.get("minimum")
    high = meta.get("maximum")
    above = meta.get("exclusive_minimum")
    if not (
        (low is not None and value < low)
        or (high is not None and value > high)
        or (above is not None and value <= above)
    ):
        return None
    if low is not None and high is not None:
        expected = f"from {low:g} to {high:g}"
    elif above is not None:
        expected = f"above {above:g}"
    elif low is not None:
        expected = f"of {low:g} or more"
    else:
        expected = f"of {high:g} or less"
    kind = "whole number" if isinstance(value, int) else "number"
    meaning = f" ({meta['meaning']})" if meta.get("meaning") else ""
    shown = str(value) if isinstance(value, int) else f"{value:g}"
    return f"expected a {kind} {expected}{meaning}, found {shown}"


# --- record rules -------------------------------------------------------------------

# report(path inside the record, breadcrumb suffix, message)
Report = Callable[[tuple[str | int, ...], str, str], None]


@dataclass(frozen=True, slots=True)
class RecordRule:
    """A rule that relates fields of one record (of its class or a subclass)."""

    name: str
    check: Callable[[Any, Report], None]
    schema: Mapping[str, Any] | None  # merged into the record's "allOf"
    gap: str | None = None  # why JSON Schema cannot say this, when schema is None


def _min_not_above_max(d: Duration, report: Report) -> None:
    if d.max is not None and d.max < d.min:
        report(("max",), ".max", f"max ({d.max:g}) is less than min ({d.min:g})")


def _relief_has_sources(r: Relief, report: Report) -> None:
    if not r.sources:
        report((), ".sources", "expected at least 1 source for the duration of relief")


def _relief_lasts(r: Relief, report: Report) -> None:
    if r.max is not None and r.max <= 0:
        report(("max",), ".max", "relief that lasts no time is not relief: give a duration above 0")


def _relief_for_treatments_only(t: Technique, report: Report) -> None:
    """A treatment says how long relief lasts and on what basis; a diagnostic test is
    not a treatment and has no relief, so no view can show "0 hours" of it."""
    if t.is_test_only:
        if t.relief is not None:
            report(
                ("relief",),
                ".relief",
                "a diagnostic test (purpose: diagnostic) has no duration of relief; "
                "remove the relief block",
            )
    elif t.relief is None:
        report(
            (),
            ".relief",
            "missing required key (a mapping); only a diagnostic test may leave it out",
        )


def _one_indication_per_condition(t: Technique, report: Report) -> None:
    seen: set[str] = set()
    for i, ind in enumerate(t.indications):
        if ind.condition in seen:
            report(
                ("indications", i, "condition"),
                f".indications[{ind.condition}].condition",
                f"a second indication for condition {ind.condition!r}",
            )
        seen.add(ind.condition)


def _count_within_denominator(rate: Rate, report: Report) -> None:
    if rate.count > rate.denominator:
        report(
            ("count",),
            ".count",
            f"count ({rate.count:g}) is more than the denominator ({rate.denominator})",
        )


_AGAINST = (Direction.NO_BENEFIT, Direction.HARM)


def _recommended_points_to_benefit(ind: Indication, report: Report) -> None:
    direction = ind.evidence.direction
    if ind.stance is Stance.RECOMMENDED and direction in _AGAINST:
        report(
            ("evidence", "direction"),
            ".evidence.direction",
            f"a recommended option cannot have evidence that points to "
            f"{direction.value}; check the stance or the direction",
        )


def _certainty_matches_table(ev: Evidence, report: Report) -> None:
    problem = certainty.check(ev.system, ev.grade, ev.certainty)
    if problem is not None:
        report(("certainty",), "", problem)


_DIAGNOSTIC = Purpose.DIAGNOSTIC.value
RECORD_RULES: Mapping[type, tuple[RecordRule, ...]] = {
    Duration: (
        RecordRule(
            "min-not-above-max",
            _min_not_above_max,
            None,
            "a duration's max is not below its min: JSON Schema cannot compare two fields",
        ),
    ),
    Relief: (
        RecordRule(
            "relief-has-sources",
            _relief_has_sources,
            {"required": ["sources"], "properties": {"sources": {"minItems": 1}}},
        ),
        RecordRule("relief-lasts", _relief_lasts, {"properties": {"max": {"exclusiveMinimum": 0}}}),
    ),
    Technique: (
        RecordRule(
            "relief-for-treatments-only",
            _relief_for_treatments_only,
            {
                "if": {"properties": {"purpose": {"const": _DIAGNOSTIC}}, "required": ["purpose"]},
                "then": {"properties": {"relief": {"type": "null"}}},
                "else": {"required": ["relief"], "properties": {"relief": {"type": "object"}}},
            },
        ),
        RecordRule(
            "one-indication-per-condition",
            _one_indication_per_condition,
            None,
            "a technique has one indication per condition: JSON Schema cannot require "
            "list items to differ in one key",
        ),
    ),
    Indication: (
        RecordRule(
            "recommended-points-to-benefit",
            _recommended_points_to_benefit,
            {
                "if": {
                    "properties": {
                        "stance": {"const": Stance.RECOMMENDED.value},
                        "evidence": {
                            "properties": {"direction": {"enum": [d.value for d in _AGAINST]}},
                            "required": ["direction"],
                        },
                    },
                    "required": ["stance", "evidence"],
                },
                "then": False,
            },
        ),
    ),
    Rate: (
        RecordRule(
            "count-within-denominator",
            _count_within_denominator,
            None,
            "a rate's count is not above its denominator: JSON Schema cannot compare two fields",
        ),
    ),
    Evidence: (
        RecordRule(
            "certainty-matches-table",
            _certainty_matches_table,
            None,
            "an evidence certainty agrees with the grade-to-certainty table "
            "(docs/certainty-mapping.md), which reads the grade's free text",
        ),
    ),
}

_RULES_FOR: dict[type, tuple[RecordRule, ...]] = {}


def rules_for(cls: type) -> tuple[RecordRule, ...]:
    """The record rules of *cls*, its base classes' first (a Relief is a Duration)."""
    rules = _RULES_FOR.get(cls)
    if rules is None:
        rules = _RULES_FOR[cls] = tuple(
            rule for base in reversed(cls.__mro__) for rule in RECORD_RULES.get(base, ())
        )
    return rules


def schema_gaps() -> dict[str, str]:
    """Rule name -> what painopts validate checks that the JSON Schema cannot say."""
    gaps = {rule.name: rule.gap for rules in RECORD_RULES.values() for rule in rules if rule.gap}
    gaps["visible-names"] = (
        "names, aliases and synonyms hold only visible characters, as Python's Unicode "
        "database defines them"
    )
    return gaps
