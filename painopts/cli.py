"""Command-line interface: parse options, build a view, hand it to its format.

Each command resolves names, builds its view (painopts.views) and emits it in the
format asked for (painopts.output, the one place a format is chosen). Domain code
raises; this module alone prints and chooses exit codes. The run's catalogue layers
and output settings travel in a frozen Session (``ctx.obj``), not in module state.
Heavy modules (the loader, Rich renderables) are imported inside commands so that
start-up and shell completion stay close to Typer's own floor.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer._completion_classes import completion_init

from painopts import __version__
from painopts.cli_output import Exit
from painopts.models import (
    BleedingRisk,
    Category,
    Certainty,
    Invasiveness,
    Region,
    SortKey,
    SourceKind,
    Stance,
)
from painopts.output import Format, format_help, offered
from painopts.session import Session

if TYPE_CHECKING:
    from rich.console import Console

    from painopts.models import Catalogue
    from painopts.output import Page
    from painopts.views import View


class Color(StrEnum):
    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


app = typer.Typer(
    name="painopts",
    help="Explore interventional pain management options: what each procedure is for, "
    "how long relief lasts, how invasive it is and how good the evidence is. "
    "Educational information only, not medical advice.",
    no_args_is_help=False,
    invoke_without_command=True,
    # Typer's completion options take no shell (see painopts/completion_setup.py): ours do.
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])

# Typer's protocol for completion requests from zsh, fish and PowerShell (add_completion
# would register it).
completion_init()


# --- completion: ids and aliases, from the (cached) catalogue ----------------------


def _complete(ctx: typer.Context, kind: str, incomplete: str) -> list[str]:
    # painopts.complete answers most Tab presses before Typer loads; this is the same
    # answer for the command lines it hands over to the full CLI.
    from painopts.complete import catalogue_words

    if any(words for key, words in ctx.params.items() if key.endswith("_words")):
        # An argument named *_words is one name typed as words: after its first word,
        # offering every name again would only invite `show rfa scs`.
        return []
    root = ctx.find_root().params
    try:
        return catalogue_words(
            kind, incomplete, root.get("catalog") or (), bundled=not root.get("no_bundled")
        )
    except Exception:  # completion must never print a traceback into the shell
        return []


def complete_technique(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, "technique", incomplete)


def complete_condition(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, "condition", incomplete)


def complete_source(ctx: typer.Context, incomplete: str) -> list[str]:
    # Source ids are not among the cache's completion words: the full CLI answers.
    from painopts import cache
    from painopts.session import catalogue_layers

    root = ctx.find_root().params
    layers, _ = catalogue_layers(os.environ, root.get("catalog") or ())
    try:
        cat = cache.load(list(layers), bundled=not root.get("no_bundled"))
    except Exception:  # completion must never print a traceback into the shell
        return []
    return sorted(i for i in cat.sources if i.startswith(incomplete.casefold()))


# --- shared options ---------------------------------------------------------------


def _nonempty(value: str | None) -> str | None:
    """An option given an empty value (`--condition ''`) is a mistake, not "no filter"."""
    if value is not None and not value.strip():
        raise typer.BadParameter("must not be empty")
    return value


# Callbacks that only reject a value and never change one: shell completion may parse
# past them (painopts.complete), since no completion depends on their options' values.
VALIDATE_ONLY = frozenset({_nonempty})


def _catalogue_path_type() -> Any:
    # Typer's own path type (Typer 0.28 ships Click inside itself, without Click's
    # Path), so the shell still completes file and directory names.
    from typer.models import TyperPath

    class CataloguePath(TyperPath):
        """A path that refuses an empty value: Path("") would silently mean the
        current directory."""

        def convert(self, value: Any, param: Any, ctx: Any) -> Path:
            if isinstance(value, str) and not value.strip():
                self.fail("must not be empty (give a file or directory)", param, ctx)
            return Path(str(super().convert(value, param, ctx)))

    return CataloguePath()


_LEVELS = ", ".join(f"{level.rank} {level.value}" for level in Invasiveness)


def _level_type() -> Any:
    """An invasiveness level by name or by the rank every table prints ("2/4")."""
    from typer._types import TyperChoice as Choice

    # Named as Typer's own type, which is how shell completion recognises a choice.
    class TyperChoice(Choice[str]):
        def convert(self, value: Any, param: Any, ctx: Any) -> Any:
            text = str(value).strip()
            if text.isdigit() and 1 <= int(text) <= len(Invasiveness):
                text = list(Invasiveness)[int(text) - 1].value
            if text.lower() not in Invasiveness.values():
                self.fail(f"{value!r} is not a level; use one of {_LEVELS}", param, ctx)
            return super().convert(text, param, ctx)

        def get_metavar(self, param: Any, ctx: Any) -> str | None:
            return None

    return TyperChoice(Invasiveness.values(), case_sensitive=False)


def _format(command: str) -> Any:
    """--format with the formats *command* offers (painopts.output.MATRIX), so a pair
    outside the matrix is a usage error, and its help and completion list them."""
    choices = [str(f) for f in offered(command)]
    return typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        metavar="FORMAT",
        help=format_help(command),
        click_type=_format_choice()(choices, case_sensitive=False),
    )


@functools.cache
def _format_choice() -> type[Any]:
    from typer._types import TyperChoice as Choice

    # Named as Typer's own type, which is how shell completion recognises a choice.
    class TyperChoice(Choice[str]):
        def get_metavar(self, param: Any, ctx: Any) -> str | None:
            return None

    return TyperChoice


ColorOpt = Annotated[
    Color | None,
    typer.Option(
        "--color",
        case_sensitive=False,
        metavar="WHEN",
        help="Colour: auto (default: only on a terminal, off with NO_COLOR), always, never.",
        show_default=False,
    ),
]
PagerOpt = Annotated[
    bool | None,
    typer.Option(
        "--pager/--no-pager",
        help="Page output taller than the terminal (the default on a terminal; never when "
        "piped) with PAINOPTS_PAGER, else PAGER, else less.",
        show_default=False,
    ),
]
SortOpt = Annotated[
    SortKey | None,
    typer.Option(
        "--sort",
        case_sensitive=False,
        metavar="KEY",
        help="Sort by: " + ", ".join(SortKey.values()) + ".",
    ),
]
ReverseOpt = Annotated[bool, typer.Option("--reverse", help="Reverse the order.")]
ConditionOpt = Annotated[
    str | None,
    typer.Option(
        "--condition",
        metavar="CONDITION",
        help="Only options for this condition (id, name or synonym), each with its stance; "
        "options recommended against are left out unless --all.",
        autocompletion=complete_condition,
        callback=_nonempty,
    ),
]
ReliefAllOpt = Annotated[
    bool,
    typer.Option(
        "--all",
        help="Let relief filters keep ranges without controlled evidence of benefit "
        "(options recommended against are always listed apart here).",
    ),
]
AllOpt = Annotated[
    bool,
    typer.Option(
        "--all",
        help="Also show options recommended against (apart, labelled), and let relief "
        "filters keep ranges without controlled evidence of benefit.",
    ),
]
CategoryOpt = Annotated[
    list[Category] | None,
    typer.Option(
        "--category",
        case_sensitive=False,
        metavar="CATEGORY",
        help="Only this category (repeatable): " + ", ".join(Category.values()) + ".",
    ),
]
MinInvOpt = Annotated[
    Invasiveness | None,
    typer.Option(
        "--min-invasiveness",
        case_sensitive=False,
        metavar="LEVEL",
        click_type=_level_type(),
        help="At least this invasive: " + _LEVELS + ".",
    ),
]
MaxInvOpt = Annotated[
    Invasiveness | None,
    typer.Option(
        "--max-invasiveness",
        case_sensitive=False,
        metavar="LEVEL",
        click_type=_level_type(),
        help="At most this invasive: " + _LEVELS + ".",
    ),
]
MinReliefOpt = Annotated[
    str | None,
    typer.Option(
        "--min-relief",
        metavar="DURATION",
        help="Relief that can last at least this long (e.g. 6m, 2w, 1y; m = months); "
        "only ranges from controlled trials of an option that helps, unless --all.",
        callback=_nonempty,
    ),
]
MaxReliefOpt = Annotated[
    str | None,
    typer.Option(
        "--max-relief",
        metavar="DURATION",
        help="Relief that can end within this long (e.g. 3m); as --min-relief, unless --all.",
        callback=_nonempty,
    ),
]
EvidenceOpt = Annotated[
    Certainty | None,
    typer.Option(
        "--evidence",
        case_sensitive=False,
        metavar="CERTAINTY",
        help="Only options whose evidence shows benefit, at this certainty or better: "
        + ", ".join(Certainty.values())
        + " (never evidence of no benefit or harm).",
    ),
]
RegionOpt = Annotated[
    list[Region] | None,
    typer.Option(
        "--region",
        case_sensitive=False,
        metavar="REGION",
        help="Conditions in this body region: " + ", ".join(Region.values()) + ".",
    ),
]
StanceOpt = Annotated[
    list[Stance] | None,
    typer.Option(
        "--stance",
        case_sensitive=False,
        metavar="STANCE",
        help="Only this stance (repeatable): " + ", ".join(Stance.values()) + ".",
    ),
]


def _bleeding_type() -> Any:
    """Bleeding-risk classes, repeated or as a comma list (`low,intermediate`)."""
    from typer._types import TyperChoice as Choice

    # Named as Typer's own type, which is how shell completion recognises a choice.
    class TyperChoice(Choice[str]):
        def convert(self, value: Any, param: Any, ctx: Any) -> Any:
            parts = [p.strip().lower() for p in str(value).split(",")]
            for part in parts:
                if part == BleedingRisk.NOT_CLASSIFIED.value:
                    self.fail(
                        "options the guidance does not classify cannot be chosen: the "
                        f"filter always leaves them out; use {_BLEEDING}",
                        param,
                        ctx,
                    )
                if part not in self.choices:
                    self.fail(f"{part!r} is not a bleeding-risk class; use {_BLEEDING}", param, ctx)
            return ",".join(parts)

        def get_metavar(self, param: Any, ctx: Any) -> str | None:
            return None

    return TyperChoice(list(BLEEDING_CHOICES), case_sensitive=False)


# The classes a filter can keep: "not classified" is no class, so it is never offered.
BLEEDING_CHOICES = tuple(r.value for r in BleedingRisk if r is not BleedingRisk.NOT_CLASSIFIED)
_BLEEDING = ", ".join(BLEEDING_CHOICES)

BleedingOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--bleeding-risk",
        metavar="LEVEL",
        click_type=_bleeding_type(),
        help="Only options in this bleeding-risk class of the 2018 multisociety guidance "
        f"on pain procedures and blood thinners (repeatable or a comma list): {_BLEEDING}. "
        "Options the guidance does not classify are left out.",
        show_default=False,
    ),
]
DiagnosticOpt = Annotated[
    bool, typer.Option("--diagnostic", help="Only techniques with a diagnostic purpose.")
]
TherapeuticOpt = Annotated[
    bool, typer.Option("--therapeutic", help="Only techniques with a therapeutic purpose.")
]


# --- output: one funnel for every command ---------------------------------------------


def _console(session: Session) -> Console:
    from painopts.cli_output import make_console

    kwargs: dict[str, Any] = {"highlight": False, "emoji": False, "markup": False}
    if session.color == Color.NEVER:
        kwargs["no_color"] = True
        kwargs["color_system"] = None
    elif session.color == Color.ALWAYS:
        kwargs["force_terminal"] = True
    return make_console(**kwargs)


def _say(message: str) -> None:
    """A diagnostic line on stderr, escaped; never mixed into data on stdout."""
    from painopts.cli_output import diagnostic

    diagnostic(message)


def _emit(ctx: typer.Context, view: View, fmt: Format) -> None:
    """Render *view* in *fmt* and write it: strings as they are, pages through Rich
    with the catalogue footer and the notice (never in data formats)."""
    from painopts.output import DATA_ONLY, Target, render

    session: Session = ctx.obj
    out = _console(session)
    plain = os.environ.get("TERM") == "dumb" or not out.encoding.lower().startswith("utf")
    target = Target(width=out.width, plain=plain, pretty=sys.stdout.isatty())
    rendered = render(view, fmt, target)
    if view.empty:
        _say(view.empty)
    if fmt in DATA_ONLY:
        for line in (*view.lead, *view.closing):
            _say(line)
    if isinstance(rendered, str):
        # Machine formats bypass Rich: no markup, wrapping, colour or notice lines.
        sys.stdout.write(rendered)
    elif rendered is not None:
        _print(session, out, rendered, view.catalogue)


def _print(session: Session, out: Console, page: Page, cat: Catalogue | None) -> None:
    """A page, then (unless it is a document, which carries its own) the catalogue it
    came from and the notice, through the pager when one is wanted."""
    from painopts.render import footer, notice

    def show() -> None:
        for part in page.parts:
            out.print(part)
        if page.footer:
            if cat is not None:
                out.print(footer(cat))
            out.print(notice())

    from painopts.cli_output import wants_pager

    if wants_pager(session.pager, out.file):
        from painopts.cli_output import paging

        with paging(out, _say, asked=session.pager is True):
            show()
    else:
        show()


# --- the error funnel ---------------------------------------------------------------


def _fail(message: str, code: Exit) -> typer.Exit:
    _say(message)
    return typer.Exit(int(code))


def guarded(func: F) -> F:
    """Turn every error into a message on stderr and a documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from painopts.cli_output import OutputFailed, is_output_error, output_failure
        from painopts.errors import CatalogueError, LookupFailed, UsageError

        try:
            result = func(*args, **kwargs)
            sys.stdout.flush()
            return result
        except (typer.Exit, OutputFailed):
            raise
        except CatalogueError as exc:
            ctx = kwargs.get("ctx")
            _report_catalogue_error(exc, ctx.obj if ctx is not None else Session())
            raise typer.Exit(int(Exit.CATALOGUE)) from None
        except (LookupFailed, UsageError) as exc:
            raise _fail(str(exc), Exit.USAGE) from None
        except BrokenPipeError:
            # The reader went away (`painopts list | head -1`): stop quietly, and
            # point stdout at /dev/null so the interpreter's last flush cannot fail.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(int(Exit.OK)) from None
        except KeyboardInterrupt:
            raise _fail("interrupted", Exit.INTERRUPTED) from None
        except OSError as exc:
            if not is_output_error(exc):
                raise _internal(exc) from None
            raise output_failure(exc) from None
        except Exception as exc:
            raise _internal(exc) from None

    return wrapper  # type: ignore[return-value]


