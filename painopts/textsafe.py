"""Text from files, made safe to show and checked for characters that hide or mislead.

Anything painopts prints that came from a file name or a file's content goes through
:func:`shown`, so a catalogue (or a hostile file name) cannot send escape sequences to
a terminal, reorder a line with bidi controls, or hide characters: each one appears
as a visible escape such as ``\\x1b`` or ``\\u202e``.
"""

from __future__ import annotations

import re

# Printable by Python's definition, yet drawn as nothing (or as a blank) by terminals:
# combining grapheme joiner, Hangul fillers, Khmer/Mongolian invisibles, variation
# selectors. Everything in Unicode categories Cc, Cf, Zl, Zp, Co, Cs and Cn (controls,
# format characters such as zero-width and bidi marks, tags, unassigned) is already
# non-printable for str.isprintable().
_INVISIBLE_PRINTABLE = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\U000e0100-\U000e01ef]"
)


def _visible(char: str) -> bool:
    return char == " " or (char.isprintable() and not _INVISIBLE_PRINTABLE.match(char))


_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_char(char: str) -> str:
    short = _SHORT.get(char)
    if short is not None:
        return short
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def shown(text: str) -> str:
    """*text* with every control, bidi, invisible or line-breaking character escaped,
    so that it prints as exactly one line of visible characters."""
    if text.isprintable() and not _INVISIBLE_PRINTABLE.search(text):
        return text
    return "".join(c if _visible(c) else escape_char(c) for c in text)


def first_invisible(text: str) -> str | None:
    """The first character of *text* that a reader could not see (or that is not
    ordinary text), or None. For names, which people type and compare."""
    if text.isprintable() and not _INVISIBLE_PRINTABLE.search(text):
        return None
    for c in text:
        if not _visible(c):
            return c
    return None  # pragma: no cover - unreachable: the fast path found one


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _json_escape(match: re.Match[str]) -> str:
    char = match.group()
    if _visible(char):
        return char
    code = ord(char)
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_text(encoded: str) -> str:
    """JSON text (already encoded) with bidi, invisible and other non-printing
    characters written as \\uXXXX escapes: the same data for a JSON parser, and
    harmless on a terminal. The encoder already escapes ASCII control characters."""
    if encoded.isascii():
        return encoded
    return _NON_ASCII.sub(_json_escape, encoded)
