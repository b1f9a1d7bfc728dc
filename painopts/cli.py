"""Command-line interface: parse options, call the query layer, print renderables.

Domain code raises; this module alone prints and chooses exit codes.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from painopts import __version__

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from painopts.models import Catalogue


class Exit(IntEnum):
    OK = 0
    CATALOGUE = 1
    USAGE = 2
    INTERNAL = 3
    INTERRUPTED = 130


app = typer.Typer(
    name="painopts",
    help="Explore interventional pain management options: what each procedure is for, "
    "how long relief lasts, how invasive it is and how good the evidence is. "
    "Educational information only, not medical advice.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])


class _State:
    catalogs: list[Path] = []
    bundled: bool = True


state = _State()


def _consoles() -> tuple[Console, Console]:
    from rich.console import Console

    out = Console(highlight=False, emoji=False, markup=False)
    err = Console(stderr=True, highlight=False, emoji=False, markup=False)
    return out, err


def _fail(message: str, code: Exit) -> typer.Exit:
    from rich.text import Text

    _, err = _consoles()
    err.print(Text(f"painopts: {message}"), soft_wrap=True)
    return typer.Exit(int(code))


def guarded(func: F) -> F:
    """Turn every error into a message on stderr and a documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from painopts.errors import CatalogueError, LookupFailed, UsageError

        try:
            result = func(*args, **kwargs)
            sys.stdout.flush()
            return result
        except typer.Exit:
            raise
        except CatalogueError as exc:
            _report_catalogue_error(exc)
            raise typer.Exit(int(Exit.CATALOGUE)) from None
        except (LookupFailed, UsageError) as exc:
            raise _fail(str(exc), Exit.USAGE) from None
        except BrokenPipeError:
            # The reader went away (`painopts list | head -1`): stop quietly, and
            # point stdout at /dev/null so the final flush cannot fail again.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(int(Exit.OK)) from None
        except KeyboardInterrupt:
            raise _fail("interrupted", Exit.INTERRUPTED) from None
        except Exception as exc:
            if os.environ.get("PAINOPTS_DEBUG"):
                raise
            raise _fail(
                f"internal error: {type(exc).__name__}: {exc}. This is a bug; please report it "
                "with the command you ran (set PAINOPTS_DEBUG=1 to see the traceback).",
                Exit.INTERNAL,
            ) from None

    return wrapper  # type: ignore[return-value]


def _report_catalogue_error(exc: Any, limit: int = 20) -> None:
    from rich.text import Text

    _, err = _consoles()
    issues = exc.issues
    for issue in issues[:limit]:
        err.print(Text(f"painopts: {issue}"), soft_wrap=True)
    if len(issues) > limit:
        err.print(Text(f"painopts: ... and {len(issues) - limit} more problems"), soft_wrap=True)
    err.print(
        Text("painopts: the catalogue is invalid; run `painopts validate` for the full list.")
    )


def _catalogue() -> Catalogue:
    from painopts.loader import load_catalogue

    return load_catalogue(state.catalogs, bundled=state.bundled)


def _print(*renderables: RenderableType, with_notice: bool = True) -> None:
    from painopts.render import notice

    out, _ = _consoles()
    for r in renderables:
        out.print(r)
    if with_notice:
        out.print(notice())


def _version(value: bool) -> None:
    if value:
        typer.echo(f"painopts {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    catalog: Annotated[
        list[Path] | None,
        typer.Option(
            "--catalog",
            help="Add a catalogue file or directory on top of the bundled one (repeatable). "
            "Also read from PAINOPTS_CATALOG, a path list.",
            show_default=False,
        ),
    ] = None,
    no_bundled: Annotated[
        bool, typer.Option("--no-bundled", help="Use only the catalogues given with --catalog.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Explore interventional pain management options."""
    env = os.environ.get("PAINOPTS_CATALOG", "")
    state.catalogs = [Path(p) for p in env.split(os.pathsep) if p] + list(catalog or [])
    state.bundled = not no_bundled


@app.command("list")
@guarded
def list_techniques() -> None:
    """List every technique: id, name, category, invasiveness and typical relief."""
    from painopts.render import technique_list

    cat = _catalogue()
    _print(technique_list(cat.techniques.values()))


@app.command("show")
@guarded
def show(
    name: Annotated[str, typer.Argument(help="Technique id, alias or name, e.g. rfa.")],
) -> None:
    """Everything about one technique, with evidence per condition and its sources."""
    from painopts.queries import find_technique
    from painopts.render import technique_detail

    cat = _catalogue()
    _print(technique_detail(cat, find_technique(cat, name)))


@app.command("compare")
@guarded
def compare(
    names: Annotated[
        list[str], typer.Argument(help="Two or more technique ids, aliases or names.")
    ],
) -> None:
    """Compare techniques side by side: attributes as rows, techniques as columns."""
    from painopts.errors import UsageError
    from painopts.queries import NameIndex, find_technique
    from painopts.render import compare_table

    if len(names) < 2:
        raise UsageError("compare needs at least two techniques, e.g. `painopts compare rfa scs`")
    cat = _catalogue()
    index = NameIndex.build(cat)
    chosen = list({t.id: t for t in (find_technique(cat, n, index) for n in names)}.values())
    if len(chosen) < 2:
        raise UsageError("those names all refer to the same technique; give two different ones")
    _print(compare_table(cat, chosen))


@app.command("for")
@guarded
def for_condition(
    condition: Annotated[str, typer.Argument(help="Condition id, name or synonym, e.g. sciatica.")],
) -> None:
    """Options for a condition in stepped-care order, with red flags and first-line care."""
    from painopts.queries import find_condition, options_for
    from painopts.render import condition_view

    cat = _catalogue()
    _print(condition_view(cat, options_for(cat, find_condition(cat, condition))))


@app.command("conditions")
@guarded
def conditions() -> None:
    """List every condition with how many options it has."""
    from painopts.queries import option_counts
    from painopts.render import conditions_table

    cat = _catalogue()
    _print(conditions_table(cat, option_counts(cat)))


@app.command("sources")
@guarded
def sources() -> None:
    """List every reference the catalogue cites."""
    from painopts.render import sources_list

    cat = _catalogue()
    _print(sources_list(sorted(cat.sources.values(), key=lambda s: s.id)))


@app.command("validate")
@guarded
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Catalogue files or directories (default: the bundled catalogue)."),
    ] = None,
) -> None:
    """Check catalogue files and report every problem, each with file, line and column."""
    from rich.text import Text

    from painopts.errors import CatalogueError
    from painopts.loader import load_catalogue

    out, err = _consoles()
    layers = state.catalogs + list(paths or [])
    try:
        cat = load_catalogue(layers, bundled=state.bundled)
    except CatalogueError as exc:
        for issue in exc.issues:
            out.print(Text(str(issue)), soft_wrap=True)
        n = len(exc.issues)
        err.print(Text(f"{n} problem{'s' if n != 1 else ''} found"))
        raise typer.Exit(int(Exit.CATALOGUE)) from None
    out.print(
        Text(
            f"valid: {len(cat.techniques)} techniques, {len(cat.conditions)} conditions, "
            f"{sum(len(t.indications) for t in cat.techniques.values())} indications, "
            f"{len(cat.sources)} sources ({', '.join(cat.origins)})"
        )
    )


def main() -> None:
    """Console-script entry point."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            # A non-UTF-8 terminal must degrade characters, not crash on them.
            reconfigure(errors="replace")
    app()
