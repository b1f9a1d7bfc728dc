"""Search: which techniques and conditions hold the words a reader typed, and why.

Apart from painopts.queries because only `search` needs it: its records cost import
time that every other command would otherwise pay.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from painopts.errors import UsageError
from painopts.models import Catalogue
from painopts.queries import Kind
from painopts.stems import IRREGULAR, query_stems, stem, tokens


@dataclass(frozen=True, slots=True)
class Reason:
    """One field of an entry that matched: which field, the words in it that matched
    (as written there), and the field's text or the part of it around those words."""

    field: str
    words: tuple[str, ...]
    text: str

    def __str__(self) -> str:
        return f"{self.field} {self.text!r} ({', '.join(self.words)})"


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: Kind
    id: str
    name: str
    score: int
    reasons: tuple[Reason, ...]  # the best first: most query words, then the field's weight

    @property
    def best(self) -> Reason:
        return self.reasons[0]


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    hits: tuple[SearchHit, ...]
    # Query words that matched nothing, each with the words searched instead.
    corrected: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def note(self) -> str | None:
        """What was searched instead of words that matched nothing, if anything was."""
        if not self.corrected:
            return None
        typed = ", ".join(repr(w) for w, _ in self.corrected)
        instead = ", ".join(" or ".join(repr(a) for a in alts) for _, alts in self.corrected)
        return f"nothing matches {typed}; showing matches for {instead}"


# Names outrank text: a word in a name says more about what an entry is than the same
# word in its summary, and a summary more than a note on one indication.
_FIELD_WEIGHTS = {
    "id": 100,
    "name": 90,
    "alias": 80,
    "synonym": 80,
    "summary": 20,
    "mechanism": 12,
    "interventional note": 10,
    "note": 10,
    "first-line care": 8,
}
_NAME_FIELDS = frozenset({"id", "name", "alias", "synonym"})
_MAX_ALTERNATIVES = 3


def _snippet(text: str, start: int, end: int, width: int = 30) -> str:
    """The words of *text* from *start* to *end* with about *width* characters either
    side, never cut inside a word."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    while left > 0 and not text[left - 1].isspace():
        left += 1
        if left >= start:
            left = start
            break
    while right < len(text) and not text[right].isspace():
        right -= 1
        if right <= end:
            right = end
            break
    return ("..." if left else "") + text[left:right].strip() + ("..." if right < len(text) else "")


@dataclass(frozen=True, slots=True)
class _Field:
    label: str
    text: str
    folded: str  # case-folded, for the cheap substring test

    @property
    def weight(self) -> int:
        return _FIELD_WEIGHTS[self.label]

    @property
    def words(self) -> tuple[tuple[int, int, str], ...]:
        """Each word's start, end and stem; split once per process."""
        known = _WORDS.get(self.text)
        if known is None:
            found = []
            for start, end, w in tokens(self.text):
                st = _STEMS.get(w)
                if st is None:
                    st = _STEMS[w] = stem(w)
                found.append((start, end, st))
            known = _WORDS[self.text] = tuple(found)
        return known


_WORDS: dict[str, tuple[tuple[int, int, str], ...]] = {}
_STEMS: dict[str, str] = {}  # word (case-folded) -> stem


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: Kind
    id: str
    name: str
    fields: tuple[_Field, ...]


def search(cat: Catalogue, query: str, limit: int = 20) -> list[SearchHit]:
    """The hits of search_catalogue(), for callers that need no more."""
    return list(search_catalogue(cat, query, limit).hits)


def search_catalogue(cat: Catalogue, query: str, limit: int = 20) -> SearchResult:
    """Techniques and conditions whose text contains every word of *query* as a whole
    word (any ending: "freeze" finds "freezing"), ranked by where the words are (names
    above summaries above notes), each with the fields that matched, best first.

    A word that is nowhere in the catalogue is searched as the words a typo or two
    away from it ("epidual": "epidural"), and the result says so."""
    wanted = query_stems(query)
    if not wanted:
        raise UsageError("search needs some text, e.g. `painopts search nerve`")
    entries = _entries(cat)
    exact = _run(entries, [frozenset({w}) for w in wanted], limit)
    if exact:
        return SearchResult(query, exact)
    # Nothing: is a word missing from the whole catalogue (a typo)? Only now is every
    # field split into words, which costs more than the search itself.
    vocabulary = _vocabulary(entries)
    stems = set(vocabulary.values())
    if all(w in stems for w in wanted):
        return SearchResult(query, ())
    terms: list[frozenset[str]] = []
    corrected: list[tuple[str, tuple[str, ...]]] = []
    typed = {stem(w): w for _, _, w in tokens(query)}
    for want in wanted:
        if want in stems:
            terms.append(frozenset({want}))
            continue
        alternatives = _alternatives(typed.get(want, want), vocabulary)
        if not alternatives:
            return SearchResult(query, ())
        terms.append(frozenset(vocabulary[a] for a in alternatives))
        corrected.append((typed.get(want, want), tuple(alternatives)))
    return SearchResult(query, _run(entries, terms, limit), tuple(corrected))