def _internal(exc: Exception) -> typer.Exit:
    if os.environ.get("PAINOPTS_DEBUG"):
        raise exc
    return _fail(
        f"internal error: {type(exc).__name__}: {exc}. This is a bug; please report it "
        "with the command you ran (set PAINOPTS_DEBUG=1 to see the traceback).",
        Exit.INTERNAL,
    )


def _report_catalogue_error(exc: Any, session: Session, limit: int = 20) -> None:
    issues = exc.issues
    for issue in issues[:limit]:
        _say(str(issue))
    if len(issues) > limit:
        _say(f"... and {len(issues) - limit} more problems")
    _say(f"the catalogue is invalid; run `{session.validate_command()}` for the full list.")


# --- loading --------------------------------------------------------------------------


def _catalogue(ctx: typer.Context, color: Color | None, pager: bool | None) -> Catalogue:
    """The catalogue this run names; a command's own --color and --pager apply from here."""
    from painopts.errors import UsageError
    from painopts.textsafe import shown

    session: Session = ctx.obj
    ctx.obj = session.with_output(color, pager)
    for i, path in enumerate(session.catalogs):
        # A path that is not there is a typo in the command line, not a broken catalogue.
        if not os.path.lexists(path):
            raise UsageError(
                f"{shown(str(path))}: no such file or directory "
                f"(given {session.given_where(i)}); check the path"
            )
    return _load(list(session.catalogs), bundled=session.bundled)


