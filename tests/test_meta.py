"""The README, CI and the CLI agree with each other."""

from __future__ import annotations

import re
from pathlib import Path

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
    from painopts.cli import Exit

    table = README.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    for code in Exit:
        assert f"| {int(code)} |" in table, code
