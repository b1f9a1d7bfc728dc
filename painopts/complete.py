"""Shell completion answered before Typer is imported.

A Tab press starts a whole process; importing Typer costs most of it. The entry point
(painopts/entry.py) sends a completion request here first. The words it may offer come
from two places, neither kept by hand:

- commands, options and option values: ``completion_table.py`` beside this module,
  written from the Typer app itself by ``python -m painopts.complete --write`` and
  checked by a test, so a new command or option cannot be missed (a Python literal,
  not JSON: it loads from bytecode, without importing ``json``);
- technique and condition ids and aliases: the cached catalogue, loaded with the same
  ``--catalog`` / ``--no-bundled`` / ``PAINOPTS_CATALOG`` rules as every command.

Click's completion rules are followed for the command lines people type: command names,
option names, option values, ids. Anything less common (``--opt=value``, quoting, ``--``,
short-option clusters, paths, an unknown word, an option with a callback) returns None,
and the full CLI answers instead, so an answer from here is never a guess.
"""

from __future__ import annotations

import os
import sys

# Not `from typing import TYPE_CHECKING`: importing typing is paid on each Tab press.
# Type checkers treat this name the same way.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from typing import Any

TABLE_FILE = os.path.join(os.path.dirname(__file__), "completion_table.py")
TABLE_FORMAT = 1
# Shells whose protocol is answered here; others go to the full CLI.
SHELLS = ("bash",)


# --- ids and aliases (shared with the full CLI) -----------------------------------------


def catalogue_words(
    kind: str, incomplete: str, catalogs: Iterable[str | os.PathLike[str]], *, bundled: bool
) -> list[str]:
    """Ids and aliases (techniques) or ids and synonyms (conditions) starting with
    *incomplete*, case-insensitively, from the cached catalogue. Raises on any problem
    with the catalogue; callers decide what an error means during completion."""
    from painopts import cache
    from painopts.session import catalogue_layers

    layers, _ = catalogue_layers(os.environ, catalogs)
    paths = list(layers)
    known = cache.words(paths, bundled=bundled)
    if known is None:
        # Not cached yet: load (which stores an entry, so the next Tab press is quick).
        known = cache.completion_words(cache.load(paths, bundled=bundled))
    prefix = incomplete.casefold()
    found = known["T" if kind == "technique" else "C"]
    return sorted(dict.fromkeys(w for w in found if w.casefold().startswith(prefix)))


# --- the fast path ----------------------------------------------------------------------


class _Unsure(Exception):
    """This command line needs the full CLI to answer exactly."""


def program_name() -> str:
    """The program name as Click derives it (it names the completion variable)."""
    main = sys.modules.get("__main__")
    path = sys.argv[0] if sys.argv else ""
    package = getattr(main, "__package__", None)
    if package in (None, ""):
        return os.path.basename(path)
    name = os.path.splitext(os.path.basename(path))[0]
    module = str(package) if name == "__main__" else f"{package}.{name}"
    return f"python -m {module.lstrip('.')}"


def completion_var(prog: str) -> str:
    return f"_{prog}_COMPLETE".replace("-", "_").upper()


def request(environ: Mapping[str, str], prog: str | None = None) -> str | None:
    """The shell named by a completion request (``complete_bash`` -> ``bash``), or None."""
    instruction = environ.get(completion_var(prog or program_name()))
    if not instruction:
        return None
    action, _, shell = instruction.partition("_")
    return shell if action == "complete" else None


def answer(
    environ: Mapping[str, str],
    table: Mapping[str, Any] | None = None,
    *,
    prog: str | None = None,
) -> str | None:
    """The text the full CLI would print for this completion request, or None when only
    the full CLI can tell."""
    shell = request(environ, prog)
    if shell not in SHELLS:
        return None
    try:
        if table is None:
            table = load_table()
        args, incomplete = _bash_words(environ)
        return "\n".join(_complete(table, args, incomplete)) + "\n"
    except _Unsure:
        return None


def load_table() -> Mapping[str, Any]:
    try:
        from painopts.completion_table import TABLE
    except ImportError:
        raise _Unsure from None
    if not isinstance(TABLE, dict) or TABLE.get("format") != TABLE_FORMAT:
        raise _Unsure
    return TABLE


_SHLEX_SPECIAL = frozenset("'\"\\")