def _load(paths: list[Path], *, bundled: bool) -> Catalogue:
    from painopts import cache

    _something_to_load(paths, bundled)
    warning = cache.location().warning
    if warning:
        _say(f"warning: {warning}")
    return cache.load(paths, bundled=bundled)


def _something_to_load(layers: list[Path], bundled: bool) -> None:
    from painopts.errors import UsageError

    for layer in layers:
        try:
            str(layer).encode("utf-8")
        except UnicodeEncodeError:
            from painopts.textsafe import shown

            raise UsageError(
                f"{shown(str(layer))}: the name is not valid UTF-8; rename it"
            ) from None
    if not layers and not bundled:
        raise UsageError(
            "nothing to load: --no-bundled needs a catalogue from --catalog PATH, "
            "PAINOPTS_CATALOG or (for validate) a PATH argument"
        )


# --- commands -------------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        typer.echo(f"painopts {__version__}")
        raise typer.Exit()


# As painopts.completion_setup.SHELLS (a test checks): a choice of words, not an enum,
# since an enum class costs start-up time on every run.
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _shell_type() -> Any:
    from typer._types import TyperChoice

    return TyperChoice(SHELLS, case_sensitive=False)


def _install_completion(ctx: typer.Context, shell: str | None) -> None:
    if shell is None or ctx.resilient_parsing:
        return
    from painopts.completion_setup import install
    from painopts.errors import UsageError

    try:
        for line in install(shell):
            typer.echo(f"painopts: {line}")
    except UsageError as exc:
        raise _fail(str(exc), Exit.USAGE) from None
    except OSError as exc:
        raise _fail(f"cannot install completion: {exc}", Exit.OUTPUT) from None
    raise typer.Exit()


