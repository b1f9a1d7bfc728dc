"""Pure questions asked of a catalogue. No printing, no I/O."""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Sequence
from typing import Literal

from painopts.errors import LookupFailed, UsageError
from painopts.frozen import Record, record
from painopts.models import (
    BleedingRisk,
    Catalogue,
    Category,
    Certainty,
    Condition,
    Direction,
    Duration,
    Indication,
    Invasiveness,
    Purpose,
    Region,
    ReliefBasis,
    SortKey,
    Source,
    SourceKind,
    Stance,
    Technique,
    TimeUnit,
    normalise_name,
)

Kind = Literal["technique", "condition"]


@record(kw_only=False)
class NameIndex(Record):
    """Every typed form of every technique and condition, normalised."""

    exact: dict[str, tuple[Kind, str]]
    display: dict[str, str]  # normalised form -> as written, for suggestions

    @classmethod
    def build(cls, cat: Catalogue) -> NameIndex:
        exact: dict[str, tuple[Kind, str]] = {}
        display: dict[str, str] = {}
        entries: list[tuple[Kind, Technique | Condition]] = [
            *(("technique", t) for t in cat.techniques.values()),
            *(("condition", c) for c in cat.conditions.values()),
        ]
        for kind, item in entries:
            for text in item.names:
                key = normalise_name(text)
                exact.setdefault(key, (kind, item.id))
                display.setdefault(key, text)
        return cls(exact, display)

    @classmethod
    def of(cls, cat: Catalogue) -> NameIndex:
        """The index of *cat*: the one the cache stored with it, else built once
        (building costs about 0.1 s at 10,000 techniques, on every run)."""
        known = _INDEXES.get(id(cat))
        if known is not None and known[0]() is cat:
            return known[1]
        index = cls.build(cat)
        cls.remember(cat, index)
        return index

    @staticmethod
    def remember(cat: Catalogue, index: NameIndex) -> None:
        """Keep *index* as the index of *cat* for as long as *cat* lives."""
        key = id(cat)
        _INDEXES[key] = (weakref.ref(cat, lambda _: _INDEXES.pop(key, None)), index)

    def suggest(self, name: str, kind: Kind, n: int = 3) -> list[str]:
        """Names close enough to *name* to be a typo of it, nearest first. A wrong
        suggestion can send a reader to the wrong procedure, so only names a typo or
        two away (fewer for short names), or whose words the typed words begin, are
        offered: no suggestion is better than a misleading one."""
        from painopts.suggest import close

        key = normalise_name(name)
        pool = [k for k, (kd, _) in self.exact.items() if kd == kind]
        found = self.partial_keys(name, kind) + close(key, pool)
        if not found:
            # A typo inside one word of a longer name: "nerve burnign".
            fixed = self._fix_words(key, pool)
            if fixed != key:
                found = self.partial_keys(fixed, kind)
        # A generic name ("epidural") opens one default but means several: offer them
        # all when they fit, never a cut list (`rfa` means eight; its page names them).
        wider: list[str] = []
        for k in found:
            family = self.partial_keys(GENERIC_DEFAULTS[k], kind) if k in GENERIC_DEFAULTS else []
            wider += [k, *family] if len(family) <= n else [k]
        found = wider
        seen: set[str] = set()
        out: list[str] = []
        for k in found:
            ident = self.exact[k][1]
            if ident in seen:
                continue
            seen.add(ident)
            out.append(self.label(k))
            if len(out) == n:
                break
        return out

    @staticmethod
    def _fix_words(key: str, pool: list[str]) -> str:
        from painopts.stems import tokens
        from painopts.suggest import close

        vocabulary = list(dict.fromkeys(w for k in pool for _, _, w in tokens(k)))
        known = set(vocabulary)
        fixed = []
        for word in key.split():
            near = [] if word in known else close(word, vocabulary)
            fixed.append(near[0] if near else word)
        return " ".join(fixed)

    def label(self, key: str) -> str:
        """How to show a matched name: its id, plus the name typed if that differs."""
        ident = self.exact[key][1]
        return ident if key == normalise_name(ident) else f"{ident} ({self.display[key]})"

    def _refuse_generic(self, name: str, key: str, ident: str) -> None:
        """A name that several techniques could mean never silently picks one: unless
        it is one of the documented defaults (GENERIC_DEFAULTS), an alias that other
        techniques' names also contain is ambiguous."""
        if key == normalise_name(ident) or key in GENERIC_DEFAULTS:
            return
        others = [i for i in self.partial_ids(name, "technique") if i != ident]
        if not others:
            return
        candidates = [ident, *others]
        shown = [self.label_for(i) for i in candidates][:8]
        raise LookupFailed(
            name,
            "technique",
            shown,
            ambiguous=True,
            hint="to see them side by side: painopts compare " + " ".join(candidates[:6]),
        )

    def partial_keys(self, name: str, kind: Kind) -> list[str]:
        """The first name of each entry in which every typed word begins a word, or is
        the same word with another ending ("burning nerves" finds "nerve burning")."""
        from painopts.stems import STOPWORDS, stem, tokens

        words = [w for _, _, w in tokens(name)]
        typed = [(w, stem(w)) for w in [w for w in words if w not in STOPWORDS] or words]
        if not typed:
            return []
        keys: list[str] = []
        seen: set[str] = set()
        for key, (kd, ident) in self.exact.items():
            if kd != kind or ident in seen:
                continue
            # Plain loops, split() and strip(): this runs over every name on each
            # generic lookup (`show rfa`), where a word pattern and a helper per
            # comparison cost about a millisecond.
            have = [h.strip(_PUNCTUATION) for h in key.split()]
            for w, s in typed:
                for h in have:
                    if h.startswith(w) or (h[:2] == w[:2] and stem(h) == s):
                        break
                else:
                    break
            else:
                seen.add(ident)
                keys.append(key)
        return keys

    def partial_ids(self, name: str, kind: Kind) -> list[str]:
        return [self.exact[k][1] for k in self.partial_keys(name, kind)]

    def label_for(self, ident: str) -> str:
        key = normalise_name(ident)
        for k, (_, i) in self.exact.items():
            if i == ident and k != key:
                return f"{ident} ({self.display[k]})"
        return ident

    def partial(self, name: str, kind: Kind) -> list[str]:
        """Entries where every typed word starts a word of one of their names."""
        return [self.label(k) for k in self.partial_keys(name, kind)]

    def resolve(self, name: str, kind: Kind) -> str:
        key = normalise_name(name)
        hit = self.exact.get(key)
        if hit is not None and hit[0] == kind:
            if kind == "technique":
                self._refuse_generic(name, key, hit[1])
            return hit[1]
        candidates = self.partial(name, kind)
        if len(candidates) > 1:
            shown = candidates[:8] + (
                [f"and {len(candidates) - 8} more"] if len(candidates) > 8 else []
            )
            hint = None
            if kind == "technique":
                ids = " ".join(self.partial_ids(name, kind)[:6])
                hint = f"to see them side by side: painopts compare {ids}"
            raise LookupFailed(name, kind, shown, ambiguous=True, hint=hint)
        hint = None
        if hit is not None:
            other = hit[0]
            command = "painopts for" if other == "condition" else "painopts show"
            hint = f"{name!r} is a {other}: try `{command} {hit[1]}`"
        raise LookupFailed(name, kind, self.suggest(name, kind), hint=hint)


