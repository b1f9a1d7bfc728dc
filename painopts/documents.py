"""Build the Documents that `show`, `for` and `compare` print (pure functions).

Every safety section lives here once, so the terminal, Markdown and HTML cannot
differ in what they carry: risks with how often they happen, contraindications,
regulatory warnings, red flags, first-line care, stances (those recommended against
under their own heading), numbered references, the catalogue's version and review
date, and the notice. Nothing is shortened silently: where a view leaves something
out it says so and where to find it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from painopts.document import (
    Block,
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
    Tone,
)
from painopts.models import (
    Catalogue,
    Condition,
    Indication,
    Invasiveness,
    Risk,
    Source,
    Stance,
    Technique,
)
from painopts.queries import (
    ComparedForCondition,
    Narrowed,
    compare_for_condition,
    format_duration,
    technique_source_ids,
)
from painopts.wording import (
    COMPARE_FIELDS,
    NONE_MATCH,
    NOT_SUPPORTED,
    NOTICE,
    QUESTIONS,
    TEST_NOT_TREATMENT,
    evidence_short,
    evidence_words,
    how_often,
    level_name,
    level_title,
    named,
    relief_words,
    shared_denominator,
    verdict,
)

BENEFIT_NOT_KNOWN = "No trial figure in this catalogue says how many people are helped."

# --- references -----------------------------------------------------------------


class Citations:
    """Numbers sources in the order the text first cites them."""

    def __init__(self, cat: Catalogue) -> None:
        self.cat = cat
        self.numbers: dict[str, int] = {}

    def cite(self, ids: Iterable[str]) -> str:
        """ " [1,4]" for *ids* (unknown ids are skipped), or "" when none."""
        nums = []
        for i in ids:
            if i not in self.cat.sources:
                continue
            if i not in self.numbers:
                self.numbers[i] = len(self.numbers) + 1
            nums.append(self.numbers[i])
        if not nums:
            return ""
        return " " + citation(nums)

    def references(self, also: Iterable[str] = ()) -> tuple[Reference, ...]:
        """Every cited source, numbered; *also* adds sources the view lists but the text
        did not cite, so that no reference a view had before is dropped."""
        self.cite(also)
        return tuple(
            Reference(n, i, reference_text(self.cat.sources[i]), self.cat.sources[i].url)
            for i, n in self.numbers.items()
        )


def citation(numbers: Iterable[int]) -> str:
    """ "[1-3,7]": runs of three or more as ranges, and no spaces, so that a citation
    never breaks across lines."""
    nums = sorted(set(numbers))
    parts: list[str] = []
    start = 0
    for i in range(1, len(nums) + 1):
        if i == len(nums) or nums[i] != nums[i - 1] + 1:
            run = nums[start:i]
            if len(run) >= 3:
                parts.append(f"{run[0]}-{run[-1]}")
            else:
                parts += map(str, run)
            start = i
    return "[" + ",".join(parts) + "]"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def reference_text(s: Source) -> str:
    """Authors. Title. Publisher, year. (kind) — the full citation without its URL."""
    parts = [_sentence(s.authors)] if s.authors else []
    parts += [_sentence(s.title), f"{s.publisher}, {s.year}.", f"({s.kind.value})"]
    return " ".join(parts)


# --- pieces shared by the documents ---------------------------------------------------


def _meta(cat: Catalogue, generated: str | None) -> DocMeta:
    return DocMeta(
        catalogue_version=cat.meta.version,
        reviewed=cat.meta.reviewed,
        generated=generated or datetime.date.today().isoformat(),
        catalogue_title=cat.meta.title,
        origins=tuple(cat.origins),
    )


def notice_section() -> Section:
    return Section("notice", "Not medical advice", (Paragraph(NOTICE),))


def risk_lines(
    risks: Sequence[Risk], refs: Citations, denominator: int | None = None
) -> tuple[str, ...]:
    """Every risk with how often it happens; sourced rates on one denominator, so that
    they compare at a glance. A comparison passes the *denominator* of every option's
    rates: the same rate must read the same for each option ("about 26 in 1,000" beside
    "about 260 in 10,000" looks like a tenfold difference)."""
    if denominator is None:
        denominator = shared_denominator(risks)
    return tuple(
        f"{risk.name.rstrip('.')}: {how_often(risk, denominator)}"
        f"{refs.cite([*risk.sources, *(risk.rate.sources if risk.rate else ())])}"
        for risk in risks
    )


def benefit_lines(t: Technique, refs: Citations, condition: str | None = None) -> tuple[str, ...]:
    """Each sourced chance of benefit (out of 100 people, against the comparator); with
    *condition*, only those for it."""
    from painopts.numbers import benefit_words

    out = []
    for b in t.benefits:
        if condition is not None and b.condition != condition:
            continue
        text = benefit_words(b, t.name) + (f" {b.note}" if b.note else "") + refs.cite(b.sources)
        if condition is None:
            cond = _condition_name(refs.cat, b.condition)
            text = f"{cond}: {text}"
        out.append(text)
    return tuple(out)


def bleeding_line(t: Technique, refs: Citations) -> str:
    """The bleeding-risk class, its basis and source; silence said in words."""
    from painopts.numbers import bleeding_words

    cls = t.bleeding_risk
    text = bleeding_words(cls)
    if cls is not None:
        text += f"\n{cls.basis}{refs.cite(cls.sources)}"
    return text


def _stance_tone(stance: Stance) -> Tone:
    return "against" if stance is Stance.NOT_RECOMMENDED else "normal"


def _condition_name(cat: Catalogue, condition: str) -> str:
    cond = cat.conditions.get(condition)
    return f"{cond.name if cond else condition} [{condition}]"


def _indication_paragraphs(
    ind: Indication, refs: Citations, benefits: Sequence[str] = ()
) -> tuple[str, ...]:
    """What the evidence says (cited), how many are helped, any disagreement."""
    out = [ind.note + refs.cite(ind.sources), *benefits]
    if ind.disagreement:
        out.append(f"Sources disagree: {ind.disagreement}")
    return tuple(out)


def option_entry(
    cat: Catalogue,
    t: Technique,
    ind: Indication,
    number: int,
    refs: Citations,
    *,
    bleeding: bool = False,
) -> Entry:
    """One option for a condition: its stance, evidence, invasiveness and relief,
    what the evidence says (cited) and any disagreement; with *bleeding* (options
    chosen by --bleeding-risk), its bleeding-risk class."""
    from painopts.numbers import bleeding_words

    facts: tuple[tuple[str, str], ...] = (
        ("Evidence", evidence_words(ind)),
        ("Invasiveness", level_name(t.invasiveness)),
        ("Relief", relief_words(t, ind)),
    )
    if bleeding:
        facts += (("Bleeding risk", bleeding_words(t.bleeding_risk)),)
    return Entry(
        title=named(t),
        label=ind.stance.label,
        number=number,
        facts=facts,
        paragraphs=_indication_paragraphs(ind, refs, benefit_lines(t, refs, ind.condition))
        + ((f"Regulatory warning: {t.regulatory}",) if t.regulatory else ()),
        tone=_stance_tone(ind.stance),
    )


def _verdict(t: Technique) -> str:
    """The verdict without its pointer to a heading only `show` has."""
    return verdict(t).removesuffix("; see Evidence by condition") + "."


def _by_stance(ind: Indication) -> tuple[int, int]:
    return (ind.stance.rank, -ind.evidence.certainty.rank)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# --- show ----------------------------------------------------------------------------


def _named(cat: Catalogue, tid: str) -> str:
    """A related technique by name with its id to type, as in every option list."""
    other = cat.techniques.get(tid)
    return named(other) if other else tid


def show_document(
    cat: Catalogue,
    t: Technique,
    *,
    alternatives: str | None = None,
    generated: str | None = None,
) -> Document:
    """Everything about one technique, verdict first. *alternatives* names the other
    techniques a generic name could have meant."""
    refs = Citations(cat)
    inv = t.invasiveness
    head: list[Block] = [Paragraph(verdict(t))]
    if alternatives:
        head.append(Note(alternatives))
    against_any = any(i.stance is Stance.NOT_RECOMMENDED for i in t.indications)
    sections = [
        Section("verdict", "Verdict", tuple(head), tone="against" if against_any else "normal")
    ]

    if t.aliases:
        sections.append(
            Section("aliases", "Also called", (Paragraph("Also called: " + ", ".join(t.aliases)),))
        )
    sections.append(
        Section("summary", "What it is", (Paragraph(t.summary + refs.cite(t.sources)),))
    )

    if t.relief is None:
        relief = TEST_NOT_TREATMENT
    else:
        relief = relief_words(t) + refs.cite(t.relief.sources)
        if t.relief.note:
            relief += f"\n{t.relief.note}"
    onset = format_duration(t.onset) + refs.cite(t.onset.sources)
    if t.onset.note:
        onset += f"\n{t.onset.note}"
    repeat = "yes" if t.repeatable else "no"
    if t.repeat_note:
        repeat += f"\n{t.repeat_note}"
    sections.append(
        Section(
            "facts",
            "At a glance",
            (
                Facts(
                    (
                        ("Invasiveness", f"{level_name(inv)}\n{inv.meaning}"),
                        ("Purpose", str(t.purpose)),
                        ("Onset of relief", onset),
                        ("Duration of relief", relief),
                        ("Repeatable", repeat),
                        ("Bleeding risk", bleeding_line(t, refs)),
                        ("Category", str(t.category)),
                        ("Imaging", ", ".join(map(str, t.imaging))),
                        ("Anaesthesia", ", ".join(map(str, t.anaesthesia))),
                        ("Setting", ", ".join(map(str, t.setting))),
                        ("Recovery", t.recovery),
                    )
                ),
            ),
        )
    )

    supported = sorted(
        (i for i in t.indications if i.stance is not Stance.NOT_RECOMMENDED), key=_by_stance
    )
    against = sorted(
        (i for i in t.indications if i.stance is Stance.NOT_RECOMMENDED), key=_by_stance
    )
    sections.append(
        Section(
            "evidence",
            "Evidence by condition",
            tuple(_condition_entry(cat, ind, n, refs) for n, ind in enumerate(supported, 1))
            or (Paragraph("No condition in this catalogue for which it is supported."),),
        )
    )
    if against:
        sections.append(
            Section(
                "against",
                "Recommended against for these conditions",
                tuple(_condition_entry(cat, ind, n, refs) for n, ind in enumerate(against, 1)),
                tone="against",
            )
        )
    benefits = benefit_lines(t, refs)
    sections.append(
        Section(
            "benefits",
            "How many people are helped",
            (Bullets(benefits),) if benefits else (Paragraph(BENEFIT_NOT_KNOWN),),
        )
    )
    sections.append(
        Section(
            "risks",
            "Risks and how often they happen",
            (Bullets(risk_lines(t.risks, refs)),),
            tone="warning",
        )
    )
    sections.append(
        Section(
            "contraindications",
            "Contraindications",
            (Bullets(t.contraindications),),
            tone="warning",
        )
    )
    sections.append(
        Section(
            "regulatory",
            "Regulatory warnings",
            (Paragraph(t.regulatory),) if t.regulatory else (Paragraph("None recorded."),),
            tone="warning" if t.regulatory else "normal",
        )
    )
    sections.append(
        Section(
            "expect",
            "What to expect",
            (
                Facts(
                    (
                        ("Before", t.expect.before),
                        ("During", t.expect.during),
                        ("After", t.expect.after),
                    )
                ),
            ),
        )
    )
    prereqs = tuple(
        p.text + (f" (see {p.technique})" if p.technique else "") for p in t.prerequisites
    )
    sections.append(
        Section(
            "prerequisites",
            "Prerequisites",
            (Bullets(prereqs),) if prereqs else (Paragraph("None listed."),),
        )
    )
    sections.append(Section("mechanism", "How it works", (Paragraph(t.mechanism),)))
    if t.related:
        sections.append(
            Section(
                "related",
                "Related techniques",
                (Bullets(tuple(_named(cat, r) for r in t.related)),),
            )
        )
    sections.append(
        Section("reviewed", "Last reviewed", (Paragraph(f"Last reviewed {t.reviewed}."),))
    )
    sections.append(notice_section())
    return Document(
        title=t.name,
        subtitle=f"[{t.id}]",
        sections=tuple(sections),
        references=refs.references(technique_source_ids(t)),
        meta=_meta(cat, generated),
    )


def _condition_entry(cat: Catalogue, ind: Indication, number: int, refs: Citations) -> Entry:
    return Entry(
        title=_condition_name(cat, ind.condition),
        label=ind.stance.label,
        number=number,
        facts=(("Evidence", evidence_words(ind)),),
        paragraphs=_indication_paragraphs(ind, refs),
        tone=_stance_tone(ind.stance),
    )


# --- for -----------------------------------------------------------------------------


def for_verdict(narrowed: Narrowed) -> tuple[str, ...]:
    """What is supported and what guidelines advise against, in a sentence or two."""
    found = narrowed.shown
    rec = [t for t, i in found.options if i.stance is Stance.RECOMMENDED]
    may = [t for t, i in found.options if i.stance is Stance.MAY_BE_CONSIDERED]
    lines = []
    if found.options:
        parts = []
        if rec:
            parts.append(f"recommended: {_plural(len(rec), 'option')}")
        else:
            parts.append("no procedure is recommended outright")
        if may:
            parts.append(f"may be considered: {_plural(len(may), 'option')}")
        text = "; ".join(parts)
        lines.append(text[:1].upper() + text[1:] + " (listed below in stepped-care order).")
    elif narrowed.supported:
        lines.append(NONE_MATCH)
    else:
        lines.append(NOT_SUPPORTED)
    if found.against:
        names = "; ".join(named(t) for t, _ in found.against)
        lines.append(f"Recommended against by a guideline or the best evidence: {names}.")
    lines.append("First-line care comes before any procedure; red flags need urgent help.")
    return tuple(lines)


def for_document(cat: Catalogue, narrowed: Narrowed, *, generated: str | None = None) -> Document:
    """A condition's page, top-down: verdict, red flags, what it is, first-line care,
    the options that may help, those recommended against, then references."""
    refs = Citations(cat)
    found = narrowed.shown
    c = found.condition
    *verdict_lines, closing = for_verdict(narrowed)
    head: list[Block] = [Paragraph(line) for line in verdict_lines]
    filtered = narrowed.filtered_line()
    if filtered:
        head.append(Note(filtered))
    head.append(Paragraph(closing))
    sections = [Section("verdict", "Verdict", tuple(head))]
    sections.append(
        Section(
            "red-flags",
            "Get urgent medical help if any of these occur",
            (Bullets(c.red_flags),) if c.red_flags else (Paragraph("None recorded."),),
            tone="warning",
        )
    )
    about: list[Block] = [Paragraph(c.summary + refs.cite(c.sources))]
    if c.synonyms:
        about.append(Paragraph("Also called: " + ", ".join(c.synonyms)))
    about.append(Paragraph(f"Region: {', '.join(map(str, c.regions))}. Pain type: {c.pain_type}."))
    sections.append(Section("summary", f"About {c.name}", tuple(about)))
    first: list[Block] = [Bullets(c.first_line)]
    if c.interventional_note:
        first.append(Paragraph(c.interventional_note))
    sections.append(Section("first-line", "First-line care, before any procedure", tuple(first)))

    options: list[Block] = [
        option_entry(cat, t, ind, n, refs, bleeding=narrowed.by_bleeding)
        for n, (t, ind) in enumerate(found.options, 1)
    ]
    if not options:
        options.append(Paragraph(NONE_MATCH if narrowed.supported else NOT_SUPPORTED))
    if found.options:
        options.append(
            Note(
                "Each option's risks and how often they happen, contraindications and what "
                f"to expect: painopts show {found.options[0][0].id} (or any id above). "
                f"Relief over time as a chart: painopts timeline --condition {c.id}; the "
                f"care pathway: painopts pathway {c.id}"
            )
        )
    ladder = ladder_blocks(found.options, len(found.against))
    sections.append(
        Section("options", "Procedures that may help, in stepped-care order", tuple(options))
    )
    against: list[Block] = [
        option_entry(cat, t, ind, n, refs, bleeding=narrowed.by_bleeding)
        for n, (t, ind) in enumerate(found.against, 1)
    ]
    if against:
        sections.append(
            Section(
                "against",
                "Recommended against by a guideline or the best evidence",
                tuple(against),
                tone="against",
            )
        )
    if ladder:
        sections.append(Section("ladder", "Invasiveness ladder (lowest first)", ladder))
    sections.append(
        Section("reviewed", "Last reviewed", (Paragraph(f"Last reviewed {c.reviewed}."),))
    )
    sections.append(notice_section())
    return Document(
        title=c.name,
        subtitle=f"[{c.id}]",
        sections=tuple(sections),
        references=refs.references(found.source_ids),
        meta=_meta(cat, generated),
    )


def ladder_blocks(
    options: Sequence[tuple[Technique, Indication]], against: int
) -> tuple[Block, ...]:
    """The options grouped by invasiveness, lowest level first, each with its stance
    after two spaces; those recommended against are not on the ladder, and it says so."""
    blocks: list[Block] = []
    for level in Invasiveness:
        items = tuple(
            f"{named(t)}  {ind.stance.label}" for t, ind in options if t.invasiveness is level
        )
        if items:
            blocks.append(Entry(title=level_title(level), paragraphs=(level.meaning,), items=items))
    if blocks and against:
        blocks.append(
            Note(
                f"Not on the ladder: {_plural(against, 'option')} recommended against "
                f"(listed above under {'its' if against == 1 else 'their'} own heading)."
            )
        )
    return tuple(blocks)


# --- compare ---------------------------------------------------------------------------


def compare_value(t: Technique, row: str, ind: Indication | None = None) -> str:
    """One technique's answer to one comparison row, as one line of text; with *ind*,
    its indication for the condition compared (relief then says when that condition's
    evidence does not point to benefit, as every other view of the condition does)."""
    match row:
        case "name":
            return t.name
        case "category":
            return str(t.category)
        case "invasiveness":
            return level_name(t.invasiveness)
        case "purpose":
            return str(t.purpose)
        case "onset":
            return format_duration(t.onset)
        case "relief":
            return relief_words(t, ind)
        case "repeatable":
            return "yes" if t.repeatable else "no"
        case "imaging":
            return ", ".join(map(str, t.imaging))
        case "anaesthesia":
            return ", ".join(map(str, t.anaesthesia))
        case "setting":
            return ", ".join(map(str, t.setting))
        case "recovery":
            return t.recovery
        case "prerequisites":
            return "\n".join(f"- {p.text}" for p in t.prerequisites) or "none listed"
        case "bleeding":
            from painopts.numbers import bleeding_words

            return bleeding_words(t.bleeding_risk)
    raise ValueError(row)


def _condition_cell(ind: Indication | None, row: str, refs: Citations) -> str:
    if ind is None:
        return "not listed for this condition in the catalogue" if row == "stance" else ""
    ev = ind.evidence
    match row:
        case "stance":
            return ind.stance.label
        case "certainty":
            return ev.certainty.label
        case "direction":
            return ev.direction.label
        case "grade (system)":
            return f"{ev.grade} ({ev.system})"
        case "note":
            return ind.note + refs.cite(ind.sources)
        case "disagreement":
            return ind.disagreement or "none recorded"
    raise ValueError(row)


CONDITION_FIELDS = ("stance", "certainty", "direction", "grade (system)", "note", "disagreement")


def _grid(
    techniques: Sequence[Technique],
    pairs: Sequence[tuple[Technique, Indication | None]] | None,
    condition: Condition | None,
    refs: Citations,
    diff: bool,
) -> tuple[Grid, list[str]]:
    """The comparison grid and the questions --diff left out (every cell the same)."""
    rows: list[tuple[str, tuple[str, ...]]] = []
    if pairs is not None and condition is not None:
        for row in CONDITION_FIELDS:
            label = QUESTIONS[row].format(condition=condition.name)
            cells = tuple(_condition_cell(i, row, refs) for _, i in pairs)
            # A question no technique has an answer to (none is listed) is left out.
            if any(cells):
                rows.append((label, cells))
    dropped = []
    inds = [i for _, i in pairs] if pairs is not None else [None] * len(techniques)
    for row in COMPARE_FIELDS:
        cells = tuple(compare_value(t, row, i) for t, i in zip(techniques, inds, strict=True))
        if diff and len(techniques) > 1 and len(set(cells)) == 1:
            dropped.append(QUESTIONS[row])
            continue
        rows.append((QUESTIONS[row], cells))
    return Grid(tuple(t.id for t in techniques), tuple(rows)), dropped


def compare_document(
    cat: Catalogue,
    techniques: Sequence[Technique],
    condition: Condition | None = None,
    *,
    diff: bool = False,
    notes: Sequence[str] = (),
    generated: str | None = None,
) -> Document:
    """Techniques side by side; every risk, contraindication and regulatory warning of
    each in full; with *condition*, those recommended against for it compared apart."""
    refs = Citations(cat)
    compared: ComparedForCondition | None = (
        compare_for_condition(list(techniques), condition) if condition is not None else None
    )
    head: list[Block] = []
    if compared is None:
        head.append(Bullets(tuple(f"{named(t)}: {_verdict(t)}" for t in techniques)))
        options: list[Technique] = list(techniques)
        against: list[Technique] = []
    else:
        options = [t for t, _ in compared.options]
        against = [t for t, _ in compared.against]
        lines = []
        for t, ind in compared.options:
            what = (
                "not listed for it" if ind is None else f"{ind.stance.label}, {evidence_short(ind)}"
            )
            lines.append(f"{named(t)}: {what}")
        for t, ind in compared.against:
            lines.append(f"{named(t)}: {ind.stance.label}, {evidence_short(ind)}")
        head.append(Paragraph(f"For {named(compared.condition)}:"))
        head.append(Bullets(tuple(lines)))
    head += [Note(n) for n in notes]
    sections = [Section("verdict", "Verdict", tuple(head))]

    main_pairs = compared.options if compared is not None else None
    dropped: list[str] = []
    if options:
        grid, dropped = _grid(options, main_pairs, condition, refs, diff)
        blocks: list[Block] = [grid]
        if dropped:
            blocks.append(
                Note("The same for every technique, left out (--diff): " + "; ".join(dropped))
            )
        blocks.append(
            Note(
                f"Relief over time as a chart: painopts timeline {' '.join(t.id for t in options)}"
            )
        )
        sections.append(Section("comparison", "Side by side", tuple(blocks)))
    if compared is not None and against:
        grid, dropped = _grid(against, compared.against, condition, refs, diff)
        heading = f"Recommended against for {compared.condition.name}"
        sections.append(Section("against", heading, (grid,), tone="against"))
    everyone = [*options, *against]
    sections.append(
        Section(
            "evidence",
            "What each is used for, and whether it is advised",
            tuple(
                Entry(
                    title=named(t),
                    items=tuple(
                        f"{_condition_name(cat, i.condition)}: {i.stance.label}, "
                        f"{evidence_short(i)}{refs.cite(i.sources)}"
                        for i in sorted(t.indications, key=_by_stance)
                    ),
                )
                for t in everyone
            ),
        )
    )
    denominator = shared_denominator(r for t in everyone for r in t.risks)
    sections.append(
        Section(
            "risks",
            "Risks and how often they happen",
            tuple(
                Entry(title=named(t), items=risk_lines(t.risks, refs, denominator))
                for t in everyone
            ),
            tone="warning",
        )
    )
    sections.append(
        Section(
            "contraindications",
            "Contraindications",
            tuple(Entry(title=named(t), items=t.contraindications) for t in everyone),
            tone="warning",
        )
    )
    warned = [t for t in everyone if t.regulatory]
    regulatory: list[Block] = [
        Entry(title=named(t), paragraphs=(t.regulatory or "",)) for t in warned
    ]
    quiet = [t.id for t in everyone if not t.regulatory]
    if quiet:
        regulatory.append(Paragraph("None recorded for: " + ", ".join(quiet) + "."))
    sections.append(
        Section(
            "regulatory",
            "Regulatory warnings",
            tuple(regulatory),
            tone="warning" if warned else "normal",
        )
    )
    reviewed = "; ".join(f"{t.id} {t.reviewed}" for t in everyone)
    sections.append(
        Section("reviewed", "Last reviewed", (Paragraph(f"Entries last reviewed: {reviewed}."),))
    )
    sections.append(notice_section())
    also: list[str] = []
    for t in everyone:
        also += technique_source_ids(t)
    if compared is not None:
        also += compared.condition.sources
    return Document(
        title="Comparing " + ", ".join(t.id for t in everyone),
        subtitle=f"for {compared.condition.name}" if compared is not None else None,
        sections=tuple(sections),
        references=refs.references(also),
        meta=_meta(cat, generated),
    )
