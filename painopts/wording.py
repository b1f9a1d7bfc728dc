"""How values read, in words shared by every view and format.

No renderer decides its own wording for a stance, a certainty, an invasiveness level
or a relief range: they all come from here, so a label cannot say one thing in a
table and another in a chart, and no renderer imports another for a label.
"""

from __future__ import annotations

from collections.abc import Iterable

from painopts.models import (
    BleedingRisk,
    Condition,
    Direction,
    Indication,
    Invasiveness,
    ReliefBasis,
    Risk,
    Source,
    Stance,
    Technique,
)
from painopts.queries import format_duration, helps

TEST_NOT_TREATMENT = "diagnostic test, not a treatment"
NOTICE = (
    "Educational information only, not medical advice: "
    "discuss any procedure with a qualified clinician."
)
NOT_SUPPORTED = "No procedure in this catalogue is supported for this condition."
NONE_MATCH = "No supported procedure matches these filters."


def level_scale(level: Invasiveness) -> str:
    """The level's place on the scale, "2/4": the rank people can also type
    (`--max-invasiveness 2`), out of however many levels the vocabulary has."""
    return f"{level.rank}/{len(Invasiveness)}"


def level_name(level: Invasiveness) -> str:
    """ "2/4 percutaneous", as every table and list prints a level."""
    return f"{level_scale(level)} {level.value}"


def level_title(level: Invasiveness) -> str:
    """ "Level 2/4 percutaneous", heading a group of options."""
    return f"Level {level_name(level)}"


def relief_range(t: Technique) -> str:
    """The relief range alone, or what a diagnostic test offers instead."""
    if t.relief is None:
        return TEST_NOT_TREATMENT
    return format_duration(t.relief)


NO_BENEFIT_ANYWHERE = "no condition's evidence points to benefit"


def relief_caveat(t: Technique, ind: Indication | None = None) -> str | None:
    """Why a relief range should not be taken at face value, or None. With *ind*,
    also when the evidence for that condition does not show benefit at all; without
    one, when the evidence for none of its conditions does (a bare "6-12 months" in
    `list` or `show` reads as a result trials have shown)."""
    if t.relief is None:
        return None
    parts: list[str] = []
    if t.relief.basis is not ReliefBasis.CONTROLLED_TRIALS:
        parts.append(t.relief.basis.label)
    if ind is not None:
        if not helps(ind):
            parts.append(f"evidence here {ind.evidence.direction.label}")
    elif t.indications and not any(helps(i) for i in t.indications):
        parts.append(NO_BENEFIT_ANYWHERE)
    return "; ".join(parts) or None


def relief_words(t: Technique, ind: Indication | None = None) -> str:
    """The relief range with its caveat, as every view shows it."""
    caveat = relief_caveat(t, ind)
    text = relief_range(t)
    if not caveat:
        return text
    if text.endswith(")"):
        # "2+ months (open-ended; uncontrolled studies only)": one pair of brackets.
        return f"{text[:-1]}; {caveat})"
    return f"{text} ({caveat})"


def duration_words(t: Technique, ind: Indication | None = None) -> list[str]:
    """The numbers behind a timeline bar, in words: ["onset 1-3 weeks", "relief 6-12
    months"]; with the indication for a condition, its stance first."""
    if t.relief is None:
        words = [f"result {format_duration(t.onset)}", TEST_NOT_TREATMENT]
    else:
        words = [f"onset {format_duration(t.onset)}", f"relief {relief_words(t, ind)}"]
    if ind is not None:
        words.insert(0, stance_words(ind))
    return words


def bleeding_class(t: Technique) -> BleedingRisk:
    """The technique's bleeding-risk class; no class recorded reads as not classified."""
    return t.bleeding_risk.risk if t.bleeding_risk is not None else BleedingRisk.NOT_CLASSIFIED


def bleeding_label(t: Technique) -> str:
    """ "high", "not classified": a column's short form (painopts.numbers.bleeding_words
    is the sentence)."""
    return bleeding_class(t).label


def risk_line(name: str, frequency: str | None) -> str:
    """A risk with how often it happens, when the catalogue says."""
    return name + (f" ({frequency})" if frequency else "")


def evidence_words(ind: Indication) -> str:
    """Certainty and direction first (what they mean), then the source's own grade."""
    ev = ind.evidence
    return f"{ev.certainty.label} certainty, {ev.direction.label} ({ev.grade}; {ev.system})"


def evidence_short(ind: Indication) -> str:
    """Certainty and direction in a few words: "low certainty of benefit"."""
    ev = ind.evidence
    of = {
        Direction.BENEFIT: " of benefit",
        Direction.NO_BENEFIT: " of no benefit",
        Direction.HARM: " of harm",
        Direction.UNCERTAIN: ", unclear",
        Direction.CONFLICTING: ", conflicting",
    }[ev.direction]
    return f"{ev.certainty.label} certainty{of}"


