"""Words as search compares them: whole words, lightly stemmed.

A hand-written stemmer rather than a library: the catalogue's vocabulary is small and
medical, and a full Porter/Snowball stemmer both costs start-up time (it is imported on
every `search`) and conflates too much ("stimulator" and "stimulation", "general" and
"generic"). This one only folds the endings a reader types differently from the text:
plurals (nerves, therapies), -ing and -ed (freezing, heated) and a final silent "e"
(freeze/freezing), with a short list of irregular forms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

# Words so common in questions that requiring them would hide good hits ("pain in the
# back"). A query made only of these keeps them.
STOPWORDS = frozenset(
    "a an and are as at be by can do does for from how i in is it my of on or the to "
    "what when which with".split()
)

IRREGULAR = {
    "burnt": "burn",
    "froze": "freez",
    "frozen": "freez",
    "knees": "knee",
    "feet": "foot",
    "teeth": "tooth",
}
_KEEP_S = ("ss", "us", "is", "ys", "as")
_DOUBLE_OK = frozenset("lsz")
_VOWELS = frozenset("aeiouy")


def tokens(text: str) -> Iterator[tuple[int, int, str]]:
    """Each word of *text* with its start and end, case-folded."""
    for m in _WORD.finditer(text):
        yield m.start(), m.end(), m.group().casefold()


def stem(word: str) -> str:
    """A word's comparison form: "freezing", "freezes" and "freeze" all give "freez";
    "nerves" and "nerve" give "nerv"; "therapies" gives "therapy"."""
    w = word.casefold().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if w in IRREGULAR:
        return IRREGULAR[w]
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(_KEEP_S):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        base = w[: -len(suffix)]
        # Only when a vowel is left, so "thing", "bed" and "need" stay whole.
        if w.endswith(suffix) and len(base) >= 3 and _VOWELS & set(base) and not w.endswith("eed"):
            w = base
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in _VOWELS | _DOUBLE_OK:
                w = w[:-1]  # stopping -> stop
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


def query_stems(query: str) -> list[str]:
    """The distinct stems a query asks for, in order, without stop words (unless the
    query is nothing but stop words)."""
    words = [w for _, _, w in tokens(query)]
    kept = [w for w in words if w not in STOPWORDS] or words
    return list(dict.fromkeys(stem(w) for w in kept))
