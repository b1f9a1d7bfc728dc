"""Rich styles shared by the terminal renderers: how a stance and a heading look.

The words come from painopts.wording; this module only adds the look, so no renderer
imports another for a label.
"""

from __future__ import annotations

from rich.text import Text

from painopts.models import Stance

STANCE_STYLE = {
    Stance.RECOMMENDED: "green",
    Stance.MAY_BE_CONSIDERED: "yellow",
    Stance.NOT_RECOMMENDED: "red",
}

# Whatever is recommended against: bars, headings and labels alike.
AGAINST = STANCE_STYLE[Stance.NOT_RECOMMENDED]
AGAINST_HEADING = f"bold {AGAINST}"
# Red flags and other warnings: the same urgency colour, with their own words.
WARNING_HEADING = "bold red"


def stance_text(stance: Stance) -> Text:
    # The word itself carries the meaning; colour only repeats it.
    return Text(stance.label, style=STANCE_STYLE[stance])


def heading(title: str) -> Text:
    return Text(title, style="bold underline")
