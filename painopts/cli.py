"""Command-line interface: parse options, call the query layer, print the result.

Domain code raises; this module alone prints and chooses exit codes. Heavy modules
(the loader, Rich renderables) are imported inside commands so that start-up and
shell completion stay close to Typer's own floor.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from painopts import __version__
from painopts.cli_output import Exit
from painopts.models import Category, Certainty, Invasiveness, Region, SortKey, Stance

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from painopts.document import Document
    from painopts.formats import Rows
    from painopts.models import Catalogue, Condition, Technique
    from painopts.queries import Filters, NameIndex


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    CSV = "csv"


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
    add_completion=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])


class _State:
    catalogs: list[Path] = []
    from_env: int = 0  # how many of catalogs (the first ones) came from PAINOPTS_CATALOG
    bundled: bool = True
    color: Color = Color.AUTO
    pager: bool = False


state = _State()


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


FormatOpt = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        metavar="FORMAT",
        help="Output format: table, json, markdown or csv.",
    ),
]
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
    bool, typer.Option("--pager", help="Show long output in a pager ($PAGER, else less).")
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
DiagnosticOpt = Annotated[
    bool, typer.Option("--diagnostic", help="Only techniques with a diagnostic purpose.")
]
TherapeuticOpt = Annotated[
    bool, typer.Option("--therapeutic", help="Only techniques with a therapeutic purpose.")
]


# --- output -------------------------------------------------------------------------


_CONSOLES: list[Any] = []  # [colour, stdout, stderr, (out, err)]: one slot


def _consoles() -> tuple[Console, Console]:
    """The stdout and stderr consoles, made once per colour setting and stream pair.
    The streams themselves are kept and compared by identity, because the test runner
    swaps them between invocations."""
    if not (
        _CONSOLES
        and _CONSOLES[0] is state.color
        and _CONSOLES[1] is sys.stdout
        and _CONSOLES[2] is sys.stderr
    ):
        _CONSOLES[:] = [state.color, sys.stdout, sys.stderr, _make_consoles()]
    made: tuple[Console, Console] = _CONSOLES[3]
    return made


def _make_consoles() -> tuple[Console, Console]:
    from painopts.cli_output import make_console

    color = state.color
    kwargs: dict[str, Any] = {"highlight": False, "emoji": False, "markup": False}
    if color is Color.NEVER:
        kwargs["no_color"] = True
        kwargs["color_system"] = None
    elif color is Color.ALWAYS:
        kwargs["force_terminal"] = True
    out = make_console(**kwargs)
    err = make_console(stderr=True, **kwargs)
    return out, err


def _say(message: str) -> None:
    """A diagnostic line on stderr; never mixed into data on stdout."""
    from rich.text import Text

    from painopts.textsafe import shown

    _, err = _consoles()
    try:
        # Messages quote file names, keys and ids: escape anything that could drive
        # the terminal.
        err.print(Text(f"painopts: {shown(message)}"), soft_wrap=True)
    except OSError:
        pass  # stderr itself cannot be written: the exit status still tells


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
            _report_catalogue_error(exc)
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


def _report_catalogue_error(exc: Any, limit: int = 20) -> None:
    issues = exc.issues
    for issue in issues[:limit]:
        _say(str(issue))
    if len(issues) > limit:
        _say(f"... and {len(issues) - limit} more problems")
    _say(f"the catalogue is invalid; run `{_validate_command()}` for the full list.")


def _validate_command() -> str:
    """The validate command that checks exactly what this run loaded, paths as given."""
    import shlex

    words = ["painopts"] + ([] if state.bundled else ["--no-bundled"])
    for path in state.catalogs[state.from_env :]:
        words += ["--catalog", shlex.quote(str(path))]
    return " ".join([*words, "validate"])


def _catalogue() -> Catalogue:
    from painopts.errors import UsageError
    from painopts.textsafe import shown

    for i, path in enumerate(state.catalogs):
        # A path that is not there is a typo in the command line, not a broken catalogue.
        if not os.path.lexists(path):
            given = "in PAINOPTS_CATALOG" if i < state.from_env else "with --catalog"
            raise UsageError(
                f"{shown(str(path))}: no such file or directory (given {given}); check the path"
            )
    return _load(state.catalogs, bundled=state.bundled)


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


def _apply_output(color: Color | None, pager: bool) -> None:
    if color is not None:
        state.color = color
    state.pager = pager


@contextmanager
def _maybe_pager(console: Console) -> Iterator[None]:
    if state.pager and console.is_terminal:
        from painopts.cli_output import paging

        with paging(console, _say):
            yield
    else:
        yield


def _print(cat: Catalogue, *renderables: RenderableType) -> None:
    from painopts.render import footer, notice

    out, _ = _consoles()
    with _maybe_pager(out):
        for r in renderables:
            out.print(r)
        out.print(footer(cat))
        out.print(notice())


def _emit_document(doc: Document, fmt: Format) -> None:
    """A document (show, for, compare) on the terminal or as Markdown; it carries its
    own references, catalogue line and notice."""
    if fmt is Format.MARKDOWN:
        from painopts.markdown import to_markdown

        _write(to_markdown(doc))
        return
    from painopts.render_document import terminal

    out, _ = _consoles()
    with _maybe_pager(out):
        out.print(terminal(doc))


def _chart_settings(console: Console) -> tuple[int, bool]:
    """Width for a chart, and whether to draw it in ASCII (dumb or non-UTF-8 terminals)."""
    from painopts.visual import MIN_WIDTH

    plain = os.environ.get("TERM") == "dumb" or not console.encoding.lower().startswith("utf")
    return max(console.width, MIN_WIDTH), plain


def _pretty() -> bool:
    """Indent JSON for a person at a terminal; keep it compact (and fast) in pipes."""
    return sys.stdout.isatty()


def _write(text: str) -> None:
    # Machine formats bypass Rich: no markup, wrapping, colour or notice lines.
    sys.stdout.write(text)


def _emit_rows(fmt: Format, rows: Rows) -> None:
    from painopts.formats import to_csv, to_markdown

    _write(to_csv(rows) if fmt is Format.CSV else to_markdown(rows))


def _filters(
    cat: Catalogue,
    *,
    condition: str | None,
    category: list[Category] | None,
    min_invasiveness: Invasiveness | None,
    max_invasiveness: Invasiveness | None,
    min_relief: str | None,
    max_relief: str | None,
    evidence: Certainty | None,
    region: list[Region] | None,
    stance: list[Stance] | None,
    diagnostic: bool,
    therapeutic: bool,
) -> Filters:
    from painopts.errors import UsageError
    from painopts.models import Purpose
    from painopts.queries import Filters, find_condition, parse_duration

    if (
        min_invasiveness is not None
        and max_invasiveness is not None
        and min_invasiveness.rank > max_invasiveness.rank
    ):
        raise UsageError("--min-invasiveness is above --max-invasiveness")
    purposes: set[Purpose] = set()
    if diagnostic:
        purposes.add(Purpose.DIAGNOSTIC)
    if therapeutic:
        purposes.add(Purpose.THERAPEUTIC)
    return Filters(
        condition=find_condition(cat, condition).id if condition else None,
        categories=frozenset(category or ()),
        min_invasiveness=min_invasiveness,
        max_invasiveness=max_invasiveness,
        min_relief_days=parse_duration(min_relief) if min_relief else None,
        max_relief_days=parse_duration(max_relief) if max_relief else None,
        min_evidence=evidence,
        regions=frozenset(region or ()),
        stances=frozenset(stance or ()),
        purposes=frozenset(purposes),
    )


def _version(value: bool) -> None:
    if value:
        typer.echo(f"painopts {__version__}")
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
) -> None:
    """Explore interventional pain management options."""
    if ctx.invoked_subcommand is None:
        # Bare `painopts` asks what the tool can do: help on stdout, and success.
        typer.echo(ctx.get_help())
        raise typer.Exit(int(Exit.OK))
    env = os.environ.get("PAINOPTS_CATALOG", "")
    from_env = [Path(p) for p in env.split(os.pathsep) if p]
    state.catalogs = from_env + list(catalog or [])
    state.from_env = len(from_env)
    state.bundled = not no_bundled
    state.color = color or Color.AUTO
    state.pager = False


@app.command("list")
@guarded
def list_techniques(
    condition: ConditionOpt = None,
    category: CategoryOpt = None,
    min_invasiveness: MinInvOpt = None,
    max_invasiveness: MaxInvOpt = None,
    min_relief: MinReliefOpt = None,
    max_relief: MaxReliefOpt = None,
    evidence: EvidenceOpt = None,
    region: RegionOpt = None,
    stance: StanceOpt = None,
    diagnostic: DiagnosticOpt = False,
    therapeutic: TherapeuticOpt = False,
    sort: SortOpt = None,
    reverse: ReverseOpt = False,
    all_: AllOpt = False,
    fmt: FormatOpt = Format.TABLE,
    color: ColorOpt = None,
    pager: PagerOpt = False,
) -> None:
    """List techniques: id, name, category, invasiveness and typical relief, with filters.
    With --condition, each option's stance and evidence for that condition."""
    import dataclasses

    _apply_output(color, pager)
    cat = _catalogue()
    f = _filters(
        cat, condition=condition, category=category, min_invasiveness=min_invasiveness,
        max_invasiveness=max_invasiveness, min_relief=min_relief, max_relief=max_relief,
        evidence=evidence, region=region, stance=stance, diagnostic=diagnostic,
        therapeutic=therapeutic,
    )  # fmt: skip
    f = dataclasses.replace(f, include_all=all_)
    if f.condition is not None:
        from painopts.queries import condition_list

        view = condition_list(
            cat, cat.conditions[f.condition], f, show_all=all_, sort=sort, reverse=reverse
        )
        if fmt is Format.JSON:
            from painopts.formats import condition_list_payload, envelope

            _write(envelope(cat, "list", pretty=_pretty(), **condition_list_payload(view)))
        elif fmt is Format.TABLE:
            from painopts.render import condition_list_view

            _print(cat, condition_list_view(view, cat))
        else:
            from painopts.formats import condition_list_rows, to_markdown

            rows = condition_list_rows(view)
            if fmt is Format.MARKDOWN:
                _write(to_markdown(rows) + "".join(f"\n{line}\n" for line in view.closing()))
            else:
                _emit_rows(fmt, rows)
                for line in view.closing():
                    _say(line)
        return
    from painopts.queries import select

    selection = select(cat, f, sort, reverse)
    chosen = selection.techniques
    note = selection.filtered_line()
    if not chosen:
        _say("no technique matches those filters")
    if fmt is Format.JSON:
        from painopts.formats import envelope, technique_record

        _write(
            envelope(
                cat, "list", pretty=_pretty(), techniques=[technique_record(t) for t in chosen],
                filtered={"filters": list(selection.filters), "hidden": selection.hidden,
                          "of": selection.total},
            )
        )  # fmt: skip
    elif fmt is Format.TABLE:
        if chosen:
            from painopts.render import prose, technique_list

            extra = [prose(note, style="bold")] if note else []
            _print(cat, technique_list(chosen, cat, f), *extra)
    else:
        from painopts.formats import technique_rows

        _emit_rows(fmt, technique_rows(chosen))


