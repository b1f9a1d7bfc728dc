"""Machine-readable output and tables: JSON, CSV and Markdown. Each function returns a
string; nothing here prints.

The JSON shape is a documented contract (README, "JSON output"): an envelope with the
tool version, the contract version, the catalogue's version and origins, then the
command's data. Records are built field by field here, with the catalogue format's own
field names, so that a change to the models cannot change the contract unnoticed
(tests/test_pipeline.py checks every model field is either written or left out on
purpose).

CSV and Markdown funnel through one shape, headers + rows (``Rows``): CSV gets the
machine columns (snake_case names, numbers as numbers, vocabulary values as written in
the catalogue), Markdown the same fields as the terminal's tables, in words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import singledispatch
from typing import Any

from painopts import __version__
from painopts.models import (
    Benefit,
    BleedingClass,
    Catalogue,
    Condition,
    Duration,
    Indication,
    Rate,
    Relief,
    Risk,
    Source,
    Technique,
)
from painopts.queries import ComparedForCondition, ConditionOptions, Narrowed
from painopts.textsafe import json_text
from painopts.views import (
    LIST_ROWS,
    NONE_LISTED,
    CompareView,
    ConditionListView,
    ConditionsView,
    ForView,
    PathwayView,
    Row,
    SearchView,
    ShowView,
    SourcesView,
    TechniqueListView,
    TimelineView,
    ValidateView,
    View,
    as_document,
)
from painopts.wording import bleeding_class, level_name, relief_caveat, relief_words

JSON_CONTRACT = 3


def dumps(doc: Any, *, pretty: bool) -> str:
    # Indentation switches json to its pure-Python encoder (~10x slower on a large
    # catalogue), so output is indented for people at a terminal and compact in pipes.
    # allow_nan=False: NaN and Infinity are not JSON; the loader keeps them out, and this
    # makes any that slip through an error rather than output a JSON parser rejects.
    import json  # here: a table on the terminal never needs it

    if pretty:
        text = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)
    else:
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # File names can hold bidi or invisible characters: escaped, they read the same to
    # a JSON parser and cannot reorder what a terminal shows.
    return json_text(text) + "\n"


# --- records: the contract, field by field ------------------------------------------


def duration_record(d: Duration) -> dict[str, Any]:
    return {
        "min": d.min,
        "max": d.max,
        "unit": d.unit.value,
        "note": d.note,
        "sources": list(d.sources),
    }


def relief_record(r: Relief | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {**duration_record(r), "basis": r.basis.value}


def relief_days(t: Technique) -> dict[str, float | None] | None:
    if t.relief is None:
        return None
    return {"min": t.relief.min_days, "max": t.relief.max_days}


def indication_record(ind: Indication) -> dict[str, Any]:
    ev = ind.evidence
    return {
        "condition": ind.condition,
        "stance": ind.stance.value,
        "evidence": {
            "grade": ev.grade,
            "system": ev.system,
            "certainty": ev.certainty.value,
            "direction": ev.direction.value,
        },
        "note": ind.note,
        "sources": list(ind.sources),
        "disagreement": ind.disagreement,
    }


def rate_record(r: Rate | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "count": r.count,
        "denominator": r.denominator,
        "per": r.per.value,
        "timeframe": r.timeframe,
        "sources": list(r.sources),
        "note": r.note,
    }


def risk_record(r: Risk) -> dict[str, Any]:
    return {
        "name": r.name,
        "frequency": r.frequency,
        "sources": list(r.sources),
        "rate": rate_record(r.rate),
    }


def benefit_record(b: Benefit) -> dict[str, Any]:
    return {
        "condition": b.condition,
        "outcome": b.outcome,
        "timeframe": b.timeframe,
        "helped": b.helped,
        "comparator": b.comparator,
        "comparator_helped": b.comparator_helped,
        "sources": list(b.sources),
        "note": b.note,
    }


def bleeding_record(b: BleedingClass | None) -> dict[str, Any] | None:
    if b is None:
        return None
    return {"risk": b.risk.value, "basis": b.basis, "sources": list(b.sources)}


def technique_record(t: Technique) -> dict[str, Any]:
    return {
        "id": t.id,
        "name": t.name,
        "aliases": list(t.aliases),
        "category": t.category.value,
        "invasiveness": t.invasiveness.value,
        "purpose": t.purpose.value,
        "summary": t.summary,
        "mechanism": t.mechanism,
        "onset": duration_record(t.onset),
        "repeatable": t.repeatable,
        "imaging": [i.value for i in t.imaging],
        "anaesthesia": [a.value for a in t.anaesthesia],
        "setting": [s.value for s in t.setting],
        "recovery": t.recovery,
        "expect": {"before": t.expect.before, "during": t.expect.during, "after": t.expect.after},
        "prerequisites": [
            {"text": p.text, "kind": p.kind.value, "technique": p.technique}
            for p in t.prerequisites
        ],
        "risks": [risk_record(r) for r in t.risks],
        "contraindications": list(t.contraindications),
        "sources": list(t.sources),
        "reviewed": t.reviewed,
        "indications": [indication_record(i) for i in t.indications],
        "relief": relief_record(t.relief),
        "repeat_note": t.repeat_note,
        "regulatory": t.regulatory,
        "related": list(t.related),
        "benefits": [benefit_record(b) for b in t.benefits],
        "bleeding_risk": bleeding_record(t.bleeding_risk),
        "invasiveness_rank": t.invasiveness.rank,
        "relief_days": relief_days(t),
        "relief_caveat": relief_caveat(t),
    }


def condition_record(c: Condition) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "synonyms": list(c.synonyms),
        "regions": [r.value for r in c.regions],
        "pain_type": c.pain_type.value,
        "summary": c.summary,
        "first_line": list(c.first_line),
        "red_flags": list(c.red_flags),
        "sources": list(c.sources),
        "reviewed": c.reviewed,
        "interventional_note": c.interventional_note,
    }


def source_record(s: Source) -> dict[str, Any]:
    checked = None if s.checked is None else {"date": s.checked.date, "how": s.checked.how}
    return {
        "id": s.id,
        "title": s.title,
        "publisher": s.publisher,
        "year": s.year,
        "url": s.url,
        "kind": s.kind.value,
        "authors": s.authors,
        "note": s.note,
        "checked": checked,
    }


def option_record(t: Technique, ind: Indication) -> dict[str, Any]:
    rec = indication_record(ind)
    return {
        "technique": t.id,
        "name": t.name,
        "stance": rec["stance"],
        "evidence": rec["evidence"],
        "note": ind.note,
        "disagreement": ind.disagreement,
        "sources": list(ind.sources),
        "invasiveness": t.invasiveness.value,
        "invasiveness_rank": t.invasiveness.rank,
        "relief": relief_record(t.relief),
        "relief_days": relief_days(t),
        "relief_caveat": relief_caveat(t, ind),
        "bleeding_risk": bleeding_record(t.bleeding_risk),
    }


def catalogue_record(cat: Catalogue | None) -> dict[str, Any] | None:
    if cat is None:
        return None
    return {
        "title": cat.meta.title,
        "version": cat.meta.version,
        "reviewed": cat.meta.reviewed,
        "origins": list(cat.origins),
    }


def envelope(cat: Catalogue | None, command: str, *, pretty: bool = True, **data: Any) -> str:
    doc: dict[str, Any] = {
        "painopts": __version__,
        "contract": JSON_CONTRACT,
        "command": command,
        "catalogue": catalogue_record(cat),
    }
    doc.update(data)
    return dumps(doc, pretty=pretty)


def conditions_payload(found: ConditionOptions) -> dict[str, Any]:
    return {
        "condition": condition_record(found.condition),
        "options": [option_record(t, i) for t, i in found.options],
        "against": [option_record(t, i) for t, i in found.against],
    }


def filtered_payload(narrowed: Narrowed) -> dict[str, Any]:
    """What the filters were and how many options they hid."""
    return _filtered(narrowed.filters, narrowed.hidden, narrowed.total, narrowed.unclassified)


def _filtered(
    filters: Sequence[str], hidden: int, total: int, unclassified: int | None
) -> dict[str, Any]:
    doc: dict[str, Any] = {"filters": list(filters), "hidden": hidden, "of": total}
    if unclassified is not None:
        # Hidden because the bleeding-risk guidance does not classify them.
        doc["hidden_unclassified"] = unclassified
    return doc


def compare_payload(
    options: Sequence[Technique],
    against: Sequence[Technique],
    compared: ComparedForCondition | None,
) -> dict[str, Any]:
    """`compare` as data; with a condition, those recommended against for it come in
    fields of their own."""
    doc: dict[str, Any] = {"techniques": [technique_record(t) for t in options]}
    if compared is not None:
        doc |= {
            "techniques_against": [technique_record(t) for t in against],
            "condition": condition_record(compared.condition),
            "options": [option_record(t, i) for t, i in compared.options if i is not None],
            "against": [option_record(t, i) for t, i in compared.against],
        }
    return doc


# --- JSON: one payload per view --------------------------------------------------------


def to_json(view: View, *, pretty: bool) -> str:
    return envelope(view.catalogue, view.command, pretty=pretty, **payload(view))


@singledispatch
def payload(view: View) -> dict[str, Any]:
    """The command's data under the envelope."""
    raise TypeError(f"no JSON for {type(view).__name__}")


