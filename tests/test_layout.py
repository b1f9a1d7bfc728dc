"""Terminal layout (issue 12, "Layout"): words never break, tables stack on narrow
terminals, prose stays readable on wide ones, nothing trails, URLs stay whole."""

from __future__ import annotations

import pytest

from .conftest import Run


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch, run: Run) -> Run:
    """Run painopts at a width given as the first argument."""

    def go(width: int, *args: str) -> str:
        monkeypatch.setenv("COLUMNS", str(width))
        out: str = run(*args).stdout
        return out

    return go  # type: ignore[return-value]


def test_list_at_60_columns_stacks_rows_without_breaking_words(at: Run) -> None:
    out = at(60, "list")
    assert out.startswith(
        "lumbar-rfa\n"
        "  name: Lumbar medial branch radiofrequency ablation\n"
        "  category: ablation\n"
        "  invasiveness: 2 percutaneous\n"
        "  typical relief: 6-12 months\n"
        "\n"
        "cervical-rfa\n"
    )
    assert "invasivene\n" not in out and "ra\n" not in out


def test_list_evidence_at_60_columns_hangs_long_values_under_their_start(at: Run) -> None:
    out = at(60, "list", "--evidence", "moderate")
    assert out.startswith(
        "onb\n"
        "  name: Occipital nerve block\n"
        "  category: nerve-block\n"
        "  invasiveness: 1 needle\n"
        "  typical relief: 1-2 months\n"
        "  best matching indication: Cluster headache: recommended,\n"
        "                            moderate certainty of benefit\n"
        "\n"
        "botox-migraine\n"
        "  name: OnabotulinumtoxinA (Botox) for chronic migraine\n"
    )


def test_at_80_columns_names_get_their_share_before_other_columns(at: Run) -> None:
    out = at(80, "list", "--category", "nerve-block")
    assert out.splitlines()[:6] == [
        "id               name                      category  invasiveness  typical",
        "                                                                   relief",
        "─" * 80,
        "onb              Occipital nerve block     nerve-    1 needle      1-2 months",
        "                                           block",
        "spg-block        Sphenopalatine ganglion   nerve-    1 needle      1-6 months",
    ]


@pytest.mark.parametrize("width", [60, 70, 80, 100, 120, 200])
@pytest.mark.parametrize(
    "args", [("list",), ("list", "--evidence", "moderate"), ("conditions",), ("search", "nerve")]
)
def test_table_cells_break_only_between_words(at: Run, width: int, args: tuple[str, ...]) -> None:
    from painopts.loader import load_catalogue

    cat = load_catalogue()
    out = at(width, *args)
    # Every piece of a technique name that reaches a line end is a whole word.
    for t in cat.techniques.values():
        for word in t.name.split():
            if len(word) > 6:
                for cut in range(3, len(word) - 2):
                    assert f" {word[:cut]}\n" not in out.replace("\n", " \n"), (word, cut)
    assert max(len(line) for line in out.splitlines()) <= width