def stance_words(ind: Indication) -> str:
    """The stance as every view writes it."""
    return ind.stance.label


def verdict(t: Technique) -> str:
    """One line summing up a technique's stances, strongest warning first:
    "Recommended against for 3 conditions; may be considered for 2; see Evidence by
    condition"."""
    counts = dict.fromkeys(Stance, 0)
    for ind in t.indications:
        counts[ind.stance] += 1
    order = (Stance.NOT_RECOMMENDED, Stance.RECOMMENDED, Stance.MAY_BE_CONSIDERED)
    parts = []
    for s in order:
        n = counts[s]
        if not n:
            continue
        what = "condition" if n == 1 else "conditions"
        label = "recommended against" if s is Stance.NOT_RECOMMENDED else s.label
        parts.append(f"{label} for {n} {what}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "; see Evidence by condition"


NOT_KNOWN = "how often is not known"


def shared_denominator(risks: Iterable[Risk]) -> int | None:
    """The one denominator for every sourced rate in *risks* (of one option, or of
    every option shown together), or None when none has a rate."""
    from painopts.numbers import common_denominator

    rates = [r.rate for r in risks if r.rate is not None]
    return common_denominator(rates) if rates else None


def how_often(risk: Risk, denominator: int | None = None) -> str:
    """How often a risk happens, in words: a sourced rate (on *denominator* when given,
    so that risks compare on one scale, with its time frame), then the catalogue's own
    words if it has them; else "how often is not known" - never blank, which a reader
    could take for "never"."""
    if risk.rate is not None:
        from painopts.numbers import risk_words

        text = risk_words(risk, denominator)
        if not risk.frequency:
            return text
        if set(risk.rate.sources).isdisjoint(risk.sources):
            # The words describe another study: in brackets they would read as the
            # same figure restated, and lend the rate the other study's setting.
            return f"{text}; in another study, {risk.frequency}"
        return f"{text} ({risk.frequency})"
    return risk.frequency or NOT_KNOWN


def named(entry: Technique | Condition) -> str:
    """An entry as every view names it: its name, then the id to type next."""
    return f"{entry.name} [{entry.id}]"


def names(items: Iterable[Technique]) -> str:
    return ", ".join(named(t) for t in items)


# The comparison's rows as the questions people ask, keyed by the field names that
# CSV and JSON keep.
QUESTIONS: dict[str, str] = {
    "name": "What is it called?",
    "category": "What kind of procedure?",
    "invasiveness": "How invasive is it?",
    "purpose": "Test or treatment?",
    "onset": "When might relief start?",
    "relief": "How long might relief last?",
    "repeatable": "Can it be repeated?",
    "imaging": "What imaging guides it?",
    "anaesthesia": "What anaesthesia is used?",
    "setting": "Where is it done?",
    "recovery": "What is recovery like?",
    "prerequisites": "What must come first?",
    "risks": "What are the risks, and how often?",
    "bleeding": "What is the bleeding risk?",
    "benefits": "How many people are helped?",
    "conditions": "What is it used for, and is it advised?",
    "stance": "Is it advised for {condition}?",
    "certainty": "How sure is the evidence?",
    "direction": "Does the evidence show benefit?",
    "grade (system)": "What grade did the source give?",
    "note": "What does the evidence say?",
    "disagreement": "Do sources disagree?",
    "sources": "Which sources?",
}


# A reference list names this many authors before "et al.", as Vancouver style does
# with six; three keep a reference to about one line at 80 columns.
AUTHORS_SHOWN = 3


def short_authors(authors: str, most: int = AUTHORS_SHOWN) -> str:
    """*authors* ("Liu C, Ferreira GE, ..., et al.") cut to *most* names then "et al."."""
    text = authors.strip().removesuffix(".").strip()
    cut = text.endswith("et al")
    if cut:
        text = text.removesuffix("et al").rstrip(" ,;")
    names = [n.strip() for n in text.replace(";", ",").split(",") if n.strip()]
    if cut or len(names) > most:
        return ", ".join([*names[:most], "et al."])
    return ", ".join(names)


def citation(s: Source) -> str:
    """A source as reference lists read: authors (when known), title, publisher, year."""
    lead = ""
    if s.authors:
        lead = short_authors(s.authors)
        lead += " " if lead.endswith(".") else ". "
    return f"{lead}{s.title}. {s.publisher}, {s.year}."


# The attributes a comparison asks about, in order, by the field names CSV and JSON
# keep; each shows as the question people ask (QUESTIONS). Documents lay these out as
# the side-by-side grid; CSV adds the rows that are lists of their own (risks,
# conditions).
COMPARE_FIELDS: tuple[str, ...] = (
    "name",
    "category",
    "invasiveness",
    "purpose",
    "onset",
    "relief",
    "repeatable",
    "imaging",
    "anaesthesia",
    "setting",
    "recovery",
    "prerequisites",
    "bleeding",
)
