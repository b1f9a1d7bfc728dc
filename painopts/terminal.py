"""The `table` format: each view as Rich renderables for a terminal. Nothing here
prints; the CLI prints a ``Page`` with the catalogue footer and the notice.

One renderer per view type (``to_terminal.register``); tabular views take their
columns from the same headers + rows as Markdown and CSV (formats.table_rows), so a
table and its export name the same fields.
"""

from __future__ import annotations

from functools import singledispatch

from rich.console import Group, RenderableType

from painopts.formats import table_rows
from painopts.output import Page, Rendered, Target
from painopts.render import (
    SimpleTable,
    compare_sections,
    condition_list_view,
    condition_view,
    heading,
    indication_summary,
    prose,
    sources_list,
    technique_detail,
)
from painopts.views import (
    CompareView,
    ConditionListView,
    ConditionsView,
    ForView,
    PathwayView,
    SearchView,
    ShowView,
    SourcesView,
    TechniqueListView,
    TimelineView,
    ValidateView,
    View,
)
from painopts.visual import ladder, pathway_tree, timeline


@singledispatch
def to_terminal(view: View, target: Target) -> Rendered:
    raise TypeError(f"no terminal view for {type(view).__name__}")


def _lead(view: View) -> list[RenderableType]:
    return [prose(line, style="bold") for line in view.lead]


@to_terminal.register
def _(view: TechniqueListView, target: Target) -> Rendered:
    """When filters look at indications (evidence, stance, region), a last column
    names the indication that matched best, with its stance."""
    from painopts.queries import best_indication

    techniques = view.selection.techniques
    if not techniques:
        return None
    headers, rows = table_rows(view, False)
    cat = view.catalogue
    if cat is not None and view.filters.on_indications:
        headers.append("best matching indication")
        for row, t in zip(rows, techniques, strict=True):
            best = best_indication(cat, t, view.filters)
            row.append(indication_summary(cat, best) if best else "")
    closing = [prose(line, style="bold") for line in view.closing]
    return Page((SimpleTable(headers, rows), *closing))


@to_terminal.register
def _(view: ConditionListView, target: Target) -> Rendered:
    return Page((condition_list_view(view.result, view.catalogue),))


@to_terminal.register
def _(view: ShowView, target: Target) -> Rendered:
    assert view.catalogue is not None
    also = view.lead[0] if view.lead else None
    return Page((technique_detail(view.catalogue, view.technique, also),))


@to_terminal.register
def _(view: CompareView, target: Target) -> Rendered:
    cmp = view.compared
    chart = timeline(
        [(t.id, t) for t in view.options], target.width, plain=target.plain,
        indications={t.id: i for t, i in cmp.options if i} if cmp else None,
        against=[(t.id, t, i) for t, i in cmp.against] if cmp else (),
    )  # fmt: skip
    return Page((*_lead(view), *compare_sections(view), heading("Relief over time"), chart))


@to_terminal.register
def _(view: ForView, target: Target) -> Rendered:
    assert view.catalogue is not None
    narrowed = view.narrowed
    found = narrowed.shown
    charts: list[RenderableType] = []
    if found.options:
        n = len(found.against)
        apart = (
            [f"Not drawn: {n} option{'s' if n != 1 else ''} recommended against "
             "(listed above under their own heading)."]
            if n else []
        )  # fmt: skip
        charts = [
            Group(
                heading("Relief over time (from the procedure; numbers follow each bar)"),
                timeline(
                    [(t.id, t) for t, _ in found.options], target.width, plain=target.plain,
                    indications={t.id: ind for t, ind in found.options}, closing=apart,
                ),
            ),
            Group(heading("Invasiveness ladder (lowest first)"), ladder(found.options, apart)),
        ]  # fmt: skip
    page = condition_view(
        view.catalogue,
        found,
        charts,
        filtered=narrowed.filtered_line(),
        supported=narrowed.supported,
    )
    return Page((page,))


@to_terminal.register
def _(view: ConditionsView, target: Target) -> Rendered:
    return Page((SimpleTable(*table_rows(view, False)),))


@to_terminal.register
def _(view: SourcesView, target: Target) -> Rendered:
    if not view.sources:
        return None
    closing = [prose(line, style="bold") for line in view.closing]
    return Page((sources_list(view.sources), *closing))


@to_terminal.register
def _(view: SearchView, target: Target) -> Rendered:
    if not view.hits:
        return None
    return Page((*_lead(view), SimpleTable(*table_rows(view, False), grow_first=2)))


@to_terminal.register
def _(view: TimelineView, target: Target) -> Rendered:
    chart = timeline(
        list(view.rows), target.width, plain=target.plain or view.ascii_only,
        indications=view.indications, against=view.against, closing=view.closing,
    )  # fmt: skip
    return Page((*_lead(view), chart))


@to_terminal.register
def _(view: PathwayView, target: Target) -> Rendered:
    from painopts.render import PROSE_WIDTH, Tidy

    return Page((Tidy(pathway_tree(view.route), cap=PROSE_WIDTH),))


@to_terminal.register
def _(view: ValidateView, target: Target) -> Rendered:
    """Plain lines, one per problem (file:line:column first, for editors to jump to),
    not a Page: a report for tools as much as for people."""
    from painopts.textsafe import shown

    if view.problems:
        return "".join(f"{shown(str(i))}\n" for i in view.problems)
    summary = ", ".join(f"{v} {k}" for k, v in view.counts.items())
    return f"valid: {summary} ({shown(', '.join(view.origins))})\n"
