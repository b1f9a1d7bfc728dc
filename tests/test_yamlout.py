"""`show ID -f yaml`: a technique written back as a catalogue file loads unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from painopts.loader import check_file, load_catalogue
from painopts.models import Catalogue, Source, SourceKind
from painopts.spec import text_problem
from painopts.yamlout import catalogue_yaml, cited_source_ids, technique_yaml

from .conftest import MINI


def test_every_bundled_technique_round_trips(bundled: Catalogue, tmp_path: Path) -> None:
    for t in bundled.techniques.values():
        f = tmp_path / f"{t.id}.yaml"
        f.write_text(technique_yaml(t, bundled.sources), encoding="utf-8")
        assert check_file(f) == [], t.id
        again = load_catalogue([f])  # over the bundled catalogue, as --catalog uses it
        assert again.techniques[t.id] == t, t.id
        assert list(again.techniques) == list(bundled.techniques)
        for sid in cited_source_ids(t):
            assert again.sources[sid] == bundled.sources[sid]


def test_a_custom_catalogue_round_trips_without_the_bundled_one(
    mini: Catalogue, tmp_path: Path
) -> None:
    f = tmp_path / "all.yaml"
    f.write_text(
        catalogue_yaml(
            techniques=mini.techniques.values(),
            conditions=mini.conditions.values(),
            sources=mini.sources.values(),
        ),
        encoding="utf-8",
    )
    again = load_catalogue([f], bundled=False)
    assert (again.techniques, again.conditions, again.sources) == (
        mini.techniques,
        mini.conditions,
        mini.sources,
    )


def test_the_document_reads_like_a_catalogue_file(mini: Catalogue) -> None:
    text = technique_yaml(mini.techniques["rfa"], mini.sources, header=["from test fixture"])
    assert text.startswith(
        "# from test fixture\n"
        "sources:\n"
        "  - id: guide-a-2020\n"
        "    title: Guide A\n"
        "    publisher: Example Society\n"
        "    year: 2020\n"
        "    url: https://example.org/a\n"
        "    kind: guideline\n"
        "techniques:\n"
        "  - id: rfa\n"
        "    name: Radiofrequency ablation\n"
        "    aliases:\n"
        "      - radiofrequency denervation\n"
        "    category: ablation\n"
    )
    assert "    onset:\n      min: 1\n      max: 3\n      unit: weeks\n" in text
    assert "      max: 12\n" in text
    assert "    reviewed: '2026-01-01'\n" in text
    # Fields left at their defaults are left out, as in the bundled files.
    assert "note:" not in text.split("indications:")[0]
    assert "related" not in text


def test_cited_sources_are_found_at_any_depth(mini: Catalogue) -> None:
    assert cited_source_ids(mini.techniques["esi"]) == ["guide-a-2020", "review-b-2019"]
    assert cited_source_ids(mini.techniques["scs"]) == ["review-b-2019"]


_TEXT = st.text(max_size=40).filter(lambda s: text_problem(s, None) is None)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=_TEXT, note=_TEXT | st.none())
def test_any_acceptable_text_round_trips(tmp_path: Path, title: str, note: str | None) -> None:
    source = Source(
        id="s",
        title=title,
        publisher="P",
        year=2020,
        url="https://example.org/s",
        kind=SourceKind.REVIEW,
        note=note,
    )
    f = tmp_path / "s.yaml"
    f.write_text(catalogue_yaml(sources=[source]), encoding="utf-8")
    assert load_catalogue([f], bundled=False).sources["s"] == source


@pytest.mark.parametrize(
    "title", ["1.5e3", "0.0.1", "no", "null", "~", "true", "2024-01-01", "- x", "a: b", "#x", "'q'"]
)
def test_text_that_looks_typed_stays_text(tmp_path: Path, title: str) -> None:
    source = Source(
        id="s", title=title, publisher="P", year=2020, url="https://example.org/s",
        kind=SourceKind.REVIEW,
    )  # fmt: skip
    f = tmp_path / "s.yaml"
    f.write_text(catalogue_yaml(sources=[source]), encoding="utf-8")
    assert load_catalogue([f], bundled=False).sources["s"].title == title


def test_mini_fixture_is_unchanged_by_a_round_trip(mini: Catalogue, tmp_path: Path) -> None:
    f = tmp_path / "esi.yaml"
    f.write_text(technique_yaml(mini.techniques["esi"], mini.sources), encoding="utf-8")
    again = load_catalogue([MINI, f], bundled=False)
    assert again == mini.__class__(
        meta=mini.meta,
        techniques=mini.techniques,
        conditions=mini.conditions,
        sources=mini.sources,
        origins=(str(MINI), str(f)),
    )


def test_show_yaml_is_the_technique_with_a_header_that_says_how_to_use_it(
    bundled: Catalogue, tmp_path: Path
) -> None:
    from painopts.yamlout import show_yaml

    t = bundled.techniques["lumbar-rfa"]
    text = show_yaml(bundled, t)
    m = bundled.meta
    assert text.startswith(
        f"# {t.name} [lumbar-rfa], from {m.title} {m.version} (reviewed {m.reviewed}).\n"
        "# A starting point for your own catalogue: edit it, then load it over the\n"
        "# catalogue it came from, where it replaces the entry with the same id:\n"
        "#   painopts --catalog FILE show lumbar-rfa\n"
        "#   painopts --catalog FILE validate\n"
        "techniques:\n"
        "  - id: lumbar-rfa\n"
    )
    f = tmp_path / "mine.yaml"
    f.write_text(text, encoding="utf-8")
    assert load_catalogue([f]).techniques["lumbar-rfa"] == t


def test_a_newline_in_a_header_cannot_end_the_comment() -> None:
    text = catalogue_yaml(header=["line one\nsources: []"])
    assert text == "# line one\n# sources: []\n{}\n"
