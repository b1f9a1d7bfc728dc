"""Documents carry every safety section, and no renderer drops one (issue 11 item 1).

Expectations come from the catalogue itself, not from the code that builds the
documents: every risk, contraindication, regulatory warning, red flag and first-line
item of the bundled catalogue must be found in the Markdown a user gets.
"""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from painopts.document import (
    NOTICE_KEY,
    REFERENCES_KEY,
    UNTITLED,
    Document,
    Grid,
    block_texts,
    rendered_keys,
)
from painopts.documents import (
    citation,
    compare_document,
    for_document,
    reference_text,
    show_document,
)
from painopts.loader import load_catalogue
from painopts.markdown import escape, markdown_parts, to_markdown
from painopts.models import Catalogue, Stance
from painopts.numbers import common_denominator, risk_words
from painopts.queries import Filters, narrow, technique_source_ids
from painopts.render_document import terminal_parts
from painopts.wording import NOTICE

from .conftest import Run

CAT = load_catalogue()
TECHNIQUES = list(CAT.techniques)
CONDITIONS = list(CAT.conditions)


def words(text: str) -> str:
    """Text as a reader sees it: Markdown's backslash escapes and emphasis gone,
    whitespace (line wrapping, hanging indents) collapsed."""
    text = re.sub(r"\\([^\w\s])", r"\1", text)
    return " ".join(text.replace("**", "").split())


def sections_of(markdown: str) -> dict[str, str]:
    """Markdown split at its "## " headings: heading -> the text under it."""
    out = {}
    for part in markdown.split("\n## ")[1:]:
        heading, _, body = part.partition("\n")
        out[heading] = body
    return out


# --- show: every risk, contraindication, regulatory warning, and the notice -----------


@pytest.mark.parametrize("ident", TECHNIQUES)
def test_show_markdown_carries_every_safety_fact(run: Run, ident: str) -> None:
    t = CAT.techniques[ident]
    md = run("show", ident, "--format", "markdown").stdout
    sections = sections_of(md)
    risks = words(sections["Risks and how often they happen"])
    rates = [r.rate for r in t.risks if r.rate is not None]
    denominator = common_denominator(rates) if rates else None
    for risk in t.risks:
        if risk.rate is not None:
            # A sourced number, on the denominator all this entry's rates share.
            often = risk_words(risk, denominator)
            assert f"in {denominator:,} " in often or often.startswith("none seen")
            if risk.frequency and set(risk.rate.sources).isdisjoint(risk.sources):
                often += f"; in another study, {risk.frequency}"
            elif risk.frequency:
                often += f" ({risk.frequency})"
        else:
            often = risk.frequency or "how often is not known"
        assert words(f"{risk.name.rstrip('.')}: {often}") in risks, risk.name
    assert risks.count("- ") == len(t.risks)
    contra = words(sections["Contraindications"])
    for item in t.contraindications:
        assert f"- {words(item)}" in contra
    regulatory = words(sections["Regulatory warnings"])
    assert words(t.regulatory or "None recorded.") in regulatory
    assert md.count(NOTICE) == 1
    assert md.rstrip().endswith(NOTICE)
    # Every stance against is under its own heading, labelled.
    against = [i for i in t.indications if i.stance is Stance.NOT_RECOMMENDED]
    if against:
        apart = sections["Recommended against for these conditions"]
        for ind in against:
            assert f"[{ind.condition}] — not recommended" in apart
    else:
        assert "Recommended against for these conditions" not in sections


# --- for: every red flag, first-line item, option against, and the notice -------------


@pytest.mark.parametrize("ident", CONDITIONS)
def test_for_markdown_carries_red_flags_first_line_and_options_against(
    run: Run, ident: str
) -> None:
    c = CAT.conditions[ident]
    md = run("for", ident, "--format", "markdown").stdout
    sections = sections_of(md)
    flags = words(sections["Get urgent medical help if any of these occur"])
    for flag in c.red_flags:
        assert f"- {words(flag)}" in flags, flag
    if not c.red_flags:
        assert flags == "None recorded."
    first = words(sections["First-line care, before any procedure"])
    for item in c.first_line:
        assert f"- {words(item)}" in first, item
    against = [t for t, i in CAT.indications_for(ident) if i.stance is Stance.NOT_RECOMMENDED]
    if against:
        apart = sections["Recommended against by a guideline or the best evidence"]
        for t in against:
            assert re.search(rf"^### \d+\. .* \[{t.id}\] — not recommended$", apart, re.M), t.id
        supported = sections["Procedures that may help, in stepped-care order"]
        assert not any(f"[{t.id}]" in supported for t in against)
    else:
        assert "Recommended against by a guideline or the best evidence" not in sections
    assert md.count(NOTICE) == 1
    # The page reads top-down: verdict, red flags, options, against, then references.
    order = [h for h in sections if h != "Not medical advice"]
    assert order[0] == "Get urgent medical help if any of these occur"
    assert order[-1] == "References"


