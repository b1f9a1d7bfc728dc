"""`sources` lookups and the reference-manager formats (BibTeX, CSL-JSON)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from painopts.models import Catalogue, Source, SourceCheck, SourceKind
from painopts.queries import condition_source_ids, select_sources, technique_source_ids
from painopts.refs import Name, People, bibtex, csl_item, csl_json, doi, parse_people, tex

from .conftest import Run

# --- authors --------------------------------------------------------------------------


def n(family: str, given: str, suffix: str | None = None) -> Name:
    return Name(family, given, suffix)


@pytest.mark.parametrize(
    ("text", "people"),
    [
        (
            "Juch JNS, Maas ET, Ostelo RWJG, et al.",
            People((n("Juch", "J. N. S."), n("Maas", "E. T."), n("Ostelo", "R. W. J. G.")), (), True),
        ),
        (
            "Smuck M, Khalil J, et al.; INTRACEPT Trial Investigators",
            People((n("Smuck", "M."), n("Khalil", "J."), Name(literal="INTRACEPT Trial Investigators")), (), True),
        ),
        (
            "Hammi C, Schroeder JD, Yeung B (editor)",
            People((n("Hammi", "C."), n("Schroeder", "J. D.")), (n("Yeung", "B."),), False),
        ),
        (
            "Burchiel KJ; Chief Editor: Kopell BH",
            People((n("Burchiel", "K. J."),), (n("Kopell", "B. H."),), False),
        ),
        ("Crockarell JR Jr, Strøm J, Andersen MØ, De Oliveira K, D'Souza R",
         People((n("Crockarell", "J. R.", "Jr"), n("Strøm", "J."), n("Andersen", "M. Ø."),
                 n("De Oliveira", "K."), n("D'Souza", "R.")), (), False)),
        # Not a list of "Family INITIALS": one institutional name, never cut in two.
        ("Board of Directors, American Society", People((Name(literal="Board of Directors, American Society"),), (), False)),
        (None, People((), (), False)),
    ],
)  # fmt: skip
def test_authors_are_split_only_where_every_part_is_a_name(
    text: str | None, people: People
) -> None:
    assert parse_people(text) == people


def test_every_bundled_author_string_is_read_without_losing_a_name(bundled: Catalogue) -> None:
    for s in bundled.sources.values():
        if not s.authors:
            continue
        people = parse_people(s.authors)
        names = people.authors + people.editors
        assert names, s.id
        for name in names:
            written = name.literal or name.family
            assert written and written in s.authors, (s.id, name)


@pytest.mark.parametrize(
    ("url", "found"),
    [
        ("https://doi.org/10.1136/bmj-2024-079970", "10.1136/bmj-2024-079970"),
        ("https://dx.doi.org/10.36076/ppj.2020/23/S1", "10.36076/ppj.2020/23/S1"),
        ("https://doi.org/10.1002%2F14651858", "10.1002/14651858"),
        ("https://www.nice.org.uk/guidance/ng59", None),
        ("https://doi.org.example.com/10.1/x", None),
    ],
)
def test_doi_only_from_a_doi_link(url: str, found: str | None) -> None:
    assert doi(url) == found


# --- BibTeX ---------------------------------------------------------------------------

_UNTEX = {
    r"\textbackslash{}": "\\",
    r"\textasciitilde{}": "~",
    r"\textasciicircum{}": "^",
    **{f"\\{c}": c for c in "{}&%$#_"},
}
_UNTEX_RE = re.compile("|".join(re.escape(k) for k in sorted(_UNTEX, key=len, reverse=True)))
_ENTRY = re.compile(r"@(\w+)\{([A-Za-z0-9_:.-]+),\n")
_FIELD = re.compile(r"  ([a-z]+) = \{")


def parse_bibtex(text: str) -> dict[str, tuple[str, dict[str, str]]]:
    """A strict little reader for what bibtex() writes: every entry and field, with
    braces that must balance (a backslash escapes the next character)."""
    entries: dict[str, tuple[str, dict[str, str]]] = {}
    pos = 0
    while pos < len(text):
        if text[pos] == "\n":
            pos += 1
            continue
        m = _ENTRY.match(text, pos)
        assert m, f"no entry at {text[pos : pos + 40]!r}"
        fields: dict[str, str] = {}
        pos = m.end()
        while (f := _FIELD.match(text, pos)) is not None:
            depth, i = 1, f.end()
            while depth:
                ch = text[i]
                if ch == "\\":
                    i += 2
                    continue
                depth += {"{": 1, "}": -1}.get(ch, 0)
                i += 1
            assert f[1] not in fields
            fields[f[1]] = text[f.end() : i - 1]
            assert text[i : i + 2] == ",\n", text[i : i + 20]
            pos = i + 2
        assert text[pos : pos + 2] == "}\n", text[pos : pos + 20]
        pos += 2
        assert m[2] not in entries
        entries[m[2]] = (m[1], fields)
    return entries


def untex(value: str) -> str:
    return _UNTEX_RE.sub(lambda m: _UNTEX[m.group()], value)


ODD = Source(
    id="odd-2020",
    title="50% of {braced} & under_score ~ ^ \\ $ #1",
    publisher="Smith & Sons",
    year=2020,
    url="https://example.org/a{b}?q=1%2F",
    kind=SourceKind.TRIAL,
    authors="O'Brien AB, Smith C Jr, et al.; Study_Group {X}",
    note="Costs $5 & 10%.",
)


def test_bibtex_escapes_every_special_character() -> None:
    assert bibtex([ODD]) == (
        "@misc{odd-2020,\n"
        r"  author = {O'Brien, A. B. and Smith, Jr, C. and {Study\_Group \{X\}} and others},"
        "\n"
        r"  title = {{50\% of \{braced\} \& under\_score \textasciitilde{} \textasciicircum{} "
        r"\textbackslash{} \$ \#1}},"
        "\n"
        r"  publisher = {Smith \& Sons},"
        "\n"
        "  year = {2020},\n"
        "  url = {https://example.org/a%7Bb%7D?q=1%2F},\n"
        r"  note = {Costs \$5 \& 10\%.},"
        "\n"
        "}\n"
    )
    kind, fields = parse_bibtex(bibtex([ODD]))["odd-2020"]
    assert kind == "misc"
    assert untex(fields["title"][1:-1]) == ODD.title
    assert untex(fields["note"]) == ODD.note


def test_every_bundled_source_reads_back_from_bibtex(bundled: Catalogue) -> None:
    ordered = sorted(bundled.sources.values(), key=lambda s: s.id)
    entries = parse_bibtex(bibtex(ordered))
    assert list(entries) == [s.id for s in ordered]  # keys are the stable source ids
    for s in ordered:
        kind, fields = entries[s.id]
        assert kind in {"article", "techreport", "misc"}
        assert untex(fields["title"][1:-1]) == " ".join(s.title.split())
        assert fields["year"] == str(s.year)
        assert fields["url"] == s.url
        journal = fields.get("journal") or fields.get("institution") or fields["publisher"]
        assert untex(journal) == " ".join(s.publisher.split())
        if s.authors and "et al" in s.authors:
            assert (fields.get("author") or fields["editor"]).endswith(" and others")
        if doi(s.url):
            assert fields["doi"] == doi(s.url)


def test_bibtex_types_follow_the_kind_and_the_link(bundled: Catalogue) -> None:
    entries = parse_bibtex(bibtex(bundled.sources.values()))
    assert entries["nice-ng59-2016"][0] == "techreport"
    assert entries["nice-ng59-2016"][1]["institution"] == (
        "National Institute for Health and Care Excellence (NICE)"
    )
    assert entries["jama-mint-2017"][0] == "article"  # a PubMed link
    assert entries["statpearls-tpi-2023"][0] == "misc"  # a review, but no journal record


# --- CSL-JSON -------------------------------------------------------------------------

# The item types and variables of the CSL 1.0 input schema (csl-data.json) that
# matter here, with its rules: id and type required, no other keys, names and dates in
# its shapes.
CSL_TYPES = (
    "article article-journal article-magazine article-newspaper bill book broadcast chapter "
    "classic collection dataset document entry entry-dictionary entry-encyclopedia event "
    "figure graphic hearing interview legal_case legislation manuscript map motion_picture "
    "musical_score pamphlet paper-conference patent performance periodical "
    "personal_communication post post-weblog regulation report review review-book software "
    "song speech standard thesis treaty webpage"
).split()
NAME = {
    "type": "object",
    "properties": {k: {"type": "string"} for k in ("family", "given", "suffix", "literal")},
    "additionalProperties": False,
    "anyOf": [{"required": ["family"]}, {"required": ["literal"]}],
}
DATE = {
    "type": "object",
    "properties": {
        "date-parts": {
            "type": "array",
            "minItems": 1,
            "maxItems": 2,
            "items": {"type": "array", "minItems": 1, "maxItems": 3, "items": {"type": "integer"}},
        }
    },
    "required": ["date-parts"],
    "additionalProperties": False,
}
STRING_KEYS = ("title", "container-title", "publisher", "genre", "URL", "DOI", "PMID", "PMCID",
               "note")  # fmt: skip
CSL_ITEMS: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["id", "type", "title", "issued", "URL"],
        "properties": {
            "id": {"type": "string"},
            "type": {"enum": CSL_TYPES},
            "author": {"type": "array", "minItems": 1, "items": NAME},
            "editor": {"type": "array", "minItems": 1, "items": NAME},
            "issued": DATE,
            "accessed": DATE,
            **{k: {"type": "string", "minLength": 1} for k in STRING_KEYS},
        },
        "additionalProperties": False,
    },
}


def test_every_bundled_source_is_a_valid_csl_item(bundled: Catalogue) -> None:
    import jsonschema

    items = json.loads(csl_json(bundled.sources.values()))
    jsonschema.validate(items, CSL_ITEMS)
    assert [i["id"] for i in items] == list(bundled.sources)
    by_id = {i["id"]: i for i in items}
    for s in bundled.sources.values():
        item = by_id[s.id]
        assert item["issued"] == {"date-parts": [[s.year]]}
        assert item.get("DOI") == doi(s.url)
        assert item.get("container-title", item.get("publisher")) == s.publisher


def test_a_csl_item_in_full() -> None:
    source = Source(
        id="x-2021",
        title="A trial",
        publisher="Pain Journal",
        year=2021,
        url="https://doi.org/10.1000/xyz",
        kind=SourceKind.TRIAL,
        authors="Smith AB, et al.; X Investigators",
        checked=SourceCheck(date="2026-11-30", how="Opened it."),
    )
    assert csl_item(source) == {
        "id": "x-2021",
        "type": "article-journal",
        "title": "A trial",
        "author": [{"family": "Smith", "given": "A. B."}, {"literal": "X Investigators"}],
        "issued": {"date-parts": [[2021]]},
        "container-title": "Pain Journal",
        "URL": "https://doi.org/10.1000/xyz",
        "DOI": "10.1000/xyz",
        "accessed": {"date-parts": [[2026, 11, 30]]},
    }


def test_tex_collapses_line_breaks() -> None:
    assert tex("two\n  lines") == "two lines"


# --- the sources command --------------------------------------------------------------


def test_sources_by_id_keep_the_order_given(run_mini: Run) -> None:
    out = run_mini("sources", "review-b-2019", "guide-a-2020", "-f", "csv").stdout
    assert [line.split(",")[0] for line in out.splitlines()] == [
        "id",
        "review-b-2019",
        "guide-a-2020",
    ]


def test_an_unknown_source_id_suggests_the_ids_it_begins(run_mini: Run, run: Run) -> None:
    assert run_mini("sources", "guide-a-202", expect=2).stderr == (
        "painopts: no source called 'guide-a-202'; did you mean guide-a-2020?\n"
    )
    assert run("sources", "nice-ng59", expect=2).stderr == (
        "painopts: no source called 'nice-ng59'; did you mean nice-ng59-2016, "
        "nice-ng59-research-rfd-2016?\n"
    )


@pytest.mark.parametrize(
    ("args", "ids", "line"),
    [
        (["--for", "facet-pain"], ["guide-a-2020"], "1 of 2 sources: cited for facet-pain"),
        (["--technique", "scs"], ["review-b-2019"], "1 of 2 sources: cited by scs"),
        (["--kind", "guideline"], ["guide-a-2020"], "1 of 2 sources: of kind guideline"),
        (["--for", "sciatica", "--kind", "trial"], [], "0 of 2 sources: cited for sciatica, of kind trial"),
        ([], ["guide-a-2020", "review-b-2019"], None),
    ],
)  # fmt: skip
def test_sources_filters_narrow_and_say_so(
    run_mini: Run, args: list[str], ids: list[str], line: str | None
) -> None:
    result = run_mini("sources", *args, "-f", "csv")
    assert [row.split(",")[0] for row in result.stdout.splitlines()[1:]] == ids
    assert result.stderr == (f"painopts: {line}\n" if line else "")


def test_sources_for_a_condition_are_its_own_and_its_options_evidence(bundled: Catalogue) -> None:
    c = bundled.conditions["sciatica"]
    expected = set(c.sources)
    for t in bundled.techniques.values():
        for ind in t.indications:
            if ind.condition == "sciatica":
                expected.update(ind.sources)
        # and the sources of the numbers of people helped that `for sciatica` shows
        for b in t.benefits:
            if b.condition == "sciatica":
                expected.update(b.sources)
    assert "ghahreman-tfesi-2010" in expected
    assert set(condition_source_ids(bundled, c)) == expected
    chosen = select_sources(bundled, condition=c, kind=SourceKind.GUIDELINE).sources
    assert {s.id for s in chosen} == {
        i for i in expected if bundled.sources[i].kind is SourceKind.GUIDELINE
    }
    t = bundled.techniques["lumbar-rfa"]
    both = select_sources(bundled, condition=c, technique=t).sources
    assert {s.id for s in both} == expected & set(technique_source_ids(t))


def test_sources_bibtex_and_csl_json_through_the_cli(run: Run, bundled: Catalogue) -> None:
    bib = run("sources", "nice-ng59-2016", "jama-mint-2017", "-f", "bibtex").stdout
    assert list(parse_bibtex(bib)) == ["nice-ng59-2016", "jama-mint-2017"]
    result = run("sources", "--technique", "lumbar-rfa", "-f", "csl-json")
    items = json.loads(result.stdout)
    expected = technique_source_ids(bundled.techniques["lumbar-rfa"])
    assert [i["id"] for i in items] == sorted(expected)
    total = len(bundled.sources)
    assert result.stderr == f"painopts: {len(expected)} of {total} sources: cited by lumbar-rfa\n"


def test_bibtex_and_csl_json_belong_to_sources_only(run: Run) -> None:
    result = run("list", "-f", "bibtex", expect=2)
    assert "bibtex" in result.stderr


def test_sources_json_names_its_filters(run_mini: Run) -> None:
    doc = json.loads(run_mini("sources", "--for", "pinched nerve", "-f", "json").stdout)
    assert doc["filters"] == {"for": "sciatica", "technique": None, "kind": None}
    assert [s["id"] for s in doc["sources"]] == ["guide-a-2020", "review-b-2019"]
