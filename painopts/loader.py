"""Load catalogue files into validated dataclasses.

The rules come from the dataclasses in ``models``: each field's type hint says what
is allowed, a field without a default is required, and field metadata adds string
checks (ids, dates, URLs) and minimum list lengths. Every problem is collected with
its file, line, column and a breadcrumb, so a user can fix a file in one pass.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import difflib
import re
import types
import typing
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from painopts import certainty as certainty_table
from painopts import models
from painopts.catalogue_files import BUNDLED_DIR, display_name, layer_name, scan
from painopts.errors import CatalogueError, Issue
from painopts.models import (
    Benefit,
    Catalogue,
    CatalogueMeta,
    Condition,
    Direction,
    Duration,
    Indication,
    Rate,
    Source,
    Stance,
    Technique,
    Vocab,
    normalise_name,
)
from painopts.suggest import Suggester
from painopts.textsafe import escape_char, first_invisible
from painopts.yamlread import Mark, YMap, YSeq, read_yaml

SECTIONS: dict[str, type] = {
    "catalogue": CatalogueMeta,
    "sources": Source,
    "conditions": Condition,
    "techniques": Technique,
}
_KIND = {Source: "source", Condition: "condition", Technique: "technique"}

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
# Control characters other than tab/newline, bidi controls, line/paragraph separators,
# zero-width characters and tags: never legitimate in catalogue prose, and able to
# rewrite what a terminal shows or hide text from a reviewer.
_UNSAFE_TEXT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b\u200e\u200f\u2028-\u202e"
    "\u2060-\u2069\ud800-\udfff\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
# Fields people type to find an entry: compared after NFC, and must be all visible.
_NAME_FIELDS = {"name", "aliases", "synonyms"}


@dataclass(frozen=True, slots=True)
class _FieldSpec:
    name: str
    type: Any
    required: bool
    meta: typing.Mapping[str, Any]


_SPECS: dict[type, tuple[_FieldSpec, ...]] = {}


def field_specs(cls: type) -> tuple[_FieldSpec, ...]:
    """The validation spec of a model dataclass, derived from its type hints."""
    spec = _SPECS.get(cls)
    if spec is None:
        hints = typing.get_type_hints(cls, vars(models))
        spec = tuple(
            _FieldSpec(
                f.name,
                hints[f.name],
                f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
                f.metadata,
            )
            for f in dataclasses.fields(cls)
        )
        _SPECS[cls] = spec
    return spec


def describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int) and abs(value) >= 10**18:
        return f"a number with about {len(str(abs(value)))} digits"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class _Collector:
    def __init__(self, path: str) -> None:
        self.path = path
        self.issues: list[Issue] = []

    def add(self, mark: Mark | None, where: str, message: str) -> None:
        line, col = mark if mark else (None, None)
        self.issues.append(Issue(self.path, line, col, where, message))


_INVALID = object()
MAX_NUMBER = 10**15


def _expected(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if tp is str:
        return "text"
    if tp is bool:
        return "true or false"
    if tp is int:
        return "a whole number"
    if tp is float:
        return "a number"
    if isinstance(tp, type) and issubclass(tp, Vocab):
        return "one of " + ", ".join(tp.values())
    if origin is tuple:
        return "a list"
    if dataclasses.is_dataclass(tp):
        return "a mapping"
    if origin in (typing.Union, types.UnionType):
        parts = [_expected(a) for a in typing.get_args(tp) if a is not type(None)]
        return " or ".join(parts) + " or null"
    return str(tp)


def _convert(value: Any, tp: Any, where: str, mark: Mark, meta: Any, out: _Collector) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None:
            return None
        return _convert(value, args[0], where, mark, meta, out)
    if tp is str:
        if not isinstance(value, str):
            out.add(mark, where, f"expected text, found {describe(value)}")
            return _INVALID
        return _check_text(value, where, mark, meta, out)
    if tp is bool:
        if not isinstance(value, bool):
            hint = " (write true or false)" if isinstance(value, str) else ""
            out.add(mark, where, f"expected true or false, found {describe(value)}{hint}")
            return _INVALID
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            out.add(mark, where, f"expected a whole number, found {describe(value)}")
            return _INVALID
        if abs(value) > MAX_NUMBER:
            out.add(mark, where, f"expected a whole number up to 10^15, found {describe(value)}")
            return _INVALID
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            out.add(mark, where, f"expected a number, found {describe(value)}")
            return _INVALID
        if value != value or value in (float("inf"), float("-inf")):
            out.add(mark, where, f"expected a finite number, found {describe(value)}")
            return _INVALID
        if abs(value) > MAX_NUMBER:
            # Larger values overflow to infinity once turned into days (Infinity is
            # not JSON), and no duration or count needs them.
            out.add(mark, where, f"expected a number up to 10^15, found {describe(value)}")
            return _INVALID
        return float(value)
    if isinstance(tp, type) and issubclass(tp, Vocab):
        if isinstance(value, str):
            try:
                return tp(value)
            except ValueError:
                pass
        out.add(mark, where, f"expected {_expected(tp)}; found {describe(value)}")
        return _INVALID
    if origin is tuple:
        if not isinstance(value, YSeq):
            out.add(mark, where, f"expected a list, found {describe(value)}")
            return _INVALID
        (item_tp, _) = typing.get_args(tp)
        minimum = meta.get("min_items", 0)
        if len(value) < minimum:
            out.add(mark, where, f"expected at least {minimum} item(s), found an empty list")
        items = []
        for i, (item, imark) in enumerate(zip(value, value.item_marks, strict=True)):
            label = _item_label(item, i)
            conv = _convert(item, item_tp, f"{where}[{label}]", imark, meta, out)
            if conv is not _INVALID:
                items.append(conv)
        return tuple(items)
    if dataclasses.is_dataclass(tp):
        return _build_record(value, typing.cast(type, tp), where, mark, out)
    raise TypeError(f"unsupported model type {tp!r}")  # a bug in models.py, not user input


def _check_text(value: str, where: str, mark: Mark, meta: Any, out: _Collector) -> Any:
    if not value.strip():
        out.add(mark, where, "expected text, found an empty string")
        return _INVALID
    bad = _UNSAFE_TEXT.search(value)
    if bad:
        out.add(
            mark,
            where,
            "text contains a control, bidirectional or invisible character "
            f"({escape_char(bad.group())})",
        )
        return _INVALID
    check = meta.get("check")
    if check == "id" and not _ID_RE.fullmatch(value):
        out.add(
            mark, where, f"expected an id of lowercase letters, digits and hyphens, found {value!r}"
        )
        return _INVALID
    if check == "date":
        ok = bool(_DATE_RE.fullmatch(value))
        if ok:
            try:
                _dt.date.fromisoformat(value)
            except ValueError:
                ok = False
        if not ok:
            out.add(mark, where, f"expected a date written YYYY-MM-DD, found {value!r}")
            return _INVALID
    if check == "url" and not _URL_RE.fullmatch(value):
        out.add(mark, where, f"expected an http(s) URL, found {value!r}")
        return _INVALID
    return value


def _item_label(item: Any, index: int) -> str:
    if isinstance(item, YMap):
        for key in ("id", "condition"):
            v = item.get(key)
            if isinstance(v, str) and v:
                return v
    return str(index)


def _build_record(value: Any, cls: type, where: str, mark: Mark, out: _Collector) -> Any:
    if not isinstance(value, YMap):
        out.add(mark, where, f"expected a mapping, found {describe(value)}")
        return _INVALID
    specs = field_specs(cls)
    names = [s.name for s in specs]
    ok = True
    for key in value:
        if key not in names:
            close = difflib.get_close_matches(key, names, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; allowed: {', '.join(names)}"
            out.add(value.key_marks[key], f"{where}.{key}", f"unknown key{hint}")
            ok = False
    kwargs: dict[str, Any] = {}
    for spec in specs:
        if spec.name not in value:
            if spec.required:
                out.add(
                    value.mark,
                    f"{where}.{spec.name}",
                    f"missing required key ({_expected(spec.type)})",
                )
                ok = False
            continue
        conv = _convert(
            value[spec.name],
            spec.type,
            f"{where}.{spec.name}",
            value.value_marks[spec.name],
            spec.meta,
            out,
        )
        if conv is not _INVALID and spec.name in _NAME_FIELDS and cls in (Technique, Condition):
            conv = _name_values(conv, value, spec.name, f"{where}.{spec.name}", out)
        if conv is _INVALID:
            ok = False
        else:
            kwargs[spec.name] = conv
    if not ok:
        return _INVALID
    return cls(**kwargs)


def _name_values(conv: Any, raw: YMap, key: str, where: str, out: _Collector) -> Any:
    """Names in NFC, so that one spelling has one form; any invisible character (a
    zero-width space, a tag, a no-break space) is an error, because it makes two
    names that look the same compare different."""
    items = [conv] if isinstance(conv, str) else list(conv)
    marks = (
        [raw.value_marks[key]]
        if isinstance(conv, str)
        else list(getattr(raw[key], "item_marks", [raw.value_marks[key]] * len(items)))
    )
    fixed: list[str] = []
    for i, text in enumerate(items):
        hidden = first_invisible(text)
        if hidden is not None:
            label = where if isinstance(conv, str) else f"{where}[{i}]"
            out.add(
                marks[i] if i < len(marks) else raw.value_marks[key],
                label,
                f"a name may not contain the invisible or special character {escape_char(hidden)}",
            )
            return _INVALID
        fixed.append(unicodedata.normalize("NFC", text))
    return fixed[0] if isinstance(conv, str) else tuple(fixed)


@dataclass(slots=True)
class _Entry:
    """A converted record and where it was defined, for cross-file checks."""

    value: Any
    path: str
    mark: Mark
    raw: YMap


@dataclass(slots=True)
class _FileContents:
    path: str
    meta: _Entry | None
    entries: dict[str, list[_Entry]]
    broken: set[tuple[str, str]]
    removals: list[tuple[str, str, Mark]] = dataclasses.field(default_factory=list)


REMOVABLE = ("techniques", "conditions", "sources")


def _read_file(
    path: Path, display: str, out: _Collector, *, root: Path | None = None
) -> _FileContents | None:
    data = read_yaml(path, display, root=root)
    if not isinstance(data, YMap):
        out.add(
            getattr(data, "mark", (1, 1)),
            "",
            f"expected a mapping with keys {', '.join(SECTIONS)} at the top level, "
            f"found {describe(data)}",
        )
        return None
    contents = _FileContents(
        display, None, {k: [] for k in ("sources", "conditions", "techniques")}, set()
    )
    for key, section in data.items():
        kmark = data.key_marks[key]
        vmark = data.value_marks[key]
        if key == "remove":
            _read_removals(section, vmark, out, contents)
            continue
        cls = SECTIONS.get(key)
        if cls is None:
            close = difflib.get_close_matches(key, [*SECTIONS, "remove"], n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(SECTIONS)}"
            out.add(kmark, key, f"unknown top-level key; {hint}")
            continue
        if cls is CatalogueMeta:
            meta = _build_record(section, cls, key, vmark, out)
            if meta is not _INVALID:
                contents.meta = _Entry(meta, display, vmark, section)
            continue
        if not isinstance(section, YSeq):
            out.add(vmark, key, f"expected a list of {key}, found {describe(section)}")
            continue
        for item, imark in zip(section, section.item_marks, strict=True):
            where = f"{key}[{_item_label(item, len(contents.entries[key]))}]"
            record = _build_record(item, cls, where, imark, out)
            if record is not _INVALID:
                contents.entries[key].append(_Entry(record, display, imark, item))
            elif isinstance(item, YMap) and isinstance(item.get("id"), str):
                # Already reported; remembering the id spares a cascade of
                # "unknown id" errors wherever the broken entry is referenced.
                contents.broken.add((key, item["id"]))
    return contents


def _read_removals(section: Any, mark: Mark, out: _Collector, contents: _FileContents) -> None:
    """`remove: {techniques: [id, ...], conditions: [...], sources: [...]}`"""
    if not isinstance(section, YMap):
        out.add(
            mark,
            "remove",
            f"expected a mapping of {', '.join(REMOVABLE)} to ids, found {describe(section)}",
        )
        return
    for key, ids in section.items():
        where = f"remove.{key}"
        if key not in REMOVABLE:
            out.add(section.key_marks[key], where, f"unknown key; allowed: {', '.join(REMOVABLE)}")
            continue
        if not isinstance(ids, YSeq):
            out.add(
                section.value_marks[key], where, f"expected a list of ids, found {describe(ids)}"
            )
            continue
        for i, (ident, imark) in enumerate(zip(ids, ids.item_marks, strict=True)):
            if not isinstance(ident, str) or not _ID_RE.fullmatch(ident):
                out.add(imark, f"{where}[{i}]", f"expected an id, found {describe(ident)}")
            else:
                contents.removals.append((key, ident, imark))


def load_catalogue(paths: Sequence[Path] | None = None, *, bundled: bool = True) -> Catalogue:
    """Load the bundled catalogue and/or *paths*; raise CatalogueError listing every issue.

    Each path (a file or a directory) is a layer on top of the previous ones: an
    entry whose id already exists replaces the earlier entry as a whole.
    """
    layers: list[Path] = ([BUNDLED_DIR] if bundled else []) + list(paths or [])
    issues: list[Issue] = []
    origins: list[str] = []
    layer_contents: list[list[_FileContents]] = []
    for layer in layers:
        shown = layer_name(layer)
        origins.append(shown)
        out = _Collector(shown)
        files, problems = scan(layer)
        for where, problem in problems:
            issues.append(Issue(display_name(where), None, None, "", problem))
        if problems:
            continue
        if not files:
            out.add(None, "", "directory holds no .yaml or .yml files")
            issues.extend(out.issues)
            continue
        contents: list[_FileContents] = []
        for f in files:
            fout = _Collector(display_name(f))
            try:
                # A named file may be a link the user chose; files found in a folder
                # are opened without following links (see catalogue_files).
                fc = _read_file(f, display_name(f), fout, root=None if f == layer else layer)
            except CatalogueError as exc:
                issues.extend(exc.issues)
                continue
            issues.extend(fout.issues)
            if fc is not None:
                contents.append(fc)
        layer_contents.append(contents)
    catalogue = _assemble(layer_contents, issues, tuple(origins))
    if issues:
        # File order, so a user can fix a file top to bottom in one pass.
        issues.sort(key=lambda i: (i.path, i.line or 0, i.column or 0))
        raise CatalogueError(issues)
    assert catalogue is not None
    return catalogue


def _assemble(
    layers: list[list[_FileContents]], issues: list[Issue], origins: tuple[str, ...]
) -> Catalogue | None:
    merged: dict[str, dict[str, _Entry]] = {k: {} for k in ("sources", "conditions", "techniques")}
    meta: _Entry | None = None
    broken: set[tuple[str, str]] = set()
    for layer in layers:
        seen_here: dict[str, dict[str, _Entry]] = {k: {} for k in merged}
        layer_meta: _Entry | None = None
        for fc in layer:
            broken |= fc.broken
            if fc.meta is not None:
                if layer_meta is not None:
                    _issue(
                        issues,
                        fc.meta,
                        "catalogue",
                        f"a second 'catalogue' block (the first is in {layer_meta.path})",
                    )
                layer_meta = fc.meta
            for section, entries in fc.entries.items():
                for e in entries:
                    ident = e.value.id
                    first = seen_here[section].get(ident)
                    if first is not None:
                        _issue(
                            issues,
                            e,
                            f"{section}[{ident}].id",
                            f"duplicate {_KIND[type(e.value)]} id {ident!r} "
                            f"(first defined at {first.path}:{first.mark[0]})",
                        )
                        continue
                    seen_here[section][ident] = e
        if layer_meta is not None:
            meta = layer_meta
        for section in merged:
            merged[section].update(seen_here[section])
        emptied: list[tuple[str, str, str, Mark]] = []
        for fc in layer:
            for section, ident, mark in fc.removals:
                if merged[section].pop(ident, None) is None:
                    issues.append(
                        Issue(
                            fc.path,
                            mark[0],
                            mark[1],
                            f"remove.{section}",
                            f"no {section[:-1]} {ident!r} to remove",
                        )
                    )
                elif section != "sources":
                    for tid in _drop_links(merged, section, ident):
                        emptied.append((tid, ident, fc.path, mark))
        for tid, ident, path, mark in emptied:
            # Checked once the whole layer's removals are done: removing the technique
            # in the same overlay is the fix, and must not be reported.
            entry = merged["techniques"].get(tid)
            if entry is not None and not entry.value.indications:
                issues.append(
                    Issue(
                        path,
                        mark[0],
                        mark[1],
                        "remove.conditions",
                        f"removing condition {ident!r} leaves technique {tid!r} with no "
                        "indications; remove the technique too, or give it an indication",
                    )
                )

    _check_names(merged, issues)
    _check_references(merged, issues, broken)
    _check_prerequisite_cycles(merged, issues)
    if meta is None:
        meta_value = CatalogueMeta(
            title="custom catalogue", version="unversioned", reviewed="1970-01-01"
        )
    else:
        meta_value = meta.value
    if issues:
        return None
    return Catalogue(
        meta=meta_value,
        techniques={k: e.value for k, e in merged["techniques"].items()},
        conditions={k: e.value for k, e in merged["conditions"].items()},
        sources={k: e.value for k, e in merged["sources"].items()},
        origins=origins,
    )


def _drop_links(merged: dict[str, dict[str, _Entry]], section: str, ident: str) -> list[str]:
    """After a removal, drop the links other entries had to it, so that removing a
    bundled condition or technique does not leave bundled entries dangling. Returns
    the techniques left with no indications."""
    emptied: list[str] = []
    for entry in merged["techniques"].values():
        t: Technique = entry.value
        if section == "conditions":
            kept = tuple(i for i in t.indications if i.condition != ident)
            if len(kept) != len(t.indications):
                benefits = tuple(b for b in t.benefits if b.condition != ident)
                entry.value = dataclasses.replace(t, indications=kept, benefits=benefits)
                if not kept:
                    emptied.append(t.id)
        else:
            prereqs = tuple(
                dataclasses.replace(p, technique=None) if p.technique == ident else p
                for p in t.prerequisites
            )
            related = tuple(r for r in t.related if r != ident)
            if prereqs != t.prerequisites or related != t.related:
                entry.value = dataclasses.replace(t, prerequisites=prereqs, related=related)
    return emptied


def _issue(
    issues: list[Issue], entry: _Entry, where: str, message: str, key: str | None = None
) -> None:
    mark = entry.raw.key_marks.get(key, entry.mark) if key else entry.mark
    issues.append(Issue(entry.path, mark[0], mark[1], where, message))


def _report(
    issues: list[Issue], entry: _Entry, path: Iterable[str | int], where: str, message: str
) -> None:
    """Record a problem at the place *path* leads to inside *entry*."""
    line, column = _located(entry, path)
    issues.append(Issue(entry.path, line, column, where, message))


def _located(entry: _Entry, path: Iterable[str | int]) -> Mark:
    """The mark of a nested value, following keys and list indexes from the entry."""
    node: Any = entry.raw
    mark = entry.mark
    for step in path:
        if isinstance(node, YMap) and isinstance(step, str) and step in node:
            mark = node.value_marks[step]
            node = node[step]
        elif isinstance(node, YSeq) and isinstance(step, int) and step < len(node):
            mark = node.item_marks[step]
            node = node[step]
        else:
            break
    return mark


def _check_names(merged: dict[str, dict[str, _Entry]], issues: list[Issue]) -> None:
    """Every id, name, alias and synonym names one entry. Names are compared by their
    look-alike skeleton, so one that only looks like another (a Cyrillic letter, a
    fullwidth form) counts as a duplicate too."""
    from painopts.confusables import skeleton

    owners: dict[str, tuple[str, _Entry, str]] = {}
    for section, field_name in (("techniques", "aliases"), ("conditions", "synonyms")):
        for entry in merged[section].values():
            item = entry.value
            own: set[str] = set()
            for i, (label, text) in enumerate(_names(item, field_name)):
                key = skeleton(normalise_name(text))
                if key in own:
                    continue
                own.add(key)
                prior = owners.get(key)
                if prior is not None:
                    other_kind, other, other_text = prior
                    same = normalise_name(other_text) == normalise_name(text)
                    looks = "" if same else f" looks the same as {other_text!r}, which"
                    path: list[str | int] = (
                        [label] if label in ("id", "name") else [field_name, i - 2]
                    )
                    field_label = label if label in ("id", "name") else field_name
                    _report(
                        issues, entry, path, f"{section}[{item.id}].{field_label}",
                        f"{text!r}{looks} is already used by {other_kind} {other.value.id!r} "
                        f"({other.path}:{other.mark[0]}); names, aliases and synonyms "
                        "must be unique",
                    )  # fmt: skip
                else:
                    owners[key] = (section[:-1], entry, text)


def _names(item: Technique | Condition, field_name: str) -> Iterator[tuple[str, str]]:
    yield "id", item.id
    yield "name", item.name
    for text in getattr(item, field_name):
        yield field_name, text


def _check_references(
    merged: dict[str, dict[str, _Entry]], issues: list[Issue], broken: set[tuple[str, str]]
) -> None:
    sources = merged["sources"]
    conditions = merged["conditions"]
    techniques = merged["techniques"]
    known = {
        section: set(table) | {i for s, i in broken if s == section}
        for section, table in merged.items()
    }
    suggesters: dict[int, Suggester] = {}

    def close_to(ident: str, table: dict[str, _Entry]) -> str:
        suggester = suggesters.get(id(table))
        if suggester is None:
            suggester = suggesters[id(table)] = Suggester(table)
        found = suggester.best(ident)
        return f"; did you mean {found!r}?" if found else ""

    def need(
        ids: Iterable[str],
        table: dict[str, _Entry],
        kind: str,
        entry: _Entry,
        where: str,
        path: list[str | int],
    ) -> None:
        for i, ident in enumerate(ids):
            if ident not in table and ident not in known[kind + "s"]:
                hint = close_to(ident, table)
                _report(
                    issues,
                    entry,
                    [*path, i],
                    f"{where}[{i}]",
                    f"unknown {kind} {ident!r}{hint}",
                )

    for entry in conditions.values():
        c: Condition = entry.value
        need(c.sources, sources, "source", entry, f"conditions[{c.id}].sources", ["sources"])
    for entry in techniques.values():
        t: Technique = entry.value
        base = f"techniques[{t.id}]"
        need(t.sources, sources, "source", entry, f"{base}.sources", ["sources"])
        need(t.related, techniques, "technique", entry, f"{base}.related", ["related"])
        for name in ("onset", "relief"):
            d: Duration | None = getattr(t, name)
            if d is None:
                continue
            need(d.sources, sources, "source", entry, f"{base}.{name}.sources", [name, "sources"])
            _check_range(d, entry, f"{base}.{name}", [name], issues)
        _check_relief(t, entry, base, issues)
        for i, r in enumerate(t.risks):
            need(
                r.sources,
                sources,
                "source",
                entry,
                f"{base}.risks[{i}].sources",
                ["risks", i, "sources"],
            )
            if r.rate is not None:
                where = f"{base}.risks[{i}].rate"
                need(
                    r.rate.sources,
                    sources,
                    "source",
                    entry,
                    f"{where}.sources",
                    ["risks", i, "rate", "sources"],
                )
                _check_rate(r.rate, entry, where, ["risks", i, "rate"], issues)
        linked = {ind.condition for ind in t.indications}
        for i, b in enumerate(t.benefits):
            where = f"{base}.benefits[{b.condition}]"
            need(
                b.sources, sources, "source", entry, f"{where}.sources", ["benefits", i, "sources"]
            )
            if b.condition not in known["conditions"]:
                hint = close_to(b.condition, conditions)
                _report(
                    issues,
                    entry,
                    ["benefits", i, "condition"],
                    f"{where}.condition",
                    f"unknown condition {b.condition!r}{hint}",
                )
            elif b.condition not in linked:
                _report(
                    issues,
                    entry,
                    ["benefits", i, "condition"],
                    f"{where}.condition",
                    f"{t.id!r} has no indication for condition {b.condition!r}; "
                    "a benefit belongs to one of the technique's indications",
                )
            _check_benefit(b, entry, where, ["benefits", i], issues)
        if t.bleeding_risk is not None:
            need(
                t.bleeding_risk.sources,
                sources,
                "source",
                entry,
                f"{base}.bleeding_risk.sources",
                ["bleeding_risk", "sources"],
            )
        for i, p in enumerate(t.prerequisites):
            if p.technique is not None:
                need(
                    [p.technique],
                    techniques,
                    "technique",
                    entry,
                    f"{base}.prerequisites[{i}].technique",
                    ["prerequisites", i, "technique"],
                )
        seen: set[str] = set()
        for i, ind in enumerate(t.indications):
            where = f"{base}.indications[{ind.condition}]"
            path: list[str | int] = ["indications", i]
            if ind.condition in seen:
                _report(
                    issues,
                    entry,
                    [*path, "condition"],
                    f"{where}.condition",
                    f"a second indication for condition {ind.condition!r}",
                )
            seen.add(ind.condition)
            if ind.condition not in known["conditions"]:
                hint = close_to(ind.condition, conditions)
                _report(
                    issues,
                    entry,
                    [*path, "condition"],
                    f"{where}.condition",
                    f"unknown condition {ind.condition!r}{hint}",
                )
            need(ind.sources, sources, "source", entry, f"{where}.sources", [*path, "sources"])
            _check_evidence(ind, entry, where, path, issues)


def _check_prerequisite_cycles(merged: dict[str, dict[str, _Entry]], issues: list[Issue]) -> None:
    """A technique cannot come before itself: self-references and cycles of
    prerequisites are errors that name the cycle. One depth-first pass, so the cost
    grows with the number of techniques and links, not their square."""
    techniques = merged["techniques"]
    links: dict[str, list[tuple[int, str]]] = {}
    for tid, entry in techniques.items():
        t: Technique = entry.value
        for i, p in enumerate(t.prerequisites):
            if p.technique is None:
                continue
            if p.technique == tid:
                _report(
                    issues,
                    entry,
                    ["prerequisites", i, "technique"],
                    f"techniques[{tid}].prerequisites[{i}].technique",
                    f"a technique cannot be its own prerequisite ({tid} -> {tid})",
                )
            elif p.technique in techniques:
                links.setdefault(tid, []).append((i, p.technique))
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(techniques, WHITE)
    for start in techniques:
        if colour[start] != WHITE:
            continue
        # Each frame: the technique, and the index of its next link to follow.
        path: list[str] = [start]
        position = {start: 0}
        nexts = [0]
        colour[start] = GREY
        while path:
            node = path[-1]
            out = links.get(node, [])
            if nexts[-1] == len(out):
                colour[node] = BLACK
                path.pop()
                nexts.pop()
                del position[node]
                continue
            i, target = out[nexts[-1]]
            nexts[-1] += 1
            if colour[target] == GREY:
                cycle = path[position[target] :]
                shown = " -> ".join([*cycle, target])
                _report(
                    issues,
                    techniques[node],
                    ["prerequisites", i, "technique"],
                    f"techniques[{node}].prerequisites[{i}].technique",
                    f"prerequisites form a cycle: {shown}",
                )
            elif colour[target] == WHITE:
                colour[target] = GREY
                position[target] = len(path)
                path.append(target)
                nexts.append(0)


def _check_range(
    d: Duration, entry: _Entry, where: str, path: list[str | int], issues: list[Issue]
) -> None:
    if d.min < 0:
        _report(
            issues,
            entry,
            [*path, "min"],
            f"{where}.min",
            f"expected a number of 0 or more, found {d.min:g}",
        )
    if d.max is not None and d.max < d.min:
        _report(
            issues,
            entry,
            [*path, "max"],
            f"{where}.max",
            f"max ({d.max:g}) is less than min ({d.min:g})",
        )


def _check_rate(
    rate: Rate, entry: _Entry, where: str, path: list[str | int], issues: list[Issue]
) -> None:
    if rate.denominator <= 0:
        _report(
            issues,
            entry,
            [*path, "denominator"],
            f"{where}.denominator",
            f"expected a whole number above 0, found {rate.denominator}",
        )
    if rate.count < 0:
        _report(
            issues,
            entry,
            [*path, "count"],
            f"{where}.count",
            f"expected a number of 0 or more, found {rate.count:g}",
        )
    elif rate.denominator > 0 and rate.count > rate.denominator:
        _report(
            issues,
            entry,
            [*path, "count"],
            f"{where}.count",
            f"count ({rate.count:g}) is more than the denominator ({rate.denominator})",
        )


def _check_benefit(
    b: Benefit, entry: _Entry, where: str, path: list[str | int], issues: list[Issue]
) -> None:
    for name in ("helped", "comparator_helped"):
        value: int = getattr(b, name)
        if not 0 <= value <= 100:
            _report(
                issues,
                entry,
                [*path, name],
                f"{where}.{name}",
                f"expected a whole number from 0 to 100 (people out of 100), found {value}",
            )


def _check_relief(t: Technique, entry: _Entry, base: str, issues: list[Issue]) -> None:
    """A treatment says how long relief lasts and on what basis; a diagnostic test
    is not a treatment and has no relief, so no view can show "0 hours" of it."""
    if t.is_test_only:
        if t.relief is not None:
            _report(
                issues,
                entry,
                ["relief"],
                f"{base}.relief",
                "a diagnostic test (purpose: diagnostic) has no duration of relief; "
                "remove the relief block",
            )
        return
    if t.relief is None:
        _report(
            issues,
            entry,
            [],
            f"{base}.relief",
            "missing required key (a mapping); only a diagnostic test may leave it out",
        )
        return
    if not t.relief.sources:
        _report(
            issues,
            entry,
            ["relief"],
            f"{base}.relief.sources",
            "expected at least 1 source for the duration of relief",
        )
    if t.relief.max is not None and t.relief.max <= 0:
        _report(
            issues,
            entry,
            ["relief", "max"],
            f"{base}.relief.max",
            "relief that lasts no time is not relief: give a duration above 0",
        )


def _check_evidence(
    ind: Indication, entry: _Entry, where: str, path: list[str | int], issues: list[Issue]
) -> None:
    ev = ind.evidence
    problem = certainty_table.check(ev.system, ev.grade, ev.certainty)
    if problem is not None:
        _report(issues, entry, [*path, "evidence", "certainty"], f"{where}.evidence", problem)
    if ind.stance is Stance.RECOMMENDED and ev.direction in (Direction.NO_BENEFIT, Direction.HARM):
        _report(
            issues,
            entry,
            [*path, "evidence", "direction"],
            f"{where}.evidence.direction",
            f"a recommended option cannot have evidence that points to "
            f"{ev.direction.value}; check the stance or the direction",
        )
