"""Machine-readable output: JSON, CSV and Markdown. Each function returns a string.

The JSON shape is a documented contract (README, "JSON output"): an envelope with the
tool version, the contract version, the catalogue's version and origins, then the
command's data. Records use the catalogue format's own field names.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from painopts import __version__
from painopts.models import Catalogue, Condition, Indication, Record, Source, Technique
from painopts.queries import (
    ComparedForCondition,
    ConditionList,
    ConditionOptions,
    Narrowed,
)
from painopts.textsafe import json_text
from painopts.words import relief_caveat, relief_words

if TYPE_CHECKING:
    from painopts.search import SearchHit

JSON_CONTRACT = 2


def _plain(value: Any) -> Any:
    """A model instance as a JSON-ready mapping of its fields in declaration order;
    vocabulary values are str and tuples are arrays, so the encoder needs nothing more."""
    if isinstance(value, Record):
        return value.as_dict()
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def dumps(doc: Any, *, pretty: bool) -> str:
    # Indentation switches json to its pure-Python encoder (~10x slower on a large
    # catalogue), so output is indented for people at a terminal and compact in pipes.
    # allow_nan=False: NaN and Infinity are not JSON; the loader keeps them out, and this
    # makes any that slip through an error rather than output a JSON parser rejects.
    if pretty:
        text = json.dumps(doc, indent=2, ensure_ascii=False, default=_plain, allow_nan=False)
    else:
        text = json.dumps(
            doc, ensure_ascii=False, separators=(",", ":"), default=_plain, allow_nan=False
        )
    # File names can hold bidi or invisible characters: escaped, they read the same to
    # a JSON parser and cannot reorder what a terminal shows.
    return json_text(text) + "\n"


def relief_days(t: Technique) -> dict[str, float | None] | None:
    if t.relief is None:
        return None
    return {"min": t.relief.min_days, "max": t.relief.max_days}


def technique_record(t: Technique) -> dict[str, Any]:
    return {
        **t.as_dict(),
        "invasiveness_rank": t.invasiveness.rank,
        "relief_days": relief_days(t),
        "relief_caveat": relief_caveat(t),
    }


def condition_record(c: Condition) -> dict[str, Any]:
    return c.as_dict()


def source_record(s: Source) -> dict[str, Any]:
    return s.as_dict()


def option_record(t: Technique, ind: Indication) -> dict[str, Any]:
    return {
        "technique": t.id,
        "name": t.name,
        "stance": ind.stance,
        "evidence": ind.evidence,
        "note": ind.note,
        "disagreement": ind.disagreement,
        "sources": list(ind.sources),
        "invasiveness": t.invasiveness,
        "invasiveness_rank": t.invasiveness.rank,
        "relief": t.relief,
        "relief_days": relief_days(t),
        "relief_caveat": relief_caveat(t, ind),
    }


def envelope(cat: Catalogue, command: str, *, pretty: bool = True, **data: Any) -> str:
    doc: dict[str, Any] = {
        "painopts": __version__,
        "contract": JSON_CONTRACT,
        "command": command,
        "catalogue": {
            "title": cat.meta.title,
            "version": cat.meta.version,
            "reviewed": cat.meta.reviewed,
            "origins": list(cat.origins),
        },
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
    return {"filters": list(narrowed.filters), "hidden": narrowed.hidden, "of": narrowed.total}


def condition_list_payload(view: ConditionList) -> dict[str, Any]:
    """`list --condition` as data: options recommended against always come, in a
    field of their own, whether or not the table shows them."""
    shown = view.narrowed.shown
    return {
        "condition": condition_record(view.condition),
        "options": [option_record(t, i) for t, i in shown.options],
        "against": [option_record(t, i) for t, i in shown.against],
        "filtered": filtered_payload(view.narrowed),
    }


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


# --- tabular views: headers + rows of plain strings -----------------------------

Rows = tuple[list[str], list[list[str]]]


def condition_list_rows(view: ConditionList) -> Rows:
    """`list --condition` as rows: the stance and evidence in words on each, and the
    options recommended against (when shown) marked in a column of their own."""
    headers = [
        "id", "name", "group", "stance", "certainty", "direction", "grade", "system",
        "invasiveness", "relief", "note", "sources",
    ]  # fmt: skip
    rows = []
    for group, pairs in (("option", view.options), ("recommended against", view.against)):
        for t, ind in pairs:
            ev = ind.evidence
            rows.append(
                [
                    t.id, t.name, group, ind.stance.value, ev.certainty.value,
                    ev.direction.value, ev.grade, ev.system,
                    f"{t.invasiveness.rank} {t.invasiveness}", relief_words(t, ind), ind.note,
                    " ".join(ind.sources),
                ]
            )  # fmt: skip
    return headers, rows


def technique_rows(techniques: Iterable[Technique]) -> Rows:
    headers = ["id", "name", "category", "invasiveness", "relief"]
    return headers, [
        [
            t.id,
            t.name,
            t.category.value,
            f"{t.invasiveness.rank} {t.invasiveness}",
            relief_words(t),
        ]
        for t in techniques
    ]


def option_rows(found: ConditionOptions, *, against: bool = True) -> Rows:
    headers = [
        "order",
        "technique",
        "name",
        "stance",
        "certainty",
        "direction",
        "grade",
        "system",
        "invasiveness",
        "relief",
        "note",
        "sources",
    ]
    rows = []
    groups = [("", found.options)] + ([("against ", found.against)] if against else [])
    for group, pairs in groups:
        for n, (t, ind) in enumerate(pairs, 1):
            rows.append(
                [
                    f"{group}{n}",
                    t.id,
                    t.name,
                    ind.stance.value,
                    ind.evidence.certainty.value,
                    ind.evidence.direction.value,
                    ind.evidence.grade,
                    ind.evidence.system,
                    f"{t.invasiveness.rank} {t.invasiveness}",
                    relief_words(t, ind),
                    ind.note,
                    " ".join(ind.sources),
                ]
            )
    return headers, rows


def condition_rows(cat: Catalogue, counts: dict[str, tuple[int, int]]) -> Rows:
    headers = ["id", "name", "regions", "pain type", "options", "against"]
    return headers, [
        [
            c.id,
            c.name,
            ", ".join(c.regions),
            c.pain_type.value,
            str(counts[c.id][0]),
            str(counts[c.id][1]),
        ]
        for c in cat.conditions.values()
    ]


def source_rows(sources: Iterable[Source]) -> Rows:
    headers = ["id", "year", "kind", "title", "publisher", "url"]
    return headers, [
        [s.id, str(s.year), s.kind.value, s.title, s.publisher, s.url] for s in sources
    ]


def search_rows(hits: Iterable[SearchHit], why: bool = False) -> Rows:
    headers = ["kind", "id", "name", "score", "matched"]
    return headers, [
        [
            h.kind,
            h.id,
            h.name,
            str(h.score),
            "; ".join(map(str, h.reasons if why else h.reasons[:1])),
        ]
        for h in hits
    ]


def search_record(h: SearchHit) -> dict[str, Any]:
    """One hit for JSON: every reason, best first, in words ("matched") and as data:
    the field, the words that matched in it and its text ("reasons")."""
    return {
        "kind": h.kind,
        "id": h.id,
        "name": h.name,
        "score": h.score,
        "matched": [str(r) for r in h.reasons],
        "reasons": [{"field": r.field, "words": list(r.words), "text": r.text} for r in h.reasons],
    }


def compare_rows(cells: Sequence[tuple[str, Sequence[str]]], ids: Sequence[str]) -> Rows:
    return ["attribute", *ids], [[label, *values] for label, values in cells]


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV
# injection"); a leading apostrophe makes it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(rows: Rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(h) for h in rows[0]])
    writer.writerows([csv_cell(c) for c in row] for row in rows[1])
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
