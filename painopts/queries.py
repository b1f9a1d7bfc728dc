"""Pure questions asked of a catalogue. No printing, no I/O."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from painopts.errors import LookupFailed
from painopts.loader import normalise_name
from painopts.models import Catalogue, Condition, Duration, Indication, Stance, Technique

Kind = Literal["technique", "condition"]


@dataclass(frozen=True, slots=True)
class NameIndex:
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

    def suggest(self, name: str, kind: Kind, n: int = 3) -> list[str]:
        key = normalise_name(name)
        pool = [k for k, (kd, _) in self.exact.items() if kd == kind]
        close = difflib.get_close_matches(key, pool, n=n, cutoff=0.6)
        # Substring hits catch partial names ("stenosis") that difflib scores low.
        if key:
            close += [k for k in pool if key in k.split() or (len(key) > 3 and key in k)]
        seen: set[str] = set()
        out: list[str] = []
        for k in close:
            ident = self.exact[k][1]
            if ident in seen:
                continue
            seen.add(ident)
            out.append(ident if k == ident else f"{ident} ({self.display[k]})")
            if len(out) == n:
                break
        return out

    def resolve(self, name: str, kind: Kind) -> str:
        key = normalise_name(name)
        hit = self.exact.get(key)
        if hit is not None and hit[0] == kind:
            return hit[1]
        hint = None
        if hit is not None:
            other = hit[0]
            command = "painopts for" if other == "condition" else "painopts show"
            hint = f"{name!r} is a {other}: try `{command} {hit[1]}`"
        raise LookupFailed(name, kind, self.suggest(name, kind), hint=hint)


def find_technique(cat: Catalogue, name: str, index: NameIndex | None = None) -> Technique:
    index = index or NameIndex.build(cat)
    return cat.techniques[index.resolve(name, "technique")]


def find_condition(cat: Catalogue, name: str, index: NameIndex | None = None) -> Condition:
    index = index or NameIndex.build(cat)
    return cat.conditions[index.resolve(name, "condition")]


def stepped_care_key(item: tuple[Technique, Indication]) -> tuple[int, int, int, str]:
    """Recommended first, then less invasive before more, then stronger evidence."""
    t, ind = item
    return (ind.stance.rank, t.invasiveness.rank, -ind.evidence.strength.rank, t.name.casefold())


@dataclass(frozen=True, slots=True)
class ConditionOptions:
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


def cited_sources(cat: Catalogue, ids: Iterable[str]) -> list[str]:
    return [i for i in dict.fromkeys(ids) if i in cat.sources]


def technique_source_ids(t: Technique) -> list[str]:
    ids: list[str] = [*t.sources, *t.onset.sources, *t.relief.sources]
    for r in t.risks:
        ids.extend(r.sources)
    for ind in t.indications:
        ids.extend(ind.sources)
    return list(dict.fromkeys(ids))


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