def _resolve_techniques(
    cat: Catalogue,
    index: NameIndex,
    words: list[str],
    command: str,
    *,
    condition: str | None = None,
) -> list[tuple[str, Technique]]:
    """Techniques for words typed without quotes: a word that names nothing is tried
    joined with the words after it (`spinal cord stimulation rfa`), longest first."""
    from painopts.errors import LookupFailed, UsageError

    def find(name: str) -> Technique | None:
        try:
            return cat.techniques[index.resolve(name, "technique")]
        except LookupFailed:
            return None

    found: list[tuple[str, Technique]] = []
    i = 0
    while i < len(words):
        t = find(words[i])
        end = i + 1
        if t is None:
            for end in range(len(words), i + 1, -1):
                if (t := find(" ".join(words[i:end]))) is not None:
                    break
        if t is None:
            if condition and _names_condition(cat, index, [condition, *words[i:]]):
                value = " ".join([condition, *words[i:]])
                raise UsageError(
                    f"{words[i]!r} is not a technique; quote values with spaces, "
                    f"e.g. `painopts {command} --condition '{value}'`"
                )
            try:
                index.resolve(words[i], "technique")
            except LookupFailed as exc:
                if len(words) < 2:
                    raise
                raise UsageError(
                    f"{exc}; quote names with spaces, e.g. `painopts {command} "
                    "'spinal cord stimulation' rfa`"
                ) from None
        assert t is not None
        found.append((" ".join(words[i:end]), t))
        i = end
    return found


