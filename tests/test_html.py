"""HTML for any Document: every section and block, citations linked, nothing run."""

from __future__ import annotations

import re

from painopts.document import (
    Bullets,
    DocMeta,
    Document,
    Entry,
    Facts,
    Grid,
    Note,
    Paragraph,
    Reference,
    Section,
)
from painopts.html import render_html
from painopts.html.render import Piece, pieces


def _doc() -> Document:
    return Document(
        title="T <i>",
        subtitle="S",
        sections=(
            Section("red-flags", "Red flags", (Bullets(("a [1]", "b")),), tone="warning"),
            Section("verdict", "Verdict", (Paragraph("p [2] and [9]"), Note("n"))),
            Section("facts", "Facts", (Facts((("k", "v [1]"),)),)),
            Section("grid", "Grid", (Grid(("A", "B"), (("q?", ("one", "x\ny")),)),)),
            Section(
                "against",
                "Against",
                (
                    Entry(
                        title="E",
                        label="recommended against",
                        facts=(("f", "g"),),
                        paragraphs=("para",),
                        items=("i1",),
                        tone="against",
                    ),
                ),
                tone="against",
            ),  # fmt: skip
            Section("notice", "Notice", (Paragraph("not advice"),)),
        ),
        references=(
            Reference(1, "a", "Author. Title. 2020.", "https://example.org/a"),
            Reference(2, "b", "Other. Title. 2019.", "http://example.org/b"),
        ),
        meta=DocMeta("1.0", "2026-01-01", "2026-11-30"),
    )


def test_citation_marks_link_only_to_references_that_exist() -> None:
    known = frozenset({1, 2})
    assert pieces("p [2] and [9]", known) == [
        Piece("p "), Piece("[2]", 2), Piece(" and [9]"),
    ]  # fmt: skip


def test_every_section_and_block_is_rendered() -> None:
    html = render_html(_doc())
    ids = re.findall(r'<section id="([^"]+)"', html)
    assert ids == ["red-flags", "verdict", "facts", "grid", "against", "notice", "references"]
    assert '<section id="red-flags" class="tone-warning"' in html
    assert '<a class="cite" href="#ref-2">[2]</a> and [9]' in html
    assert '<dt>k</dt><dd>v <a class="cite" href="#ref-1">[1]</a></dd>' in html
    # a multi-line cell becomes a list, in the table and in the phone cards alike
    assert html.count('<ul class="lines"><li>x</li><li>y</li></ul>') == 2
    assert '<span class="label">(recommended against)</span>' in html
    assert "<title>T &lt;i&gt;</title>" in html
    assert '<p class="notice-top">not advice</p>' in html
    # an https address is a link; any other is text
    assert '<a href="https://example.org/a">' in html
    assert 'href="http://example.org/b"' not in html
    assert '<span class="url">http://example.org/b</span>' in html


def test_the_running_header_cannot_be_ended_by_catalogue_text() -> None:
    html = render_html(_doc())
    header = re.search(r"@top-left \{ content: (\"[^\"]*\");", html)
    assert header is not None
    # "T <i>" with every character but letters, digits and spaces escaped
    assert header.group(1) == '"T \\00003c i\\00003e "'