# Generic names that open a documented default. Each view that opens one names the
# other techniques the word could mean (see alternatives()). Documented in the README.
GENERIC_DEFAULTS: dict[str, str] = {
    "rfa": "radiofrequency",
    "radiofrequency ablation": "radiofrequency",
    "radiofrequency denervation": "radiofrequency",
    "radiofrequency neurotomy": "radiofrequency",
    "esi": "epidural",
    "epidural": "epidural",
    "epidural steroid injection": "epidural",
    "spinal cord stimulation": "spinal cord stimulation",
    "spinal cord stimulator": "spinal cord stimulator",
    "peripheral nerve block": "peripheral nerve block",
}


def alternatives(cat: Catalogue, name: str, chosen: Technique) -> list[Technique]:
    """The other techniques a generic *name* could have meant, or [] for a specific one."""
    family = GENERIC_DEFAULTS.get(normalise_name(name))
    if family is None:
        return []
    index = NameIndex.of(cat)
    return [cat.techniques[i] for i in index.partial_ids(family, "technique") if i != chosen.id]


def alternatives_line(cat: Catalogue, name: str, chosen: Technique) -> str | None:
    others = alternatives(cat, name, chosen)
    if not others:
        return None
    listed = "; ".join(f"{t.name} [{t.id}]" for t in others)
    return f"{name!r} opens {chosen.name} [{chosen.id}]. It can also mean: {listed}."


