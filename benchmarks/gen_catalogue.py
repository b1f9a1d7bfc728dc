"""Generate a synthetic, valid painopts catalogue of any size, for scale benchmarks.

    python benchmarks/gen_catalogue.py OUT_DIR --techniques 10000 [--seed 0]

N techniques come with N/10 conditions (at least 3), N/20 sources (at least 3) and 3
indications per technique, written as a directory of YAML files with at most 1,000
entries per file (the loader caps each file at 32 MiB). Entries are about as large as
the bundled ones (a few KB of prose per technique). The output is deterministic for a
given size and seed, and always holds a condition with the id ``sciatica``, which is
also linked from every 100th technique so that ``painopts for sciatica`` grows with N.

Check the result with ``painopts --no-bundled --catalog OUT_DIR validate``.
Standard library and PyYAML only: this must not depend on painopts itself.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

# The closed vocabularies of docs/catalogue-format.md (kept here, not imported, so the
# generator stays independent of the code it benchmarks; the smoke test validates it).
CATEGORIES = (
    "injection",
    "nerve-block",
    "ablation",
    "neuromodulation",
    "drug-delivery",
    "minimally-invasive-surgery",
    "surgery",
    "diagnostic",
    "regenerative",
)
INVASIVENESS = ("needle", "percutaneous", "implant", "surgery")
PURPOSES = ("diagnostic", "therapeutic", "both")
UNITS = ("hours", "days", "weeks", "months", "years")
IMAGING = ("none", "ultrasound", "fluoroscopy", "ct", "direct-vision")
ANAESTHESIA = ("none", "local", "sedation", "regional", "general")
SETTINGS = ("clinic", "day-case", "inpatient")
PREREQ_KINDS = (
    "diagnostic-block",
    "trial",
    "conservative-care",
    "imaging",
    "assessment",
    "other",
)
STANCES = ("recommended", "may-be-considered", "not-recommended")
CERTAINTIES = ("high", "moderate", "low", "very-low", "insufficient")
BASES = ("controlled-trials", "uncontrolled-studies", "expert-opinion")
SOURCE_KINDS = (
    "guideline",
    "systematic-review",
    "trial",
    "observational",
    "patient-information",
    "regulatory",
    "review",
)
REGIONS = (
    "head",
    "face",
    "neck",
    "trunk",
    "low-back",
    "abdomen",
    "pelvis",
    "upper-limb",
    "lower-limb",
    "widespread",
)
PAIN_TYPES = ("nociceptive", "neuropathic", "nociplastic", "mixed")

WORDS = (
    "pain nerve joint needle relief weeks months doctor clinic injection guidance "
    "steroid anaesthetic spine back neck leg arm small thin probe heat current signal "
    "tissue disc facet root canal cord device trial block numbing effect lasting short "
    "long usual common rare mild severe test result benefit risk team people some most "
    "few often sometimes usually after before during treatment procedure option care "
    "exercise therapy activity movement sleep work daily life plan review follow check "
    "imaging scan image ultrasound x-ray skin area site side level segment region local "
    "general sedation recovery soreness bruising infection bleeding allergy reaction"
).split()

REVIEWED = "2026-11-21"
PER_FILE = 1000
SCIATICA_EVERY = 100


def _sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _prose(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def _sample(rng: random.Random, pool: tuple[str, ...], low: int, high: int) -> list[str]:
    return rng.sample(pool, rng.randint(low, min(high, len(pool))))


def source_id(i: int) -> str:
    return f"synth-source-{i:06d}"


def condition_id(i: int) -> str:
    return "sciatica" if i == 0 else f"synth-condition-{i:06d}"


def technique_id(i: int) -> str:
    return f"synth-technique-{i:06d}"


def _sources_of(rng: random.Random, n_sources: int, low: int, high: int) -> list[str]:
    count = rng.randint(low, min(high, n_sources))
    return [source_id(i) for i in sorted(rng.sample(range(n_sources), count))]


def make_source(i: int, rng: random.Random) -> dict[str, Any]:
    return {
        "id": source_id(i),
        "title": f"Synthetic reference {i}: " + _sentence(rng, 5, 10),
        "publisher": f"Synthetic Publisher {i % 97}",
        "authors": f"Author{i % 89} A, et al." if i % 3 else None,
        "year": 1990 + i % 37,
        "url": f"https://example.org/synthetic/{i}",
        "kind": SOURCE_KINDS[i % len(SOURCE_KINDS)],
        "note": _sentence(rng) if i % 4 == 0 else None,
    }


def make_condition(i: int, rng: random.Random, n_sources: int) -> dict[str, Any]:
    if i == 0:
        name = "Sciatica (synthetic lumbar radiculopathy)"
        synonyms = ["synthetic pinched nerve", "synthetic radicular leg pain"]
    else:
        name = f"Synthetic condition {i}"
        synonyms = [f"synthetic disorder {i}", f"sc{i} pain"]
    return {
        "id": condition_id(i),
        "name": name,
        "synonyms": synonyms,
        "regions": _sample(rng, REGIONS, 1, 2),
        "pain_type": PAIN_TYPES[i % len(PAIN_TYPES)],
        "summary": _prose(rng, 3),
        "first_line": [_sentence(rng) for _ in range(rng.randint(2, 5))],
        "red_flags": [_sentence(rng) for _ in range(rng.randint(0, 3))],
        "interventional_note": _sentence(rng) if i % 5 == 0 else None,
        "sources": _sources_of(rng, n_sources, 1, 3),
        "reviewed": REVIEWED,
    }


def _duration(rng: random.Random, n_sources: int, open_ended: bool) -> dict[str, Any]:
    low = rng.randint(0, 6)
    return {
        "min": low,
        "max": None if open_ended else low + rng.randint(1, 12),
        "unit": rng.choice(UNITS),
        "note": _prose(rng, 2) if rng.random() < 0.5 else None,
        "sources": _sources_of(rng, n_sources, 1, 3),
    }


def make_technique(
    i: int, rng: random.Random, n: int, n_conditions: int, n_sources: int, indications: int
) -> dict[str, Any]:
    invasiveness = INVASIVENESS[i % len(INVASIVENESS)]
    conditions = rng.sample(range(n_conditions), indications)
    if i % SCIATICA_EVERY == 0 and 0 not in conditions:
        conditions[0] = 0
    others = [j for j in rng.sample(range(n), min(4, n)) if j != i][:3]
    prerequisites: list[dict[str, Any]] = []
    for k in range(rng.randint(0, 3)):
        prereq: dict[str, Any] = {"text": _prose(rng, 2), "kind": rng.choice(PREREQ_KINDS)}
        # Only an earlier technique can be a prerequisite: cycles are invalid.
        if k == 0 and others and others[0] < i:
            prereq["technique"] = technique_id(others[0])
        prerequisites.append(prereq)
    return {
        "id": technique_id(i),
        "name": f"Synthetic technique {i}",
        "aliases": [f"st{i}", f"synthetic procedure {i}", f"synth method {i}"],
        "category": CATEGORIES[i % len(CATEGORIES)],
        "invasiveness": invasiveness,
        "purpose": PURPOSES[i % len(PURPOSES)],
        "summary": _prose(rng, 3),
        "mechanism": _prose(rng, 2),
        "onset": _duration(rng, n_sources, open_ended=False),
        "relief": None
        if PURPOSES[i % len(PURPOSES)] == "diagnostic"
        else {
            **_duration(rng, n_sources, open_ended=invasiveness in ("implant", "surgery")),
            "basis": BASES[i % len(BASES)],
        },
        "repeatable": i % 2 == 0,
        "repeat_note": _sentence(rng) if i % 2 == 0 else None,
        "imaging": _sample(rng, IMAGING, 1, 2),
        "anaesthesia": _sample(rng, ANAESTHESIA, 1, 2),
        "setting": _sample(rng, SETTINGS, 1, 2),
        "recovery": _prose(rng, 2),
        "expect": {"before": _prose(rng, 2), "during": _prose(rng, 2), "after": _prose(rng, 2)},
        "prerequisites": prerequisites,
        "risks": [
            {
                "name": _sentence(rng, 4, 10),
                "frequency": f"about 1 in {rng.choice((10, 50, 100, 1000))}"
                if k % 2 == 0
                else None,
                "sources": _sources_of(rng, n_sources, 0, 2),
            }
            for k in range(rng.randint(2, 6))
        ],
        "contraindications": [_sentence(rng) for _ in range(rng.randint(1, 4))],
        "regulatory": _sentence(rng) if i % 11 == 0 else None,
        "related": [technique_id(j) for j in others],
        "sources": _sources_of(rng, n_sources, 2, 8),
        "reviewed": REVIEWED,
        "indications": [
            {
                "condition": condition_id(c),
                "stance": STANCES[(i + k) % len(STANCES)],
                "evidence": {
                    "grade": f"Level {'I' * (1 + (i + k) % 3)}",
                    "system": "Synthetic grading (levels I-V)",
                    "certainty": CERTAINTIES[(i * 7 + k) % len(CERTAINTIES)],
                    "direction": "no-benefit"
                    if STANCES[(i + k) % len(STANCES)] == "not-recommended"
                    else "benefit",
                },
                "note": _prose(rng, 2),
                "disagreement": _sentence(rng) if (i + k) % 13 == 0 else None,
                "sources": _sources_of(rng, n_sources, 1, 3),
            }
            for k, c in enumerate(conditions)
        ],
    }


def _chunks(total: int, size: int) -> Iterator[range]:
    for start in range(0, total, size):
        yield range(start, min(start + size, total))


_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """Safe dumper that never writes anchors or aliases (painopts bounds them)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(path: Path, doc: dict[str, Any]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(doc, fh, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)


def generate(
    out: Path,
    techniques: int,
    *,
    conditions: int | None = None,
    sources: int | None = None,
    indications: int = 3,
    seed: int = 0,
    per_file: int = PER_FILE,
) -> dict[str, int]:
    """Write a catalogue of *techniques* techniques under *out*; return the counts.

    *out* must not exist or be empty, so files of an earlier, larger run cannot linger.
    """
    if techniques < 1:
        raise ValueError("need at least 1 technique")
    if not 1 <= per_file <= PER_FILE:
        raise ValueError(f"per_file must be between 1 and {PER_FILE}")
    n_conditions = max(3, indications, techniques // 10) if conditions is None else conditions
    n_sources = max(3, techniques // 20) if sources is None else sources
    if n_conditions < max(1, indications):
        raise ValueError("need at least as many conditions as indications per technique")
    if n_sources < 1:
        raise ValueError("need at least 1 source")
    if out.exists() and any(out.iterdir()):
        raise ValueError(f"{out} is not empty")
    for sub in ("techniques", "conditions", "sources"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    _dump(
        out / "catalogue.yaml",
        {
            "catalogue": {
                "title": f"synthetic catalogue ({techniques} techniques, seed {seed})",
                "version": f"synthetic-{techniques}-{seed}",
                "reviewed": REVIEWED,
            }
        },
    )
    for k, chunk in enumerate(_chunks(n_sources, per_file)):
        docs = [make_source(i, rng) for i in chunk]
        _dump(out / "sources" / f"sources-{k:04d}.yaml", {"sources": docs})
    for k, chunk in enumerate(_chunks(n_conditions, per_file)):
        conds = [make_condition(i, rng, n_sources) for i in chunk]
        _dump(out / "conditions" / f"conditions-{k:04d}.yaml", {"conditions": conds})
    for k, chunk in enumerate(_chunks(techniques, per_file)):
        techs = [
            make_technique(i, rng, techniques, n_conditions, n_sources, indications) for i in chunk
        ]
        _dump(out / "techniques" / f"techniques-{k:04d}.yaml", {"techniques": techs})
    return {
        "techniques": techniques,
        "conditions": n_conditions,
        "indications": techniques * indications,
        "sources": n_sources,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="output directory (must not exist or be empty)")
    parser.add_argument("-n", "--techniques", type=int, default=1000, help="default: 1000")
    parser.add_argument("--conditions", type=int, default=None, help="default: N/10, min 3")
    parser.add_argument("--sources", type=int, default=None, help="default: N/20, min 3")
    parser.add_argument("--indications", type=int, default=3, help="per technique; default 3")
    parser.add_argument("--seed", type=int, default=0, help="default: 0")
    parser.add_argument(
        "--per-file", type=int, default=PER_FILE, help=f"entries per file; max {PER_FILE}"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        counts = generate(
            args.out,
            args.techniques,
            conditions=args.conditions,
            sources=args.sources,
            indications=args.indications,
            seed=args.seed,
            per_file=args.per_file,
        )
    except ValueError as exc:
        print(f"gen_catalogue: {exc}", file=sys.stderr)
        return 2
    size = sum(p.stat().st_size for p in args.out.rglob("*.yaml"))
    summary = ", ".join(f"{v} {k}" for k, v in counts.items())
    print(
        f"generated: {summary} in {args.out} "
        f"({size / 1e6:.1f} MB, {time.perf_counter() - start:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
