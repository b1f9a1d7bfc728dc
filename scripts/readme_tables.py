"""Regenerate the README's command and option tables from the app's own help.

    python scripts/readme_tables.py           # rewrite the tables in README.md
    python scripts/readme_tables.py --check   # exit 1 if README.md is out of date

Each table sits between two markers in README.md:

    <!-- readme_tables.py: NAME -->
    ...generated...
    <!-- end readme_tables.py: NAME -->

and is built from what `--help` shows: each command's usage and help text, and each
option's names, metavar and help (Click's own help record, so the words are the same
as in `painopts COMMAND --help`). Run it after adding or changing a command or option;
tests/test_meta.py fails until you do. Like build_bundled.py, it always reads this
checkout's painopts, whichever painopts is installed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
sys.path.insert(0, str(ROOT))

COMMAND = "python scripts/readme_tables.py"
_BLOCK = re.compile(
    r"(<!-- readme_tables\.py: (?P<name>[a-z-]+) -->\n)(?P<body>.*?)"
    r"(<!-- end readme_tables\.py: (?P=name) -->)",
    re.DOTALL,
)


def _cell(text: str) -> str:
    """One Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _help_text(command: Any) -> str:
    # Click's "\b" marks a paragraph it must not rewrap; it is not text.
    return _cell((command.help or "").replace("\b", ""))


def _app() -> tuple[Any, Any]:
    import typer
    import typer.main

    from painopts.cli import app

    group = typer.main.get_group(app)
    return group, typer.Context(group, info_name="painopts", **group.context_settings)


def _options(command: Any, ctx: Any) -> list[tuple[str, str]]:
    """(names with metavar, help) for each option, as `--help` lists them."""
    rows = []
    for param in command.get_params(ctx):
        if getattr(param, "param_type_name", "") != "option" or param.hidden:
            continue
        if set(param.opts) & set(ctx.help_option_names):
            continue  # -h/--help: on every command, said once in the README
        record = param.get_help_record(ctx)
        if record is not None:
            rows.append((record[0], record[1]))
    return rows


def commands_table() -> str:
    group, ctx = _app()
    lines = ["| command | what it does |", "|---|---|"]
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        sub = type(ctx)(command, parent=ctx, info_name=name)
        pieces = [p for p in command.collect_usage_pieces(sub) if p != "[OPTIONS]"]
        usage = " ".join([name, *pieces])
        lines.append(f"| `{_cell(usage)}` | {_help_text(command)} |")
    return "\n".join(lines) + "\n"


def global_options_table() -> str:
    group, ctx = _app()
    lines = ["| option (before the command) | what it does |", "|---|---|"]
    for names, text in _options(group, ctx):
        lines.append(f"| `{_cell(names)}` | {_cell(text)} |")
    return "\n".join(lines) + "\n"


def options_table() -> str:
    """Every command option once, with the commands that take it; an option whose help
    differs between commands gets one row per wording."""
    group, ctx = _app()
    rows: dict[tuple[str, str], list[str]] = {}
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        sub = type(ctx)(command, parent=ctx, info_name=name)
        for record in _options(command, sub):
            rows.setdefault(record, []).append(name)
    lines = ["| option | commands | what it does |", "|---|---|---|"]
    for (names, text), used_by in rows.items():
        commands = ", ".join(f"`{c}`" for c in used_by)
        lines.append(f"| `{_cell(names)}` | {commands} | {_cell(text)} |")
    return "\n".join(lines) + "\n"


def formats_table() -> str:
    from painopts.output import matrix_markdown

    return matrix_markdown()


TABLES = {
    "commands": commands_table,
    "formats": formats_table,
    "global-options": global_options_table,
    "options": options_table,
}


def regenerate(readme: str) -> str:
    """*readme* with every marked table rebuilt; an unknown or missing marker fails."""
    found = {m.group("name") for m in _BLOCK.finditer(readme)}
    if found != set(TABLES):
        missing = ", ".join(sorted(set(TABLES) - found)) or "none"
        unknown = ", ".join(sorted(found - set(TABLES))) or "none"
        raise SystemExit(f"README.md markers: missing {missing}; unknown {unknown}")
    built = {name: make() for name, make in TABLES.items()}
    return _BLOCK.sub(lambda m: m.group(1) + built[m.group("name")] + m.group(4), readme)


def main(argv: list[str]) -> int:
    import painopts

    if Path(painopts.__file__).resolve().parent != ROOT / "painopts":
        print(f"readme_tables: imported {painopts.__file__}, not {ROOT}'s", file=sys.stderr)
        return 1
    text = README.read_text(encoding="utf-8")
    new = regenerate(text)
    if "--check" in argv:
        if new != text:
            print(f"README.md tables are out of date: run `{COMMAND}`", file=sys.stderr)
            return 1
        return 0
    if new != text:
        README.write_text(new, encoding="utf-8")
        print("README.md: tables regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
