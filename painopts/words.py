"""How values read, in words shared by every view and format.

No renderer decides its own wording for a stance, a certainty or a relief range:
they all come from here, so a label cannot say one thing in a table and another in
a chart.
"""

from __future__ import annotations

from painopts.models import Indication, ReliefBasis, Technique
from painopts.queries import format_duration

TEST_NOT_TREATMENT = "diagnostic test, not a treatment"


def relief_range(t: Technique) -> str:
    """The relief range alone, or what a diagnostic test offers instead."""
    if t.relief is None:
        return TEST_NOT_TREATMENT
    return format_duration(t.relief)


def relief_caveat(t: Technique) -> str | None:
    """Why a relief range should not be taken at face value, or None."""
    if t.relief is None or t.relief.basis is ReliefBasis.CONTROLLED_TRIALS:
        return None
    return f"not shown in controlled trials: {t.relief.basis.label}"


def relief_words(t: Technique) -> str:
    """The relief range with its caveat, as every view shows it."""
    caveat = relief_caveat(t)
    text = relief_range(t)
    return f"{text} ({caveat})" if caveat else text


def evidence_words(ind: Indication) -> str:
    """Certainty and direction first (what they mean), then the source's own grade."""
    ev = ind.evidence
    return f"{ev.certainty.label} certainty, {ev.direction.label} ({ev.grade}; {ev.system})"


def stance_words(ind: Indication) -> str:
    return ind.stance.label
