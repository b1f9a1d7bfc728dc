"""Checks that keep the shipped catalogue true: references, coverage, ranges, wording."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from painopts.catalogue_files import BUNDLED_DIR
from painopts.models import Catalogue, Stance
from painopts.queries import NameIndex

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def test_bundled_catalogue_loads(bundled: Catalogue) -> None:
    assert bundled.meta.version
    assert len(bundled.techniques) >= 40
    assert len(bundled.conditions) >= 28


def test_every_source_is_cited(bundled: Catalogue) -> None:
    cited: set[str] = set()
    for c in bundled.conditions.values():
        cited.update(c.sources)
    for t in bundled.techniques.values():
        cited.update(t.sources, t.onset.sources, t.relief.sources if t.relief else ())
        for r in t.risks:
            cited.update(r.sources, r.rate.sources if r.rate else ())
        for ind in t.indications:
            cited.update(ind.sources)
        for b in t.benefits:
            cited.update(b.sources)
        cited.update(t.bleeding_risk.sources if t.bleeding_risk else ())
    assert sorted(set(bundled.sources) - cited) == []


def test_every_condition_has_an_indication(bundled: Catalogue) -> None:
    linked = {ind.condition for t in bundled.techniques.values() for ind in t.indications}
    assert sorted(set(bundled.conditions) - linked) == []


def test_every_technique_has_an_indication_with_a_source(bundled: Catalogue) -> None:
    for t in bundled.techniques.values():
        assert t.indications, t.id
        assert all(ind.sources for ind in t.indications), t.id


def test_durations_are_plausible(bundled: Catalogue) -> None:
    for t in bundled.techniques.values():
        assert t.onset.max_days is not None, f"{t.id}: onset must be bounded"
        assert t.onset.max_days <= 366, f"{t.id}: onset over a year"
        if t.relief is None:
            assert t.purpose.value == "diagnostic", t.id
            continue
        assert t.relief.min_days <= 20 * 365.25, t.id
        if t.relief.max_days is not None:
            assert t.relief.max_days <= 20 * 365.25, t.id
            assert t.relief.max_days >= t.onset.min_days, t.id


def test_open_ended_relief_only_for_implants_and_surgery(bundled: Catalogue) -> None:
    allowed = {"implant", "surgery", "percutaneous"}
    for t in bundled.techniques.values():
        if t.relief is not None and t.relief.open_ended:
            assert t.invasiveness.value in allowed, t.id


def test_every_guideline_against_is_labelled(bundled: Catalogue) -> None:
    against = [
        (t.id, ind.condition)
        for t in bundled.techniques.values()
        for ind in t.indications
        if ind.stance is Stance.NOT_RECOMMENDED
    ]
    # Guidelines recommend against several uses (e.g. NICE NG59 on spinal injections for
    # non-specific low back pain); the catalogue must carry them, not stay silent.
    assert len(against) >= 5


# Terms the seed articles use, and the entry each must resolve to.
# "nerve block" alone names eight techniques: it is ambiguous (see test_names.py).
SEED_TECHNIQUES = {
    "peripheral nerve block": "pnb",
    "epidural steroid injection": "ilesi",
    "facet joint injection": "facet-injection",
    "radiofrequency ablation": "lumbar-rfa",
    "RFA": "lumbar-rfa",
    "cryoablation": "cryoneurolysis",
    "spinal cord stimulation": "scs",
    "intrathecal pump": "itp",
    "intrathecal drug delivery": "itp",
    "trigger point injection": "tpi",
    "discography": "discography",
    "platelet-rich plasma": "prp",
    "stem cell therapy": "stem-cells",
    "laminectomy": "laminectomy",
    "discectomy": "microdiscectomy",
    "chemical neurolysis": "neurolysis",
}
SEED_CONDITIONS = {
    "sciatica": "sciatica",
    "back pain": "chronic-low-back-pain",
    "chronic back pain": "chronic-low-back-pain",
    "neck pain": "neck-pain",
    "knee pain": "knee-oa",
    "herniated disc": "herniated-disc",
    "spinal stenosis": "spinal-stenosis",
    "facet joint arthritis": "facet-pain",
    "chronic migraine": "chronic-migraine",
    "cluster headache": "cluster-headache",
    "neuropathy": "neuropathic-pain",
    "neuropathic pain": "neuropathic-pain",
    "cancer pain": "cancer-pain",
    "post-surgical pain": "post-surgical-pain",
    "fibromyalgia": "fibromyalgia",
    "hip pain": "hip-oa",
    "shoulder pain": "shoulder-pain",
    "bursitis": "bursitis",
    "meniscus tear": "meniscal-tear",
    "muscle knots": "myofascial-pain",
    "tendinopathy": "tendinopathy",
}


@pytest.mark.parametrize(("term", "ident"), sorted(SEED_TECHNIQUES.items()))
def test_seed_techniques_resolve(bundled: Catalogue, term: str, ident: str) -> None:
    assert NameIndex.build(bundled).resolve(term, "technique") == ident


@pytest.mark.parametrize(("term", "ident"), sorted(SEED_CONDITIONS.items()))
def test_seed_conditions_resolve(bundled: Catalogue, term: str, ident: str) -> None:
    assert NameIndex.build(bundled).resolve(term, "condition") == ident


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _shingles(words: list[str], n: int = 8) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed articles are not beside the repository")
def test_no_run_of_eight_words_is_copied_from_the_seed_articles() -> None:
    seed = set()
    for f in SEEDS.iterdir():
        seed |= _shingles(_words(f.read_text(encoding="utf-8", errors="replace")))
    for f in sorted(BUNDLED_DIR.rglob("*.yaml")):
        copied = _shingles(_words(f.read_text(encoding="utf-8"))) & seed
        assert not copied, f"{f.name}: {' '.join(sorted(copied)[0])}"


CURE = re.compile(r"\bcur(e|es|ed|ative)\b", re.IGNORECASE)
NEGATION = re.compile(r"\b(not|no|never|nor|cannot|isn't|aren't|without)\b", re.IGNORECASE)


def test_no_procedure_is_called_a_cure() -> None:
    for f in sorted(BUNDLED_DIR.rglob("*.yaml")):
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            for sentence in re.split(r"(?<=[.;:])\s", line):
                if CURE.search(sentence):
                    assert NEGATION.search(sentence), f"{f.name}:{n}: {sentence.strip()}"


def test_a_name_matching_several_conditions_is_called_ambiguous(bundled: Catalogue) -> None:
    from painopts.errors import LookupFailed

    with pytest.raises(LookupFailed) as info:
        NameIndex.build(bundled).resolve("headache", "condition")
    assert info.value.ambiguous
    assert {s.split()[0] for s in info.value.suggestions} >= {
        "chronic-migraine",
        "cluster-headache",
        "cervicogenic-headache",
    }


def test_every_bundled_file_matches_the_published_json_schema() -> None:
    import jsonschema
    import yaml

    from painopts.schema import catalogue_schema

    validator = jsonschema.Draft202012Validator(catalogue_schema())
    files = sorted(BUNDLED_DIR.rglob("*.yaml"))
    assert len(files) >= 10
    for f in files:
        errors = [e.message for e in validator.iter_errors(yaml.safe_load(f.read_text("utf-8")))]
        assert errors == [], f"{f.name}: {errors[:3]}"
