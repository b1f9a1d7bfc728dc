"""A JSON Schema for catalogue files, derived from the model like the loader's rules."""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any

from painopts.loader import SECTIONS, field_specs
from painopts.models import Vocab

_PATTERNS = {
    "id": r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "date": r"^\d{4}-\d{2}-\d{2}$",
    "url": r"^https?://\S+$",
}


def _type_schema(tp: Any, meta: typing.Mapping[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)][0]
        return {"anyOf": [_type_schema(inner, meta, defs), {"type": "null"}]}
    if tp is str:
        out: dict[str, Any] = {"type": "string", "minLength": 1}
        if meta.get("check") in _PATTERNS:
            out["pattern"] = _PATTERNS[meta["check"]]
        return out
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    if isinstance(tp, type) and issubclass(tp, Vocab):
        return {"enum": tp.values()}
    if origin is tuple:
        item = typing.get_args(tp)[0]
        out = {"type": "array", "items": _type_schema(item, meta, defs)}
        if meta.get("min_items"):
            out["minItems"] = meta["min_items"]
        return out
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # placeholder against recursion
            defs[name] = _record_schema(tp, defs)
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"unsupported model type {tp!r}")


def _record_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    specs = field_specs(cls)
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [s.name for s in specs if s.required],
        "properties": {s.name: _type_schema(s.type, s.meta, defs) for s in specs},
    }


def catalogue_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    properties: dict[str, Any] = {}
    for key, cls in SECTIONS.items():
        ref = _type_schema(cls, {}, defs)
        properties[key] = ref if key == "catalogue" else {"type": "array", "items": ref}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://painopts.invalid/schema/catalogue.json",
        "title": "painopts catalogue file",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
        "$defs": defs,
    }