# --- compare: nothing cut -------------------------------------------------------------


def test_compare_markdown_and_csv_list_every_risk_of_every_technique(run: Run) -> None:
    names = ["ilesi", "scs", "lumbar-rfa"]
    assert all(len(CAT.techniques[n].risks) > 4 for n in names)
    md = words(run("compare", *names, "--format", "markdown").stdout)
    csv_text = run("compare", *names, "--format", "csv").stdout
    for n in names:
        for risk in CAT.techniques[n].risks:
            assert words(risk.name.rstrip(".")) in md, risk.name
            assert risk.name.rstrip(".") in csv_text, risk.name
    assert "<br>" not in run("compare", *names, "--format", "markdown").stdout


def test_markdown_tables_hold_no_html_line_breaks() -> None:
    doc = compare_document(CAT, [CAT.techniques["lumbar-rfa"], CAT.techniques["scs"]])
    md = to_markdown(doc)
    assert "<br" not in md
    table = [line for line in md.splitlines() if line.startswith("| ")]
    grid = doc.sections[1].blocks[0]
    assert isinstance(grid, Grid)
    assert len(table) == len(grid.rows) + 1
    # A list in a cell reads as sentences on one line.
    row = next(line for line in table if line.startswith("| **What must come first?**"))
    assert "- " not in row


# --- renderers drop nothing -----------------------------------------------------------


def _documents(cat: Catalogue) -> list[Document]:
    docs: list[Document] = [show_document(cat, t) for t in cat.techniques.values()]
    for c in cat.conditions.values():
        docs.append(for_document(cat, narrow(cat, c, Filters())))
    ts = list(cat.techniques.values())
    docs.append(compare_document(cat, ts[:3]))
    docs.append(compare_document(cat, ts[:4], cat.conditions["sciatica"], diff=True))
    return docs


DOCS = _documents(CAT)


def _plain(renderable: object, width: int = 60) -> str:
    buf = io.StringIO()
    Console(file=buf, width=width, color_system=None, legacy_windows=False).print(renderable)
    return buf.getvalue()


def _pieces(doc: Document, key: str) -> list[str]:
    """Every piece of text a renderer must show for a section: each block's texts,
    split where a renderer may set lines or a label apart."""
    if key == REFERENCES_KEY:
        texts = [t for r in doc.references for t in (r.text, r.url)]
    else:
        section = doc.section(key)
        assert section is not None
        texts = [t for b in section.blocks for t in block_texts(b)]
        if key not in (*UNTITLED, NOTICE_KEY):
            texts.append(section.heading)
    pieces = []
    for text in texts:
        for line in text.split("\n"):
            for piece in line.split("  "):
                piece = piece.strip().removeprefix("- ").rstrip(".")
                if piece:
                    pieces.append(words(piece))
    return pieces


def _expected_keys(doc: Document) -> list[str]:
    keys = [k for k in doc.keys if k != NOTICE_KEY]
    expected = ["title", *keys, REFERENCES_KEY, "meta", NOTICE_KEY]
    assert list(rendered_keys(doc)) == expected
    return expected


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.title)
def test_terminal_and_markdown_render_every_section_and_every_text(doc: Document) -> None:
    md = dict(markdown_parts(doc))
    term = {key: _plain(part) for key, part in terminal_parts(doc)}
    assert list(md) == list(term) == _expected_keys(doc)
    for key in _expected_keys(doc)[1:-2] + [NOTICE_KEY]:
        shown_md, shown_term = words(md[key]), words(term[key])
        for piece in _pieces(doc, key):
            assert piece in shown_md, (key, piece)
            assert piece in shown_term, (key, piece)


def test_the_section_test_fails_when_a_renderer_skips_a_section() -> None:
    """The guard above is not vacuous: a document whose renderer loses a section
    no longer matches the keys it must show."""
    doc = DOCS[0]
    md_keys = [k for k, _ in markdown_parts(doc) if k != "risks"]
    assert md_keys != _expected_keys(doc)
    assert "risks" in doc.keys