def _show_completion(ctx: typer.Context, shell: str | None) -> None:
    if shell is None or ctx.resilient_parsing:
        return
    from painopts.completion_setup import script

    typer.echo(script(shell))
    raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    catalog: Annotated[
        list[Path] | None,
        typer.Option(
            "--catalog",
            help="Add a catalogue file or directory on top of the bundled one (repeatable). "
            "Also read from PAINOPTS_CATALOG, a path list.",
            show_default=False,
            click_type=_catalogue_path_type(),
            metavar="PATH",
        ),
    ] = None,
    no_bundled: Annotated[
        bool, typer.Option("--no-bundled", help="Use only the catalogues given with --catalog.")
    ] = False,
    color: ColorOpt = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    install_completion: Annotated[
        str | None,
        typer.Option(
            "--install-completion",
            metavar="SHELL",
            click_type=_shell_type(),
            is_eager=True,
            expose_value=False,
            callback=_install_completion,
            help="Install Tab completion for SHELL: bash, zsh or fish (the README says "
            "which files it writes).",
        ),
    ] = None,
    show_completion: Annotated[
        str | None,
        typer.Option(
            "--show-completion",
            metavar="SHELL",
            click_type=_shell_type(),
            is_eager=True,
            expose_value=False,
            callback=_show_completion,
            help="Print the completion script for SHELL: bash, zsh, fish, powershell or pwsh.",
        ),
    ] = None,
) -> None:
    """Explore interventional pain management options."""
    if ctx.invoked_subcommand is None:
        # Bare `painopts` asks what the tool can do: help on stdout, and success.
        typer.echo(ctx.get_help())
        raise typer.Exit(int(Exit.OK))
    ctx.obj = Session.from_command_line(
        os.environ, catalog or [], no_bundled=no_bundled, color=color
    )


