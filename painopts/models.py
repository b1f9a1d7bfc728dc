"""The catalogue's domain model: frozen dataclasses and closed vocabularies.

The classes are slotted: the cache decodes catalogues straight into them (msgspec),
and filling slots was measured at about half the cost of filling an instance
__dict__ (10,000 techniques: 0.31 s -> 0.15 s). No I/O here. The loader derives its validation rules
from these type hints, so a field added here is validated (and documented in the
schema) without a second list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import field
from enum import StrEnum

from painopts.frozen import Record, record
from painopts.frozen import field_names as field_names  # the models' public helper

_SEPARATORS = re.compile(r"[-_/]+")


def normalise_name(text: str) -> str:
    """The form in which typed names are compared: case-folded, separators unified."""
    return " ".join(_SEPARATORS.sub(" ", text.casefold()).split())


class Vocab(StrEnum):
    """A closed vocabulary whose values are the words written in catalogue files."""

    @classmethod
    def values(cls) -> list[str]:
        return [m.value for m in cls]


class Category(Vocab):
    INJECTION = "injection"
    NERVE_BLOCK = "nerve-block"
    ABLATION = "ablation"
    NEUROMODULATION = "neuromodulation"
    DRUG_DELIVERY = "drug-delivery"
    MINIMALLY_INVASIVE_SURGERY = "minimally-invasive-surgery"
    SURGERY = "surgery"
    DIAGNOSTIC = "diagnostic"
    REGENERATIVE = "regenerative"


class Invasiveness(Vocab):
    """Ordinal: declaration order is the order of invasiveness."""

    NEEDLE = "needle"
    PERCUTANEOUS = "percutaneous"
    IMPLANT = "implant"
    SURGERY = "surgery"

    @property
    def rank(self) -> int:
        return _INVASIVENESS_ORDER.index(self) + 1

    @property
    def meaning(self) -> str:
        return INVASIVENESS_MEANINGS[self]


_INVASIVENESS_ORDER: list[Invasiveness] = list(Invasiveness)

INVASIVENESS_MEANINGS: Mapping[Invasiveness, str] = {
    Invasiveness.NEEDLE: "Needle injection: medicine goes in through a needle; "
    "nothing is destroyed or left behind.",
    Invasiveness.PERCUTANEOUS: "Percutaneous procedure: needles, probes or cannulas "
    "through the skin heat, freeze, destroy or reshape tissue, or place cement.",
    Invasiveness.IMPLANT: "Implanted device: a stimulator, pump, lead or spacer is "
    "placed through small incisions and stays in the body.",
    Invasiveness.SURGERY: "Surgery: an operation through an incision that removes, "
    "decompresses or fuses tissue.",
}


class Purpose(Vocab):
    DIAGNOSTIC = "diagnostic"
    THERAPEUTIC = "therapeutic"
    BOTH = "both"


class TimeUnit(Vocab):
    HOURS = "hours"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"

    @property
    def days(self) -> float:
        return _DAYS_PER_UNIT[self]


_DAYS_PER_UNIT: Mapping[TimeUnit, float] = {
    TimeUnit.HOURS: 1 / 24,
    TimeUnit.DAYS: 1.0,
    TimeUnit.WEEKS: 7.0,
    TimeUnit.MONTHS: 365.25 / 12,
    TimeUnit.YEARS: 365.25,
}


class Imaging(Vocab):
    NONE = "none"
    ULTRASOUND = "ultrasound"
    FLUOROSCOPY = "fluoroscopy"
    CT = "ct"
    DIRECT_VISION = "direct-vision"


class Anaesthesia(Vocab):
    NONE = "none"
    LOCAL = "local"
    SEDATION = "sedation"
    REGIONAL = "regional"
    GENERAL = "general"


class Setting(Vocab):
    CLINIC = "clinic"
    DAY_CASE = "day-case"
    INPATIENT = "inpatient"


class Stance(Vocab):
    """Declaration order is stepped-care order: recommended options come first."""

    RECOMMENDED = "recommended"
    MAY_BE_CONSIDERED = "may-be-considered"
    NOT_RECOMMENDED = "not-recommended"

    @property
    def rank(self) -> int:
        return list(Stance).index(self)

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")


class Certainty(Vocab):
    """How certain the evidence is for one indication (GRADE's four levels, plus
    "insufficient" where there is no usable evidence), most certain first. Certainty
    says nothing about which way the evidence points: see Direction."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very-low"
    INSUFFICIENT = "insufficient"

    @property
    def rank(self) -> int:
        """Higher is more certain."""
        return len(Certainty) - list(Certainty).index(self)

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")


class Direction(Vocab):
    """Where the evidence for one indication points."""

    BENEFIT = "benefit"
    NO_BENEFIT = "no-benefit"
    HARM = "harm"
    UNCERTAIN = "uncertain"
    CONFLICTING = "conflicting"

    @property
    def label(self) -> str:
        return _DIRECTION_LABELS[self]


