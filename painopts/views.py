"""One result per command, as plain data: what a command shows, before any format.

A command builds its view once; a format (painopts.output) renders it. Nothing here
prints, styles text or knows about a format, so the terminal, JSON, CSV and Markdown
cannot disagree about what a command found. Every view keeps options recommended
against apart from the others, so every format can label them.

Common fields: ``catalogue`` (None only when a catalogue could not be loaded), ``lead``
(lines a reader needs before the data, such as the other techniques a generic name
could mean), ``closing`` (lines that end it: active filters, what was left out) and
``empty`` (said on stderr when there is nothing to show).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import singledispatch
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

from painopts.frozen import Frozen
from painopts.models import (
    Catalogue,
    Condition,
    Indication,
    SortKey,
    Source,
    SourceKind,
    Technique,
)
from painopts.queries import (
    ComparedForCondition,
    ConditionList,
    Filters,
    Narrowed,
    Selection,
    condition_list,
    format_duration,
    narrow,
    option_counts,
    select,
    technique_source_ids,
)
from painopts.wording import (
    COMPARE_FIELDS,
    how_often,
    level_name,
    relief_words,
    shared_denominator,
    verdict,
)

if TYPE_CHECKING:
    from painopts.document import Document
    from painopts.errors import Issue
    from painopts.handout import Handout
    from painopts.pathway import Pathway
    from painopts.search import SearchHit


_EMPTY: Mapping[Any, Any] = MappingProxyType({})


class View(Frozen):
    command: ClassVar[str] = ""

    catalogue: Catalogue | None
    lead: tuple[str, ...] = ()
    closing: tuple[str, ...] = ()
    empty: str | None = None


# --- list ----------------------------------------------------------------------------


class TechniqueListView(View):
    """`list` without a condition: techniques, and what the filters hid."""

    command: ClassVar[str] = "list"
    selection: Selection
    filters: Filters


class ConditionListView(View):
    """`list --condition`: options with their stance; those recommended against apart
    (shown with --all, always kept as data)."""

    command: ClassVar[str] = "list"
    result: ConditionList


def list_view(
    cat: Catalogue, f: Filters, sort: SortKey | None = None, reverse: bool = False
) -> TechniqueListView | ConditionListView:
    """With a condition, its options and their stances; otherwise techniques."""
    if f.condition is not None:
        result = condition_list(
            cat, cat.conditions[f.condition], f, show_all=f.include_all, sort=sort, reverse=reverse
        )
        return ConditionListView(catalogue=cat, result=result, closing=tuple(result.closing()))
    selection = select(cat, f, sort, reverse)
    note = selection.filtered_line()
    return TechniqueListView(
        catalogue=cat,
        selection=selection,
        filters=f,
        closing=(note,) if note else (),
        empty=None if selection.techniques else "no technique matches those filters",
    )


# --- show and compare ---------------------------------------------------------------

# A cell of a comparison: one string per line or list item.
Cell = tuple[str, ...]

COMPARE_ROWS: tuple[str, ...] = (*COMPARE_FIELDS, "risks", "conditions")
# Rows whose items are a list (drawn as bullets); other rows of several lines are lines.
LIST_ROWS = frozenset({"prerequisites", "risks"})
NONE_LISTED = "none listed"


def compare_cell(
    cat: Catalogue,
    t: Technique,
    row: str,
    ind: Indication | None = None,
    denominator: int | None = None,
) -> Cell:
    """What one technique says for one row of a comparison, in words; *ind* is its
    indication for the condition compared, *denominator* the one every option's risk
    rates share."""
    match row:
        case "name":
            return (t.name,)
        case "category" | "purpose":
            return (str(getattr(t, row)),)
        case "invasiveness":
            return (level_name(t.invasiveness),)
        case "onset":
            return (format_duration(t.onset),)
        case "relief":
            return (relief_words(t, ind),)
        case "repeatable":
            return ("yes" if t.repeatable else "no",)
        case "imaging" | "anaesthesia" | "setting":
            return (", ".join(map(str, getattr(t, row))),)
        case "recovery":
            return (t.recovery,)
        case "prerequisites":
            return tuple(p.text for p in t.prerequisites) or (NONE_LISTED,)
        case "bleeding":
            from painopts.numbers import bleeding_words

            return (bleeding_words(t.bleeding_risk),)
        case "risks":
            # Every risk: a list cut short without saying so reads as complete.
            if denominator is None:
                denominator = shared_denominator(t.risks)
            return tuple(f"{r.name.rstrip('.')}: {how_often(r, denominator)}" for r in t.risks) or (
                NONE_LISTED,
            )
        case "conditions":
            lines = []
            for ind in sorted(t.indications, key=lambda i: i.stance.rank):
                cond = cat.conditions.get(ind.condition)
                lines.append(f"{cond.name if cond else ind.condition}: {ind.stance.label}")
            return tuple(lines)
    raise ValueError(row)


CONDITION_ROWS: tuple[str, ...] = (
    "stance",
    "certainty",
    "direction",
    "grade (system)",
    "note",
    "disagreement",
    "sources",
)
NOT_LISTED = "not listed for this condition in the catalogue"


def condition_cell(ind: Indication | None, row: str) -> Cell:
    """One technique's evidence for the compared condition, row by row."""
    if ind is None:
        return (NOT_LISTED,) if row == "stance" else ("",)
    ev = ind.evidence
    match row:
        case "stance":
            return (ind.stance.label,)
        case "certainty":
            return (ev.certainty.label,)
        case "direction":
            return (ev.direction.label,)
        case "grade (system)":
            return (f"{ev.grade} ({ev.system})",)
        case "note":
            return (ind.note,)
        case "disagreement":
            return (ind.disagreement or "none recorded",)
        case "sources":
            return (", ".join(ind.sources),)
    raise ValueError(row)


