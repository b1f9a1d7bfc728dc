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