# Catalogue id -> (the catalogue, its index). Keyed by identity because a catalogue
# holds dicts and so cannot be hashed, and kept off the frozen record itself.
_INDEXES: dict[int, tuple[weakref.ref[Catalogue], NameIndex]] = {}


_PUNCTUATION = "()[]{},.;:!?'\"’"


def find_technique(cat: Catalogue, name: str, index: NameIndex | None = None) -> Technique:
    index = index or NameIndex.of(cat)
    try:
        return cat.techniques[index.resolve(name, "technique")]
    except LookupFailed as exc:
        raise _with_mentions(cat, exc) from None


def find_condition(cat: Catalogue, name: str, index: NameIndex | None = None) -> Condition:
    index = index or NameIndex.of(cat)
    try:
        return cat.conditions[index.resolve(name, "condition")]
    except LookupFailed as exc:
        raise _with_mentions(cat, exc) from None


def first_line_mentions(cat: Catalogue, name: str) -> list[tuple[Condition, str]]:
    """Conditions whose first-line (non-procedure) care mentions *name* as whole words,
    each with the sentence that does: TENS is no procedure, but the catalogue says where
    guidelines discuss it."""
    from painopts.stems import STOPWORDS, stem, tokens

    wanted = [stem(w) for _, _, w in tokens(name)]
    if not any(len(w) >= 3 and w not in STOPWORDS for w in wanted):
        return []
    found: list[tuple[Condition, str]] = []
    for c in cat.conditions.values():
        for sentence in c.first_line:
            have = [stem(w) for _, _, w in tokens(sentence)]
            n = len(wanted)
            if any(have[i : i + n] == wanted for i in range(len(have) - n + 1)):
                found.append((c, sentence))
                break
    return found


_MENTIONS = 3  # quoted in full; the rest are counted, with the search that lists them


def _with_mentions(cat: Catalogue, exc: LookupFailed) -> LookupFailed:
    """A name that matched nothing, told where the catalogue mentions it as first-line
    care. Only when there is no suggestion and no other hint: those come first."""
    if exc.ambiguous or exc.suggestions or exc.hint:
        return exc
    mentions = first_line_mentions(cat, exc.name)
    if not mentions:
        return exc
    where = "; ".join(f"for {c.id}: {sentence!r}" for c, sentence in mentions[:_MENTIONS])
    if len(mentions) > _MENTIONS:
        more = len(mentions) - _MENTIONS
        where += f"; and {more} more: painopts search {exc.name}"
    what = "procedures" if exc.kind == "technique" else "conditions"
    note = (
        f"this catalogue has no entry for it among its {what}, but mentions it in "
        f"first-line care ({where})"
    )
    return LookupFailed(exc.name, exc.kind, [], note=note)


def helps(ind: Indication) -> bool:
    """Whether the evidence for this indication points to benefit."""
    return ind.evidence.direction is Direction.BENEFIT


def benefit_rank(ind: Indication) -> int:
    """How certain the evidence of benefit is; 0 when the evidence does not show
    benefit, however certain it is (certainty that something does not help is not
    evidence in its favour)."""
    return ind.evidence.certainty.rank if helps(ind) else 0


def evidence_key(ind: Indication) -> tuple[int, int]:
    """Stance first, then certainty of benefit: what `--sort evidence` means."""
    return (ind.stance.rank, -benefit_rank(ind))


def stepped_care_key(item: tuple[Technique, Indication]) -> tuple[int, int, int, str]:
    """Recommended first, then less invasive before more, then surer evidence of benefit."""
    t, ind = item
    return (ind.stance.rank, t.invasiveness.rank, -benefit_rank(ind), t.name.casefold())


@record(kw_only=False)
class ConditionOptions(Record):
    condition: Condition
    options: list[tuple[Technique, Indication]]
    against: list[tuple[Technique, Indication]]

    @property
    def source_ids(self) -> list[str]:
        ids: list[str] = list(self.condition.sources)
        for _, ind in (*self.options, *self.against):
            ids.extend(ind.sources)
        return list(dict.fromkeys(ids))