Row = tuple[str, tuple[Cell, ...]]


class ShowView(View):
    """Everything about one technique; ``alternatives`` are the techniques the name
    typed could also have meant."""

    command: ClassVar[str] = "show"
    technique: Technique
    alternatives: tuple[Technique, ...] = ()

    @property
    def verdict(self) -> str:
        return verdict(self.technique)

    @property
    def source_ids(self) -> list[str]:
        return technique_source_ids(self.technique)

    def rows(self) -> list[Row]:
        assert self.catalogue is not None
        cat, t = self.catalogue, self.technique
        return [("verdict", ((self.verdict,),))] + [
            (row, (compare_cell(cat, t, row),)) for row in COMPARE_ROWS
        ]


class CompareView(View):
    """Techniques side by side. With a condition, those recommended against for it
    are columns of their own (``against``), after the others."""

    command: ClassVar[str] = "compare"
    options: tuple[Technique, ...]
    against: tuple[Technique, ...] = ()
    compared: ComparedForCondition | None = None
    diff: bool = False

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.options] + [f"recommended against: {t.id}" for t in self.against]

    def rows(self) -> list[Row]:
        """Attribute rows, computed for every technique at once so that --diff judges
        them all together, options and those recommended against alike. Computed when
        a format asks (CSV): the document formats lay out their own grid."""
        assert self.catalogue is not None
        cat, compared = self.catalogue, self.compared
        rows: list[Row] = []
        if compared is not None:
            pairs = [*compared.options, *compared.against]
            rows += [
                (
                    f"{row} for {compared.condition.id}",
                    tuple(condition_cell(i, row) for _, i in pairs),
                )
                for row in CONDITION_ROWS
            ]
        everyone = (*self.options, *self.against)
        inds = [i for _, i in pairs] if compared is not None else [None] * len(everyone)
        shared = shared_denominator(r for t in everyone for r in t.risks)
        for row in COMPARE_ROWS:
            cells = tuple(
                compare_cell(cat, t, row, i, shared) for t, i in zip(everyone, inds, strict=True)
            )
            if not (self.diff and len(set(cells)) == 1):
                rows.append((row, cells))
        return rows


def compare_view(
    cat: Catalogue,
    techniques: Sequence[Technique],
    compared: ComparedForCondition | None,
    *,
    diff: bool = False,
    lead: Sequence[str] = (),
) -> CompareView:
    """With a condition, those recommended against for it go apart, after the others."""
    if compared is None:
        options, against = list(techniques), []
    else:
        options = [t for t, _ in compared.options]
        against = [t for t, _ in compared.against]
    return CompareView(
        catalogue=cat,
        lead=tuple(lead),
        options=tuple(options),
        against=tuple(against),
        compared=compared,
        diff=diff,
    )


