"""Structured numbers in words a person can compare.

Risks are put on one denominator across every option shown together ("about 5 in
1,000 procedures" beside "about 20 in 1,000 procedures"), because people misjudge
rates written on different denominators (1 in 200 against 3 in 1,000). Chances of
benefit are always out of 100 people, set against the comparator's. Pure functions:
no I/O, nothing printed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from painopts.models import Benefit, BleedingClass, BleedingRisk, Rate, Risk

# The smallest denominator we use: "in 100" is how decision aids state chances.
MIN_DENOMINATOR = 100
# The largest common denominator: beyond it numbers stop meaning anything to most
# readers ("245,000 in 1,000,000"), so rarer rates read "fewer than 1 in 10,000".
MAX_DENOMINATOR = 10_000

NOT_KNOWN = "how often is not known"
GUIDANCE = "the 2018 multisociety guidance"
NOT_CLASSIFIED = f"not classified by {GUIDANCE}"


def _round_half_up(x: float) -> int:
    # round() rounds halves to even (12.5 -> 12); people expect 13.
    return math.floor(x + 0.5)


def _per_denominator(rate: Rate, denominator: int) -> float:
    return rate.count / rate.denominator * denominator


def _readable(rate: Rate, denominator: int) -> bool:
    """At least 1 on this denominator, and a whole number within 15% of the true
    value: 1.25 in 100 would read "about 1 in 100", so it becomes 13 in 1,000."""
    scaled = _per_denominator(rate, denominator)
    if scaled < 0.995:
        return False
    return abs(_round_half_up(scaled) - scaled) <= 0.15 * scaled


def common_denominator(rates: Iterable[Rate]) -> int:
    """The smallest power of ten (at least 100, at most 10,000) on which every non-zero
    rate is readable: 1 in 200 and 3 in 10,000 share 10,000. Rarer rates do not push it
    further; they read as "fewer than 1 in 10,000"."""
    denominator = MIN_DENOMINATOR
    for rate in rates:
        if rate.count <= 0:
            continue
        while denominator < MAX_DENOMINATOR and not _readable(rate, denominator):
            denominator *= 10
    return denominator


def rate_words(rate: Rate, denominator: int | None = None) -> str:
    """ "about 5 in 1,000 procedures": the rate on *denominator* (by default the
    smallest on which it reads as at least 1). The time frame is not included: see
    risk_words."""
    noun = rate.per.plural
    if rate.count == 0:
        # Scaling "none seen" up would claim a precision the study did not have.
        return f"none seen in {rate.denominator:,} {noun}"
    d = common_denominator([rate]) if denominator is None else denominator
    scaled = _per_denominator(rate, d)
    if scaled < 0.995:
        return f"fewer than 1 in {d:,} {noun}"
    return f"about {_round_half_up(scaled):,} in {d:,} {noun}"


def risk_words(risk: Risk, denominator: int | None = None) -> str:
    """How often one risk happens, with its time frame, or that nobody knows."""
    if risk.rate is None:
        return NOT_KNOWN
    words = rate_words(risk.rate, denominator)
    if risk.rate.timeframe:
        words += f", {risk.rate.timeframe}"
    return words


def benefit_words(benefit: Benefit, option: str = "this option") -> str:
    """ "About 40 in 100 people had at least half their leg pain relieved at 6 months
    with spinal cord stimulation, against 25 in 100 with usual care." """
    return (
        f"About {benefit.helped} in 100 people had {benefit.outcome} {benefit.timeframe} "
        f"with {option}, against {benefit.comparator_helped} in 100 with "
        f"{benefit.comparator}."
    )


def bleeding_words(cls: BleedingClass | None) -> str:
    """The bleeding-risk class in words; silence in the guidance is said, not guessed."""
    if cls is None or cls.risk is BleedingRisk.NOT_CLASSIFIED:
        return NOT_CLASSIFIED
    return f"{cls.risk.label} bleeding risk in {GUIDANCE}"