_DIRECTION_LABELS: Mapping[Direction, str] = {
    Direction.BENEFIT: "points to benefit",
    Direction.NO_BENEFIT: "points to no benefit",
    Direction.HARM: "points to harm",
    Direction.UNCERTAIN: "does not point either way",
    Direction.CONFLICTING: "conflicting",
}


class ReliefBasis(Vocab):
    """What supports a technique's range of relief."""

    CONTROLLED_TRIALS = "controlled-trials"
    UNCONTROLLED_STUDIES = "uncontrolled-studies"
    EXPERT_OPINION = "expert-opinion"

    @property
    def label(self) -> str:
        return _BASIS_LABELS[self]


_BASIS_LABELS: Mapping[ReliefBasis, str] = {
    ReliefBasis.CONTROLLED_TRIALS: "controlled trials",
    ReliefBasis.UNCONTROLLED_STUDIES: "uncontrolled studies only",
    ReliefBasis.EXPERT_OPINION: "expert opinion only",
}


class SourceKind(Vocab):
    GUIDELINE = "guideline"
    SYSTEMATIC_REVIEW = "systematic-review"
    TRIAL = "trial"
    OBSERVATIONAL = "observational"
    PATIENT_INFORMATION = "patient-information"
    REGULATORY = "regulatory"
    REVIEW = "review"


class Region(Vocab):
    HEAD = "head"
    FACE = "face"
    NECK = "neck"
    TRUNK = "trunk"
    LOW_BACK = "low-back"
    ABDOMEN = "abdomen"
    PELVIS = "pelvis"
    UPPER_LIMB = "upper-limb"
    LOWER_LIMB = "lower-limb"
    WIDESPREAD = "widespread"


class PainType(Vocab):
    NOCICEPTIVE = "nociceptive"
    NEUROPATHIC = "neuropathic"
    NOCIPLASTIC = "nociplastic"
    MIXED = "mixed"


class SortKey(Vocab):
    """How `list` and `for` may order their results."""

    NAME = "name"
    INVASIVENESS = "invasiveness"
    RELIEF = "relief"
    EVIDENCE = "evidence"


class RatePer(Vocab):
    """What a rate counts: each procedure done, or each person treated (a person
    may have several procedures, so the two are not interchangeable)."""

    PROCEDURE = "procedure"
    PATIENT = "patient"

    @property
    def plural(self) -> str:
        return _RATE_PER_PLURAL[self]


_RATE_PER_PLURAL: Mapping[RatePer, str] = {
    RatePer.PROCEDURE: "procedures",
    RatePer.PATIENT: "people treated",
}


class BleedingRisk(Vocab):
    """A procedure's bleeding-risk class in the 2018 multisociety guidance on
    interventional spine and pain procedures in patients on antiplatelet and
    anticoagulant medications; "not-classified" where that guidance is silent."""

    LOW = "low"
    INTERMEDIATE = "intermediate"
    HIGH = "high"
    NOT_CLASSIFIED = "not-classified"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")


class PrerequisiteKind(Vocab):
    DIAGNOSTIC_BLOCK = "diagnostic-block"
    TRIAL = "trial"
    CONSERVATIVE_CARE = "conservative-care"
    IMAGING = "imaging"
    ASSESSMENT = "assessment"
    OTHER = "other"


# Field metadata, the field rules of painopts.spec (the loader and the JSON Schema
# both read them there): "check" names a text rule ("id", "date", "url"),
# "min_items" a lower bound on a list's length, "minimum"/"maximum"/"exclusive_minimum"
# bounds on a number and "meaning" what it counts.
ID = {"check": "id"}
DATE = {"check": "date"}
URL = {"check": "url"}
NONEMPTY = {"min_items": 1}
IDS = {"check": "id", "min_items": 1}
NON_NEGATIVE = {"minimum": 0}
POSITIVE = {"exclusive_minimum": 0}
OUT_OF_100 = {"minimum": 0, "maximum": 100, "meaning": "people out of 100"}


@record()
class Duration(Record):
    """A numeric range; ``max`` of None means open-ended (e.g. while an implant is on)."""

    min: float = field(metadata=NON_NEGATIVE)
    max: float | None
    unit: TimeUnit
    note: str | None = None
    sources: tuple[str, ...] = field(default=(), metadata=ID)

    @property
    def min_days(self) -> float:
        return self.min * self.unit.days

    @property
    def max_days(self) -> float | None:
        return None if self.max is None else self.max * self.unit.days

    @property
    def open_ended(self) -> bool:
        return self.max is None


@record()
class Relief(Duration):
    """How long relief lasts, and what kind of study that range rests on."""

    basis: ReliefBasis


@record()
class Evidence(Record):
    """The source's own grade in its own system, and what it means for this
    indication: how certain the evidence is, and which way it points."""

    grade: str
    system: str
    certainty: Certainty
    direction: Direction