# --- for, conditions, sources, search -------------------------------------------------


class ForView(View):
    """A condition's page: its options in stepped-care order, those recommended
    against apart, and what the filters hid."""

    command: ClassVar[str] = "for"
    narrowed: Narrowed

    @property
    def condition(self) -> Condition:
        return self.narrowed.shown.condition

    @property
    def sources(self) -> list[Source]:
        assert self.catalogue is not None
        return [self.catalogue.sources[i] for i in self.narrowed.shown.source_ids]


def for_view(
    cat: Catalogue,
    condition: Condition,
    f: Filters,
    sort: SortKey | None = None,
    reverse: bool = False,
) -> ForView:
    narrowed = narrow(cat, condition, f, sort, reverse)
    line = narrowed.filtered_line()
    nothing = not narrowed.shown.options and not narrowed.shown.against
    return ForView(
        catalogue=cat,
        narrowed=narrowed,
        closing=(line,) if line else (),
        empty=f"no option for {condition.id} matches those filters" if nothing else None,
    )


class ConditionsView(View):
    command: ClassVar[str] = "conditions"
    conditions: tuple[Condition, ...]
    # condition id -> (options, options recommended against)
    counts: Mapping[str, tuple[int, int]] = _EMPTY


class SourcesView(View):
    command: ClassVar[str] = "sources"
    sources: tuple[Source, ...]
    # The filters given (--for, --technique, --kind) as ids and values, None if not.
    filters: Mapping[str, str | None] = _EMPTY


class SearchView(View):
    command: ClassVar[str] = "search"
    query: str
    hits: tuple[SearchHit, ...]
    # Typed words that matched nothing, each with the words searched instead.
    corrected: tuple[tuple[str, tuple[str, ...]], ...] = ()
    why: bool = False  # every reason of each hit, not only the best


def conditions_view(cat: Catalogue) -> ConditionsView:
    return ConditionsView(
        catalogue=cat, conditions=tuple(cat.conditions.values()), counts=option_counts(cat)
    )


def sources_view(
    cat: Catalogue,
    ids: Sequence[str] = (),
    *,
    condition: Condition | None = None,
    technique: Technique | None = None,
    kind: SourceKind | None = None,
) -> SourcesView:
    """The sources named by *ids*, else every one, narrowed by the filters given; the
    filters and what they left are the closing line."""
    from painopts.queries import select_sources

    chosen = select_sources(cat, ids, condition=condition, technique=technique, kind=kind)
    line = chosen.filtered_line
    return SourcesView(
        catalogue=cat,
        sources=chosen.sources,
        filters={
            "for": condition.id if condition else None,
            "technique": technique.id if technique else None,
            "kind": kind.value if kind else None,
        },
        closing=(line,) if line else (),
        empty=None if chosen.sources or line else "no sources match",
    )


def search_view(cat: Catalogue, query: str, *, why: bool = False) -> SearchView:
    """The hits for *query*; when a typed word matched nothing and a close word was
    searched instead, the lead line says so."""
    from painopts.search import search_catalogue

    result = search_catalogue(cat, query)
    note = result.note
    return SearchView(
        catalogue=cat,
        query=query,
        hits=result.hits,
        corrected=result.corrected,
        why=why,
        lead=(note,) if note else (),
        empty=None if result.hits else f"nothing matches {query!r}",
    )


# --- charts ------------------------------------------------------------------------


class TimelineView(View):
    """Bars on one time axis: ``rows`` are (label, technique); with a condition,
    ``indications`` give each its stance, and ``against`` are drawn apart (with --all);
    ``against_all`` holds every option recommended against, drawn or not."""

    command: ClassVar[str] = "timeline"
    rows: tuple[tuple[str, Technique], ...]
    condition: Condition | None = None
    indications: Mapping[str, Indication] = _EMPTY
    against: tuple[tuple[str, Technique, Indication], ...] = ()
    against_all: tuple[tuple[str, Technique, Indication], ...] = ()
    ascii_only: bool = False


