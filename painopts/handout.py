"""A patient decision aid for one condition: which options go in it, and what it says.

Built the way the best decision aids are (Option Grid, NICE patient decision aids, the
IPDAS criteria): warning signs first; what the condition is; a grid that compares the
options with "no procedure" as the questions people ask; options recommended against
apart; questions to ask and prompts about what matters; sources, dates, how it is kept
up to date, funding and the notice.

Pure: the query (:func:`choose`) picks the options, the view (:func:`handout`) returns a
:class:`~painopts.document.Document` plus the data for the pictures only HTML draws (a
relief timeline and icon arrays). Every number those pictures show is also in the
document's words, so a format without pictures loses nothing.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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
from painopts.errors import UsageError
from painopts.models import Catalogue, Condition, Indication, Source, Stance, Technique
from painopts.numbers import (
    NOT_KNOWN as HOW_OFTEN_NOT_KNOWN,
)
from painopts.numbers import (
    benefit_words,
    bleeding_words,
    common_denominator,
    risk_words,
)
from painopts.queries import format_duration, options_for
from painopts.wording import NOTICE, TEST_NOT_TREATMENT, evidence_words, names, relief_words

MAX_OPTIONS = 4
"""Columns besides "no procedure": more than five columns cannot be read on paper."""

NO_PROCEDURE = "No procedure: keep going with first-line care"


# The grid's rows: the questions people ask about each option, in the order they ask.
QUESTIONS: tuple[str, ...] = (
    "What does it involve?",
    "How soon might it help?",
    "How long might relief last?",
    "How many people are helped?",
    "What are the risks, and how often?",
    "Recovery and time off?",
    "Can it be repeated?",
    "What do guidelines say, and how sure is the evidence?",
)

ASK_YOUR_CLINICIAN: tuple[str, ...] = (
    "What is likely to happen if I keep going with first-line care and have no procedure?",
    "Which of these options would you suggest for someone like me, and why?",
    "How would we know whether it has worked, and what would we do if it has not?",
    "What are the most common side effects, and the most serious ones, for someone like me?",
    "Do I need to stop any medicines, such as blood thinners, before it?",
    "How many of these procedures do you and your team do each year?",
    "How long would I need off work, off driving or away from caring for others?",
    "If it helps, can it be repeated, and how often?",
)

WHAT_MATTERS: tuple[str, ...] = (
    "Which everyday things does the pain stop you doing (work, sleep, family, exercise, "
    "hobbies), and which would you most like back?",
    "How do you feel about a needle procedure, a device that stays in your body, or an operation?",
    "Which matters more to you: relief that starts soon, or relief that may last longer?",
    "How much chance of a side effect or complication would you accept for a chance of relief?",
    "How much time can you give to appointments, recovery and exercise?",
    "Would you rather keep going with first-line care for now and decide later?",
)

KEPT_UP_TO_DATE = (
    "Every condition, procedure and source in the painopts catalogue records when it was "
    "last reviewed or checked, and each new catalogue version carries its own review date. "
    "This handout is made fresh from the catalogue each time: make a new one rather than "
    "reusing an old printout."
)

# IPDAS asks every decision aid to state its funding and its authors' interests. The
# project lead confirms this text for each release (docs/handout.md); it speaks for
# painopts and its catalogue, not for a catalogue someone adds with --catalog.
FUNDING = (
    "painopts is open-source software (MIT licence) that works offline. It has no "
    "funding from any maker of a device, medicine or procedure; no such maker wrote or "
    "reviewed this handout, and it carries no advertising. No one writing the catalogue "
    "has declared a conflict of interest. Ask your clinician about any interests of "
    "their own."
)

AGAINST_LABEL = "recommended against"

NOT_KNOWN = "Not known: the catalogue has no sourced number for this."


@dataclass(frozen=True, slots=True)
class Choice:
    """Which options a handout compares, which it shows apart, and which it left out.

    ``options`` go in the grid (never one recommended against); ``against`` are shown
    apart, labelled; ``left_out`` are supported options not picked (only when the
    options were picked automatically); ``tests`` are diagnostic tests left out of an
    automatic pick because they are not treatments; ``other_against`` counts options
    recommended against for the condition that the reader did not name."""

    condition: Condition
    options: tuple[tuple[Technique, Indication], ...]
    against: tuple[tuple[Technique, Indication], ...]
    left_out: tuple[tuple[Technique, Indication], ...] = ()
    tests: tuple[tuple[Technique, Indication], ...] = ()
    other_against: int = 0
    named: bool = False
    # How many options the condition has that are not recommended against, named or
    # not (None: those in ``options`` and ``left_out`` are all of them).
    supported: int | None = None

    @property
    def any_supported(self) -> bool:
        """Whether the catalogue supports any procedure for the condition at all (not
        only among those the reader named)."""
        if self.supported is None:
            return bool(self.options or self.left_out)
        return self.supported > 0


def choose(cat: Catalogue, condition: Condition, named: Sequence[Technique] = ()) -> Choice:
    """The options for a handout on *condition*.

    With nothing *named*: the supported treatments in stepped-care order (recommended
    before may-be-considered, less invasive before more), at most ``MAX_OPTIONS``, and
    every option recommended against, apart. Named options keep the reader's order;
    one recommended against goes apart, never in the grid; one the catalogue has no
    entry for on this condition is refused, since the handout could not say whether
    it is advised."""
    found = options_for(cat, condition)
    if not named:
        treatments = [p for p in found.options if not p[0].is_test_only]
        return Choice(
            condition,
            tuple(treatments[:MAX_OPTIONS]),
            tuple(found.against),
            left_out=tuple(treatments[MAX_OPTIONS:]),
            tests=tuple(p for p in found.options if p[0].is_test_only),
        )
    by_id = {t.id: ind for t, ind in (*found.options, *found.against)}
    unique = list({t.id: t for t in named}.values())
    missing = [t for t in unique if t.id not in by_id]
    if missing:
        listed = ", ".join(t.id for t, _ in found.options) or "none"
        raise UsageError(
            f"{names(missing)} {'has' if len(missing) == 1 else 'have'} no entry for "
            f"{condition.id} in the catalogue, so a handout cannot say whether "
            f"{'it is' if len(missing) == 1 else 'they are'} advised for it; options "
            f"for {condition.id}: {listed} (see `painopts for {condition.id}`)"
        )
    options = [(t, by_id[t.id]) for t in unique if by_id[t.id].stance is not Stance.NOT_RECOMMENDED]
    against = [(t, by_id[t.id]) for t in unique if by_id[t.id].stance is Stance.NOT_RECOMMENDED]
    if len(options) > MAX_OPTIONS:
        raise UsageError(
            f"name at most {MAX_OPTIONS} options: a grid of more columns cannot be read "
            f"on a page (you named {len(options)} that are not recommended against)"
        )
    named_ids = {t.id for t in unique}
    others = sum(1 for t, _ in found.against if t.id not in named_ids)
    return Choice(
        condition,
        tuple(options),
        tuple(against),
        other_against=others,
        named=True,
        supported=len(found.options),
    )


# --- pictures that only HTML draws (their numbers are in the document's words) -------


@dataclass(frozen=True, slots=True)
class Bar:
    """One option on the relief timeline, in days from the procedure: ``start`` is the
    earliest onset; the dark part runs to ``solid`` (the latest onset plus the shortest
    typical relief) and the light part to ``end`` (the latest onset plus the longest
    relief; None when open-ended, as while an implant stays switched on)."""

    label: str
    stance: str
    start: float
    solid: float
    end: float | None
    words: str


@dataclass(frozen=True, slots=True)
class IconArray:
    """A chance of benefit as 100 figures: ``helped`` of 100 with the option against
    ``comparator_helped`` of 100 with the comparator."""

    option: str
    outcome: str
    helped: int
    comparator: str
    comparator_helped: int
    words: str


@dataclass(frozen=True, slots=True)
class Handout:
    document: Document
    timeline: tuple[Bar, ...]
    timeline_note: str | None
    icon_arrays: tuple[IconArray, ...]


# --- the view ----------------------------------------------------------------------


class _Refs:
    """Numbers sources in order of first citation."""

    def __init__(self, cat: Catalogue) -> None:
        self.cat = cat
        self.numbers: dict[str, int] = {}

    def cite(self, ids: Iterable[str]) -> str:
        marks = []
        for sid in dict.fromkeys(ids):
            if sid not in self.cat.sources:
                continue
            n = self.numbers.setdefault(sid, len(self.numbers) + 1)
            marks.append(f"[{n}]")
        return "".join(marks)

    def references(self) -> tuple[Reference, ...]:
        return tuple(
            Reference(n, sid, reference_text(self.cat.sources[sid]), self.cat.sources[sid].url)
            for sid, n in self.numbers.items()
        )


def reference_text(s: Source) -> str:
    authors = f"{s.authors}. " if s.authors else ""
    return f"{authors}{s.title}. {s.publisher}, {s.year}."


def _with_refs(text: str, marks: str) -> str:
    return f"{text} {marks}" if marks else text


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?", ")")) else text + "."


_TRAILING_ASIDE = re.compile(r"^(.+?) \([^()]*\)$")


def _short(name: str) -> str:
    """A condition's everyday name: "Sciatica (lumbar radiculopathy)" -> "Sciatica";
    a bracket inside the name stays ("Herniated (slipped) disc")."""
    m = _TRAILING_ASIDE.match(name)
    return m.group(1) if m else name


def _in_text(name: str) -> str:
    """The everyday name inside a sentence: first letter lowered, acronyms kept."""
    return _lowered(_short(name))


def _lowered(name: str) -> str:
    """*name* inside a sentence: "Spinal cord stimulation" -> "spinal cord stimulation",
    but "CRPS" and "10 kHz ..." stay as they are."""
    return name if name[:2].isupper() else name[:1].lower() + name[1:]


def handout(cat: Catalogue, choice: Choice, *, today: _dt.date | None = None) -> Handout:
    """The decision aid for *choice*, as a Document and the data of its pictures."""
    today = today or _dt.date.today()
    c = choice.condition
    refs = _Refs(cat)
    sections: list[Section] = [_red_flags(c), _decision(choice)]
    about: list[Paragraph | Note] = [Paragraph(_with_refs(" ".join(c.summary.split()), ""))]
    if c.synonyms:
        about.append(Note("Also called: " + ", ".join(c.synonyms) + "."))
    sections.append(
        Section("about", f"What {_in_text(c.name)} is, and how it usually goes", tuple(about))
    )
    first: list[Paragraph | Bullets] = [
        Paragraph(
            "This is the care the catalogue's sources put first, before any procedure "
            f"{refs.cite(c.sources)}. It goes on alongside every option below."
        ),
        Bullets(tuple(_sentence(item) for item in c.first_line)),
    ]
    if c.interventional_note:
        first.append(Paragraph(_sentence(c.interventional_note)))
    sections.append(
        Section("first-line", "Care without a procedure (first-line care)", tuple(first))
    )
    sections.append(_grid_section(cat, choice, refs))
    if choice.against or choice.other_against:
        sections.append(_against_section(choice, refs))
    sections += [
        Section("questions", "Questions to ask your clinician", (Bullets(ASK_YOUR_CLINICIAN),)),
        Section(
            "what-matters",
            "What matters most to you?",
            (
                Paragraph(
                    "There is no single right choice: the best one fits what matters to you. "
                    "These prompts may help you think it through and talk about it."
                ),
                Bullets(WHAT_MATTERS),
            ),
        ),
    ]
    m = cat.meta
    sections.append(
        Section(
            "about-handout",
            "About this handout",
            (
                Facts(
                    (
                        ("Made on", today.isoformat()),
                        ("Catalogue", f"{m.title}, version {m.version}, reviewed {m.reviewed}"),
                        ("This condition's entry", f"last reviewed {c.reviewed}"),
                        ("How it is kept up to date", KEPT_UP_TO_DATE),
                        ("Funding and conflicts of interest", FUNDING),
                    )
                ),
            ),
        )
    )
    sections.append(Section("notice", "Not medical advice", (Paragraph(NOTICE),)))
    doc = Document(
        title=f"{_short(c.name)}: your options",
        subtitle=None,
        sections=tuple(sections),
        references=refs.references(),
        meta=DocMeta(m.version, m.reviewed, today.isoformat()),
    )
    return Handout(doc, *_timeline(choice), _icon_arrays(choice))


def _decision(choice: Choice) -> Section:
    c = choice.condition
    if choice.options:
        text = (
            f"Whether to have a procedure for {_in_text(c.name)} and, if so, which one; or to "
            "keep going with first-line care without one. This handout sets the options "
            "side by side, to read and to talk over with your clinician."
        )
    elif choice.any_supported:
        text = (
            f"Whether to have a procedure for {_in_text(c.name)}. None of the options named "
            "for this handout is supported for it: see those recommended against below, "
            f"and make a handout without naming options (painopts handout {c.id}) to "
            "compare the ones that are."
        )
    else:
        text = (
            f"How to manage {_in_text(c.name)} without a procedure: no procedure in this "
            "catalogue is supported for it, so first-line care is the option to discuss."
        )
    return Section("decision", "The decision", (Paragraph(text),))


def _red_flags(c: Condition) -> Section:
    if c.red_flags:
        blocks: tuple[Paragraph | Bullets, ...] = (
            Paragraph("Get urgent medical help, and do not wait for a procedure, if you have:"),
            Bullets(tuple(_sentence(f) for f in c.red_flags)),
        )
    else:
        blocks = (
            Paragraph(
                "The catalogue lists no specific warning signs for this condition. Get "
                "medical help for pain that is sudden, severe, or new and unexplained."
            ),
        )
    return Section("red-flags", "Get help urgently", blocks, tone="warning")


def _grid_section(cat: Catalogue, choice: Choice, refs: _Refs) -> Section:
    c = choice.condition
    # The stance goes with the name, so a column read alone still says it.
    columns = [NO_PROCEDURE, *(f"{t.name} ({ind.stance.label})" for t, ind in choice.options)]
    # One denominator for every rate in the grid, so numbers compare across columns.
    rates = [r.rate for t, _ in choice.options for r in t.risks if r.rate is not None]
    denominator = common_denominator(rates) if rates else None
    with_numbers = any(b.condition == c.id for t, _ in choice.options for b in t.benefits)
    cells: list[list[str]] = [_no_procedure_cells(c, refs, with_numbers)]
    for t, ind in choice.options:
        cells.append(_option_cells(c, t, ind, refs, denominator))
    rows = tuple((q, tuple(col[i] for col in cells)) for i, q in enumerate(QUESTIONS))
    blocks: list[Paragraph | Grid | Note] = [
        Paragraph(
            "Each column is one option; each row answers one question. Read down a column "
            "for one option, or across a row to compare. Numbers in brackets point to the "
            "sources at the end."
        ),
        Grid(tuple(columns), rows),
    ]
    if not choice.options and not choice.any_supported:
        blocks.append(
            Note(
                f"No procedure in this catalogue is supported for {_in_text(c.name)}: "
                "first-line care is the only option the grid can show."
            )
        )
    if choice.left_out:
        blocks.append(
            Note(
                f"Left out to keep the grid readable ({len(choice.left_out)} more, further "
                f"along the stepped-care order): {names(t for t, _ in choice.left_out)}. "
                f"Name the options you want: painopts handout {c.id} "
                + " ".join(t.id for t, _ in choice.left_out[:2])
            )
        )
    if choice.tests:
        blocks.append(
            Note(
                "Diagnostic tests, not treatments, so not in the grid: "
                f"{names(t for t, _ in choice.tests)}."
            )
        )
    return Section("options", "Your options side by side", tuple(blocks))


def _no_procedure_cells(c: Condition, refs: _Refs, with_numbers: bool) -> list[str]:
    marks = refs.cite(c.sources)
    helped = NOT_KNOWN
    if with_numbers:
        # A trial's comparison group is not first-line care as such, so its number is
        # not put here as if it were; the reader is pointed to it instead.
        helped += (
            " In the trials beside it, some people in the comparison groups were helped "
            "too: see the second number in each option's cell."
        )
    return [
        "Keep going with the first-line care listed above, adjusted with your clinician "
        "as things change. No needle, device or operation.",
        "Not recorded in the catalogue for this condition; see what it is and how it "
        "usually goes, above.",
        "Not recorded in the catalogue for this condition.",
        helped,
        "No risks from a procedure. Medicines and treatments in first-line care have side "
        "effects of their own: ask about them.",
        "No recovery from a procedure and no time off for one.",
        "Yes: it goes on, alongside or after any other option.",
        _with_refs("The care the sources put first for this condition.", marks),
    ]


def _option_cells(
    c: Condition, t: Technique, ind: Indication, refs: _Refs, denominator: int | None
) -> list[str]:
    how = t.invasiveness.meaning.split(":", 1)[0].lower()
    setting = " or ".join(s.value.replace("-", " ") for s in t.setting)
    involve = (
        f"{_sentence(t.summary)} Kind: {how}, {setting}.\nOn the day: {_sentence(t.expect.during)}"
    )
    onset = format_duration(t.onset)
    if t.onset.note:
        onset = f"{onset}. {_sentence(t.onset.note)}"
    onset = _with_refs(onset, refs.cite(t.onset.sources))
    if t.relief is None:
        relief = TEST_NOT_TREATMENT
    else:
        relief = relief_words(t, ind)
        if t.relief.note:
            relief = f"{relief}. {_sentence(t.relief.note)}"
        relief = _with_refs(relief, refs.cite(t.relief.sources))
    helped = [
        _with_refs(
            benefit_words(b, _lowered(t.name)) + (f" {_sentence(b.note)}" if b.note else ""),
            refs.cite(b.sources),
        )
        for b in t.benefits
        if b.condition == c.id
    ]
    risks = []
    for r in t.risks:
        if r.rate is not None:
            how = risk_words(r, denominator)
            if r.rate.note:
                how += f" ({' '.join(r.rate.note.split()).rstrip('.')})"
            marks = refs.cite(r.rate.sources)
        elif r.frequency:
            how = r.frequency
            marks = refs.cite(r.sources)
        else:
            how = HOW_OFTEN_NOT_KNOWN
            marks = refs.cite(r.sources)
        risks.append(_with_refs(f"{r.name}: {how}.", marks))
    bleeding = t.bleeding_risk
    risks.append(
        _with_refs(
            f"Bleeding risk for people on blood thinners: {bleeding_words(bleeding)}.",
            refs.cite(bleeding.sources) if bleeding is not None else "",
        )
    )
    if t.repeatable:
        again = "Yes." + (f" {_sentence(t.repeat_note)}" if t.repeat_note else "")
    else:
        again = "No." + (f" {_sentence(t.repeat_note)}" if t.repeat_note else "")
    guide = f"{ind.stance.label.capitalize()} for this condition. Evidence: {evidence_words(ind)}. "
    guide += _sentence(ind.note)
    if ind.disagreement:
        guide += f" Sources disagree: {_sentence(ind.disagreement)}"
    return [
        involve,
        onset,
        relief,
        "\n".join(helped) if helped else NOT_KNOWN,
        "\n".join(risks),
        _sentence(t.recovery),
        again,
        _with_refs(guide, refs.cite(ind.sources)),
    ]


def _against_section(choice: Choice, refs: _Refs) -> Section:
    c = choice.condition
    blocks: list[Paragraph | Entry | Note] = [
        Paragraph(
            f"A guideline or the best evidence advises against these for "
            f"{_in_text(c.name)}. They are not choices to weigh like those above."
        )
    ]
    for t, ind in choice.against:
        blocks.append(
            Entry(
                title=t.name,
                label=AGAINST_LABEL,
                facts=(("Evidence", evidence_words(ind)),),
                paragraphs=(_with_refs(_sentence(ind.note), refs.cite(ind.sources)),),
                tone="against",
            )
        )
    if choice.other_against:
        n = choice.other_against
        blocks.append(
            Note(
                f"{n} other option{'s are' if n != 1 else ' is'} recommended against for this "
                f"condition: painopts for {c.id}"
            )
        )
    return Section("against", "Recommended against", tuple(blocks), tone="against")


def _timeline(choice: Choice) -> tuple[tuple[Bar, ...], str | None]:
    bars = []
    for t, ind in choice.options:
        onset_max = t.onset.max_days if t.onset.max_days is not None else t.onset.min_days
        if t.relief is None:
            continue
        relief_max = t.relief.max_days
        end = None if relief_max is None or t.onset.open_ended else onset_max + relief_max
        words = f"onset {format_duration(t.onset)}; relief {relief_words(t, ind)}"
        bars.append(
            Bar(
                t.name,
                ind.stance.label,
                t.onset.min_days,
                onset_max + t.relief.min_days,
                end,
                words,
            )
        )
    n = len(choice.against)
    note = (
        f"Not drawn: {n} option{'s' if n != 1 else ''} recommended against (listed apart)."
        if n
        else None
    )
    return tuple(bars), note


def _icon_arrays(choice: Choice) -> tuple[IconArray, ...]:
    c = choice.condition
    return tuple(
        IconArray(
            t.name,
            b.outcome,
            b.helped,
            b.comparator,
            b.comparator_helped,
            benefit_words(b, _lowered(t.name)),
        )
        for t, _ in choice.options
        for b in t.benefits
        if b.condition == c.id
    )