def _names_condition(cat: Catalogue, index: NameIndex, words: list[str]) -> bool:
    from painopts.errors import LookupFailed

    try:
        index.resolve(" ".join(words), "condition")
    except LookupFailed:
        return False
    return True


def _condition_words(cat: Catalogue, words: list[str], values: dict[str, str | None]) -> Condition:
    """The condition named by unquoted words; when a number option swallowed only the
    number (`--min-relief 6 months`), say to quote the value instead."""
    from painopts.errors import LookupFailed, UsageError
    from painopts.queries import NameIndex, find_condition

    index = NameIndex.of(cat)
    try:
        return find_condition(cat, " ".join(words), index)
    except LookupFailed:
        for option, value in values.items():
            if value is None or not value.strip().isdigit():
                continue
            for cut in range(1, len(words)):
                if _names_condition(cat, index, words[:-cut]):
                    quoted = " ".join([value, *words[-cut:]])
                    raise UsageError(
                        f"{' '.join(words[-cut:])!r} is not part of a condition name; "
                        f"quote values with spaces, e.g. {option} '{quoted}'"
                    ) from None
        raise


@app.command("show")
@guarded
def show(
    name_words: Annotated[
        list[str],
        typer.Argument(
            help="Technique id, alias or name, e.g. rfa (quotes optional).",
            autocompletion=complete_technique,
            metavar="NAME",
        ),
    ],
    fmt: FormatOpt = Format.TABLE,
    color: ColorOpt = None,
    pager: PagerOpt = False,
) -> None:
    """Everything about one technique, with evidence per condition and its sources."""
    from painopts.queries import alternatives, alternatives_line, find_technique

    _apply_output(color, pager)
    name = " ".join(name_words)
    cat = _catalogue()
    t = find_technique(cat, name)
    also = alternatives_line(cat, name, t)
    if fmt is Format.JSON:
        from painopts.formats import envelope, source_record, technique_record
        from painopts.queries import technique_source_ids
        from painopts.words import verdict

        sources = [source_record(cat.sources[i]) for i in technique_source_ids(t)]
        _write(
            envelope(
                cat, "show", pretty=_pretty(), technique=technique_record(t), sources=sources,
                verdict=verdict(t), alternatives=[o.id for o in alternatives(cat, name, t)],
            )
        )  # fmt: skip
    elif fmt is not Format.CSV:
        from painopts.documents import show_document

        _emit_document(show_document(cat, t, alternatives=also), fmt)
    else:
        from painopts.formats import compare_rows
        from painopts.render import COMPARE_ROWS, compare_cell
        from painopts.words import verdict

        cells = [("verdict", [verdict(t)])]
        cells += [(row, [compare_cell(cat, t, row).plain]) for row in COMPARE_ROWS]
        if also:
            _say(also)
        _emit_rows(fmt, compare_rows(cells, [t.id]))


