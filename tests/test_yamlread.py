"""Reading YAML: typing rules, hostile documents and located errors."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from painopts.errors import CatalogueError
from painopts.yamlread import YMap, YSeq, _build, read_yaml


def read(tmp_path: Path, text: str | bytes) -> object:
    p = tmp_path / "c.yaml"
    if isinstance(text, str):
        p.write_text(text, encoding="utf-8")
    else:
        p.write_bytes(text)
    return read_yaml(p, "c.yaml")


def error(tmp_path: Path, text: str | bytes) -> str:
    with pytest.raises(CatalogueError) as info:
        read(tmp_path, text)
    assert len(info.value.issues) == 1
    return str(info.value.issues[0])


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("no", "no"),
        ("on", "on"),
        ("yes", "yes"),
        ("1:30", "1:30"),
        ("017", "017"),
        ("2024-01-02", "2024-01-02"),
        ("0x1F", "0x1F"),
        ("1_000", "1_000"),
        (".inf", ".inf"),
        ("true", True),
        ("false", False),
        ("null", None),
        ("~", None),
        ("12", 12),
        ("-3", -3),
        ("2.5", 2.5),
        ("'12'", "12"),
        ('"true"', "true"),
        ("!!str 12", "12"),
    ],
)
def test_only_core_scalars_are_typed_implicitly(tmp_path: Path, text: str, value: object) -> None:
    data = read(tmp_path, f"k: {text}\n")
    assert isinstance(data, YMap)
    assert data["k"] == value
    assert type(data["k"]) is type(value)


def test_values_remember_their_lines_and_columns(tmp_path: Path) -> None:
    data = read(tmp_path, "a:\n  - x\n  - y: 1\n")
    assert isinstance(data, YMap)
    assert data.key_marks["a"] == (1, 1)
    seq = data["a"]
    assert isinstance(seq, YSeq)
    assert seq.item_marks == [(2, 5), (3, 5)]
    assert seq[1].value_marks["y"] == (3, 8)


BAD_DOCUMENTS = [
    ("a: 1\nb: 2\na: 3\n", "c.yaml:3:1: duplicate key 'a' (first defined on line 1)"),
    (
        "a: !!python/object/apply:os.system ['echo hi']\n",
        "c.yaml:1:4: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed in a catalogue",
    ),
    (
        "a: !!python/name:os.system\n",
        "c.yaml:1:4: tag 'tag:yaml.org,2002:python/name:os.system' is not allowed in a catalogue",
    ),
    ("a: !custom x\n", "c.yaml:1:4: tag '!custom' is not allowed in a catalogue"),
    ("a: !!int abc\n", "c.yaml:1:4: 'abc' is not a valid !!int"),
    (
        "base: &b {x: 1}\nc:\n  <<: *b\n",
        "c.yaml:3:3: merge keys ('<<') are not supported in a catalogue",
    ),
    ("a: *nope\n", "c.yaml:1:4: alias *nope refers to an unknown anchor"),
    (
        "a: [1, 2\n",
        "c.yaml:2:1: YAML syntax error: while parsing a flow sequence: did not find expected ',' or ']'",
    ),
    (
        "a: b: c\n",
        "c.yaml:1:5: YAML syntax error: mapping values are not allowed in this context",
    ),
    ("a: 1\n---\nb: 2\n", "c.yaml:2:1: a catalogue file must hold one YAML document"),
    ("[a, b]: 1\n", "c.yaml:1:1: a mapping key must be a plain value, not a collection"),
    ("", "c.yaml: file is empty: expected a mapping with techniques, conditions or sources"),
    (
        "# only a comment\n\n",
        "c.yaml: file is empty: expected a mapping with techniques, conditions or sources",
    ),
    (b"a: caf\xe9\n", "c.yaml:1:7: not valid UTF-8: byte 0xe9 cannot be decoded"),
]


@pytest.mark.parametrize(("text", "message"), BAD_DOCUMENTS)
def test_bad_documents_get_one_located_cause(
    tmp_path: Path, text: str | bytes, message: str
) -> None:
    assert error(tmp_path, text) == message


def test_deep_nesting_is_refused_before_it_can_exhaust_the_stack(tmp_path: Path) -> None:
    assert error(tmp_path, "a: " + "[" * 100_000) == (
        "c.yaml:1:67: nesting is deeper than 64 levels"
    )


def test_billion_laughs_is_rejected_quickly(tmp_path: Path) -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    text = "\n".join(lines) + "\n"
    started = time.process_time()
    message = error(tmp_path, text)
    # Not a timing assertion on speed, a bound that only an exponential walk breaks.
    assert time.process_time() - started < 5
    assert message.endswith("document is too large after expanding aliases")
    assert message.startswith("c.yaml:")


def test_modest_aliases_are_allowed(tmp_path: Path) -> None:
    data = read(tmp_path, "a: &x [1, 2]\nb: *x\n")
    assert isinstance(data, YMap)
    assert data["b"] == [1, 2]


def test_missing_and_directory_paths(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError) as info:
        read_yaml(tmp_path / "nope.yaml", "nope.yaml")
    assert str(info.value.issues[0]) == "nope.yaml: no such file"
    with pytest.raises(CatalogueError) as info:
        read_yaml(tmp_path, "dir")
    assert str(info.value.issues[0]) == "dir: is a directory, expected a YAML file"


# Characters PyYAML's emitter cannot round-trip (YAML 1.1 line breaks, surrogates).
_chars = st.characters(blacklist_characters="\x85\u2028\u2029", blacklist_categories=["Cs"])
_leaves = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.text(_chars, max_size=12)
)
_keys = st.text(_chars, max_size=8).filter(lambda k: k != "<<")  # merge keys are refused
_data = st.recursive(
    _leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(
    data=st.dictionaries(_keys, _data, min_size=1, max_size=5),
    flow=st.booleans(),
)
def test_any_plain_document_reads_back_as_written(data: dict[str, object], flow: bool) -> None:
    """Whatever PyYAML writes (it quotes strings that would read as other types) comes
    back as the same values, each collection marked where it starts."""
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    value = _build(text, len(text) + 100)
    assert value == data

    def walk(node: object) -> None:
        if isinstance(node, YMap):
            assert set(node.key_marks) == set(node.value_marks) == set(node)
            for child in node.values():
                walk(child)
        elif isinstance(node, YSeq):
            assert len(node.item_marks) == len(node)
            for child in node:
                walk(child)

    walk(value)