def _run(entries: list[_Entry], terms: list[frozenset[str]], limit: int) -> tuple[SearchHit, ...]:
    # A word with stem s holds s minus its last letter (freez: "freezing", therapy:
    # "therapies"), or is one of the irregular forms: a substring test on the raw text
    # skips every field that cannot match before any is split into words.
    probes = [
        {st[:-1] if len(st) > 3 else st for st in t} | {w for w, st in IRREGULAR.items() if st in t}
        for t in terms
    ]
    hits = []
    for entry in entries:
        if all(any(p in f.folded for f in entry.fields for p in ps) for ps in probes):
            hit = _score(entry, terms, probes)
            if hit is not None:
                hits.append(hit)
    hits.sort(key=lambda h: (-h.score, h.name.casefold()))
    return tuple(hits[:limit])


def _alternatives(word: str, vocabulary: dict[str, str]) -> list[str]:
    """Words of the catalogue a typo away from *word*, nearest first, else the words it
    begins (at 4 letters or more)."""
    from painopts.suggest import allowed_edits, close, edit_distance

    near = close(word, vocabulary)
    if near:  # only the nearest: "epidual" is "epidural", not also "residual"
        limit = edit_distance(word, near[0], allowed_edits(word))
        near = [w for w in near if edit_distance(word, w, limit) <= limit]
    if not near and len(word) >= 4:
        near = sorted(w for w in vocabulary if w.startswith(word))
    by_stem = {vocabulary[w]: w for w in reversed(near)}  # one spelling per stem
    return [w for w in near if by_stem[vocabulary[w]] == w][:_MAX_ALTERNATIVES]


def _score(entry: _Entry, terms: list[frozenset[str]], probes: list[set[str]]) -> SearchHit | None:
    """Each query word counts once, at the best field it is in; a field holding every
    word counts again; a name that is exactly the query counts most."""
    best_weight = [0] * len(terms)
    bonus = 0
    reasons: list[tuple[int, int, Reason]] = []
    for f in entry.fields:
        if not any(p in f.folded for ps in probes for p in ps):
            continue
        hit_terms = [i for i, t in enumerate(terms) if any(s in t for _, _, s in f.words)]
        if not hit_terms:
            continue
        for i in hit_terms:
            best_weight[i] = max(best_weight[i], f.weight)
        if len(hit_terms) == len(terms):
            bonus += f.weight
            if f.label in _NAME_FIELDS and len(f.words) == len(terms):
                bonus += 2 * f.weight
        matched = [(a, b, s) for a, b, s in f.words if any(s in terms[i] for i in hit_terms)]
        if f.label in _NAME_FIELDS:
            text = f.text
            shown = matched
        else:
            a, b = _window(matched, [terms[i] for i in hit_terms])
            text = _snippet(f.text, a, b, max(10, (70 - (b - a)) // 2))
            if len(text) > 90:
                a, b = matched[0][0], matched[0][1]
                text = _snippet(f.text, a, b)
            # The words as the snippet shows them first, then any found outside it.
            shown = [m for m in matched if a <= m[0] < b] + matched
        first: dict[str, str] = {}
        for start, end, s in shown:
            first.setdefault(s, f.text[start:end])
        words = tuple(first.values())
        reasons.append((len(hit_terms), f.weight, Reason(f.label, words, text)))
    if not all(best_weight):
        return None
    reasons.sort(key=lambda r: (-r[0], -r[1]))
    unique = tuple(dict.fromkeys(r for _, _, r in reasons))
    return SearchHit(entry.kind, entry.id, entry.name, sum(best_weight) + bonus, unique)


def _window(matched: list[tuple[int, int, str]], terms: list[frozenset[str]]) -> tuple[int, int]:
    """The shortest stretch of text holding one matched word of each term."""
    best = (matched[0][0], matched[0][1])
    best_len: int | None = None
    for i, (start, _, _) in enumerate(matched):
        need = set(range(len(terms)))
        for _, end, s in matched[i:]:
            need -= {n for n in need if s in terms[n]}
            if not need:
                if best_len is None or end - start < best_len:
                    best, best_len = (start, end), end - start
                break
    return best


def _entries(cat: Catalogue) -> list[_Entry]:
    """Every searchable field of every entry, made once per catalogue."""
    known = _ENTRIES.get(id(cat))
    if known is not None and known[0]() is cat:
        return known[1]

    def field(label: str, text: str) -> _Field:
        return _Field(label, text, text.casefold())

    entries: list[_Entry] = []
    for t in cat.techniques.values():
        fields = [field("id", t.id), field("name", t.name)]
        fields += [field("alias", a) for a in t.aliases]
        fields += [field("summary", t.summary), field("mechanism", t.mechanism)]
        fields += [field("note", i.note) for i in t.indications]
        entries.append(_Entry("technique", t.id, t.name, tuple(fields)))
    for c in cat.conditions.values():
        fields = [field("id", c.id), field("name", c.name)]
        fields += [field("synonym", s) for s in c.synonyms]
        fields += [field("summary", c.summary)]
        if c.interventional_note:
            fields.append(field("interventional note", c.interventional_note))
        fields += [field("first-line care", f) for f in c.first_line]
        entries.append(_Entry("condition", c.id, c.name, tuple(fields)))
    key = id(cat)
    _ENTRIES[key] = (weakref.ref(cat, lambda _: _ENTRIES.pop(key, None)), entries)
    return entries


def _vocabulary(entries: list[_Entry]) -> dict[str, str]:
    """Every word of every field as written (case-folded), with its stem."""
    vocabulary: dict[str, str] = {}
    for entry in entries:
        for f in entry.fields:
            for start, end, st in f.words:
                vocabulary.setdefault(f.folded[start:end], st)
    return vocabulary


_ENTRIES: dict[int, tuple[weakref.ref[Catalogue], list[_Entry]]] = {}
