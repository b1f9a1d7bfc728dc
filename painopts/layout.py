"""Layout primitives for the terminal: paragraphs that hang, tails that never split,
lines without trailing spaces, whole URLs, and wrapping measured in terminal cells.

Shared by every terminal renderer (painopts.render, painopts.render_document,
painopts.visual), none of which imports another for a building block.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import ControlType, Segment
from rich.style import Style
from rich.text import Text

from painopts.textsafe import shown

# Prose longer than this is hard to follow from one line to the next, however wide
# the terminal.
PROSE_WIDTH = 100
# Below this many columns, tables become one small block per record.
STACK_BELOW = 70
# The share of a row that a name column takes before other columns widen.
NAME_SHARE = 32


def _rstrip(line: list[Segment]) -> list[Segment]:
    """*line* without trailing spaces: a pipe gets no padding to clean up."""
    out = list(line)
    while out and not out[-1].control:
        text = out[-1].text.rstrip(" ")
        if text:
            out[-1] = Segment(text, out[-1].style)
            break
        out.pop()
    return out


def _lines_of(
    console: Console, renderable: RenderableType, options: ConsoleOptions
) -> list[list[Segment]]:
    """Rendered lines, uncropped (a URL may run past the edge) and right-stripped."""
    lines = Segment.split_lines(console.render(renderable, options))
    return [_rstrip(line) for line in lines]


class Tidy:
    """*renderable* with trailing spaces removed from every line (tables and padding
    fill lines with spaces that a pipe would keep), at most *cap* cells wide."""

    def __init__(self, renderable: RenderableType, cap: int | None = None) -> None:
        self.renderable, self.cap = renderable, cap

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.cap is not None and options.max_width > self.cap:
            options = options.update_width(self.cap)
        for line in _lines_of(console, self.renderable, options):
            yield from line
            yield Segment.line()


class Hanging:
    """*marker* ("- ", "3. ", or nothing) then *body*, wrapped at most
    ``PROSE_WIDTH`` wide, with continuation lines indented under the body's first
    character rather than under the marker."""

    def __init__(
        self,
        marker: Text | str,
        body: RenderableType,
        *,
        indent: int = 0,
        cap: int = PROSE_WIDTH,
        hang: int | None = None,
    ) -> None:
        self.marker = marker if isinstance(marker, Text) else Text(marker)
        self.body, self.indent, self.cap, self.hang = body, indent, cap, hang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        body, marker, hang = self.body, self.marker, self.marker.cell_len
        if self.hang is not None and isinstance(body, Text):
            # A long marker (a source id) would leave a sliver of text: the text
            # follows it on the first line and continues *hang* cells in.
            body, marker, hang = Text.assemble(marker, body), Text(), self.hang
        width = max(8, min(options.max_width, self.cap) - self.indent - hang)
        inner = options.update(width=width, max_width=width)
        for n, line in enumerate(_lines_of(console, body, inner)):
            out = [Segment(" " * self.indent)]
            if n == 0:
                out += marker.render(console)
            elif line:
                out.append(Segment(" " * hang))
            yield from _rstrip(out + line)
            yield Segment.line()


class Tail:
    """*text*, then *tail* after two spaces; the tail is never split across lines
    (a stance read as "not" on one line and "recommended" on the next is easy to
    misread), so it moves whole to a line of its own when it does not fit."""

    def __init__(self, text: Text, tail: Text) -> None:
        self.text, self.tail = text, tail

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        lines = list(self.text.wrap(console, width))
        last = lines[-1]
        last.rstrip()
        if last.cell_len + 2 + self.tail.cell_len <= width:
            last.append("  ")
            last.append_text(self.tail)
        else:
            lines.append(self.tail.copy())
        for line in lines:
            line.rstrip()
            line.no_wrap, line.overflow = True, "ignore"
            yield line


def prose(text: Text | str, style: str = "") -> Hanging:
    """A paragraph wrapped at words, no wider than ``PROSE_WIDTH``."""
    return Hanging("", text if isinstance(text, Text) else Text(text, style=style))


def _hyperlinks(console: Console) -> bool:
    """Whether *console* is a terminal known to show OSC 8 links. Others print the
    escape sequence as junk, and a pipe or a file must get the bare URL."""
    if not console.is_terminal or console.is_dumb_terminal or console.color_system is None:
        return False
    env = os.environ
    forced = env.get("FORCE_HYPERLINK")
    if forced is not None:
        return forced not in ("", "0")
    if env.get("TERM_PROGRAM") in {"iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper"}:
        return True
    if env.get("TERM", "") in {"xterm-kitty", "xterm-ghostty", "alacritty", "wezterm", "foot"}:
        return True
    if any(name in env for name in ("WT_SESSION", "KONSOLE_VERSION", "DOMTERM")):
        return True
    vte = env.get("VTE_VERSION", "")
    return vte.isdigit() and int(vte) >= 5000


# Rich crops every printed line to the terminal width; a segment carrying a control
# code is never cropped, so a long URL stays whole (the terminal wraps it for the eye
# without breaking it for copy and paste).
_WHOLE = ((ControlType.BELL,),)


class Url:
    """A URL on a line of its own, never wrapped, never cropped; an OSC 8 hyperlink
    where the terminal shows them."""

    def __init__(self, url: str, indent: int = 0) -> None:
        # A control segment bypasses Rich's own stripping of control characters, so
        # the URL is made safe here even though the loader already refuses them.
        self.url, self.indent = shown(url), indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        style = Style(dim=True, link=self.url if _hyperlinks(console) else None)
        if self.indent:
            yield Segment(" " * self.indent)
        yield Segment(self.url, style, _WHOLE)
        yield Segment.line()


# Where a cell may break besides spaces: after a hyphen between letters
# ("minimally-invasive"), never inside "6-12".
_HYPHEN = re.compile(r"(?<=[^\W\d_]-)(?=[^\W\d_])")


def _tokens(text: str, hyphens: bool) -> list[tuple[str, bool]]:
    """Unbreakable pieces of *text*, each with whether a space goes before it."""
    out: list[tuple[str, bool]] = []
    for word in text.split():
        parts = _HYPHEN.split(word) if hyphens else [word]
        out += [(p, j == 0 and bool(out)) for j, p in enumerate(parts)]
    return out


def wrap_cells(text: str, width: int, *, hyphens: bool = True) -> list[str]:
    """*text* in lines of at most *width* terminal cells, broken only between words
    (or after a hyphen between letters); a piece wider than *width* stays whole."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for piece, space in _tokens(para, hyphens):
            joined = line + (" " if space and line else "") + piece
            if line and cell_len(joined) > width:
                lines.append(line)
                line = piece
            else:
                line = joined
        lines.append(line)
    return lines


def cell_floor(cells: Iterable[str], hyphens: bool) -> int:
    return max((cell_len(p) for c in cells for p, _ in _tokens(c, hyphens)), default=0)