def options_for(cat: Catalogue, condition: Condition) -> ConditionOptions:
    pairs = sorted(cat.indications_for(condition.id), key=stepped_care_key)
    return ConditionOptions(
        condition,
        [p for p in pairs if p[1].stance is not Stance.NOT_RECOMMENDED],
        [p for p in pairs if p[1].stance is Stance.NOT_RECOMMENDED],
    )


def option_counts(cat: Catalogue) -> dict[str, tuple[int, int]]:
    """Condition id -> (options not recommended against, options recommended against)."""
    counts = {cid: [0, 0] for cid in cat.conditions}
    for t in cat.techniques.values():
        for ind in t.indications:
            if ind.condition in counts:
                counts[ind.condition][ind.stance is Stance.NOT_RECOMMENDED] += 1
    return {cid: (a, b) for cid, (a, b) in counts.items()}


def technique_source_ids(t: Technique) -> list[str]:
    relief_sources = t.relief.sources if t.relief is not None else ()
    ids: list[str] = [*t.sources, *t.onset.sources, *relief_sources]
    for r in t.risks:
        ids.extend(r.sources)
        if r.rate is not None:
            ids.extend(r.rate.sources)
    for ind in t.indications:
        ids.extend(ind.sources)
    for b in t.benefits:
        ids.extend(b.sources)
    if t.bleeding_risk is not None:
        ids.extend(t.bleeding_risk.sources)
    return list(dict.fromkeys(ids))


def condition_source_ids(cat: Catalogue, c: Condition) -> list[str]:
    """The sources cited for a condition: its own, then those of every technique's
    indication for it and of the chances of benefit recorded for it (the numbers of
    people helped that `for` shows), in catalogue order."""
    ids: list[str] = list(c.sources)
    for t, ind in cat.indications_for(c.id):
        ids.extend(ind.sources)
        for b in t.benefits:
            if b.condition == c.id:
                ids.extend(b.sources)
    return list(dict.fromkeys(ids))


class SourceSelection:
    # A plain class: a dataclass costs about a millisecond at import, paid by every
    # command that imports this module.
    __slots__ = ("phrases", "sources", "total")

    def __init__(self, sources: tuple[Source, ...], phrases: tuple[str, ...], total: int) -> None:
        self.sources = sources
        self.phrases = phrases  # the filters, in words ("cited for sciatica")
        self.total = total  # sources before the filters

    @property
    def filtered_line(self) -> str | None:
        if not self.phrases:
            return None
        return f"{len(self.sources)} of {self.total} sources: " + ", ".join(self.phrases)


def select_sources(
    cat: Catalogue,
    ids: Sequence[str] = (),
    *,
    condition: Condition | None = None,
    technique: Technique | None = None,
    kind: SourceKind | None = None,
) -> SourceSelection:
    """The sources named by *ids* (in the order given), else every source (by id),
    narrowed by each filter given: cited for *condition* (for the condition itself or
    any technique's indication for it), cited by *technique*, of *kind*."""
    if ids:
        chosen = [find_source(cat, i) for i in dict.fromkeys(ids)]
    else:
        chosen = sorted(cat.sources.values(), key=lambda s: s.id)
    total = len(chosen)
    phrases: list[str] = []
    if condition is not None:
        cited = set(condition_source_ids(cat, condition))
        chosen = [s for s in chosen if s.id in cited]
        phrases.append(f"cited for {condition.id}")
    if technique is not None:
        cited = set(technique_source_ids(technique))
        chosen = [s for s in chosen if s.id in cited]
        phrases.append(f"cited by {technique.id}")
    if kind is not None:
        chosen = [s for s in chosen if s.kind is kind]
        phrases.append(f"of kind {kind.value}")
    return SourceSelection(tuple(chosen), tuple(phrases), total)


def find_source(cat: Catalogue, ident: str) -> Source:
    """The source with id *ident* (case-insensitive); else the ids it begins, or a typo
    or two away, as suggestions."""
    from painopts.suggest import close

    found = cat.sources.get(ident) or cat.sources.get(ident.strip().casefold())
    if found is not None:
        return found
    key = ident.strip().casefold()
    starts = sorted(i for i in cat.sources if key and i.startswith(key))
    suggestions = (starts or close(key, sorted(cat.sources)))[:5]
    raise LookupFailed(ident, "source", suggestions)