@app.command("compare")
@guarded
def compare(
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
    fmt: FormatOpt = Format.TABLE,
    color: ColorOpt = None,
    pager: PagerOpt = False,
) -> None:
    """Compare techniques side by side: attributes as rows, techniques as columns."""
    from painopts.errors import UsageError
    from painopts.queries import NameIndex

    _apply_output(color, pager)
    if len(names) < 2:
        raise UsageError("compare needs at least two techniques, e.g. `painopts compare rfa scs`")
    cat = _catalogue()
    index = NameIndex.of(cat)
    resolved = _resolve_techniques(cat, index, names, "compare")
    chosen = list({t.id: t for _, t in resolved}.values())
    if len(chosen) < 2:
        raise UsageError("those names all refer to the same technique; give two different ones")
    from painopts.queries import alternatives_line, compare_for_condition, find_condition

    first = [line for n, t in resolved if (line := alternatives_line(cat, n, t))]
    cmp = (
        compare_for_condition(chosen, find_condition(cat, condition, index)) if condition else None
    )
    from painopts.render import compare_layout

    layout = compare_layout(cat, chosen, cmp, diff=diff)
    if fmt is Format.JSON:
        from painopts.formats import compare_payload, envelope

        payload = compare_payload(layout.options, layout.against, cmp)
        _write(envelope(cat, "compare", pretty=_pretty(), **payload))
    elif fmt is not Format.CSV:
        from painopts.documents import compare_document

        cond = cmp.condition if cmp else None
        _emit_document(compare_document(cat, chosen, cond, diff=diff, notes=first), fmt)
    else:
        from painopts.formats import compare_rows

        for line in first:
            _say(line)
        ids = [t.id for t in layout.options] + [
            f"recommended against: {t.id}" for t in layout.against
        ]
        cells = [(label, [c.plain for c in values]) for label, values in layout.rows]
        _emit_rows(fmt, compare_rows(cells, ids))


