"""Search and names as people type them (issue 12, "Search and names").

Each example from the issue is pinned with its exact result, on the bundled catalogue,
because the point is what a reader of *this* catalogue is shown.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from painopts.models import Catalogue
from painopts.queries import NameIndex, first_line_mentions
from painopts.search import search, search_catalogue
from painopts.stems import query_stems, stem
from painopts.suggest import allowed_edits, close, edit_distance

from .conftest import Run

# --- words ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "same"),
    [
        (["freeze", "freezing", "freezes", "frozen", "froze"], "freez"),
        (["burn", "burning", "burned", "burnt", "burns"], "burn"),
        (["nerve", "nerves"], "nerv"),
        (["heat", "heats", "heated", "heating"], "heat"),
        (["therapy", "therapies"], "therapy"),
        (["injection", "injections"], "injection"),
        (["stop", "stopping"], "stop"),
    ],
)
def test_word_forms_share_a_stem(words: list[str], same: str) -> None:
    assert {stem(w) for w in words} == {same}


@pytest.mark.parametrize(
    "word", ["stenosis", "bursitis", "plexus", "thing", "need", "bleed", "pain", "disc"]
)
def test_words_that_only_look_inflected_stay_whole(word: str) -> None:
    assert stem(word) == word


def test_different_words_keep_different_stems() -> None:
    assert stem("stimulator") != stem("stimulation")
    assert stem("show") != stem("how")


def test_stop_words_are_dropped_unless_they_are_all_there_is() -> None:
    assert query_stems("pain in the back") == ["pain", "back"]
    assert query_stems("how long") == ["long"]
    assert query_stems("the") == ["the"]


def test_edit_distance_counts_typos_and_stops_at_the_limit() -> None:
    assert edit_distance("epidual", "epidural", 2) == 1
    assert edit_distance("scaitica", "sciatica", 2) == 1  # one swap
    assert edit_distance("tens", "tfesi", 5) == 3
    assert edit_distance("tens", "tfesi", 1) == 2  # limit + 1: "more than allowed"
    assert edit_distance("same", "same", 0) == 0


def test_short_words_allow_fewer_typos() -> None:
    assert [allowed_edits(w) for w in ("rf", "rfx", "tens", "radio", "epidual")] == [0, 1, 1, 1, 2]
    assert close("tens", ["tfesi", "tpi", "ten"]) == ["ten"]
    assert close("rf", ["rfa"]) == []


# --- the examples: names ------------------------------------------------------


def test_nerve_burning_is_ambiguous_between_the_ablation_procedures(run: Run) -> None:
    result = run("show", "nerve burning", expect=2)
    assert result.stdout == ""
    assert result.stderr == (
        "painopts: technique name 'nerve burning' is ambiguous: it could be lumbar-rfa "
        "(lumbar facet nerve burning), cervical-rfa (neck facet nerve burning), si-rfa "
        "(SI joint nerve burning), bvna (nerve burning inside the vertebra), cooled-rf "
        "(cooled knee nerve burning), genicular-rfa (knee nerve burning) (to see them side "
        "by side: painopts compare lumbar-rfa cervical-rfa si-rfa bvna cooled-rf "
        "genicular-rfa)\n"
    )


def test_nerve_burning_never_offers_pulsed_rf_which_does_not_burn(run: Run) -> None:
    for words in (["nerve", "burning"], ["burning", "the", "nerves"], ["burn", "nerve"]):
        stderr = run("show", *words, expect=2).stderr
        assert "it could be lumbar-rfa" in stderr
        assert "pulsed-rf" not in stderr


def test_a_narrower_lay_name_still_lists_every_procedure_it_fits(run: Run) -> None:
    assert run("show", "knee nerve burning", expect=2).stderr == (
        "painopts: technique name 'knee nerve burning' is ambiguous: it could be genicular-rfa "
        "(Genicular nerve radiofrequency ablation), cooled-rf (Cooled radiofrequency "
        "ablation) (to see them side by side: painopts compare genicular-rfa cooled-rf)\n"
    )


def test_leg_pain_lists_the_conditions_it_may_mean_instead_of_neck_pain(run: Run) -> None:
    result = run("for", "leg pain", expect=2)
    assert result.stderr == (
        "painopts: condition name 'leg pain' is ambiguous: it could be sciatica (radicular leg "
        "pain), chronic-radicular-pain (long-lasting leg pain from the back), spinal-stenosis "
        "(leg pain on walking eased by sitting), psps (leg pain after back surgery)\n"
    )
    assert "neck" not in result.stderr


def test_tens_is_not_a_procedure_and_the_catalogue_says_where_it_mentions_it(run: Run) -> None:
    result = run("show", "tens", expect=2)
    assert result.stdout == ""
    assert result.stderr == (
        "painopts: no technique called 'tens'; this catalogue has no entry for it among its "
        "procedures, but mentions it in first-line care (for sciatica: 'NICE advises against "
        "belts or corsets, shoe inserts, traction, acupuncture and electrotherapy such as "
        "TENS.'; for chronic-low-back-pain: 'NICE advises against belts, corsets, foot "
        "orthotics, traction, acupuncture and electrotherapies such as TENS.')\n"
    )


def test_first_line_mentions_match_whole_words_only(bundled: Catalogue) -> None:
    assert [c.id for c, _ in first_line_mentions(bundled, "TENS")] == [
        "sciatica",
        "chronic-low-back-pain",
    ]
    assert first_line_mentions(bundled, "the") == []
    assert first_line_mentions(bundled, "ens") == []


def test_a_typo_suggests_the_name_it_misspells(run: Run) -> None:
    # "epidural" opens ilesi but means three techniques: all three are offered.
    assert run("show", "epidual", expect=2).stderr == (
        "painopts: no technique called 'epidual'; did you mean ilesi (epidural), tfesi "
        "(Transforaminal epidural steroid injection), caudal-esi (Caudal epidural steroid "
        "injection)?\n"
    )
    # "rfa" means eight: a cut list would hide some, so only the default (whose page
    # names the others) is offered.
    assert run("show", "rfx", expect=2).stderr == (
        "painopts: no technique called 'rfx'; did you mean lumbar-rfa (rfa)?\n"
    )


@pytest.mark.parametrize("name", ["tens", "tns", "pain relief", "leg", "xyz", "acupunture"])
def test_no_suggestion_points_at_an_unrelated_procedure(bundled: Catalogue, name: str) -> None:
    """A suggestion is a typo or two away, or made of the words typed: never a
    different procedure that merely shares letters (tens -> tfesi)."""
    index = NameIndex.build(bundled)
    for label in index.suggest(name, "technique"):
        ident = label.split()[0]
        names = [k for k, (_, i) in index.exact.items() if i == ident]
        assert any(
            edit_distance(name, k, allowed_edits(name)) <= allowed_edits(name)
            or all(any(w2.startswith(w[:3]) for w2 in k.split()) for w in name.split())
            for k in names
        ), (name, label)
    assert "tfesi" not in " ".join(index.suggest("tens", "technique"))


# --- the examples: search -----------------------------------------------------


def ids(run: Run, *words: str) -> list[str]:
    rows = list(csv.DictReader(io.StringIO(run("search", *words, "-f", "csv").stdout)))
    return [row["id"] for row in rows]


def test_freeze_nerve_finds_nerve_freezing(run: Run) -> None:
    result = run("search", "freeze", "nerve", "-f", "csv")
    assert result.stdout.splitlines() == [
        "id,kind,name,score,why_it_matched",
        "cryoneurolysis,technique,Cryoneurolysis (percutaneous nerve freezing),302,"
        "\"name 'Cryoneurolysis (percutaneous nerve freezing)' (nerve, freezing)\"",
    ]
    assert result.stderr == ""


def test_words_match_whole_words_not_parts_of_words(bundled: Catalogue) -> None:
    hits = search(bundled, "how long", limit=100)
    matched = {w.casefold() for h in hits for r in h.reasons for w in r.words}
    assert matched == {"long"}  # never "show" or "alongside"
    assert [h.id for h in hits[:2]] == ["chronic-radicular-pain", "neuropathic-pain"]


def test_heat_nerve_ranks_the_nerve_ablations_first(run: Run) -> None:
    assert ids(run, "heat", "nerve") == [
        "bvna",
        "cooled-rf",
        "genicular-rfa",
        "cervical-rfa",
        "lumbar-rfa",
        "si-rfa",
        "trigeminal-rhizotomy",
        "pulsed-rf",
        "intradiscal-thermal",
        "discogenic-pain",
    ]


def test_a_typo_is_searched_as_the_word_it_misspells_and_says_so(run: Run) -> None:
    note = "nothing matches 'epidual'; showing matches for 'epidural'"
    assert run("search", "epidual", "-f", "csv").stderr == f"painopts: {note}\n"
    assert run("search", "epidual").stdout.startswith(f"{note}\n")
    result = run("search", "epidual", "-f", "json")
    doc = json.loads(result.stdout)  # the note as data
    assert doc["corrected"] == {"epidual": ["epidural"]}
    assert [h["id"] for h in doc["hits"][:3]] == ["ilesi", "caudal-esi", "tfesi"]


def test_only_the_nearest_spellings_stand_in_for_a_typo(bundled: Catalogue) -> None:
    result = search_catalogue(bundled, "epidual")
    assert result.corrected == (("epidual", ("epidural",)),)  # not also "residual"
    assert result.note == "nothing matches 'epidual'; showing matches for 'epidural'"


def test_the_beginning_of_a_long_word_finds_it_when_nothing_else_does(bundled: Catalogue) -> None:
    result = search_catalogue(bundled, "radiofreq")
    assert result.corrected == (("radiofreq", ("radiofrequency",)),)
    assert result.hits[0].id == "lumbar-rfa"


def test_nothing_close_is_nothing(run: Run) -> None:
    result = run("search", "zzzz")
    assert (result.stdout, result.stderr) == ("", "painopts: nothing matches 'zzzz'\n")


def test_lay_names_rank_the_procedures_above_text_that_mentions_the_words(run: Run) -> None:
    assert ids(run, "nerve", "burning") == [
        "bvna",
        "genicular-rfa",
        "cervical-rfa",
        "cooled-rf",
        "lumbar-rfa",
        "si-rfa",
        "neuropathic-pain",
        "phn",
        "pdn",
    ]


def test_search_finds_first_line_care_and_quotes_what_it_says(run: Run) -> None:
    out = run("search", "tens", "-f", "csv").stdout
    assert out.splitlines() == [
        "id,kind,name,score,why_it_matched",
        "chronic-low-back-pain,condition,Chronic non-specific low back pain,16,"
        "first-line care '...and electrotherapies such as TENS.' (TENS)",
        "sciatica,condition,Sciatica (lumbar radiculopathy),16,"
        "first-line care '...and electrotherapy such as TENS.' (TENS)",
    ]


def test_one_reason_by_default_and_every_reason_with_why(run: Run) -> None:
    plain = list(csv.reader(io.StringIO(run("search", "freeze", "nerve", "-f", "csv").stdout)))
    why = list(
        csv.reader(io.StringIO(run("search", "freeze", "nerve", "--why", "-f", "csv").stdout))
    )
    assert plain[1][4] == "name 'Cryoneurolysis (percutaneous nerve freezing)' (nerve, freezing)"
    reasons = why[1][4].split("; ")
    assert reasons[0] == plain[1][4]
    assert [r.split(" ", 1)[0] for r in reasons] == ["name", "summary", "mechanism", "note", "note"]
    assert reasons[1] == (
        "summary '...to a sensory nerve and is cooled well below freezing. The cold...' "
        "(nerve, freezing)"
    )
    assert reasons[3] == (
        "note 'Treats the skin nerves at the front of the knee. In a...' (nerves)"
    )


def test_the_best_reason_is_the_field_holding_most_of_the_words(bundled: Catalogue) -> None:
    hit = next(h for h in search(bundled, "heat nerve") if h.id == "lumbar-rfa")
    assert (hit.best.field, hit.best.words) == ("summary", ("heats", "nerves"))
    assert hit.best.text == (
        "A needle probe heats the small medial branch nerves that carry pain..."
    )
    assert [str(r) for r in hit.reasons[1:]] == [
        "mechanism '...needle placed beside the nerve. The heat damages the nerve so it...' "
        "(nerve, heat)",
        "alias 'lumbar facet nerve burning' (nerve)",
    ]


def test_snippets_are_whole_words_of_the_text(bundled: Catalogue) -> None:
    texts = [t.summary for t in bundled.techniques.values()]
    texts += [t.mechanism for t in bundled.techniques.values()]
    texts += [i.note for t in bundled.techniques.values() for i in t.indications]
    texts += [c.summary for c in bundled.conditions.values()]
    texts += [c.interventional_note or "" for c in bundled.conditions.values()]
    texts += [f for c in bundled.conditions.values() for f in c.first_line]
    seen = 0
    for query in ("heat nerve", "long", "epidural", "steroid", "freeze", "nerve burning"):
        for hit in search(bundled, query, limit=100):
            for r in hit.reasons:
                if r.field in ("id", "name", "alias", "synonym"):
                    continue
                body = r.text.removeprefix("...").removesuffix("...")
                source = next(t for t in texts if body in t)
                at = source.index(body)
                before = source[at - 1 : at]
                after = source[at + len(body) : at + len(body) + 1]
                assert before in ("", " ") and after in ("", " "), (query, hit.id, r.text)
                assert r.text.startswith("...") == (at > 0)
                assert r.text.endswith("...") == (at + len(body) < len(source))
                seen += 1
    assert seen > 100


@pytest.mark.parametrize("command", [["compare", "tens", "rfa"], ["timeline", "tens"]])
def test_commands_taking_several_names_say_where_tens_is_mentioned(
    run: Run, command: list[str]
) -> None:
    stderr = run(*command, expect=2).stderr
    assert stderr.startswith(
        "painopts: no technique called 'tens'; this catalogue has no entry for it among its "
        "procedures, but mentions it in first-line care (for sciatica: "
    )
    assert "quote names" not in stderr


def test_many_mentions_are_counted_after_three(run: Run) -> None:
    stderr = run("show", "physiotherapy", expect=2).stderr
    assert stderr.count("'; for ") == 2  # three quoted
    assert stderr.endswith("; and 4 more: painopts search physiotherapy)\n")
