"""The `table` format: each view as Rich renderables for a terminal. Nothing here
prints; the CLI prints a ``Page`` with the catalogue footer and the notice (a document
carries its own).

One renderer per view type (``to_terminal.register``); tabular views take their
columns from the same headers + rows as Markdown and CSV (formats.table_rows), so a
table and its export name the same fields. Documents (show, for, compare) are drawn by
render_document. Modules only some views need are imported inside their renderers.
"""

from __future__ import annotations

from functools import singledispatch

from rich.console import RenderableType

from painopts.layout import Tidy, prose
from painopts.output import Page, Rendered, Target
from painopts.render import (
    SimpleTable,
    condition_list_view,
    indication_summary,
    sources_list,
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
    as_document,
)

RED_FLAGS = "Get urgent medical help if any of these occur"


@singledispatch
def to_terminal(view: View, target: Target) -> Rendered:
    raise TypeError(f"no terminal view for {type(view).__name__}")


def _lead(view: View) -> list[RenderableType]:
    return [prose(line, style="bold") for line in view.lead]


@to_terminal.register(TechniqueListView)
def _(view: TechniqueListView, target: Target) -> Rendered:
    """When filters look at indications (evidence, stance, region), a last column
    names the indication that matched best, with its stance."""
    from painopts.queries import best_indication

    techniques = view.selection.techniques
    if not techniques:
        return None
    from painopts.formats import table_rows

    headers, rows = table_rows(view, False)
    cat = view.catalogue
    if cat is not None and view.filters.on_indications:
        headers.append("best matching indication")
        for row, t in zip(rows, techniques, strict=True):
            best = best_indication(cat, t, view.filters)
            row.append(indication_summary(cat, best) if best else "")
    closing = [prose(line, style="bold") for line in view.closing]
    # The bleeding-risk column (--bleeding-risk) is short: its header stays whole.
    keep = [len(headers) - 1] if view.filters.bleeding_risks else []
    return Page(parts=(SimpleTable(headers, rows, keep=keep), *closing))


@to_terminal.register(ConditionListView)
def _(view: ConditionListView, target: Target) -> Rendered:
    return Page(parts=(condition_list_view(view.result, view.catalogue),))


@to_terminal.register(ShowView)
@to_terminal.register(ForView)
@to_terminal.register(CompareView)
def _document(view: View, target: Target) -> Rendered:
    """A document carries its own references, catalogue line and notice."""
    from painopts.render_document import terminal

    doc = as_document(view)
    assert doc is not None
    return Page(parts=(terminal(doc),), footer=False)


@to_terminal.register(ConditionsView)
def _(view: ConditionsView, target: Target) -> Rendered:
    from painopts.formats import table_rows

    return Page(parts=(SimpleTable(*table_rows(view, False)),))


@to_terminal.register(SourcesView)
def _(view: SourcesView, target: Target) -> Rendered:
    if not view.sources:
        return None
    closing = [prose(line, style="bold") for line in view.closing]
    return Page(parts=(sources_list(view.sources), *closing))


@to_terminal.register(SearchView)
def _(view: SearchView, target: Target) -> Rendered:
    if not view.hits:
        return None
    from painopts.formats import table_rows

    return Page(parts=(*_lead(view), SimpleTable(*table_rows(view, False), grow_first=2)))


@to_terminal.register(TimelineView)
def _(view: TimelineView, target: Target) -> Rendered:
    from painopts.visual import MIN_WIDTH, timeline

    chart = timeline(
        list(view.rows), max(target.width, MIN_WIDTH), plain=target.plain or view.ascii_only,
        indications=view.indications, against=view.against, closing=view.closing,
    )  # fmt: skip
    lead = _lead(view)
    if view.condition is not None:
        from painopts.wording import named

        # Bars alone do not say which condition their stances are for.
        c = view.condition
        lead.insert(0, prose(f"Relief over time for {named(c)}", style="bold"))
    if view.condition is not None and not view.indications:
        # Nothing to draw for the condition: say why, as `for` and `list` do, rather
        # than only how many options recommended against were left out.
        from painopts.wording import NOT_SUPPORTED

        lead.append(prose(NOT_SUPPORTED))
    # Tidy: lines the chart wraps itself (its closing lines) keep no trailing space.
    return Page(parts=(*lead, Tidy(chart)))


@to_terminal.register(PathwayView)
def _(view: PathwayView, target: Target) -> Rendered:
    from painopts.layout import PROSE_WIDTH
    from painopts.visual import pathway_tree

    tree = Tidy(pathway_tree(view.route), cap=PROSE_WIDTH)
    flags = view.route.condition.red_flags
    if not flags:
        return Page(parts=(tree,))
    # Red flags come before any route, as on the condition's own page (`for`): a
    # route that starts with first-line care must not hide "go to an emergency
    # department the same day".
    from rich.text import Text

    from painopts.document import Bullets, Section
    from painopts.render_document import section

    urgent = Section("red-flags", RED_FLAGS, (Bullets(flags),), tone="warning")
    return Page(parts=(Tidy(section(urgent), cap=PROSE_WIDTH), Text(""), tree))


@to_terminal.register(ValidateView)
def _(view: ValidateView, target: Target) -> Rendered:
    """Plain lines, one per problem (file:line:column first, for editors to jump to),
    not a Page: a report for tools as much as for people."""
    from painopts.textsafe import shown

    if view.problems:
        return "".join(f"{shown(str(i))}\n" for i in view.problems)
    summary = ", ".join(f"{v} {k}" for k, v in view.counts.items())
    return f"valid: {summary} ({shown(', '.join(view.origins))})\n"
