"""Records back into catalogue YAML: what `show ID -f yaml` prints.

The document has the shape of a catalogue file, so it is a starting point for a
custom catalogue: layered over the bundled catalogue (``--catalog FILE``) it replaces
the entry with the same id, and loading it gives back the same record. Fields are
written in the model's order; a field left at its default is left out, as the
bundled files do. Nothing here knows the fields by name: a record type added to the
model is written without an edit here.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from enum import Enum
from typing import Any

from painopts.models import Catalogue, Condition, Source, Technique

# Text the catalogue reader would take for a number, a boolean or null if written
# bare (or that merely starts like a number): always quoted, so it stays text.
_LOOKS_TYPED = re.compile(r"^(?:[-+.0-9]|(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE)$|$)")


def record_data(record: Any) -> dict[str, Any]:
    """A record as the plain data a catalogue file holds for it."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if f.default is not dataclasses.MISSING and value == f.default:
            continue
        if f.default_factory is not dataclasses.MISSING and value == f.default_factory():
            continue
        out[f.name] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 6 months, not 6.0; the loader reads it back as 6.0
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return record_data(value)
    return value


def cited_source_ids(record: Any) -> list[str]:
    """Every source id a record cites, in the order they appear: any field called
    ``sources`` at any depth (indications, relief, risks...)."""
    return list(dict.fromkeys(_cited(record)))


def _cited(value: Any) -> Iterator[str]:
    if isinstance(value, tuple):
        for item in value:
            yield from _cited(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            inner = getattr(value, f.name)
            if f.name == "sources" and isinstance(inner, tuple):
                yield from (s for s in inner if isinstance(s, str))
            else:
                yield from _cited(inner)


def catalogue_yaml(
    *,
    techniques: Iterable[Technique] = (),
    conditions: Iterable[Condition] = (),
    sources: Iterable[Source] = (),
    header: Sequence[str] = (),
) -> str:
    """A catalogue file holding these entries (sections in the bundled files' order),
    after *header* lines written as YAML comments."""
    doc: dict[str, list[dict[str, Any]]] = {}
    for key, records in (("sources", sources), ("conditions", conditions)):
        entries = [record_data(r) for r in records]
        if entries:
            doc[key] = entries
    entries = [record_data(t) for t in techniques]
    if entries:
        doc["techniques"] = entries
    import yaml

    body = yaml.dump(
        doc,
        Dumper=_dumper(),
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=88,
    )
    # Split again: catalogue text may hold a newline, which would end the comment.
    comments = "".join(f"# {line}".rstrip() + "\n" for line in "\n".join(header).splitlines())
    return comments + body


def technique_yaml(
    t: Technique, sources: Mapping[str, Source] | None = None, header: Sequence[str] = ()
) -> str:
    """*t* as a catalogue file; with *sources*, the sources it cites go with it, so the
    file needs no other file for them."""
    cited = []
    if sources is not None:
        cited = [sources[i] for i in cited_source_ids(t) if i in sources]
    return catalogue_yaml(techniques=[t], sources=cited, header=header)


def show_yaml(cat: Catalogue, t: Technique) -> str:
    """What `painopts show ID -f yaml` prints: *t* alone, ready to edit and layer over
    the catalogue it came from (where its sources and conditions are)."""
    meta = cat.meta
    return technique_yaml(
        t,
        header=[
            f"{t.name} [{t.id}], from {meta.title} {meta.version} (reviewed {meta.reviewed}).",
            "A starting point for your own catalogue: edit it, then load it over the",
            "catalogue it came from, where it replaces the entry with the same id:",
            f"  painopts --catalog FILE show {t.id}",
            "  painopts --catalog FILE validate",
        ],
    )


_DUMPER: Any = None


def _dumper() -> Any:
    """A safe dumper that indents list items under their key, as the bundled files
    do, and quotes text that the reader would otherwise type."""
    global _DUMPER
    if _DUMPER is not None:
        return _DUMPER
    import yaml

    class Dumper(yaml.SafeDumper):
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "'" if _LOOKS_TYPED.match(value) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    _DUMPER = Dumper
    return Dumper