def timeline_view(
    cat: Catalogue,
    techniques: Sequence[Technique],
    condition: Condition | None,
    *,
    show_all: bool = False,
    ascii_only: bool = False,
    lead: Sequence[str] = (),
) -> TimelineView:
    """The named techniques, then the options for *condition* (those recommended
    against drawn apart only with *show_all*); each technique once."""
    chosen = list(techniques)
    indications: dict[str, Indication] = {}
    against: list[tuple[str, Technique, Indication]] = []
    against_all: list[tuple[str, Technique, Indication]] = []
    closing: list[str] = []
    if condition is not None:
        result = condition_list(cat, condition, Filters(condition=condition.id), show_all=show_all)
        chosen += [t for t, _ in result.options]
        indications = {t.id: ind for t, ind in result.options}
        against = [(t.id, t, ind) for t, ind in result.against]
        against_all = [(t.id, t, ind) for t, ind in result.narrowed.shown.against]
        closing = result.closing()
    unique = list({t.id: t for t in chosen}.values())
    return TimelineView(
        catalogue=cat,
        lead=tuple(lead),
        closing=tuple(closing),
        rows=tuple((t.id, t) for t in unique),
        condition=condition,
        indications=indications,
        against=tuple(against),
        against_all=tuple(against_all),
        ascii_only=ascii_only,
    )


class PathwayView(View):
    command: ClassVar[str] = "pathway"
    route: Pathway


# --- validate -------------------------------------------------------------------------


class ValidateView(View):
    """What `validate` found: every problem, or what the valid catalogue holds."""

    command: ClassVar[str] = "validate"
    problems: tuple[Issue, ...] = ()
    counts: Mapping[str, int] = _EMPTY
    origins: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        return not self.problems


def pathway_view(cat: Catalogue, condition: Condition) -> PathwayView:
    from painopts.pathway import build_pathway

    return PathwayView(catalogue=cat, route=build_pathway(cat, condition))


def validate_view(cat: Catalogue) -> ValidateView:
    counts = {
        "techniques": len(cat.techniques),
        "conditions": len(cat.conditions),
        "indications": sum(len(t.indications) for t in cat.techniques.values()),
        "sources": len(cat.sources),
    }
    return ValidateView(catalogue=cat, counts=counts, origins=cat.origins)


# --- handout ------------------------------------------------------------------------


class HandoutView(View):
    """`handout`: a decision aid for one condition (painopts.handout), with the data of
    the pictures only HTML draws."""

    command: ClassVar[str] = "handout"
    handout: Handout


def handout_view(
    cat: Catalogue,
    condition: Condition,
    named: Sequence[Technique] = (),
    lead: tuple[str, ...] = (),
) -> HandoutView:
    from painopts.handout import choose, handout

    return HandoutView(
        catalogue=cat, handout=handout(cat, choose(cat, condition, named)), lead=lead
    )


# --- documents ----------------------------------------------------------------------


@singledispatch
def as_document(view: View) -> Document | None:
    """The view as a document (painopts.document: sections with every safety fact, a
    numbered reference list and the notice), for the formats that print documents
    (terminal, Markdown, HTML); None for a view that is a table."""
    return None


@as_document.register(ShowView)
def _(view: ShowView) -> Document:
    from painopts.documents import show_document

    assert view.catalogue is not None
    also = view.lead[0] if view.lead else None
    return show_document(view.catalogue, view.technique, alternatives=also)


@as_document.register(ForView)
def _(view: ForView) -> Document:
    from painopts.documents import for_document

    assert view.catalogue is not None
    return for_document(view.catalogue, view.narrowed)


@as_document.register(CompareView)
def _(view: CompareView) -> Document:
    from painopts.documents import compare_document

    assert view.catalogue is not None
    condition = view.compared.condition if view.compared is not None else None
    return compare_document(
        view.catalogue,
        [*view.options, *view.against],
        condition,
        diff=view.diff,
        notes=view.lead,
    )


@as_document.register(HandoutView)
def _(view: HandoutView) -> Document:
    return view.handout.document