@payload.register(TechniqueListView)
def _(view: TechniqueListView) -> dict[str, Any]:
    sel = view.selection
    return {
        "techniques": [technique_record(t) for t in sel.techniques],
        "filtered": _filtered(sel.filters, sel.hidden, sel.total, sel.unclassified),
    }


@payload.register(ConditionListView)
def _(view: ConditionListView) -> dict[str, Any]:
    """Options recommended against always come, in a field of their own, whether or
    not the table shows them."""
    shown = view.result.narrowed.shown
    return {
        "condition": condition_record(view.result.condition),
        "options": [option_record(t, i) for t, i in shown.options],
        "against": [option_record(t, i) for t, i in shown.against],
        "filtered": filtered_payload(view.result.narrowed),
    }


@payload.register(ShowView)
def _(view: ShowView) -> dict[str, Any]:
    assert view.catalogue is not None
    return {
        "technique": technique_record(view.technique),
        "sources": [source_record(view.catalogue.sources[i]) for i in view.source_ids],
        "verdict": view.verdict,
        "alternatives": [t.id for t in view.alternatives],
    }


@payload.register(CompareView)
def _(view: CompareView) -> dict[str, Any]:
    return compare_payload(view.options, view.against, view.compared)


@payload.register(ForView)
def _(view: ForView) -> dict[str, Any]:
    return {
        **conditions_payload(view.narrowed.shown),
        "sources": [source_record(s) for s in view.sources],
        "filtered": filtered_payload(view.narrowed),
    }


