"""The document model: frozen records and the helpers renderers and tests rely on."""

from __future__ import annotations

import dataclasses

import pytest

from painopts.document import (
    Bullets,
    DocMeta,
    Document,
    Facts,
    Grid,
    Note,
    Paragraph,
    Reference,
    Section,
    block_texts,
)


def _doc() -> Document:
    return Document(
        title="Title",
        subtitle=None,
        sections=(
            Section("verdict", "Verdict", (Paragraph("Recommended against [1]."),)),
            Section("red-flags", "Red flags", (Bullets(("a", "b")),), tone="warning"),
            Section("notice", "Notice", (Note("not advice"),)),
        ),
        references=(Reference(1, "src-a", "Author. Title. 2020.", "https://x.org"),),
        meta=DocMeta("1.0", "2026-01-01", "2026-11-30"),
    )


def test_records_are_frozen_and_slotted() -> None:
    doc = _doc()
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.title = "other"  # type: ignore[misc]
    assert not hasattr(doc, "__dict__")
    assert not hasattr(doc.sections[0], "__dict__")


def test_sections_are_found_by_key_in_order() -> None:
    doc = _doc()
    assert doc.keys == ("verdict", "red-flags", "notice")
    section = doc.section("red-flags")
    assert section is not None and section.tone == "warning"
    assert doc.section("risks") is None


def test_block_texts_returns_every_piece_of_text_in_reading_order() -> None:
    assert block_texts(Paragraph("p")) == ("p",)
    assert block_texts(Note("n")) == ("n",)
    assert block_texts(Bullets(("a", "b"))) == ("a", "b")
    assert block_texts(Facts((("k1", "v1"), ("k2", "v2")))) == ("k1", "v1", "k2", "v2")
    grid = Grid(("A", "B"), (("row", ("a1", "b1")),))
    assert block_texts(grid) == ("A", "B", "row", "a1", "b1")


def test_block_texts_of_an_entry_keep_title_label_facts_paragraphs_then_items() -> None:
    from painopts.document import Entry

    entry = Entry(
        "Name [id]", "not recommended", 2, (("Evidence", "low"),), ("note [1]",), ("item",)
    )
    assert block_texts(entry) == (
        "Name [id]", "not recommended", "Evidence", "low", "note [1]", "item",
    )  # fmt: skip
    assert block_texts(Entry("Only a title")) == ("Only a title",)