@app.command("for")
@guarded
def for_condition(
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
    diagnostic: DiagnosticOpt = False,
    therapeutic: TherapeuticOpt = False,
    sort: SortOpt = None,
    reverse: ReverseOpt = False,
    all_: ReliefAllOpt = False,
    fmt: FormatOpt = Format.TABLE,
    color: ColorOpt = None,
    pager: PagerOpt = False,
) -> None:
    """Options for a condition in stepped-care order, with red flags and first-line care;
    options recommended against are listed apart, under their own heading."""
    import dataclasses

    from painopts.queries import narrow

    _apply_output(color, pager)
    cat = _catalogue()
    cond = _condition_words(
        cat, condition_words, {"--min-relief": min_relief, "--max-relief": max_relief}
    )
    f = _filters(
        cat, condition=None, category=category, min_invasiveness=min_invasiveness,
        max_invasiveness=max_invasiveness, min_relief=min_relief, max_relief=max_relief,
        evidence=evidence, region=None, stance=stance, diagnostic=diagnostic,
        therapeutic=therapeutic,
    )  # fmt: skip
    narrowed = narrow(cat, cond, dataclasses.replace(f, include_all=all_), sort, reverse)
    found = narrowed.shown
    if not found.options and not found.against:
        _say(f"no option for {cond.id} matches those filters")
    if fmt is Format.JSON:
        from painopts.formats import conditions_payload, envelope, filtered_payload, source_record

        sources = [source_record(cat.sources[i]) for i in found.source_ids]
        _write(
            envelope(
                cat, "for", pretty=_pretty(), **conditions_payload(found), sources=sources,
                filtered=filtered_payload(narrowed),
            )
        )  # fmt: skip
    elif fmt is not Format.CSV:
        from painopts.documents import for_document

        _emit_document(for_document(cat, narrowed), fmt)
    else:
        from painopts.formats import option_rows

        _emit_rows(fmt, option_rows(found))
        line = narrowed.filtered_line()
        if line:
            _say(line)


@app.command("conditions")
@guarded
def conditions(
    fmt: FormatOpt = Format.TABLE, color: ColorOpt = None, pager: PagerOpt = False
) -> None:
    """List every condition with how many options it has."""
    from painopts.queries import option_counts

    _apply_output(color, pager)
    cat = _catalogue()
    counts = option_counts(cat)
    if fmt is Format.JSON:
        from painopts.formats import condition_record, envelope

        records = [
            {**condition_record(c), "options": counts[c.id][0], "against": counts[c.id][1]}
            for c in cat.conditions.values()
        ]
        _write(envelope(cat, "conditions", pretty=_pretty(), conditions=records))
    elif fmt is Format.TABLE:
        from painopts.render import conditions_table

        _print(cat, conditions_table(cat, counts))
    else:
        from painopts.formats import condition_rows

        _emit_rows(fmt, condition_rows(cat, counts))


@app.command("sources")
@guarded
def sources(fmt: FormatOpt = Format.TABLE, color: ColorOpt = None, pager: PagerOpt = False) -> None:
    """List every reference the catalogue cites, with year, kind and URL."""
    _apply_output(color, pager)
    cat = _catalogue()
    ordered = sorted(cat.sources.values(), key=lambda s: s.id)
    if fmt is Format.JSON:
        from painopts.formats import envelope, source_record

        _write(
            envelope(cat, "sources", pretty=_pretty(), sources=[source_record(s) for s in ordered])
        )
    elif fmt is Format.TABLE:
        from painopts.render import sources_list

        _print(cat, sources_list(ordered))
    else:
        from painopts.formats import source_rows

        _emit_rows(fmt, source_rows(ordered))


