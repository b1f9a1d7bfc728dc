"""Bounded "did you mean" suggestions for the loader.

Comparing every unknown id with every known id costs unknown × known string
comparisons (a 1.7 MB file took over 20 s). Instead, an index of character trigrams
picks at most MAX_CANDIDATES known ids that share the most trigrams with the unknown
one, and only those are compared in full. Trigrams shared by very many ids (such as
"-pa" in every "...-pain") say little and are skipped, so the work per unknown id has
a fixed bound whatever the catalogue's size.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable

MAX_CANDIDATES = 12
MAX_POSTING = 256  # a trigram found in more ids than this is not used to look up
CUTOFF = 0.6


def _grams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class Suggester:
    def __init__(self, words: Iterable[str]) -> None:
        self.words = list(dict.fromkeys(words))
        self.index: dict[str, list[int]] = {}
        for n, word in enumerate(self.words):
            for gram in _grams(word):
                self.index.setdefault(gram, []).append(n)
        self.comparisons = 0  # full comparisons made, for tests that check the bound
        self._memo: dict[str, str | None] = {}

    def best(self, word: str) -> str | None:
        """The closest known word, or None when nothing is close enough."""
        if word in self._memo:
            return self._memo[word]
        shared: Counter[int] = Counter()
        for gram in _grams(word):
            posting = self.index.get(gram)
            if posting is not None and len(posting) <= MAX_POSTING:
                shared.update(posting)
        found: str | None = None
        best_score = CUTOFF
        matcher = difflib.SequenceMatcher(b=word)
        for n, _ in shared.most_common(MAX_CANDIDATES):
            self.comparisons += 1
            matcher.set_seq1(self.words[n])
            if matcher.real_quick_ratio() < best_score or matcher.quick_ratio() < best_score:
                continue
            score = matcher.ratio()
            if score >= best_score and (found is None or score > best_score):
                found, best_score = self.words[n], score
        self._memo[word] = found
        return found


# --- typo tolerance for what people type -------------------------------------------
#
# A suggestion may send a patient to the wrong procedure ("tens" is not "tfesi"), so
# names and search words are only called close when they are a typo or two apart, and
# short words, where one letter changes the meaning (prf, prp), allow one edit at most.


def allowed_edits(word: str) -> int:
    """Typos tolerated in *word*: none up to 2 characters, 1 up to 5, else 2 (the same
    bounds as Elasticsearch's AUTO fuzziness)."""
    n = len(word)
    return 0 if n <= 2 else 1 if n <= 5 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (insertions, deletions, substitutions and
    swaps of neighbours) between *a* and *b*, or limit + 1 as soon as it must exceed
    *limit*."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[-1], limit + 1)


def close(word: str, known: Iterable[str]) -> list[str]:
    """The known words within *word*'s typo allowance, nearest first (ties keep the
    order of *known*)."""
    limit = allowed_edits(word)
    if limit == 0:
        return []
    letters = set(word)
    scored = []
    for n, k in enumerate(known):
        # Each edit changes at most two letters of the set: a cheap test that skips
        # most words before the quadratic one.
        if abs(len(k) - len(word)) > limit or len(letters.symmetric_difference(k)) > 2 * limit:
            continue
        scored.append((edit_distance(word, k, limit), n, k))
    return [k for d, _, k in sorted(scored) if d <= limit]