# --- durations in words ---------------------------------------------------------


def _num(x: float) -> str:
    return f"{x:g}"


def format_duration(d: Duration) -> str:
    unit = d.unit.value
    if d.max is None:
        return f"{_num(d.min)}+ {unit} (open-ended)" if d.min else "open-ended"
    if d.min == d.max:
        singular = unit[:-1] if d.min == 1 else unit
        return f"{_num(d.min)} {singular}"
    return f"{_num(d.min)}-{_num(d.max)} {unit}"


# --- filters and sorting (shared by `list` and `for`) ---------------------------

_DURATION = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(h|hr|hrs|hours?|d|days?|w|wk|wks|weeks?|m|mo|mos|months?|y|yr|yrs|years?)\s*$",
    re.IGNORECASE,
)
_UNIT_DAYS = {"h": 1 / 24, "d": 1.0, "w": 7.0, "m": TimeUnit.MONTHS.days, "y": TimeUnit.YEARS.days}


def parse_duration(text: str) -> float:
    """A human duration in days: `6m`, `6 months`, `2w`, `1y`, `10d`, `12h` (m = months)."""
    match = _DURATION.match(text)
    if not match:
        raise UsageError(
            f"cannot read {text!r} as a duration; use a number and a unit such as "
            "12h, 10d, 2w, 6m (months) or 1y"
        )
    number, unit = match.groups()
    key = unit.lower()
    key = "m" if key.startswith("mo") or key == "m" else key[0]
    return float(number) * _UNIT_DAYS[key]


@record()
class Filters(Record):
    """What `list` and `for` may narrow by. Indication-level criteria (condition, stance,
    evidence, region) must all hold for the same indication."""

    condition: str | None = None
    categories: frozenset[Category] = frozenset()
    min_invasiveness: Invasiveness | None = None
    max_invasiveness: Invasiveness | None = None
    min_relief_days: float | None = None
    max_relief_days: float | None = None
    min_evidence: Certainty | None = None
    regions: frozenset[Region] = frozenset()
    stances: frozenset[Stance] = frozenset()
    purposes: frozenset[Purpose] = frozenset()
    # --bleeding-risk: the classes of the 2018 multisociety guidance to keep.
    bleeding_risks: frozenset[BleedingRisk] = frozenset()
    # --all: relief filters also keep ranges without controlled evidence of benefit.
    include_all: bool = False

    @property
    def on_relief(self) -> bool:
        return self.min_relief_days is not None or self.max_relief_days is not None

    @property
    def strict_relief(self) -> bool:
        """A relief filter that keeps only relief with controlled evidence of benefit."""
        return self.on_relief and not self.include_all

    @property
    def on_indications(self) -> bool:
        return bool(
            self.condition
            or self.min_evidence
            or self.regions
            or self.stances
            or self.strict_relief
        )


def indication_matches(cat: Catalogue, ind: Indication, f: Filters) -> bool:
    if f.condition is not None and ind.condition != f.condition:
        return False
    if f.stances and ind.stance not in f.stances:
        return False
    # --evidence means "helps, with at least this certainty": evidence that points to
    # no benefit or harm never passes, however certain it is.
    if f.min_evidence is not None and (
        not helps(ind) or ind.evidence.certainty.rank < f.min_evidence.rank
    ):
        return False
    if f.strict_relief and not helps(ind):
        return False
    if f.regions:
        cond = cat.conditions.get(ind.condition)
        if cond is None or not f.regions.intersection(cond.regions):
            return False
    return True


