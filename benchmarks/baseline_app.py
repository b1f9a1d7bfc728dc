"""The start-up floor: a minimal Typer app with one command that prints a one-row Rich table.

    python benchmarks/baseline_app.py hello world

``startup.py`` runs this alternately with painopts, with the same interpreter and
environment, so that the ratio painopts / baseline is what painopts itself adds. Like
painopts it keeps an ``@app.callback()`` (so the command name is not swallowed), imports
Rich only inside the command, and offers shell completion on its argument:

    _BASELINE_COMPLETE=complete_bash COMP_WORDS="baseline hello wo" COMP_CWORD=2 \\
        python benchmarks/baseline_app.py
"""

from __future__ import annotations

from typing import Annotated

import typer

WORDS = ("world", "wonder", "worker")


def complete_word(incomplete: str) -> list[str]:
    return [w for w in WORDS if w.startswith(incomplete)]


app = typer.Typer(
    name="baseline",
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def main_options() -> None:
    """Baseline app for start-up benchmarks."""


@app.command("hello")
def hello(
    name: Annotated[str, typer.Argument(autocompletion=complete_word)] = "world",
) -> None:
    """Print a one-row table."""
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "name", "greeting")
    table.add_row("1", name, f"hello, {name}")
    Console(highlight=False, emoji=False, markup=False).print(table)


if __name__ == "__main__":
    app(prog_name="baseline")