@payload.register(ConditionsView)
def _(view: ConditionsView) -> dict[str, Any]:
    return {
        "conditions": [
            {**condition_record(c), "options": options, "against": against}
            for c in view.conditions
            for options, against in [view.counts[c.id]]
        ]
    }


@payload.register(SourcesView)
def _(view: SourcesView) -> dict[str, Any]:
    return {"filters": view.filters, "sources": [source_record(s) for s in view.sources]}


@payload.register(SearchView)
def _(view: SearchView) -> dict[str, Any]:
    """Every reason of each hit, best first, in words ("matched") and as data: the
    field, the words that matched in it and its text ("reasons")."""
    hits = [
        {
            "kind": h.kind,
            "id": h.id,
            "name": h.name,
            "score": h.score,
            "matched": [str(r) for r in h.reasons],
            "reasons": [
                {"field": r.field, "words": list(r.words), "text": r.text} for r in h.reasons
            ],
        }
        for h in view.hits
    ]
    corrected = {word: list(instead) for word, instead in view.corrected}
    return {"query": view.query, "corrected": corrected, "hits": hits}


def _bar_record(label: str, t: Technique, ind: Indication | None) -> dict[str, Any]:
    return {
        "label": label,
        "technique": t.id,
        "name": t.name,
        "stance": ind.stance.value if ind is not None else None,
        "onset": duration_record(t.onset),
        "onset_days": {"min": t.onset.min_days, "max": t.onset.max_days},
        "relief": relief_record(t.relief),
        "relief_days": relief_days(t),
        "relief_caveat": relief_caveat(t, ind),
    }


