"""Numbers, prerequisite graphs and "did you mean" stay bounded and located."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from painopts.errors import CatalogueError
from painopts.loader import load_catalogue
from painopts.suggest import MAX_CANDIDATES, Suggester

from .conftest import MINI, Run

MINI_TEXT = (MINI / "catalogue.yaml").read_text(encoding="utf-8")
RELIEF = "    relief: {min: 1, max: 3, unit: months, sources: [review-b-2019], basis: controlled-trials}\n"


def _issues(tmp_path: Path, text: str, *extra: tuple[str, str]) -> list[str]:
    f = tmp_path / "c.yaml"
    f.write_text(text, encoding="utf-8")
    paths = [f]
    for name, body in extra:
        (tmp_path / name).write_text(body, encoding="utf-8")
        paths.append(tmp_path / name)
    with pytest.raises(CatalogueError) as info:
        load_catalogue(paths, bundled=False)
    return [str(i).replace(f"{tmp_path}/", "") for i in info.value.issues]


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        (
            RELIEF.replace("max: 3", "max: " + "9" * 401),
            "c.yaml:49:27: a number with 401 digits; at most 100 are allowed",
        ),
        (
            RELIEF.replace("max: 3", "max: " + "9" * 5000),
            "c.yaml:49:27: a number with 5000 digits; at most 100 are allowed",
        ),
        (
            RELIEF.replace("max: 3", "max: " + "9" * 40),
            "c.yaml:49:27: techniques[esi].relief.max: expected a number up to 10^15, "
            "found a number with about 40 digits",
        ),
        (
            RELIEF.replace("max: 3, unit: months", "max: 1.0e308, unit: years"),
            "c.yaml:49:27: techniques[esi].relief.max: expected a number up to 10^15, "
            "found the number 1e+308",
        ),
        (
            RELIEF.replace("max: 3", "max: 1.0e999"),
            "c.yaml:49:27: techniques[esi].relief.max: expected a finite number, found the "
            "number inf",
        ),
    ],
    ids=["401-digits", "5000-digits", "40-digits", "overflows-in-days", "infinity"],
)
def test_huge_numbers_are_located_errors(tmp_path: Path, new: str, expected: str) -> None:
    assert RELIEF in MINI_TEXT
    assert _issues(tmp_path, MINI_TEXT.replace(RELIEF, new)) == [expected]


def test_a_huge_year_is_a_located_error(tmp_path: Path) -> None:
    text = MINI_TEXT.replace("year: 2020", "year: 99999999999999999")
    assert _issues(tmp_path, text) == [
        "c.yaml:9:11: sources[guide-a-2020].year: expected a whole number up to 10^15, found "
        "the number 99999999999999999"
    ]


def test_json_output_never_holds_nan_or_infinity(run: Run) -> None:
    def refuse(name: str) -> None:
        raise AssertionError(f"{name} in JSON output")

    for args in (["list"], ["for", "sciatica"], ["show", "scs"], ["compare", "rfa", "scs"]):
        json.loads(run(*args, "-f", "json").stdout, parse_constant=refuse)

    from painopts.formats import dumps

    with pytest.raises(ValueError):
        dumps({"x": float("inf")}, pretty=False)
    with pytest.raises(ValueError):
        dumps({"x": float("nan")}, pretty=True)


# --- graph data -----------------------------------------------------------------------

SCS_PREREQ = "      - {text: Successful trial., kind: trial}\n"
RFA_PREREQ = "      - {text: Positive medial branch block., kind: diagnostic-block}\n"


def test_a_technique_cannot_be_its_own_prerequisite(tmp_path: Path) -> None:
    text = MINI_TEXT.replace(SCS_PREREQ, SCS_PREREQ[:-2] + ", technique: scs}\n")
    assert _issues(tmp_path, text) == [
        "c.yaml:117:59: techniques[scs].prerequisites[0].technique: a technique cannot be its "
        "own prerequisite (scs -> scs)"
    ]


def test_prerequisite_cycles_are_errors_naming_the_cycle(tmp_path: Path) -> None:
    text = MINI_TEXT.replace(SCS_PREREQ, SCS_PREREQ[:-2] + ", technique: rfa}\n")
    text = text.replace(RFA_PREREQ, RFA_PREREQ[:-2] + ", technique: esi}\n")
    text = text.replace(
        "    prerequisites: []\n", "    prerequisites: [{text: x, kind: trial, technique: scs}]\n"
    )
    assert _issues(tmp_path, text) == [
        "c.yaml:89:82: techniques[rfa].prerequisites[0].technique: prerequisites form a cycle: "
        "esi -> scs -> rfa -> esi",
    ]


def test_a_cycle_is_reported_once_in_a_long_chain(tmp_path: Path) -> None:
    # esi -> rfa is fine; rfa -> scs -> rfa is the cycle.
    text = MINI_TEXT.replace(
        "    prerequisites: []\n", "    prerequisites: [{text: x, kind: trial, technique: rfa}]\n"
    )
    text = text.replace(RFA_PREREQ, RFA_PREREQ[:-2] + ", technique: scs}\n")
    text = text.replace(SCS_PREREQ, SCS_PREREQ[:-2] + ", technique: rfa}\n")
    issues = _issues(tmp_path, text)
    assert len(issues) == 1
    assert issues[0].endswith("prerequisites form a cycle: rfa -> scs -> rfa")


def test_removing_a_condition_that_leaves_a_technique_without_indications_is_an_error(
    tmp_path: Path,
) -> None:
    overlay = "remove:\n  conditions: [facet-pain]\n"
    assert _issues(tmp_path, MINI_TEXT, ("local.yaml", overlay)) == [
        "local.yaml:2:16: remove.conditions: removing condition 'facet-pain' leaves technique "
        "'rfa' with no indications; remove the technique too, or give it an indication"
    ]


def test_removing_the_technique_in_the_same_overlay_is_fine(tmp_path: Path) -> None:
    (tmp_path / "local.yaml").write_text(
        "remove:\n  conditions: [facet-pain]\n  techniques: [rfa]\n", encoding="utf-8"
    )
    cat = load_catalogue([MINI, tmp_path / "local.yaml"], bundled=False)
    assert sorted(cat.techniques) == ["esi", "scs"]


# --- bounded suggestions ----------------------------------------------------------------


def test_suggestions_compare_a_bounded_number_of_candidates() -> None:
    known = [f"condition-{i:06d}-pain" for i in range(50_000)]
    suggester = Suggester(known)
    assert suggester.best("condition-012345-pian") == "condition-012345-pain"
    assert suggester.best("zzzzzz") is None
    unknown = [f"conditoin-{i:06d}-pain" for i in range(0, 50_000, 500)]
    for word in unknown:
        suggester.best(word)
    assert suggester.comparisons <= MAX_CANDIDATES * (len(unknown) + 2)


def test_the_loader_suggests_from_the_index(tmp_path: Path) -> None:
    old = "      - condition: facet-pain\n        stance: recommended"
    assert old in MINI_TEXT
    text = MINI_TEXT.replace(old, old.replace("facet-pain", "facet-pian"))
    issues = _issues(tmp_path, text)
    assert issues == [
        "c.yaml:95:20: techniques[rfa].indications[facet-pian].condition: unknown condition "
        "'facet-pian'; did you mean 'facet-pain'?"
    ]


def test_the_safety_benchmark_runs_on_a_tiny_input(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    script = Path(__file__).resolve().parent.parent / "benchmarks" / "safety.py"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAINOPTS_")}
    proc = subprocess.run(
        [sys.executable, str(script), "--mb", "0.02", "--sizes", "20,40", "--runs", "1", "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["validate"]["exit"] == 1
    assert doc["validate"]["problems"] > 0
    assert [r["steps"] for r in doc["pathway"]["sizes"]] == [20, 40]
