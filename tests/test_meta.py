"""The README, CI and the CLI agree with each other."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest
import typer
import typer.main

from painopts.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def quickstart_commands() -> list[str]:
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_quickstart_is_two_commands_and_ci_runs_them_verbatim() -> None:
    commands = quickstart_commands()
    assert commands == ["pip install . && painopts list", "pip install '.[test]' && pytest"]
    ci_lines = [ln.strip() for ln in CI.splitlines()]
    for command in commands:
        assert command in ci_lines


def test_every_command_has_help_and_is_in_the_readme() -> None:
    group = typer.main.get_group(app)
    assert sorted(group.commands) == sorted(
        [
            "list",
            "show",
            "compare",
            "for",
            "handout",
            "conditions",
            "sources",
            "search",
            "timeline",
            "pathway",
            "validate",
            "schema",
        ]
    )
    for name, command in group.commands.items():
        assert command.help and len(command.help) > 20, name
        assert f"`{name}" in README, f"command {name} is not documented in the README"


def test_exit_codes_are_documented() -> None:
    from painopts.cli_output import Exit

    table = README.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    for code in Exit:
        assert f"| {int(code)} |" in table, code


def _readme_tables() -> ModuleType:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "readme_tables", ROOT / "scripts" / "readme_tables.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_tables_are_what_help_says() -> None:
    """The command and option tables are generated from `--help`: after adding or
    changing a command or option, run `python scripts/readme_tables.py`."""
    assert _readme_tables().regenerate(README) == README, (
        "README.md tables differ from --help: run `python scripts/readme_tables.py`"
    )


def test_readme_tables_are_rebuilt_not_kept() -> None:
    tables = _readme_tables()
    stale = README.replace(
        "| `--ascii` | `timeline` | Draw with ASCII only. |", "| `--ascii` | x | y |"
    )
    assert stale != README
    assert tables.regenerate(stale) == README
    without = README.replace("<!-- readme_tables.py: options -->\n", "")
    with pytest.raises(SystemExit, match="missing options"):
        tables.regenerate(without)


def test_the_readme_tables_hold_every_command_and_option() -> None:
    group = typer.main.get_group(app)
    ctx = typer.Context(group, info_name="painopts", **group.context_settings)
    commands = README.split("<!-- readme_tables.py: commands -->", 1)[1].split("<!-- end", 1)[0]
    options = README.split("<!-- readme_tables.py: options -->", 1)[1].split("<!-- end", 1)[0]
    for name in group.list_commands(ctx):
        assert f"| `{name}" in commands, name
        command = group.get_command(ctx, name)
        assert command is not None
        for param in command.params:
            if param.param_type_name == "option" and "--help" not in param.opts:
                assert f"`{param.opts[0]}" in options or f" {param.opts[0]}" in options, (
                    name,
                    param.opts,
                )