def technique_matches(cat: Catalogue, t: Technique, f: Filters) -> bool:
    if f.categories and t.category not in f.categories:
        return False
    if f.min_invasiveness is not None and t.invasiveness.rank < f.min_invasiveness.rank:
        return False
    if f.max_invasiveness is not None and t.invasiveness.rank > f.max_invasiveness.rank:
        return False
    if f.purposes and t.purpose not in f.purposes and t.purpose is not Purpose.BOTH:
        return False
    if f.bleeding_risks and not has_bleeding_risk(t, f.bleeding_risks):
        return False
    # Relief ranges match by overlap: --min-relief keeps what can last at least that
    # long (its upper end reaches the bound), --max-relief what can end by then.
    if f.on_relief:
        # A diagnostic test offers no relief, so a relief filter never keeps one; nor,
        # without --all, a range that controlled trials have not shown.
        if t.relief is None:
            return False
        if f.strict_relief and t.relief.basis is not ReliefBasis.CONTROLLED_TRIALS:
            return False
        top = t.relief.max_days
        if f.min_relief_days is not None and top is not None and top < f.min_relief_days:
            return False
        if f.max_relief_days is not None and t.relief.min_days > f.max_relief_days:
            return False
    if f.on_indications:
        return any(indication_matches(cat, ind, f) for ind in t.indications)
    return True


def has_bleeding_risk(t: Technique, risks: Iterable[BleedingRisk]) -> bool:
    """Whether the guidance puts *t* in one of *risks*. An option the guidance does not
    classify never matches: leaving it in would present an unknown risk as a low one."""
    cls = t.bleeding_risk
    if cls is None or cls.risk is BleedingRisk.NOT_CLASSIFIED:
        return False
    return cls.risk in set(risks)


def bleeding_risk(techniques: Iterable[Technique], *risks: BleedingRisk) -> list[Technique]:
    """The techniques whose bleeding-risk class is one of *risks* (--bleeding-risk)."""
    return [t for t in techniques if has_bleeding_risk(t, risks)]


def best_indication(cat: Catalogue, t: Technique, f: Filters) -> Indication | None:
    """The matching indication that ranks first by stance, then certainty of benefit."""
    matching = [ind for ind in t.indications if indication_matches(cat, ind, f)]
    return min(matching, key=evidence_key, default=None)


def _best_key(cat: Catalogue, t: Technique, f: Filters) -> tuple[int, int]:
    best = best_indication(cat, t, f)
    return evidence_key(best) if best is not None else (len(Stance), 0)


def relief_sort_value(t: Technique) -> tuple[float, float]:
    if t.relief is None:
        return (-1.0, -1.0)
    top = t.relief.max_days
    return (float("inf") if top is None else top, t.relief.min_days)


def select_techniques(
    cat: Catalogue, f: Filters, sort: SortKey | None = None, reverse: bool = False
) -> list[Technique]:
    chosen = [t for t in cat.techniques.values() if technique_matches(cat, t, f)]
    if sort is SortKey.NAME:
        chosen.sort(key=lambda t: t.name.casefold())
    elif sort is SortKey.INVASIVENESS:
        chosen.sort(key=lambda t: (t.invasiveness.rank, t.name.casefold()))
    elif sort is SortKey.RELIEF:
        # Longest relief first reads naturally; --reverse gives shortest first.
        chosen.sort(key=lambda t: (relief_sort_value(t), t.name.casefold()), reverse=True)
    elif sort is SortKey.EVIDENCE:
        chosen.sort(key=lambda t: (_best_key(cat, t, f), t.name.casefold()))
    if reverse:
        chosen.reverse()
    if sort is SortKey.RELIEF:
        # Diagnostic tests offer no relief: they come last whichever way relief sorts.
        chosen = [t for t in chosen if t.relief is not None] + [
            t for t in chosen if t.relief is None
        ]
    return chosen


def filter_options(
    cat: Catalogue,
    found: ConditionOptions,
    f: Filters,
    sort: SortKey | None = None,
    reverse: bool = False,
) -> ConditionOptions:
    """Narrow a condition's options; stepped-care order unless another sort is asked."""

    def keep(pairs: list[tuple[Technique, Indication]]) -> list[tuple[Technique, Indication]]:
        out = [
            (t, ind)
            for t, ind in pairs
            if technique_matches(cat, t, f) and indication_matches(cat, ind, f)
        ]
        if sort is SortKey.NAME:
            out.sort(key=lambda p: p[0].name.casefold())
        elif sort is SortKey.INVASIVENESS:
            out.sort(key=lambda p: (p[0].invasiveness.rank, p[1].stance.rank))
        elif sort is SortKey.RELIEF:
            out.sort(key=lambda p: relief_sort_value(p[0]), reverse=True)
        elif sort is SortKey.EVIDENCE:
            out.sort(key=lambda p: evidence_key(p[1]))
        if reverse:
            out.reverse()
        if sort is SortKey.RELIEF:
            out = [p for p in out if p[0].relief is not None] + [
                p for p in out if p[0].relief is None
            ]
        return out

    return ConditionOptions(found.condition, keep(found.options), keep(found.against))


