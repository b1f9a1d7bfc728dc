"""From what was typed on the command line to catalogue records: names typed without
quotes, and filter options. Pure functions; they raise UsageError or LookupFailed with
the remedy in words, and the CLI turns those into a message and exit status 2."""

from __future__ import annotations

from painopts.errors import LookupFailed, UsageError
from painopts.models import (
    BleedingRisk,
    Catalogue,
    Category,
    Certainty,
    Condition,
    Invasiveness,
    Purpose,
    Region,
    Stance,
    Technique,
)
from painopts.queries import Filters, NameIndex, find_condition, find_technique, parse_duration


def filters_from_options(
    cat: Catalogue,
    *,
    condition: str | None,
    category: list[Category] | None,
    min_invasiveness: Invasiveness | None,
    max_invasiveness: Invasiveness | None,
    min_relief: str | None,
    max_relief: str | None,
    evidence: Certainty | None,
    region: list[Region] | None,
    stance: list[Stance] | None,
    diagnostic: bool,
    therapeutic: bool,
    include_all: bool = False,
    bleeding_risk: list[str] | None = None,
) -> Filters:
    if (
        min_invasiveness is not None
        and max_invasiveness is not None
        and min_invasiveness.rank > max_invasiveness.rank
    ):
        raise UsageError("--min-invasiveness is above --max-invasiveness")
    purposes: set[Purpose] = set()
    if diagnostic:
        purposes.add(Purpose.DIAGNOSTIC)
    if therapeutic:
        purposes.add(Purpose.THERAPEUTIC)
    return Filters(
        condition=find_condition(cat, condition).id if condition else None,
        categories=frozenset(category or ()),
        min_invasiveness=min_invasiveness,
        max_invasiveness=max_invasiveness,
        min_relief_days=parse_duration(min_relief) if min_relief else None,
        max_relief_days=parse_duration(max_relief) if max_relief else None,
        min_evidence=evidence,
        regions=frozenset(region or ()),
        stances=frozenset(stance or ()),
        purposes=frozenset(purposes),
        include_all=include_all,
        bleeding_risks=bleeding_risks(bleeding_risk or ()),
    )


def bleeding_risks(values: list[str] | tuple[str, ...]) -> frozenset[BleedingRisk]:
    """--bleeding-risk values, each a class or a comma list of classes. "Not
    classified" is no class: a filter on it would present silence as a risk level."""
    out: set[BleedingRisk] = set()
    for value in values:
        for part in value.split(","):
            word = part.strip().lower()
            try:
                risk = BleedingRisk(word)
            except ValueError:
                risk = None
            if risk is None or risk is BleedingRisk.NOT_CLASSIFIED:
                choices = ", ".join(
                    r.value for r in BleedingRisk if r is not BleedingRisk.NOT_CLASSIFIED
                )
                raise UsageError(f"--bleeding-risk {part.strip()!r}: use one of {choices}")
            out.add(risk)
    return frozenset(out)


def resolve_techniques(
    cat: Catalogue,
    index: NameIndex,
    words: list[str],
    command: str,
    *,
    condition: str | None = None,
) -> list[tuple[str, Technique]]:
    """Techniques for words typed without quotes: a word that names nothing is tried
    joined with the words after it (`spinal cord stimulation rfa`), longest first."""

    def find(name: str) -> Technique | None:
        try:
            return cat.techniques[index.resolve(name, "technique")]
        except LookupFailed:
            return None

    found: list[tuple[str, Technique]] = []
    i = 0
    while i < len(words):
        t = find(words[i])
        end = i + 1
        if t is None:
            for end in range(len(words), i + 1, -1):
                if (t := find(" ".join(words[i:end]))) is not None:
                    break
        if t is None:
            if condition and names_condition(cat, index, [condition, *words[i:]]):
                value = " ".join([condition, *words[i:]])
                raise UsageError(
                    f"{words[i]!r} is not a technique; quote values with spaces, "
                    f"e.g. `painopts {command} --condition '{value}'`"
                )
            try:
                find_technique(cat, words[i], index)
            except LookupFailed as exc:
                if len(words) < 2 or exc.note:  # a note says what the word is instead
                    raise
                raise UsageError(
                    f"{exc}; quote names with spaces, e.g. `painopts {command} "
                    "'spinal cord stimulation' rfa`"
                ) from None
        assert t is not None
        found.append((" ".join(words[i:end]), t))
        i = end
    return found


def names_condition(cat: Catalogue, index: NameIndex, words: list[str]) -> bool:
    try:
        index.resolve(" ".join(words), "condition")
    except LookupFailed:
        return False
    return True


def condition_words(cat: Catalogue, words: list[str], values: dict[str, str | None]) -> Condition:
    """The condition named by unquoted words; when a number option swallowed only the
    number (`--min-relief 6 months`), say to quote the value instead."""
    index = NameIndex.of(cat)
    try:
        return find_condition(cat, " ".join(words), index)
    except LookupFailed:
        for option, value in values.items():
            if value is None or not value.strip().isdigit():
                continue
            for cut in range(1, len(words)):
                if names_condition(cat, index, words[:-cut]):
                    quoted = " ".join([value, *words[-cut:]])
                    raise UsageError(
                        f"{' '.join(words[-cut:])!r} is not part of a condition name; "
                        f"quote values with spaces, e.g. {option} '{quoted}'"
                    ) from None
        raise


def named_techniques(
    cat: Catalogue, words: list[str], command: str, *, condition: str | None = None
) -> tuple[list[Technique], list[str]]:
    """The techniques *words* name, each once in the order typed, and a line for each
    generic name saying what else it could have meant."""
    from painopts.queries import alternatives_line

    resolved = resolve_techniques(cat, NameIndex.of(cat), words, command, condition=condition)
    lead = [line for name, t in resolved if (line := alternatives_line(cat, name, t))]
    return list({t.id: t for _, t in resolved}.values()), lead


def condition_then_rest(cat: Catalogue, words: list[str]) -> tuple[Condition, list[str]]:
    """The condition named by the longest run of leading words, and the words after it
    (`handout low back pain rfa`); a first word that names nothing is looked up alone,
    so its error and suggestions are about that word."""
    index = NameIndex.of(cat)
    for end in range(len(words), 0, -1):
        if names_condition(cat, index, words[:end]):
            return find_condition(cat, " ".join(words[:end]), index), words[end:]
    return find_condition(cat, words[0], index), words[1:]
