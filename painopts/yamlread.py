"""Read one YAML file into plain values that remember where they came from.

We build values from the parser's event stream instead of using ``safe_load``:
- every key and value keeps its line and column, so errors can point at them;
- duplicate keys, merge keys and non-core tags are rejected (never constructed);
- nesting depth and alias expansion are bounded, so hostile files fail fast;
- only ``null``, ``true``/``false``, decimal integers and plain floats are typed
  implicitly: YAML 1.1's ``no``, ``on``, ``1:30``, ``017`` and dates stay strings.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml import events

from painopts.catalogue_files import MAX_FILE_BYTES, not_regular, open_file, os_problem
from painopts.errors import CatalogueError, Issue

try:
    _Parser: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - source builds of PyYAML lack libyaml
    _Parser = yaml.SafeLoader

__all__ = ["MAX_FILE_BYTES", "Mark", "YMap", "YSeq", "read_yaml"]
MAX_DEPTH = 64
# Each node written in a file costs at least one byte, so a file's own node count is
# below its size; aliases may re-use nodes, up to this much on top.
ALIAS_ALLOWANCE = 100_000

_CORE = "tag:yaml.org,2002:"
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")

Mark = tuple[int, int]  # 1-based line, column


class YMap(dict[str, Any]):
    """A mapping that knows where it and each of its keys and values were written."""

    __slots__ = ("mark", "key_marks", "value_marks")

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.key_marks: dict[str, Mark] = {}
        self.value_marks: dict[str, Mark] = {}


class YSeq(list[Any]):
    """A sequence that knows where it and each of its items were written."""

    __slots__ = ("mark", "item_marks")

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.item_marks: list[Mark] = []


def _mark(m: Any) -> Mark:
    return (m.line + 1, m.column + 1)


class _Fail(Exception):
    def __init__(self, mark: Mark | None, message: str) -> None:
        self.mark = mark
        self.message = message


class _TooDeep(_Fail):
    pass


# A plain scalar that starts with none of these is a string: no pattern can match it.
_TYPED_START = frozenset("~nNtTfF+-.0123456789")


def _scalar(ev: events.ScalarEvent) -> Any:
    value: str = ev.value
    tag = ev.tag
    if tag is None or tag == "!":
        if not ev.implicit[0] or ev.style:
            return value
        if value and value[0] not in _TYPED_START:
            return value  # most scalars in a catalogue: skip the four patterns
        if _NULL.match(value):
            return None
        if value in _BOOL:
            return _BOOL[value]
        if _INT.match(value):
            return _int(value, ev)
        if _FLOAT.match(value):
            return float(value)
        return value
    if tag == _CORE + "str":
        return value
    try:
        if tag == _CORE + "int" and _INT.match(value):
            return _int(value, ev)
        if tag == _CORE + "float":
            return float(value)
    except ValueError:
        pass
    if tag == _CORE + "bool" and value in _BOOL:
        return _BOOL[value]
    if tag == _CORE + "null" and _NULL.match(value):
        return None
    if tag.startswith(_CORE) and tag[len(_CORE) :] in {"int", "float", "bool", "null"}:
        raise _Fail(_mark(ev.start_mark), f"{value!r} is not a valid !!{tag[len(_CORE) :]}")
    raise _Fail(_mark(ev.start_mark), f"tag {tag!r} is not allowed in a catalogue")


# Python refuses to convert integers longer than 4,300 digits (and converting long ones
# is quadratic); no catalogue number needs more than a few digits.
MAX_INT_DIGITS = 100


def _int(value: str, ev: events.ScalarEvent) -> int:
    digits = len(value.lstrip("+-"))
    if digits > MAX_INT_DIGITS:
        raise _Fail(
            _mark(ev.start_mark),
            f"a number with {digits} digits; at most {MAX_INT_DIGITS} are allowed",
        )
    return int(value)


def _check_collection_tag(ev: events.CollectionStartEvent, core: str) -> None:
    if ev.tag not in (None, "!", _CORE + core):
        raise _Fail(_mark(ev.start_mark), f"tag {ev.tag!r} is not allowed in a catalogue")


def _build(stream: Any, budget: int) -> Any:
    """Turn parser events into YMap/YSeq/scalars without recursion.

    This loop runs once per event (millions for a big catalogue), so the collection
    being filled and its pending key live in local variables rather than in a frame
    object reached through a helper call, and events are told apart by exact class.
    """
    scalar_event, alias_event = events.ScalarEvent, events.AliasEvent
    map_start, seq_start = events.MappingStartEvent, events.SequenceStartEvent
    map_end, seq_end = events.MappingEndEvent, events.SequenceEndEvent
    document_start = events.DocumentStartEvent
    typed_start = _TYPED_START
    anchors: dict[str, tuple[Any, int]] = {}
    # The enclosing collections, each saved as (container, is_map, pending key,
    # key mark, anchor, size at start) while a nested one is being filled.
    saved: list[tuple[Any, bool, Any, Mark | None, str | None, int]] = []
    container: Any = None  # the collection being filled; None at the top level
    is_map = False
    key: Any = _NOKEY
    key_mark: Mark | None = None
    anchor: str | None = None
    start = 0
    size = 0
    root: Any = None
    documents = 0

    parser = _Parser(stream)
    check_event, get_event = parser.check_event, parser.get_event
    try:
        while check_event():
            ev = get_event()
            kind = type(ev)
            if kind is scalar_event:
                size += 1
                m = ev.start_mark
                mark = (m.line + 1, m.column + 1)
                if size > budget:
                    raise _Fail(mark, "document is too large after expanding aliases")
                value = ev.value
                # Only a tag or a plain scalar that may be null, a boolean or a number
                # needs _scalar: quoted text and plain words are already strings.
                if ev.tag is not None or (
                    ev.implicit[0] and not ev.style and (not value or value[0] in typed_start)
                ):
                    value = _scalar(ev)
                if ev.anchor:
                    anchors[ev.anchor] = (value, 1)
            elif kind is map_start or kind is seq_start:
                mark = _mark(ev.start_mark)
                if len(saved) + (container is not None) >= MAX_DEPTH:
                    raise _TooDeep(mark, f"nesting is deeper than {MAX_DEPTH} levels")
                if container is not None:
                    saved.append((container, is_map, key, key_mark, anchor, start))
                is_map = kind is map_start
                _check_collection_tag(ev, "map" if is_map else "seq")
                container = YMap(mark) if is_map else YSeq(mark)
                key, key_mark, anchor = _NOKEY, None, ev.anchor
                size += 1
                start = size
                continue
            elif kind is map_end or kind is seq_end:
                value = container
                mark = container.mark
                if anchor:
                    anchors[anchor] = (container, size - start + 1)
                if saved:
                    container, is_map, key, key_mark, anchor, start = saved.pop()
                else:
                    container = None
            elif kind is alias_event:
                mark = _mark(ev.start_mark)
                if ev.anchor not in anchors:
                    raise _Fail(mark, f"alias *{ev.anchor} refers to an unknown anchor")
                value, vsize = anchors[ev.anchor]
                size += vsize
                if size > budget:
                    raise _Fail(mark, "document is too large after expanding aliases")
            else:
                if kind is document_start:
                    documents += 1
                    if documents > 1:
                        raise _Fail(
                            _mark(ev.start_mark), "a catalogue file must hold one YAML document"
                        )
                continue
            # Put the value where it belongs: the root, a sequence item, a key or a value.
            if container is None:
                root = value
            elif not is_map:
                container.append(value)
                container.item_marks.append(mark)
            elif key is _NOKEY:
                if isinstance(value, (YMap, YSeq)):
                    raise _Fail(mark, "a mapping key must be a plain value, not a collection")
                key = value if isinstance(value, str) else _key_text(value)
                if key == "<<":
                    raise _Fail(mark, "merge keys ('<<') are not supported in a catalogue")
                if key in container:
                    first = container.key_marks[key][0]
                    raise _Fail(mark, f"duplicate key {key!r} (first defined on line {first})")
                key_mark = mark
            else:
                container[key] = value
                container.key_marks[key] = key_mark
                container.value_marks[key] = mark
                key = _NOKEY
    finally:
        parser.dispose()
    return root


class _NoKey:
    pass


_NOKEY = _NoKey()


def _key_text(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def _flow_opening_beyond(text: str, depth: int) -> int | None:
    """The index of the first flow bracket that opens level *depth* + 1, or None.

    A lexical over-estimate (brackets inside plain scalars count too), used only once
    the parser has already failed, to decide whether deep nesting was the cause.
    """
    level = 0
    quote = ""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 1
            elif c == quote:
                if quote == "'" and text.startswith("''", i):
                    i += 1
                else:
                    quote = ""
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or text[i - 1] in " \t\n"):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif c in "[{":
            level += 1
            if level > depth:
                return i
        elif c in "]}":
            level = max(0, level - 1)
        i += 1
    return None


def _nesting_failure(text: str, budget: int) -> _TooDeep | None:
    """Our own depth error for a document the parser gave up on, if nesting is why.

    Parsers differ in when they stop deep flow nesting: libyaml 0.2.5 (PyYAML 6.0.4)
    scans ahead to its own limit of 1000 before it hands us the events our guard
    counts. Parsing only the text up to the deepest plausible bracket lets the guard
    see the events, so the message and its location are ours whatever the parser does.
    """
    cut = _flow_opening_beyond(text, MAX_DEPTH)
    if cut is None:
        return None
    try:
        _build(text[: cut + 1], budget)
    except _TooDeep as exc:
        return exc
    except (_Fail, yaml.YAMLError):
        return None
    return None


class _Refused(Exception):
    pass


def _read_bounded(path: Path, limit: int, root: Path | None) -> bytes:
    """At most *limit* + 1 bytes of a regular file. The file is checked through its
    descriptor, so what is read is what was checked (see catalogue_files.open_file)."""
    fd = open_file(path, root)
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise _Refused("is a directory, expected a YAML file")
        if not stat.S_ISREG(st.st_mode):
            raise _Refused(not_regular(st.st_mode))
        if st.st_size > limit:
            raise _Refused(f"file is {st.st_size} bytes; the limit is {limit} bytes (32 MiB)")
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_yaml(path: Path, display: str | None = None, *, root: Path | None = None) -> Any:
    """Parse *path*; raise CatalogueError with a located, one-line cause on failure.
    *root* is the catalogue folder *path* was found in: no link below it is followed."""
    name = display or str(path)

    def fail(message: str, mark: Mark | None = None) -> CatalogueError:
        line, col = mark if mark else (None, None)
        return CatalogueError([Issue(name, line, col, "", message)])

    try:
        data = _read_bounded(path, MAX_FILE_BYTES, root)
    except _Refused as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR) and root is not None:
            # O_NOFOLLOW refuses a link as ELOOP (the file) or ENOTDIR (a folder).
            raise fail(
                "is a symbolic link; links inside a catalogue folder are not followed"
            ) from None
        if exc.errno == errno.ENOENT:
            raise fail("no such file") from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise fail("permission denied: cannot read the file") from None
        raise fail(os_problem(exc)) from None
    except ValueError:  # a NUL byte in the path
        raise fail("the path is not valid") from None
    if len(data) > MAX_FILE_BYTES:
        raise fail(f"file is larger than the limit of {MAX_FILE_BYTES} bytes (32 MiB)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise fail(
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded", (line, col)
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise fail("file is empty: expected a mapping with techniques, conditions or sources")
    try:
        return _build(text, len(text) + ALIAS_ALLOWANCE)
    except _Fail as exc:
        raise fail(exc.message, exc.mark) from None
    except yaml.MarkedYAMLError as exc:
        deep = _nesting_failure(text, len(text) + ALIAS_ALLOWANCE)
        if deep is not None:
            raise fail(deep.message, deep.mark) from None
        mark = _mark(exc.problem_mark) if exc.problem_mark is not None else None
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}: {what}"
        raise fail(f"YAML syntax error: {what}", mark) from None
    except yaml.YAMLError as exc:
        raise fail(f"YAML error: {exc}") from None
    except (ValueError, KeyError, AttributeError, IndexError, RecursionError, MemoryError) as exc:
        raise fail(f"YAML could not be read: {type(exc).__name__}: {exc}") from None