@record()
class Indication(Record):
    condition: str = field(metadata=ID)
    stance: Stance
    evidence: Evidence
    note: str
    sources: tuple[str, ...] = field(metadata=IDS)
    disagreement: str | None = None


@record()
class Prerequisite(Record):
    text: str
    kind: PrerequisiteKind
    technique: str | None = field(default=None, metadata=ID)


@record()
class Rate(Record):
    """How often something happens, as a count on a stated denominator: 0.5 in 1,000
    is written as count 0.5, denominator 1000. ``per`` says what was counted."""

    count: float = field(metadata=NON_NEGATIVE)
    denominator: int = field(metadata=POSITIVE)
    per: RatePer
    timeframe: str | None
    sources: tuple[str, ...] = field(metadata=IDS)
    note: str | None = None


@record()
class Risk(Record):
    name: str
    frequency: str | None = None
    sources: tuple[str, ...] = field(default=(), metadata=ID)
    # None means no sourced number: views say "how often is not known".
    rate: Rate | None = None


@record()
class Benefit(Record):
    """A chance of benefit reported by a trial or review, out of 100 people: how many
    were helped with this option, and how many with the comparator."""

    condition: str = field(metadata=ID)
    outcome: str
    timeframe: str
    helped: int = field(metadata=OUT_OF_100)
    comparator: str
    comparator_helped: int = field(metadata=OUT_OF_100)
    sources: tuple[str, ...] = field(metadata=IDS)
    note: str | None = None


@record()
class BleedingClass(Record):
    """The bleeding-risk class of a procedure, and the basis in our words (which
    row of the guidance, or that the guidance does not list it)."""

    risk: BleedingRisk
    basis: str
    sources: tuple[str, ...] = field(metadata=IDS)


@record()
class Expectation(Record):
    before: str
    during: str
    after: str


@record()
class Technique(Record):
    id: str = field(metadata=ID)
    name: str
    aliases: tuple[str, ...]
    category: Category
    invasiveness: Invasiveness
    purpose: Purpose
    summary: str
    mechanism: str
    onset: Duration
    repeatable: bool
    imaging: tuple[Imaging, ...] = field(metadata=NONEMPTY)
    anaesthesia: tuple[Anaesthesia, ...] = field(metadata=NONEMPTY)
    setting: tuple[Setting, ...] = field(metadata=NONEMPTY)
    recovery: str
    expect: Expectation
    prerequisites: tuple[Prerequisite, ...]
    risks: tuple[Risk, ...] = field(metadata=NONEMPTY)
    contraindications: tuple[str, ...] = field(metadata=NONEMPTY)
    sources: tuple[str, ...] = field(metadata=IDS)
    reviewed: str = field(metadata=DATE)
    indications: tuple[Indication, ...] = field(metadata=NONEMPTY)
    # None only for a diagnostic test: it is not a treatment, so it has no relief.
    relief: Relief | None = None
    repeat_note: str | None = None
    regulatory: str | None = None
    related: tuple[str, ...] = field(default=(), metadata=ID)
    benefits: tuple[Benefit, ...] = ()
    bleeding_risk: BleedingClass | None = None

    @property
    def is_test_only(self) -> bool:
        return self.purpose is Purpose.DIAGNOSTIC

    @property
    def names(self) -> tuple[str, ...]:
        """Every string a person may type to mean this technique."""
        return (self.id, self.name, *self.aliases)


@record()
class Condition(Record):
    id: str = field(metadata=ID)
    name: str
    synonyms: tuple[str, ...]
    regions: tuple[Region, ...] = field(metadata=NONEMPTY)
    pain_type: PainType
    summary: str
    first_line: tuple[str, ...] = field(metadata=NONEMPTY)
    red_flags: tuple[str, ...]
    sources: tuple[str, ...] = field(metadata=IDS)
    reviewed: str = field(metadata=DATE)
    interventional_note: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.id, self.name, *self.synonyms)


@record()
class SourceCheck(Record):
    """When a reviewer who did not write the entry opened the source, and what they
    confirmed against it (in our words: what was read, what matched, what did not)."""

    date: str = field(metadata=DATE)
    how: str


@record()
class Source(Record):
    id: str = field(metadata=ID)
    title: str
    publisher: str
    year: int
    url: str = field(metadata=URL)
    kind: SourceKind
    authors: str | None = None
    note: str | None = None
    checked: SourceCheck | None = None


@record()
class CatalogueMeta(Record):
    title: str
    version: str
    reviewed: str = field(metadata=DATE)


@record(weakref_slot=True)
class Catalogue(Record):
    """A validated catalogue. Mappings keep load order; ids are unique."""

    meta: CatalogueMeta
    techniques: Mapping[str, Technique]
    conditions: Mapping[str, Condition]
    sources: Mapping[str, Source]
    origins: tuple[str, ...] = ()

    def indications_for(self, condition_id: str) -> list[tuple[Technique, Indication]]:
        return [
            (t, ind)
            for t in self.techniques.values()
            for ind in t.indications
            if ind.condition == condition_id
        ]