@app.command("list")
@guarded
def list_techniques(
    ctx: typer.Context,
    condition: ConditionOpt = None,
    category: CategoryOpt = None,
    min_invasiveness: MinInvOpt = None,
    max_invasiveness: MaxInvOpt = None,
    min_relief: MinReliefOpt = None,
    max_relief: MaxReliefOpt = None,
    evidence: EvidenceOpt = None,
    region: RegionOpt = None,
    stance: StanceOpt = None,
    bleeding_risk: BleedingOpt = None,
    diagnostic: DiagnosticOpt = False,
    therapeutic: TherapeuticOpt = False,
    sort: SortOpt = None,
    reverse: ReverseOpt = False,
    all_: AllOpt = False,
    fmt: Annotated[Format, _format("list")] = Format.TABLE,
    color: ColorOpt = None,
    pager: PagerOpt = None,
) -> None:
    """List techniques: id, name, category, invasiveness and relief, with filters.
    With --condition, each option's stance and evidence for that condition."""
    from painopts.resolve import filters_from_options
    from painopts.views import list_view

    cat = _catalogue(ctx, color, pager)
    f = filters_from_options(
        cat, condition=condition, category=category, min_invasiveness=min_invasiveness,
        max_invasiveness=max_invasiveness, min_relief=min_relief, max_relief=max_relief,
        evidence=evidence, region=region, stance=stance, diagnostic=diagnostic,
        therapeutic=therapeutic, include_all=all_, bleeding_risk=bleeding_risk,
    )  # fmt: skip
    _emit(ctx, list_view(cat, f, sort, reverse), fmt)


@app.command("show")
@guarded
def show(
    ctx: typer.Context,
    name_words: Annotated[
        list[str],
        typer.Argument(
            help="Technique id, alias or name, e.g. rfa (quotes optional).",
            autocompletion=complete_technique,
            metavar="NAME",
        ),
    ],
    fmt: Annotated[Format, _format("show")] = Format.TABLE,
    color: ColorOpt = None,
    pager: PagerOpt = None,
) -> None:
    """Everything about one technique, with evidence per condition and its sources."""
    from painopts.queries import alternatives, alternatives_line, find_technique
    from painopts.views import ShowView

    name = " ".join(name_words)
    cat = _catalogue(ctx, color, pager)
    t = find_technique(cat, name)
    also = alternatives_line(cat, name, t)
    others = tuple(alternatives(cat, name, t))
    view = ShowView(catalogue=cat, technique=t, alternatives=others, lead=(also,) if also else ())
    _emit(ctx, view, fmt)


@app.command("compare")
@guarded
def compare(
    ctx: typer.Context,
    names: Annotated[
        list[str],
        typer.Argument(
            help="Two or more technique ids, aliases or names.",
            autocompletion=complete_technique,
            metavar="NAME...",
        ),
    ],
    diff: Annotated[
        bool, typer.Option("--diff", help="Hide rows that are the same for every technique.")
    ] = False,
    condition: Annotated[
        str | None,
        typer.Option(
            "--condition",
            metavar="CONDITION",
            help="Add each technique's stance and evidence for this condition; those "
            "recommended against for it are compared apart.",
            autocompletion=complete_condition,
        ),
    ] = None,
    fmt: Annotated[Format, _format("compare")] = Format.TABLE,
    color: ColorOpt = None,
    pager: PagerOpt = None,
) -> None:
    """Compare techniques side by side: attributes as rows, techniques as columns."""
    from painopts.errors import UsageError
    from painopts.queries import compare_for_condition, find_condition
    from painopts.resolve import named_techniques
    from painopts.views import compare_view

    if len(names) < 2:
        raise UsageError("compare needs at least two techniques, e.g. `painopts compare rfa scs`")
    cat = _catalogue(ctx, color, pager)
    chosen, lead = named_techniques(cat, names, "compare")
    if len(chosen) < 2:
        raise UsageError("those names all refer to the same technique; give two different ones")
    cmp = compare_for_condition(chosen, find_condition(cat, condition)) if condition else None
    _emit(ctx, compare_view(cat, chosen, cmp, diff=diff, lead=lead), fmt)