@payload.register(TimelineView)
def _(view: TimelineView) -> dict[str, Any]:
    """Every bar's numbers; options recommended against for the condition always come,
    in a field of their own, whether or not the chart draws them."""
    against = view.against_all
    return {
        "condition": condition_record(view.condition) if view.condition else None,
        "bars": [_bar_record(label, t, view.indications.get(t.id)) for label, t in view.rows],
        "against": [_bar_record(label, t, ind) for label, t, ind in against],
    }


@payload.register(PathwayView)
def _(view: PathwayView) -> dict[str, Any]:
    route = view.route
    stages = []
    for stage in route.stages:
        steps = [
            {
                "key": s.key,
                "technique": s.technique_id,
                "name": s.technique.name if s.technique is not None else None,
                "stance": s.indication.stance.value if s.indication is not None else None,
            }
            for s in stage.steps
        ]
        level = stage.level.value if stage.level is not None else None
        stages.append({"kind": stage.kind, "title": stage.title, "level": level, "steps": steps})
    edges = [
        {
            "source": e.source,
            "target": e.target,
            "label": e.label,
            "kind": e.prerequisite.kind.value,
            "text": e.prerequisite.text,
        }
        for e in route.edges
    ]
    return {"condition": condition_record(route.condition), "stages": stages, "edges": edges}


@payload.register(ValidateView)
def _(view: ValidateView) -> dict[str, Any]:
    problems = [
        {"file": i.path, "line": i.line, "column": i.column, "where": i.where, "message": i.message}
        for i in view.problems
    ]
    doc: dict[str, Any] = {"valid": view.valid, "problems": problems}
    if view.valid:
        doc["counts"] = dict(view.counts)
    return doc


# --- tabular views: headers + rows of plain strings -----------------------------

Rows = tuple[list[str], list[list[str]]]


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _relief_numbers(t: Technique) -> list[str]:
    days = relief_days(t)
    return ["", ""] if days is None else [_number(days["min"]), _number(days["max"])]


def _level(t: Technique, machine: bool) -> list[str]:
    inv = t.invasiveness
    return [inv.value, str(inv.rank)] if machine else [level_name(inv)]


def _relief(t: Technique, ind: Indication | None, machine: bool) -> list[str]:
    words = relief_words(t, ind)
    return [words, *_relief_numbers(t)] if machine else [words]


def _headers(names: Iterable[str], machine: bool) -> list[str]:
    """Field names: snake_case for machines, the same words spaced for people."""
    return [n if machine else n.replace("_", " ") for n in names]


LEVEL_FIELDS = ("invasiveness", "invasiveness_rank")
RELIEF_FIELDS = ("relief", "relief_min_days", "relief_max_days")


def _fields(*names: str, machine: bool) -> list[str]:
    out: list[str] = []
    for n in names:
        if machine and n == "invasiveness":
            out += LEVEL_FIELDS
        elif machine and n == "relief":
            out += RELIEF_FIELDS
        else:
            out.append(n)
    return _headers(out, machine)


@singledispatch
def table_rows(view: View, machine: bool) -> Rows:
    """A view as one table; *machine* for CSV (numbers and vocabulary values in their
    own columns), else the columns the terminal shows (Markdown)."""
    raise TypeError(f"no table for {type(view).__name__}")


def technique_rows(techniques: Iterable[Technique], machine: bool = False) -> Rows:
    headers = _fields("id", "name", "category", "invasiveness", "relief", machine=machine)
    return headers, [
        [t.id, t.name, t.category.value, *_level(t, machine), *_relief(t, None, machine)]
        for t in techniques
    ]


def bleeding_cell(t: Technique, machine: bool) -> str:
    """The bleeding-risk class in a column: the vocabulary value for machines, words
    for people ("not classified" is said, never left blank)."""
    risk = bleeding_class(t)
    return risk.value if machine else risk.label


def _with_bleeding(rows: Rows, techniques: Sequence[Technique], machine: bool) -> Rows:
    """Rows with a bleeding-risk column: shown when --bleeding-risk chose them."""
    headers, body = rows
    return [*headers, *_headers(["bleeding_risk"], machine)], [
        [*row, bleeding_cell(t, machine)] for row, t in zip(body, techniques, strict=True)
    ]


