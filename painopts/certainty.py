"""The grade-to-certainty table: what a grade on a source's own scale says about
the certainty of the evidence.

docs/certainty-mapping.md explains each row; this module is the same table in a
form the loader applies, so the same grade from the same system always maps to the
same certainty. Only scales whose grades are defined by the amount and design of
the evidence are mapped. A recommendation's strength ("strong recommendation
against", NICE's "consider" or "do not offer", ACR's "conditional") mixes evidence
with values, costs and harms, so it is never mapped: for those the indication
records the certainty that the guideline's evidence review, or the systematic
review it cites, gives for that procedure.

Scales that classify study design but do not judge inconsistency, imprecision,
indirectness or publication bias are capped at "moderate", and so is a society's own
statement of certainty: only a GRADE rating can make evidence "high".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from painopts.models import Certainty

H, M, L, VL, INS = (
    Certainty.HIGH,
    Certainty.MODERATE,
    Certainty.LOW,
    Certainty.VERY_LOW,
    Certainty.INSUFFICIENT,
)

# "Level I to II", "Level I or II-1", "Evidence level III, grade B": a level, then
# optional further levels joined by "or" / "to". A range maps to its lower end.
_LEVELS = re.compile(r"\blevel\s+([A-Z0-9-]+(?:\s+(?:or|to)\s+[A-Z0-9-]+)*)", re.IGNORECASE)
_JOIN = re.compile(r"\s+(?:or|to)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Scale:
    """One grading system: its exact name in catalogue files, the keyword that gives
    away a misspelling of it, and how a grade's text is read."""

    system: str
    keyword: str
    table: Mapping[str, Certainty]
    pattern: re.Pattern[str] = _LEVELS
    phrases: bool = False  # match table keys as phrases instead of level tokens

    def tokens(self, grade: str) -> list[str] | None:
        if self.phrases:
            low = grade.casefold()
            found = [k for k in self.table if k in low]
            return found or None
        m = self.pattern.search(grade)
        if m is None:
            return None
        return [t.upper() for t in _JOIN.split(m.group(1).strip())]

    def certainty(self, grade: str) -> Certainty | str:
        """The certainty the table gives *grade*, or a message saying why none."""
        tokens = self.tokens(grade)
        if not tokens:
            return f"the grade {grade!r} names no grade that the {self.system} table knows"
        unknown = [t for t in tokens if t not in self.table]
        if unknown:
            return (
                f"the grade {grade!r} names {', '.join(unknown)}, which is not in the "
                f"{self.system} table (known: {', '.join(self.table)})"
            )
        values = {self.table[t] for t in tokens}
        if self.phrases and len(values) > 1:
            return f"the grade {grade!r} matches more than one row of the {self.system} table"
        return min(values, key=lambda c: c.rank)


SCALES: tuple[Scale, ...] = (
    # ASIPP's modified levels: I needs two or more high-quality RCTs, II at least one,
    # III moderate-quality trials with observational studies, IV observational
    # studies, V consensus.
    Scale(
        "ASIPP levels of evidence (I-V)",
        "ASIPP",
        {"I": M, "II": L, "III": L, "IV": VL, "V": INS},
    ),
    # US Preventive Services Task Force design levels, as used by ASIPP 2009, ASPN
    # and PACC: I at least one randomised trial, II-1 controlled without
    # randomisation, II-2 cohort or case-control, II-3 time series or uncontrolled,
    # III expert opinion. The letter grade beside a level is a recommendation and is
    # not read.
    Scale(
        "USPSTF-style levels of evidence (I, II-1, II-2, II-3, III)",
        "levels of evidence (I, II",
        {"I": L, "II-1": L, "II-2": L, "II-3": VL, "III": VL},
    ),
    # The USPSTF's words for certainty of net benefit, where a society states them
    # for its own consensus. Capped at moderate like the design scales: the rating is
    # the society's own, not a GRADE appraisal (ASPN's "high" for MILD rests on one
    # unblinded, sponsor-linked trial against an active comparator).
    Scale(
        "USPSTF certainty of net benefit (high, moderate, low)",
        "certainty of net benefit",
        {"HIGH": M, "MODERATE": M, "LOW": L},
        pattern=re.compile(r"\blevel of certainty\s+(high|moderate|low)\b", re.IGNORECASE),
    ),
    # American Academy of Neurology levels (A two or more Class I studies, B one
    # Class I or two Class II, C one Class II or two Class III, U inadequate).
    Scale(
        "AAN levels of recommendation (A, B, C, U)",
        "AAN",
        {"A": M, "B": L, "C": VL, "U": INS},
    ),
    # Congress of Neurological Surgeons: the level follows the class of evidence.
    Scale(
        "CNS levels of recommendation (I-III)",
        "Neurological Surgeons",
        {"I": M, "II": L, "III": VL},
    ),
    # NASS grades are defined by evidence alone: A good (consistent Level I
    # studies), B fair, C poor, I insufficient or conflicting.
    Scale(
        "NASS grades of recommendation (A, B, C, I)",
        "NASS grades",
        {"A": M, "B": L, "C": VL, "I": INS},
        pattern=re.compile(r"\b[Gg]rade\s+([ABCI])\b"),
    ),
    # NASS levels of evidence for therapeutic studies. Level 1 is met by a single
    # high-quality RCT, so it maps like USPSTF Level I and ASIPP Level II (one trial,
    # unreplicated): low.
    Scale(
        "NASS levels of evidence (1-5)",
        "NASS levels",
        {"1": L, "2": L, "3": L, "4": VL, "5": INS},
    ),
    # AAFP's SORT: A consistent good-quality patient-oriented evidence, B
    # inconsistent or limited-quality, C consensus or usual practice.
    Scale(
        "AAFP Strength of Recommendation Taxonomy (SORT)",
        "SORT",
        {"A": M, "B": L, "C": VL},
        pattern=re.compile(r"\bSORT\s+([ABC])\b"),
    ),
    # NICE interventional procedures guidance judges whether the evidence on
    # efficacy is adequate for routine use, often from small or uncontrolled studies.
    Scale(
        "NICE interventional procedures guidance wording",
        "interventional procedures guidance",
        {
            "standard arrangements": L,
            "normal arrangements": L,
            "can be used": L,
            "can be offered routinely": L,
            "special arrangements": VL,
            "only in the context of research": INS,
            "only in research": INS,
        },
        phrases=True,
    ),
)

BY_SYSTEM: Mapping[str, Scale] = {s.system: s for s in SCALES}


def check(system: str, grade: str, certainty: Certainty) -> str | None:
    """A message when *certainty* disagrees with the table, or when *system* looks
    like a mapped scale written another way; None when all is well."""
    scale = BY_SYSTEM.get(system)
    if scale is None:
        for s in SCALES:
            if re.search(rf"(?<!\w){re.escape(s.keyword)}(?!\w)", system):
                return (
                    f"write the system as {s.system!r} so that the certainty table "
                    "(docs/certainty-mapping.md) applies to it"
                )
        return None
    expected = scale.certainty(grade)
    if not isinstance(expected, Certainty):
        return expected + "; see docs/certainty-mapping.md"
    if expected is not certainty:
        return (
            f"certainty {certainty.value!r} disagrees with the certainty table: "
            f"{grade!r} on the {system} scale is {expected.value!r} "
            "(docs/certainty-mapping.md)"
        )
    return None