@app.command("for")
@guarded
def for_condition(
    ctx: typer.Context,
    condition_words: Annotated[
        list[str],
        typer.Argument(
            help="Condition id, name or synonym, e.g. sciatica (quotes optional).",
            autocompletion=complete_condition,
            metavar="CONDITION",
        ),
    ],
    category: CategoryOpt = None,
    min_invasiveness: MinInvOpt = None,
    max_invasiveness: MaxInvOpt = None,
    min_relief: MinReliefOpt = None,
    max_relief: MaxReliefOpt = None,
    evidence: EvidenceOpt = None,
    stance: StanceOpt = None,
    bleeding_risk: BleedingOpt = None,
    diagnostic: DiagnosticOpt = False,
    therapeutic: TherapeuticOpt = False,
    sort: SortOpt = None,
    reverse: ReverseOpt = False,
    all_: ReliefAllOpt = False,
    fmt: Annotated[Format, _format("for")] = Format.TABLE,
    color: ColorOpt = None,
    pager: PagerOpt = None,
) -> None:
    """Options for a condition in stepped-care order, with red flags and first-line care;
    options recommended against are listed apart, under their own heading."""
    from painopts.resolve import condition_words as resolve_condition
    from painopts.resolve import filters_from_options
    from painopts.views import for_view

    cat = _catalogue(ctx, color, pager)
    relief = {"--min-relief": min_relief, "--max-relief": max_relief}
    cond = resolve_condition(cat, condition_words, relief)
    f = filters_from_options(
        cat, condition=None, category=category, min_invasiveness=min_invasiveness,
        max_invasiveness=max_invasiveness, min_relief=min_relief, max_relief=max_relief,
        evidence=evidence, region=None, stance=stance, diagnostic=diagnostic,
        therapeutic=therapeutic, include_all=all_, bleeding_risk=bleeding_risk,
    )  # fmt: skip
    _emit(ctx, for_view(cat, cond, f, sort, reverse), fmt)


@app.command("conditions")
@guarded
def conditions(
    ctx: typer.Context,
    fmt: Annotated[Format, _format("conditions")] = Format.TABLE,
    color: ColorOpt = None,
    pager: PagerOpt = None,
) -> None:
    """List every condition with how many options it has."""
    from painopts.views import conditions_view

    _emit(ctx, conditions_view(_catalogue(ctx, color, pager)), fmt)


@app.command("sources")
@guarded
def sources(
    ctx: typer.Context,
    ids: Annotated[
        list[str] | None,
        typer.Argument(
            help="Source ids to look up (default: every source).",
            metavar="ID...",
            autocompletion=complete_source,
            show_default=False,
        ),
    ] = None,
    condition: Annotated[
        str | None,
        typer.Option(
            "--for",
            metavar="CONDITION",
            help="Only sources cited for this condition or for any option's evidence for it.",
            autocompletion=complete_condition,
            callback=_nonempty,
        ),
    ] = None,
    technique: Annotated[
        str | None,
        typer.Option(
            "--technique",
            metavar="NAME",
            help="Only sources cited by this technique.",
            autocompletion=complete_technique,
            callback=_nonempty,
        ),
    ] = None,
    kind: Annotated[
        SourceKind | None,
        typer.Option(
            "--kind",
            case_sensitive=False,
            metavar="KIND",
            help="Only this kind: " + ", ".join(SourceKind.values()) + ".",
        ),
    ] = None,
    fmt: Annotated[Format, _format("sources")] = Format.TABLE,
    color: ColorOpt = None,
    pager: PagerOpt = None,
) -> None:
    """List the references the catalogue cites, with authors, year, kind and URL."""
    from painopts.queries import find_condition, find_technique
    from painopts.views import sources_view

    cat = _catalogue(ctx, color, pager)
    view = sources_view(
        cat,
        ids or (),
        condition=find_condition(cat, condition) if condition else None,
        technique=find_technique(cat, technique) if technique else None,
        kind=kind,
    )
    _emit(ctx, view, fmt)


@app.command("search")
@guarded
def search(
    ctx: typer.Context,
    text: Annotated[
        list[str], typer.Argument(help="Words to look for (all must match).", metavar="WORD...")
    ],
    why: Annotated[
        bool, typer.Option("--why", help="Show every field that matched, not only the best.")
    ] = False,
    fmt: Annotated[Format, _format("search")] = Format.TABLE,
    color: ColorOpt = None,
    pager: PagerOpt = None,
) -> None:
    """Search names, aliases, synonyms and text by whole words; ranked, with why each matched."""
    from painopts.views import search_view

    _emit(ctx, search_view(_catalogue(ctx, color, pager), " ".join(text), why=why), fmt)