def days_words(days: float) -> str:
    """A filter bound in days, back in the unit a person would have typed."""
    for unit in (TimeUnit.YEARS, TimeUnit.MONTHS, TimeUnit.WEEKS, TimeUnit.DAYS):
        n = days / unit.days
        if n >= 1 and abs(n - round(n)) < 1e-9:
            word = unit.value[:-1] if round(n) == 1 else unit.value
            return f"{round(n)} {word}"
    hours = days * 24
    return f"{hours:g} hour" + ("" if hours == 1 else "s")


def describe_filters(cat: Catalogue, f: Filters) -> list[str]:
    """Each active filter in words, in the order the options are listed in help."""
    out: list[str] = []
    if f.condition is not None:
        cond = cat.conditions.get(f.condition)
        out.append(f"condition {cond.name if cond else f.condition}")
    if f.categories:
        out.append("category " + " or ".join(sorted(c.value for c in f.categories)))
    if f.min_invasiveness is not None:
        out.append(f"invasiveness at least {f.min_invasiveness.value}")
    if f.max_invasiveness is not None:
        out.append(f"invasiveness at most {f.max_invasiveness.value}")
    if f.min_relief_days is not None:
        out.append(f"relief at least {days_words(f.min_relief_days)}")
    if f.max_relief_days is not None:
        out.append(f"relief ending within {days_words(f.max_relief_days)}")
    if f.strict_relief:
        out.append("relief shown in controlled trials")
    if f.min_evidence is not None:
        out.append(f"evidence of benefit at {f.min_evidence.label} certainty or better")
    if f.regions:
        out.append("region " + " or ".join(sorted(r.value for r in f.regions)))
    if f.stances:
        out.append("stance " + " or ".join(s.label for s in sorted(f.stances, key=_rank)))
    if f.purposes:
        out.append("purpose " + " or ".join(sorted(p.value for p in f.purposes)))
    if f.bleeding_risks:
        kept = [r.label for r in BleedingRisk if r in f.bleeding_risks]
        out.append(f"bleeding risk {' or '.join(kept)}")
    return out


def unclassified(techniques: Iterable[Technique]) -> int:
    """How many of *techniques* the bleeding-risk guidance does not classify."""
    return sum(
        1
        for t in techniques
        if t.bleeding_risk is None or t.bleeding_risk.risk is BleedingRisk.NOT_CLASSIFIED
    )


def _rank(s: Stance) -> int:
    return s.rank


def filtered_line(
    phrases: list[str],
    hidden: int,
    total: int,
    noun: str = "options",
    unclassified: int | None = None,
) -> str:
    """ "Filtered: invasiveness at most needle; 7 of 7 options hidden"; with a
    bleeding-risk filter, how many of the hidden the guidance does not classify (the
    filter always leaves them out: silence in the guidance is not a low risk)."""
    line = f"Filtered: {', '.join(phrases)}; {hidden} of {total} {noun} hidden by filters"
    if unclassified is not None:
        n = "none" if unclassified == 0 else str(unclassified)
        line += (
            f", {n} of them because the 2018 multisociety guidance does not classify "
            "their bleeding risk"
        )
    return line


@record(kw_only=False)
class Selection(Record):
    """`list` without a condition: the techniques kept, and what the filters hid."""

    techniques: list[Technique]
    filters: tuple[str, ...]
    total: int
    # With --bleeding-risk: how many techniques the guidance does not classify (all
    # of them hidden); None without that filter.
    unclassified: int | None = None

    @property
    def hidden(self) -> int:
        return self.total - len(self.techniques)

    def filtered_line(self) -> str | None:
        if not self.filters:
            return None
        return filtered_line(
            list(self.filters), self.hidden, self.total, "techniques", self.unclassified
        )


def select(
    cat: Catalogue, f: Filters, sort: SortKey | None = None, reverse: bool = False
) -> Selection:
    chosen = select_techniques(cat, f, sort, reverse)
    n = unclassified(cat.techniques.values()) if f.bleeding_risks else None
    return Selection(chosen, tuple(describe_filters(cat, f)), len(cat.techniques), n)