@app.command("search")
@guarded
def search(
    text: Annotated[
        list[str], typer.Argument(help="Words to look for (all must match).", metavar="WORD...")
    ],
    fmt: FormatOpt = Format.TABLE,
    color: ColorOpt = None,
    pager: PagerOpt = False,
) -> None:
    """Search names, aliases, synonyms, summaries and notes; ranked, with why each matched."""
    from painopts.queries import search as run_search

    _apply_output(color, pager)
    cat = _catalogue()
    hits = run_search(cat, " ".join(text))
    if not hits:
        _say(f"nothing matches {' '.join(text)!r}")
    if fmt is Format.JSON:
        from painopts.formats import envelope

        records = [
            {"kind": h.kind, "id": h.id, "name": h.name, "score": h.score,
             "matched": list(h.reasons)}
            for h in hits
        ]  # fmt: skip
        _write(envelope(cat, "search", pretty=_pretty(), query=" ".join(text), hits=records))
    elif fmt is Format.TABLE:
        if hits:
            from painopts.render import search_table

            _print(cat, search_table(hits))
    else:
        from painopts.formats import search_rows

        _emit_rows(fmt, search_rows(hits))


class ChartFormat(StrEnum):
    TABLE = "table"
    MERMAID = "mermaid"


@app.command("timeline")
@guarded
def timeline_cmd(
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
    color: ColorOpt = None,
) -> None:
    """Chart how soon relief starts and how long it lasts, on one shared time axis.
    With --condition, each bar says its stance; options recommended against are left
    out unless --all, which draws them apart."""
    from painopts.errors import UsageError
    from painopts.queries import (
        Filters,
        NameIndex,
        alternatives_line,
        condition_list,
        find_condition,
    )
    from painopts.render import prose
    from painopts.visual import timeline

    _apply_output(color, False)
    cat = _catalogue()
    index = NameIndex.of(cat)
    resolved = _resolve_techniques(cat, index, names or [], "timeline", condition=condition)
    chosen = [t for _, t in resolved]
    first = [line for n, t in resolved if (line := alternatives_line(cat, n, t))]
    indications = {}
    against = []
    closing: list[str] = []
    if condition:
        cond = find_condition(cat, condition, index)
        view = condition_list(cat, cond, Filters(condition=cond.id), show_all=all_)
        chosen += [t for t, _ in view.options]
        indications = {t.id: ind for t, ind in view.options}
        against = [(t.id, t, ind) for t, ind in view.against]
        closing = view.closing()
    if not chosen and not against and not closing:
        raise UsageError("name techniques or a --condition, e.g. `painopts timeline rfa scs`")
    chosen = list({t.id: t for t in chosen}.values())
    out, _ = _consoles()
    width, plain = _chart_settings(out)
    chart = timeline(
        [(t.id, t) for t in chosen], width, plain=plain or ascii_only,
        indications=indications, against=against, closing=closing,
    )  # fmt: skip
    _print(cat, *(prose(line, style="bold") for line in first), chart)


@app.command("pathway")
@guarded
def pathway_cmd(
    condition_words: Annotated[
        list[str],
        typer.Argument(
            help="Condition id, name or synonym, e.g. sciatica (quotes optional).",
            autocompletion=complete_condition,
            metavar="CONDITION",
        ),
    ],
    fmt: Annotated[
        ChartFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            metavar="FORMAT",
            help="table (a tree) or mermaid (a flowchart).",
        ),
    ] = ChartFormat.TABLE,
    color: ColorOpt = None,
    pager: PagerOpt = False,
) -> None:
    """The stepped care pathway for a condition: first-line care, diagnostic steps, then
    procedures by invasiveness, with prerequisites as edges."""
    from painopts.queries import find_condition

    _apply_output(color, pager)
    cat = _catalogue()
    cond = find_condition(cat, " ".join(condition_words))
    if fmt is ChartFormat.MERMAID:
        from painopts.visual import pathway_mermaid

        _write(pathway_mermaid(cat, cond))
    else:
        from painopts.visual import pathway

        _print(cat, pathway(cat, cond))


class HandoutFormat(StrEnum):
    HTML = "html"
    MARKDOWN = "markdown"