@app.command("timeline")
@guarded
def timeline_cmd(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None,
        typer.Argument(
            help="Technique ids, aliases or names.",
            autocompletion=complete_technique,
            metavar="[NAME]...",
        ),
    ] = None,
    condition: ConditionOpt = None,
    all_: AllOpt = False,
    ascii_only: Annotated[bool, typer.Option("--ascii", help="Draw with ASCII only.")] = False,
    fmt: Annotated[Format, _format("timeline")] = Format.TABLE,
    color: ColorOpt = None,
    pager: PagerOpt = None,
) -> None:
    """Chart how soon relief starts and how long it lasts, on one shared time axis.
    With --condition, each bar says its stance; options recommended against are left
    out unless --all, which draws them apart."""
    from painopts.errors import UsageError
    from painopts.queries import find_condition
    from painopts.resolve import named_techniques
    from painopts.views import timeline_view

    cat = _catalogue(ctx, color, pager)
    chosen, lead = named_techniques(cat, names or [], "timeline", condition=condition)
    cond = find_condition(cat, condition) if condition else None
    view = timeline_view(cat, chosen, cond, show_all=all_, ascii_only=ascii_only, lead=lead)
    if not view.rows and not view.against and not view.closing:
        raise UsageError("name techniques or a --condition, e.g. `painopts timeline rfa scs`")
    _emit(ctx, view, fmt)


@app.command("pathway")
@guarded
def pathway_cmd(
    ctx: typer.Context,
    condition_words: Annotated[
        list[str],
        typer.Argument(
            help="Condition id, name or synonym, e.g. sciatica (quotes optional).",
            autocompletion=complete_condition,
            metavar="CONDITION",
        ),
    ],
    fmt: Annotated[Format, _format("pathway")] = Format.TABLE,
    color: ColorOpt = None,
    pager: PagerOpt = None,
) -> None:
    """The stepped care pathway for a condition: first-line care, diagnostic steps, then
    procedures by invasiveness, with prerequisites as edges."""
    from painopts.queries import find_condition
    from painopts.views import pathway_view

    cat = _catalogue(ctx, color, pager)
    _emit(ctx, pathway_view(cat, find_condition(cat, " ".join(condition_words))), fmt)


@app.command("handout")
@guarded
def handout_cmd(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(
            help="The condition (id, name or synonym), then the options to compare "
            "(technique ids or names; quote names with spaces). Without options, the "
            "supported ones in stepped-care order, at most 4.",
            autocompletion=complete_condition,
            metavar="CONDITION [OPTION]...",
        ),
    ],
    fmt: Annotated[Format, _format("handout")] = Format.HTML,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (replaced in one step, never left half-written) instead "
            "of standard output.",
        ),
    ] = None,
) -> None:
    """A decision aid for one condition to print or share: red flags, a grid comparing
    the options with "no procedure", options recommended against apart, questions to
    ask, and numbered sources."""
    from painopts.resolve import condition_then_rest, named_techniques
    from painopts.views import handout_view

    cat = _catalogue(ctx, None, None)
    cond, rest = condition_then_rest(cat, words)
    named, lead = named_techniques(cat, rest, "handout") if rest else ([], [])
    # A name several entries could mean (esi, rfa) names the others, for the person
    # running the command (before any refusal of the names): never inside a handout
    # meant for someone else.
    for line in lead:
        _say(line)
    view = handout_view(cat, cond, named, lead=tuple(lead))
    if output is None or str(output) == "-":
        _emit(ctx, view, fmt)
        return
    from painopts.outfile import write_text
    from painopts.output import render
    from painopts.textsafe import shown

    text = render(view, fmt)
    assert isinstance(text, str), "handout formats are text"
    try:
        write_text(output, text)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise _fail(
            f"could not write {shown(str(output))}: {reason}; nothing there was changed",
            Exit.OUTPUT,
        ) from None
    _say(f"wrote the {cond.id} handout ({fmt}) to {shown(str(output))}")


@app.command("validate")
@guarded
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Catalogue files or directories (default: the bundled catalogue).",
            metavar="[PATH]...",
        ),
    ] = None,
    fmt: Annotated[Format, _format("validate")] = Format.TABLE,
    color: ColorOpt = None,
    pager: PagerOpt = None,
) -> None:
    """Check catalogue files and report every problem, each with file, line and column."""
    from painopts.errors import CatalogueError
    from painopts.loader import removes_entries
    from painopts.views import ValidateView, validate_view

    session: Session = ctx.obj.with_output(color, pager)
    ctx.obj = session
    layers = [*session.catalogs, *(paths or [])]
    # Files named here are checked on their own, unless one removes entries: an overlay
    # is checked on top of the bundled catalogue it removes them from.
    bundled = session.bundled and (not paths or removes_entries(paths))
    _something_to_load(layers, bundled)
    try:
        # Only valid catalogues are cached, keyed by every file's bytes and the rules'
        # code, so a hit means these exact files already passed these exact checks.
        view = validate_view(_load(layers, bundled=bundled))
    except CatalogueError as exc:
        view = ValidateView(catalogue=None, problems=tuple(exc.issues))
    _emit(ctx, view, fmt)
    if not view.valid:
        n = len(view.problems)
        raise _fail(f"{n} problem{'s' if n != 1 else ''} found", Exit.CATALOGUE)


