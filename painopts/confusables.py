"""Skeletons of names, after Unicode TR39 ("confusable detection"), from a compact table.

Two names with the same skeleton look the same on screen, so the loader treats them as
duplicates: "Fаcet" with a Cyrillic "а" cannot pose as "Facet". The full TR39 table has
about 6,000 entries for every script; a catalogue's names are typed in Latin letters, so
this table keeps what can pass for Latin: compatibility forms (fullwidth, ligatures,
mathematical letters) through NFKD, the Cyrillic, Greek, Armenian and IPA letters that
look like Latin ones, and the ASCII look-alikes TR39 itself lists (0/o, 1/l, rn/m,
vv/w). It is only used while validating, so it costs nothing on a cached run.
"""

from __future__ import annotations

import unicodedata

# Each line: the Latin letter, then characters drawn the same way. Names are case-folded
# before their skeleton is taken, so a capital impostor arrives in its lowercase form
# (Cyrillic "Н" as "н", Greek "Τ" as "τ") and is listed that way.
_GROUPS = {
    "a": "аɑαａ⍺",
    "b": "ьƅвβ",
    "c": "сϲᴄⅽ",
    "d": "ԁⅾ",
    "e": "еҽ℮ꬲε",
    "g": "ɡցǥ",
    "h": "һհн",
    "i": "іıι¡ⅰɩ",
    "j": "јϳ",
    "k": "κк",
    "l": "1|ӏⅼℓ",
    "m": "ⅿмμ",
    "n": "ոп",
    "o": "0оοσօဝ",
    "p": "рρ⍴",
    "q": "ԛզ",
    "r": "гᴦ",
    "s": "ѕꜱ",
    "t": "тτ",
    "u": "υսʋ",
    "v": "νѵᴠⅴ",
    "w": "ԝѡ",
    "x": "хχⅹ",
    "y": "уγү",
    "z": "ᴢζ",
    "-": "‐‑‒–—―−ー",
}
_TABLE = {ord(c): latin for latin, chars in _GROUPS.items() for c in chars}
_SEQUENCES = (("rn", "m"), ("vv", "w"))


def skeleton(text: str) -> str:
    """The form two names share when they look alike (case-insensitive)."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    mapped = folded.translate(_TABLE)
    for seq, latin in _SEQUENCES:
        mapped = mapped.replace(seq, latin)
    # Marks stay (TR39 keeps them): "é" and "e" are different letters.
    return unicodedata.normalize("NFD", mapped)