def _bash_words(environ: Mapping[str, str]) -> tuple[list[str], str]:
    line = environ.get("COMP_WORDS", "")
    # Without quotes or escapes, shlex's split is a split on its four whitespace characters.
    if any(c in _SHLEX_SPECIAL or (c.isspace() and c not in " \t\r\n") for c in line):
        raise _Unsure
    words = line.split()
    try:
        cword = int(environ.get("COMP_CWORD", ""))
    except ValueError:
        raise _Unsure from None
    if cword < 1:
        raise _Unsure
    incomplete = words[cword] if cword < len(words) else ""
    return words[1:cword], incomplete


class _State:
    __slots__ = ("node", "given", "positionals", "catalogs", "bundled")

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.node = root
        self.given: set[str] = set()
        self.positionals = 0
        self.catalogs: list[str] = []
        self.bundled = True


def _options(node: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {name: opt for opt in node["options"] for name in (*opt["opts"], *opt["secondary"])}


def _parse(table: Mapping[str, Any], args: Sequence[str]) -> _State:
    """Follow Click's resilient parse over *args*: which command, which options given."""
    root = table["root"]
    state = _State(root)
    names = _options(root)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("-"):
            opt = names.get(arg)
            if opt is None or opt["callback"] or not opt["typer"]:
                raise _Unsure  # `--`, `-`, `--x=y`, clusters, unknown options, callbacks
            if opt["flag"]:
                state.given.add(opt["name"])
                if state.node is root and opt["name"] == "no_bundled":
                    state.bundled = False
                i += 1
                continue
            if opt["nargs"] != 1:
                raise _Unsure
            if i + 1 == len(args):
                break  # its value is the word being completed; Click records nothing
            state.given.add(opt["name"])
            value = args[i + 1]
            if value.startswith("-"):
                raise _Unsure
            if state.node is root and opt["name"] == "catalog":
                state.catalogs.append(value)
            i += 2
            continue
        if state.node is root:
            command = root["commands"].get(arg)
            if command is None:
                raise _Unsure
            state.node, state.given, names = command, set(), _options(command)
        else:
            state.positionals += 1
        i += 1
    return state


def command_in(args: Sequence[str]) -> str | None:
    """The command a plain `painopts [root options] COMMAND ...` line runs, or None for
    anything else (help, version, an unknown word or option, a missing table)."""
    try:
        root = load_table()["root"]
    except _Unsure:
        return None
    names = _options(root)
    i = 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith("-"):
            return arg if arg in root["commands"] else None
        opt = names.get(arg)
        if opt is None or opt["callback"] or opt["nargs"] != 1:
            return None
        i += 1 if opt["flag"] else 2
    return None


def _complete(table: Mapping[str, Any], args: list[str], incomplete: str) -> list[str]:
    if incomplete == "=":
        incomplete = ""
    elif "=" in incomplete:
        raise _Unsure
    state = _parse(table, args)
    node = state.node
    if incomplete.startswith("-"):
        return _command_words(node, state, incomplete)
    if args and args[-1].startswith("-"):
        opt = _options(node).get(args[-1])
        if opt is not None and opt["typer"] and not opt["flag"]:
            return _values(opt["values"], state, incomplete)
    taken = state.positionals
    for argument in node["arguments"]:
        if argument["name"].endswith("_words") and taken >= 1:
            return []  # one name typed as words (see painopts.cli._complete)
        if argument["nargs"] == -1 or taken < 1:
            return _values(argument["values"], state, incomplete)
        taken -= argument["nargs"]
    return _command_words(node, state, incomplete)


def _command_words(node: Mapping[str, Any], state: _State, incomplete: str) -> list[str]:
    words = [name for name in node["commands"] if name.startswith(incomplete)]
    if incomplete and not incomplete[0].isalnum():
        for opt in node["options"]:
            if not opt["typer"] or opt["hidden"]:
                continue
            if not opt["multiple"] and opt["name"] in state.given:
                continue
            words += [n for n in (*opt["opts"], *opt["secondary"]) if n.startswith(incomplete)]
    return words


def _values(values: Mapping[str, Any], state: _State, incomplete: str) -> list[str]:
    kind = values["kind"]
    if kind == "none":
        return []
    if kind == "choices":
        if values["case_sensitive"]:
            return [c for c in values["choices"] if c.startswith(incomplete)]
        low = incomplete.lower()
        return [c for c in values["choices"] if c.lower().startswith(low)]
    if kind in ("technique", "condition"):
        try:
            words = catalogue_words(kind, incomplete, state.catalogs, bundled=state.bundled)
        except Exception:  # as in the full CLI: a broken catalogue completes nothing
            return []
        return [w for w in words if w.startswith(incomplete)]
    raise _Unsure


# --- the word table, derived from the app -----------------------------------------------


def describe() -> dict[str, Any]:
    """The completion table of the Typer app: what ``completion.json`` must hold."""
    import typer
    import typer.main
    from typer.utils import get_params_from_function

    from painopts import cli

    kinds = {cli.complete_technique: "technique", cli.complete_condition: "condition"}
    group = typer.main.get_command(cli.app)
    root_ctx = typer.Context(group, **group.context_settings)

    def node(command: Any, ctx: Any, callback: Any) -> dict[str, Any]:
        from typer.core import TyperArgument, TyperGroup, TyperOption

        declared = get_params_from_function(callback) if callback is not None else {}
        options: list[dict[str, Any]] = []
        arguments: list[dict[str, Any]] = []
        help_option = command.get_help_option(ctx)
        for param in command.get_params(ctx):
            meta = declared.get(param.name)
            auto = getattr(getattr(meta, "default", None), "autocompletion", None)
            values = _value_kind(param, auto, kinds)
            if isinstance(param, TyperArgument):
                arguments.append({"name": param.name, "nargs": param.nargs, "values": values})
                continue
            options.append(
                {
                    "name": param.name,
                    # Click builds the help option's names from a set: their order
                    # changes from run to run, so the table keeps them sorted.
                    "opts": sorted(param.opts) if param is help_option else list(param.opts),
                    "secondary": list(param.secondary_opts),
                    "typer": isinstance(param, TyperOption),
                    "flag": bool(getattr(param, "is_flag", False) or getattr(param, "count", 0)),
                    "multiple": param.multiple,
                    "nargs": param.nargs,
                    "hidden": bool(getattr(param, "hidden", False)),
                    "callback": param.callback is not None
                    and getattr(getattr(meta, "default", None), "callback", None)
                    not in cli.VALIDATE_ONLY,
                    "values": values,
                }
            )
        if len(arguments) > 1 and any(a["nargs"] != 1 for a in arguments[:-1]):
            # Only a last argument may take many values in the fast path's model.
            arguments = [{"name": "*", "nargs": 1, "values": {"kind": "other"}}]
        commands: dict[str, Any] = {}
        if isinstance(command, TyperGroup):
            callbacks = {
                info.name or typer.main.get_command_name(info.callback.__name__): info.callback
                for info in cli.app.registered_commands
                if info.callback is not None
            }
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is None or sub.hidden:
                    continue
                sub_ctx = typer.Context(sub, parent=ctx, info_name=name, **sub.context_settings)
                commands[name] = node(sub, sub_ctx, callbacks.get(name))
        return {"options": options, "arguments": arguments, "commands": commands}

    root_callback = cli.app.registered_callback.callback if cli.app.registered_callback else None
    return {"format": TABLE_FORMAT, "root": node(group, root_ctx, root_callback)}


def _value_kind(param: Any, auto: Any, kinds: Mapping[Any, str]) -> dict[str, Any]:
    from typer._click.types import ParamType

    if auto is not None:
        kind = kinds.get(auto)
        return {"kind": kind} if kind else {"kind": "other"}
    if param._custom_shell_complete is not None:
        return {"kind": "other"}
    kind_type = param.type
    if type(kind_type).shell_complete is ParamType.shell_complete:
        return {"kind": "none"}
    if type(kind_type).__name__ == "TyperChoice":
        return {
            "kind": "choices",
            "choices": [str(c) for c in kind_type.choices],
            "case_sensitive": bool(kind_type.case_sensitive),
        }
    return {"kind": "other"}


def render_table(table: Mapping[str, Any]) -> str:
    import pprint

    return (
        '"""Completion words of the painopts app. Generated by '
        '`python -m painopts.complete --write`: do not edit."""\n\n'
        f"TABLE: dict[str, object] = {pprint.pformat(table, width=100, sort_dicts=False)}\n"
    )


def _main(argv: Sequence[str]) -> int:
    text = render_table(describe())
    if list(argv) == ["--write"]:
        with open(TABLE_FILE, "w", encoding="utf-8") as fh:
            fh.write(text)
        print(f"wrote {TABLE_FILE}")
        return 0
    if list(argv) == ["--check"]:
        try:
            with open(TABLE_FILE, encoding="utf-8") as fh:
                current = fh.read()
        except FileNotFoundError:
            current = ""
        if current != text:
            print(f"{TABLE_FILE} is out of date: run `python -m painopts.complete --write`")
            return 1
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