def test_every_document_ends_with_the_notice_and_states_its_catalogue() -> None:
    for doc in DOCS:
        assert doc.keys[-1] == NOTICE_KEY
        md = to_markdown(doc)
        assert md.rstrip().endswith(NOTICE)
        assert f"Catalogue: {CAT.meta.title} {CAT.meta.version}, reviewed {CAT.meta.reviewed}" in (
            words(md)
        )


# --- references -------------------------------------------------------------------------


def test_citations_number_sources_in_order_of_first_use_and_the_footer_lists_them() -> None:
    doc = show_document(CAT, CAT.techniques["ilesi"])
    numbers = [r.number for r in doc.references]
    assert numbers == list(range(1, len(numbers) + 1))
    assert {r.source_id for r in doc.references} == set(
        technique_source_ids(CAT.techniques["ilesi"])
    )
    cited: set[int] = set()
    for section in doc.sections:
        for b in section.blocks:
            for text in block_texts(b):
                for group in re.findall(r"\[([\d,-]+)\]", text):
                    for part in group.split(","):
                        lo, _, hi = part.partition("-")
                        cited.update(range(int(lo), int(hi or lo) + 1))
    assert cited <= set(numbers)


def test_citation_ranges_never_hold_a_space() -> None:
    assert citation([3]) == "[3]"
    assert citation([1, 2]) == "[1,2]"
    assert citation([5, 1, 2, 3, 9, 8, 7]) == "[1-3,5,7-9]"


def test_a_reference_names_authors_title_publisher_year_and_kind() -> None:
    s = CAT.sources["bmj-spine-procedures-2025"]
    text = reference_text(s)
    assert s.authors and text.startswith(s.authors)
    assert f"{s.title}. {s.publisher}, {s.year}. ({s.kind.value})" in text


def test_markdown_escapes_markup_but_keeps_citations_readable() -> None:
    assert escape("see [3] and [1-3,5]") == "see [3] and [1-3,5]"
    assert escape("[x](https://evil.example)") == "\\[x\\](https://evil.example)"
    assert escape("<script>*bold*</script> a_b | c") == (
        "\\<script\\>\\*bold\\*\\</script\\> a\\_b \\| c"
    )
    assert escape("- not a list") == "\\- not a list"
    assert escape("1. not a list") == "1\\. not a list"
    assert escape("# not a heading") == "\\# not a heading"
    assert escape("value\nnote") == "value. note"


def test_compare_puts_every_option_s_rates_on_one_denominator() -> None:
    # The same rate (2.6 in 100 people) must read the same for both options, not
    # "about 260 in 10,000" beside "about 26 in 1,000": people compare the numbers.
    chosen = [CAT.techniques["tfesi"], CAT.techniques["ilesi"]]
    rates = [r.rate for t in chosen for r in t.risks if r.rate is not None]
    denominator = common_denominator(rates)
    assert denominator == 10_000
    doc = compare_document(CAT, chosen)
    section = next(s for s in doc.sections if s.key == "risks")
    seen = 0
    for entry, t in zip(section.blocks, chosen, strict=True):
        items = entry.items  # type: ignore[union-attr]
        for line, risk in zip(items, t.risks, strict=True):
            if risk.rate is not None and risk.rate.count:
                assert risk_words(risk, denominator) in line, line
                seen += 1
    assert seen == 6
    text = words(to_markdown(doc))
    assert text.count("about 260 in 10,000 people treated, in the days after the injection") == 2


def test_compare_for_a_condition_says_when_its_evidence_does_not_show_benefit(
    run: Run,
) -> None:
    # `for sciatica` labels pulsed RF's relief "evidence here points to no benefit";
    # comparing for sciatica must not show the same range bare.
    cond = CAT.conditions["sciatica"]
    doc = compare_document(CAT, [CAT.techniques["tfesi"], CAT.techniques["pulsed-rf"]], cond)
    grids = {s.key: s.blocks[0] for s in doc.sections if s.key in ("comparison", "against")}
    relief = "How long might relief last?"
    main = dict(grids["comparison"].rows)  # type: ignore[union-attr]
    apart = dict(grids["against"].rows)  # type: ignore[union-attr]
    assert main[relief] == ("2-12 weeks (evidence here conflicting)",)
    assert apart[relief] == ("3-6 months (evidence here points to no benefit)",)
    rows = run("compare", "tfesi", "pulsed-rf", "--condition", "sciatica", "-f", "csv").stdout
    assert (
        "relief,2-12 weeks (evidence here conflicting),"
        "3-6 months (evidence here points to no benefit)\n"
    ) in rows