@app.command("schema")
@guarded
def schema() -> None:
    """Print a JSON Schema for catalogue files, for editors to validate and complete them."""
    import json

    from painopts.schema import catalogue_schema

    sys.stdout.write(json.dumps(catalogue_schema(), indent=2) + "\n")


# Summaries for the command list (each fits 80 columns there) and the examples each
# command's help ends with, in the order people reach for the commands.
_COMMANDS: dict[str, tuple[str, list[str]]] = {
    "for": (
        "Options for a condition, in stepped-care order.",
        [
            "painopts for sciatica",
            "painopts for pinched nerve --max-invasiveness 2",
            "painopts for facet-pain --evidence moderate -f json",
        ],
    ),
    "show": (
        "Everything about one technique, with evidence and sources.",
        [
            "painopts show rfa",
            "painopts show spinal cord stimulation",
            "painopts show esi -f csv",
            "painopts show rfa -f yaml",
        ],
    ),
    "compare": (
        "Compare techniques side by side.",
        [
            "painopts compare rfa scs",
            "painopts compare esi rfa --condition sciatica",
            "painopts compare rfa scs --diff",
        ],
    ),
    "handout": (
        "A printable decision aid for a condition (HTML or Markdown).",
        [
            "painopts handout sciatica > sciatica.html",
            "painopts handout facet-pain rfa -f markdown",
        ],
    ),
    "search": (
        "Search names, aliases, summaries and notes.",
        [
            "painopts search nerve freezing",
            "painopts search heat nerve --why",
            "painopts search epidual -f json",
        ],
    ),
    "list": (
        "List techniques, with filters.",
        [
            "painopts list",
            "painopts list --max-invasiveness 2 --min-relief 6m",
            "painopts list --condition sciatica --sort evidence",
            "painopts list --bleeding-risk low,intermediate",
        ],
    ),
    "conditions": (
        "List every condition with how many options it has.",
        ["painopts conditions", "painopts conditions -f csv"],
    ),
    "timeline": (
        "Chart how soon relief starts and how long it lasts.",
        [
            "painopts timeline rfa scs",
            "painopts timeline --condition sciatica",
            "painopts timeline --condition 'low back pain' --all",
        ],
    ),
    "pathway": (
        "The stepped care pathway for a condition.",
        ["painopts pathway sciatica", "painopts pathway sciatica -f mermaid"],
    ),
    "sources": (
        "Look up the references the catalogue cites.",
        [
            "painopts sources nice-ng59-2016",
            "painopts sources --for sciatica --kind guideline",
            "painopts sources --technique rfa -f bibtex > rfa.bib",
        ],
    ),
    "validate": (
        "Check catalogue files and report every problem.",
        [
            "painopts validate my-catalogue.yaml",
            "painopts --no-bundled validate catalogue/",
            "painopts validate -f json overlay.yaml",
        ],
    ),
    "schema": (
        "Print a JSON Schema for catalogue files.",
        ["painopts schema", "painopts schema > painopts.schema.json"],
    ),
}


def _plain_usage_command() -> type[Any]:
    from typer.core import TyperCommand

    class PlainUsage(TyperCommand):
        """Usage lines as man pages write them: `CONDITION`, not Typer's `{CONDITION}`."""

        def collect_usage_pieces(self, ctx: Any) -> list[str]:
            pieces: list[str] = super().collect_usage_pieces(ctx)
            return [p[1:-1] if p[:1] == "{" and p[-1:] == "}" else p for p in pieces]

    return PlainUsage


def _arrange_commands() -> None:
    order = list(_COMMANDS)
    plain = _plain_usage_command()
    for info in app.registered_commands:
        assert info.name is not None
        summary, examples = _COMMANDS[info.name]
        info.short_help = summary
        info.epilog = "\b\nExamples:\n" + "\n".join(f"  {e}" for e in examples)
        info.cls = plain
    app.registered_commands.sort(key=lambda c: order.index(c.name or ""))


_arrange_commands()


def main() -> None:
    """Console-script entry point."""
    from painopts.cli_output import run

    run(app_for(sys.argv[1:]))


def app_for(args: list[str]) -> typer.Typer:
    """The app with only the command *args* run: Typer builds every command's options
    before it parses anything (8 ms for all of them, 3 ms for one). Help, errors before
    the command name and completion get the whole app."""
    import copy

    from painopts.complete import command_in

    name = None if any(k.endswith("_COMPLETE") for k in os.environ) else command_in(args)
    if name is None:
        return app
    only = copy.copy(app)
    only.registered_commands = [
        c
        for c in app.registered_commands
        if c.callback is not None
        and (c.name or typer.main.get_command_name(c.callback.__name__)) == name
    ]
    return only if len(only.registered_commands) == 1 else app