@table_rows.register(TechniqueListView)
def _(view: TechniqueListView, machine: bool) -> Rows:
    rows = technique_rows(view.selection.techniques, machine)
    if view.filters.bleeding_risks:
        return _with_bleeding(rows, view.selection.techniques, machine)
    return rows


OPTION_FIELDS = (
    "stance", "certainty", "direction", "grade", "system", "invasiveness", "relief", "note",
    "sources",
)  # fmt: skip
GROUPS = ("option", "recommended against")


def _option_cells(t: Technique, ind: Indication, machine: bool) -> list[str]:
    """CSV keeps the catalogue's values ("not-recommended"); Markdown, for people,
    the words every screen shows ("not recommended", "points to no benefit")."""
    ev = ind.evidence
    if machine:
        words = [ind.stance.value, ev.certainty.value, ev.direction.value]
    else:
        words = [ind.stance.label, ev.certainty.label, ev.direction.label]
    return [
        *words, ev.grade, ev.system,
        *_level(t, machine), *_relief(t, ind, machine), ind.note, " ".join(ind.sources),
    ]  # fmt: skip


@table_rows.register(ConditionListView)
def _(view: ConditionListView, machine: bool) -> Rows:
    """The stance and evidence in words on each row, and the options recommended
    against (when shown) marked in a column of their own."""
    headers = _fields("id", "name", "group", *OPTION_FIELDS, machine=machine)
    rows = []
    shown = []
    for group, pairs in zip(GROUPS, (view.result.options, view.result.against), strict=True):
        for t, ind in pairs:
            rows.append([t.id, t.name, group, *_option_cells(t, ind, machine)])
            shown.append(t)
    if view.result.narrowed.by_bleeding:
        return _with_bleeding((headers, rows), shown, machine)
    return headers, rows


@table_rows.register(ForView)
def _(view: ForView, machine: bool) -> Rows:
    """In stepped-care order: ``order`` counts within a ``group``, and options
    recommended against are a group of their own."""
    headers = _fields("order", "group", "technique", "name", *OPTION_FIELDS, machine=machine)
    shown = view.narrowed.shown
    rows = []
    techniques = []
    for group, pairs in zip(GROUPS, (shown.options, shown.against), strict=True):
        for n, (t, ind) in enumerate(pairs, 1):
            rows.append([str(n), group, t.id, t.name, *_option_cells(t, ind, machine)])
            techniques.append(t)
    if view.narrowed.by_bleeding:
        return _with_bleeding((headers, rows), techniques, machine)
    return headers, rows


def _cell(label: str, cell: Sequence[str], machine: bool) -> str:
    if machine:
        return "; ".join(cell)
    bullet = "- " if label in LIST_ROWS and cell != (NONE_LISTED,) else ""
    return "\n".join(bullet + line for line in cell)


def _attribute_rows(rows: Iterable[Row], ids: Sequence[str], machine: bool) -> Rows:
    return ["attribute", *ids], [
        [label, *(_cell(label, c, machine) for c in cells)] for label, cells in rows
    ]


@table_rows.register(ShowView)
def _(view: ShowView, machine: bool) -> Rows:
    return _attribute_rows(view.rows(), [view.technique.id], machine)


@table_rows.register(CompareView)
def _(view: CompareView, machine: bool) -> Rows:
    return _attribute_rows(view.rows(), view.ids, machine)


@table_rows.register(ConditionsView)
def _(view: ConditionsView, machine: bool) -> Rows:
    headers = _headers(["id", "name", "regions", "pain_type", "options", "against"], machine)
    return headers, [
        [
            c.id,
            c.name,
            ", ".join(c.regions),
            c.pain_type.value,
            str(view.counts[c.id][0]),
            str(view.counts[c.id][1]),
        ]
        for c in view.conditions
    ]


@table_rows.register(SourcesView)
def _(view: SourcesView, machine: bool) -> Rows:
    headers = ["id", "year", "kind", "title", "publisher", "url", "authors"]
    return headers, [
        [s.id, str(s.year), s.kind.value, s.title, s.publisher, s.url, s.authors or ""]
        for s in view.sources
    ]