@app.command("handout")
@guarded
def handout_cmd(
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
    fmt: Annotated[
        HandoutFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            metavar="FORMAT",
            help="html (one self-contained, printable page) or markdown.",
        ),
    ] = HandoutFormat.HTML,
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
    ask, and numbered sources."""  # fmt: skip
    from painopts.handout import choose, handout
    from painopts.queries import NameIndex, alternatives_line

    cat = _catalogue()
    index = NameIndex.of(cat)
    cond, rest = _condition_then_rest(cat, index, words)
    resolved = _resolve_techniques(cat, index, rest, "handout")
    for typed, t in resolved:
        # A name several entries could mean (esi, epidural) names the others.
        if line := alternatives_line(cat, typed, t):
            _say(line)
    named = [t for _, t in resolved]
    made = handout(cat, choose(cat, cond, named))
    if fmt is HandoutFormat.HTML:
        from painopts.html import render_html

        text = render_html(
            made.document, timeline=made.timeline, timeline_note=made.timeline_note,
            icon_arrays=made.icon_arrays,
        )  # fmt: skip
    else:
        from painopts.markdown import to_markdown

        text = to_markdown(made.document)
    if output is None or str(output) == "-":
        _write(text)
        return
    from painopts.outfile import write_text
    from painopts.textsafe import shown

    try:
        write_text(output, text)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise _fail(
            f"could not write {shown(str(output))}: {reason}; nothing there was changed",
            Exit.OUTPUT,
        ) from None
    _say(f"wrote the {cond.id} handout ({fmt.value}) to {shown(str(output))}")


def _condition_then_rest(
    cat: Catalogue, index: NameIndex, words: list[str]
) -> tuple[Condition, list[str]]:
    """The condition named by the longest run of leading words, and the words after
    it (`handout low back pain rfa`); the whole line when nothing shorter names one."""
    from painopts.queries import find_condition

    for end in range(len(words), 0, -1):
        if _names_condition(cat, index, words[:end]):
            return find_condition(cat, " ".join(words[:end]), index), words[end:]
    return find_condition(cat, words[0], index), words[1:]


@app.command("validate")
@guarded
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Catalogue files or directories (default: the bundled catalogue).",
            metavar="[PATH]...",
        ),
    ] = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Check catalogue files and report every problem, each with file, line and column."""
    from painopts.errors import CatalogueError
    from painopts.formats import dumps

    layers = state.catalogs + list(paths or [])
    bundled = state.bundled and not paths
    _something_to_load(layers, bundled)
    try:
        # Only valid catalogues are cached, keyed by every file's bytes and the rules'
        # code, so a hit means these exact files already passed these exact checks.
        cat = _load(layers, bundled=bundled)
    except CatalogueError as exc:
        issues = exc.issues
        if fmt is Format.JSON:
            records = [
                {"file": i.path, "line": i.line, "column": i.column, "where": i.where,
                 "message": i.message}
                for i in issues
            ]  # fmt: skip
            _write(dumps({"valid": False, "problems": records}, pretty=_pretty()))
        else:
            from painopts.textsafe import shown

            _write("".join(f"{shown(str(i))}\n" for i in issues))
        n = len(issues)
        _say(f"{n} problem{'s' if n != 1 else ''} found")
        raise typer.Exit(int(Exit.CATALOGUE)) from None
    counts = {
        "techniques": len(cat.techniques),
        "conditions": len(cat.conditions),
        "indications": sum(len(t.indications) for t in cat.techniques.values()),
        "sources": len(cat.sources),
    }
    if fmt is Format.JSON:
        doc = {"valid": True, "problems": [], "counts": counts, "origins": list(cat.origins)}
        _write(dumps(doc, pretty=_pretty()))
    else:
        from painopts.textsafe import shown

        summary = ", ".join(f"{v} {k}" for k, v in counts.items())
        _write(f"valid: {summary} ({shown(', '.join(cat.origins))})\n")


@app.command("schema")
@guarded
def schema() -> None:
    """Print a JSON Schema for catalogue files, for editors to validate and complete them."""
    import json

    from painopts.schema import catalogue_schema

    _write(json.dumps(catalogue_schema(), indent=2) + "\n")


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
        ["painopts show rfa", "painopts show spinal cord stimulation", "painopts show esi -f csv"],
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
        ["painopts search nerve freezing", "painopts search heat nerve -f json"],
    ),
    "list": (
        "List techniques, with filters.",
        [
            "painopts list",
            "painopts list --max-invasiveness 2 --min-relief 6m",
            "painopts list --condition sciatica --sort evidence",
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
        "List every reference the catalogue cites.",
        ["painopts sources", "painopts sources -f json"],
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