@record(kw_only=False)
class Narrowed(Record):
    """A condition's options before and after filters, so that a view can say what
    the filters hid and never mistake "filtered out" for "not supported"."""

    everything: ConditionOptions
    shown: ConditionOptions
    filters: tuple[str, ...]
    # With --bleeding-risk: how many of the condition's options the guidance does not
    # classify (all of them hidden); None without that filter, so views know whether
    # to show each option's class.
    unclassified: int | None = None

    @property
    def total(self) -> int:
        return len(self.everything.options) + len(self.everything.against)

    @property
    def hidden(self) -> int:
        return self.total - len(self.shown.options) - len(self.shown.against)

    @property
    def supported(self) -> bool:
        """Whether any option is not recommended against, before any filter."""
        return bool(self.everything.options)

    def filtered_line(self) -> str | None:
        if not self.filters:
            return None
        return filtered_line(
            list(self.filters), self.hidden, self.total, unclassified=self.unclassified
        )

    @property
    def by_bleeding(self) -> bool:
        return self.unclassified is not None


def narrow(
    cat: Catalogue,
    condition: Condition,
    f: Filters,
    sort: SortKey | None = None,
    reverse: bool = False,
) -> Narrowed:
    everything = options_for(cat, condition)
    shown = filter_options(cat, everything, f, sort, reverse)
    phrases = [p for p in describe_filters(cat, f) if not p.startswith("condition ")]
    n = None
    if f.bleeding_risks:
        n = unclassified(t for t, _ in [*everything.options, *everything.against])
    return Narrowed(everything, shown, tuple(phrases), n)


def hidden_against_line(n: int, condition: Condition) -> str:
    """The closing line of a view that leaves options recommended against out."""
    what, them = ("option", "it") if n == 1 else ("options", "them")
    return (
        f"{n} {what} recommended against for {condition.name} not shown: add --all to "
        f"see {them} apart, or `painopts list --condition {condition.id} --stance "
        "not-recommended`."
    )


@record(kw_only=False)
class ConditionList(Record):
    """What `list --condition`, `timeline --condition` and the ladder show: the options
    for one condition, with those recommended against kept apart and, unless asked
    for, left out with a line that says so."""

    narrowed: Narrowed
    show_against: bool

    @property
    def condition(self) -> Condition:
        return self.narrowed.shown.condition

    @property
    def options(self) -> list[tuple[Technique, Indication]]:
        return self.narrowed.shown.options

    @property
    def against(self) -> list[tuple[Technique, Indication]]:
        """Options recommended against that this view shows (apart)."""
        return self.narrowed.shown.against if self.show_against else []

    @property
    def against_left_out(self) -> int:
        return 0 if self.show_against else len(self.narrowed.shown.against)

    def closing(self) -> list[str]:
        lines = []
        filtered = self.narrowed.filtered_line()
        if filtered:
            lines.append(filtered)
        if self.against_left_out:
            lines.append(hidden_against_line(self.against_left_out, self.condition))
        return lines


def condition_list(
    cat: Catalogue,
    condition: Condition,
    f: Filters,
    *,
    show_all: bool,
    sort: SortKey | None = None,
    reverse: bool = False,
) -> ConditionList:
    """Options recommended against are shown (apart) with --all, or when the user
    asked for that stance by name."""
    narrowed = narrow(cat, condition, f, sort, reverse)
    return ConditionList(narrowed, show_all or Stance.NOT_RECOMMENDED in f.stances)


@record(kw_only=False)
class ComparedForCondition(Record):
    """Techniques compared for one condition: those recommended against apart."""

    condition: Condition
    options: list[tuple[Technique, Indication | None]]
    against: list[tuple[Technique, Indication]]


def compare_for_condition(
    techniques: list[Technique], condition: Condition
) -> ComparedForCondition:
    options: list[tuple[Technique, Indication | None]] = []
    against: list[tuple[Technique, Indication]] = []
    for t in techniques:
        ind = next((i for i in t.indications if i.condition == condition.id), None)
        if ind is not None and ind.stance is Stance.NOT_RECOMMENDED:
            against.append((t, ind))
        else:
            options.append((t, ind))
    return ComparedForCondition(condition, options, against)