@table_rows.register(SearchView)
def _(view: SearchView, machine: bool) -> Rows:
    """The score is for programs; people see the order and the reasons: the best one,
    or every one with --why."""
    score = ["score"] if machine else []
    headers = _headers(["id", "kind", "name", *score, "why_it_matched"], machine)
    return headers, [
        [
            h.id,
            h.kind,
            h.name,
            *([str(h.score)] if machine else []),
            "; ".join(map(str, h.reasons if view.why else h.reasons[:1])),
        ]
        for h in view.hits
    ]


@singledispatch
def to_yaml(view: View) -> str:
    """A view as a catalogue file (painopts.yamlout): a starting point for a custom
    catalogue, which `validate` accepts and loading gives back the same record."""
    raise TypeError(f"no YAML for {type(view).__name__}")


@to_yaml.register(ShowView)
def _(view: ShowView) -> str:
    from painopts.yamlout import show_yaml

    assert view.catalogue is not None
    return show_yaml(view.catalogue, view.technique)


@singledispatch
def references(view: View) -> tuple[Source, ...]:
    """The sources a view lists, for the reference-manager formats (bibtex, csl-json)."""
    raise TypeError(f"no references in {type(view).__name__}")


@references.register(SourcesView)
def _(view: SourcesView) -> tuple[Source, ...]:
    return view.sources


def to_csv_view(view: View) -> str:
    return to_csv(table_rows(view, True))


def to_markdown_view(view: View) -> str:
    """A document (show, for, compare) with every section the terminal shows; else
    the table, with the view's first and last lines as paragraphs around it, then the
    notice: Markdown is a reader's copy, as the terminal's table is, not data."""
    doc = as_document(view)
    if doc is not None:
        from painopts.markdown import to_markdown as document_markdown

        return document_markdown(doc)
    from painopts.wording import NOTICE

    before = "".join(f"{line}\n\n" for line in view.lead)
    after = "".join(f"\n{line}\n" for line in (*view.closing, NOTICE))
    if isinstance(view, ConditionListView):
        return before + _condition_list_markdown(view) + after
    return before + to_markdown(table_rows(view, False)) + after


def _condition_list_markdown(view: ConditionListView) -> str:
    """As on screen: the options' table, then those recommended against (with --all or
    --stance not-recommended) in a table of their own under their own heading, never
    rows of the same table."""
    from painopts.markdown import escape
    from painopts.wording import NONE_MATCH, NOT_SUPPORTED

    c = view.result.condition
    headers, rows = table_rows(view, False)
    group = headers.index("group")
    options = [r for r in rows if r[group] == GROUPS[0]]
    against = [r for r in rows if r[group] == GROUPS[1]]
    parts = [f"**{escape(f'Options for {c.name} [{c.id}]')}**\n"]
    if options:
        parts.append(to_markdown((headers, options)))
    else:
        parts.append(NONE_MATCH if view.result.narrowed.supported else NOT_SUPPORTED)
        parts[-1] += "\n"
    if against:
        heading = escape(f"Recommended against for {c.name} (not options)")
        parts += [f"**{heading}**\n", to_markdown((headers, against))]
    return "\n".join(parts)


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV
# injection"); a leading apostrophe makes it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(rows: Rows) -> str:
    import csv
    import io

    buffer = io.StringIO()
    header = [csv_cell(h) for h in rows[0]]
    body = [[csv_cell(c) for c in row] for row in rows[1]]
    # LF, not csv's default CRLF: lines go to awk, cut and grep as often as to a
    # spreadsheet, and every spreadsheet reads LF. csv then quotes only cells holding
    # the LF, so a stray CR in a cell would end a row early: quote every cell then.
    stray_cr = any("\r" in c for row in (header, *body) for c in row)
    if stray_cr:
        writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    else:
        writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body)
    return buffer.getvalue()


# Characters that start inline Markdown (emphasis, code, links, images, raw HTML,
# entities, strikethrough) or end a table cell; a backslash makes each one literal.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&!#])")


def _md_cell(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\r", "").replace("\n", "<br>")


def to_markdown(rows: Rows) -> str:
    headers, body = rows
    lines = [
        "| " + " | ".join(_md_cell(h) for h in headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
    ]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in body]
    return "\n".join(lines) + "\n"
