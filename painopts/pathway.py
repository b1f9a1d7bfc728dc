"""The stepped care pathway for a condition, as data: first-line care, diagnostic
steps, then procedures by invasiveness, with prerequisites as edges. A query, not a
picture: visual.py draws it as a tree and as Mermaid, formats.py writes it as JSON."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Literal

from painopts.models import (
    Catalogue,
    Condition,
    Indication,
    Invasiveness,
    Prerequisite,
    PrerequisiteKind,
    Purpose,
    Technique,
)
from painopts.queries import options_for
from painopts.wording import level_title

StageKind = Literal["conservative", "diagnostic", "procedures", "against"]

CARE = "care"
"""Node key of the conservative first-line care step."""

EDGE_LABELS: dict[PrerequisiteKind, str] = {
    PrerequisiteKind.DIAGNOSTIC_BLOCK: "positive block",
    PrerequisiteKind.TRIAL: "successful trial",
    PrerequisiteKind.CONSERVATIVE_CARE: "failed conservative care",
    PrerequisiteKind.IMAGING: "imaging",
    PrerequisiteKind.ASSESSMENT: "assessment",
    PrerequisiteKind.OTHER: "first",
}
"""How each kind of prerequisite reads on the edge it draws."""


@dataclass(frozen=True, slots=True)
class Step:
    """One technique on the pathway. ``indication`` is None for a technique that is
    there only because an option names it as a prerequisite; ``technique`` is None for
    an id the catalogue does not hold."""

    key: str
    technique_id: str
    technique: Technique | None
    indication: Indication | None


@dataclass(frozen=True, slots=True)
class Stage:
    kind: StageKind
    title: str
    steps: tuple[Step, ...]
    level: Invasiveness | None = None


@dataclass(frozen=True, slots=True)
class Edge:
    """A prerequisite: *source* comes before *target*. *source* is ``CARE``, a step's
    key, or, for a prerequisite with no technique and not conservative care, a key of
    its own ("p:<technique id>:<n>") shown as a node holding the prerequisite's text."""

    source: str
    label: str
    target: str
    prerequisite: Prerequisite


@dataclass(frozen=True, slots=True)
class Pathway:
    condition: Condition
    stages: tuple[Stage, ...]  # conservative first, then the route, "against" last if any
    edges: tuple[Edge, ...]


def step_key(technique_id: str) -> str:
    return f"t:{technique_id}"


def _is_diagnostic(t: Technique) -> bool:
    return t.purpose in (Purpose.DIAGNOSTIC, Purpose.BOTH)


def build_pathway(cat: Catalogue, condition: Condition) -> Pathway:
    """The stepped route for *condition*, from catalogue data only.

    Stage 1 is the condition's conservative first-line care. Then diagnostic steps:
    options whose technique's purpose is diagnostic or both, and every technique that a
    step on the route names as a prerequisite (followed through their own
    prerequisites). Then the remaining options, one stage per invasiveness level, lowest
    first. Options recommended against form a last stage of their own, off the route,
    and their prerequisites draw no edges. Within a stage, options keep stepped-care
    order; techniques present only as prerequisites follow, by name.
    """
    found = options_for(cat, condition)
    on_route = {t.id: ind for t, ind in found.options}
    against_ids = {t.id for t, _ in found.against}

    # Techniques named as prerequisites, followed transitively. Every step is a dict,
    # set or deque operation, so the build is linear in techniques plus links.
    named: dict[str, None] = {}  # an ordered set
    todo = deque(t for t, _ in found.options)
    seen = {t.id for t in todo}
    while todo:
        t = todo.popleft()
        for p in t.prerequisites:
            if p.technique is None or p.technique == t.id or p.technique in against_ids:
                continue
            named.setdefault(p.technique)
            nxt = cat.techniques.get(p.technique)
            if nxt is not None and nxt.id not in seen:
                seen.add(nxt.id)
                todo.append(nxt)

    def step(tid: str, ind: Indication | None) -> Step:
        return Step(step_key(tid), tid, cat.techniques.get(tid), ind)

    diagnostic = [step(t.id, ind) for t, ind in found.options if _is_diagnostic(t) or t.id in named]
    extra = [tid for tid in named if tid not in on_route]
    extra.sort(key=lambda tid: cat.techniques[tid].name if tid in cat.techniques else tid)
    diagnostic += [step(tid, None) for tid in extra]

    stages = [Stage("conservative", "Conservative first-line care", ())]
    if diagnostic:
        stages.append(Stage("diagnostic", "Diagnostic steps", tuple(diagnostic)))
    placed = {s.technique_id for s in diagnostic}
    by_level: dict[Invasiveness, list[Step]] = {level: [] for level in Invasiveness}
    for t, ind in found.options:
        if t.id not in placed:
            by_level[t.invasiveness].append(step(t.id, ind))
    for level in Invasiveness:
        if by_level[level]:
            stages.append(Stage("procedures", level_title(level), tuple(by_level[level]), level))
    if found.against:
        stages.append(
            Stage(
                "against",
                "Recommended against (not part of the route)",
                tuple(step(t.id, ind) for t, ind in found.against),
            )
        )

    edges: list[Edge] = []
    for stage in stages:
        if stage.kind == "against":
            continue
        for s in stage.steps:
            if s.technique is None:
                continue
            for n, p in enumerate(s.technique.prerequisites, 1):
                if p.technique == s.technique_id:
                    continue
                if p.technique is not None:
                    source = step_key(p.technique)
                elif p.kind is PrerequisiteKind.CONSERVATIVE_CARE:
                    source = CARE
                else:
                    source = f"p:{s.technique_id}:{n}"
                edges.append(Edge(source, EDGE_LABELS[p.kind], s.key, p))
    return Pathway(condition, tuple(stages), tuple(edges))
