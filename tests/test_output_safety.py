"""Output meets the outside world: closed pipes, failed writes, the pager, COLUMNS and
empty option values. Each runs the real entry point in a child process."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup

from painopts.cli import app
from painopts.cli_output import Exit, paging

from .conftest import MINI, Run

ROOT = Path(__file__).resolve().parent.parent
BASE = ["--no-bundled", "--catalog", str(MINI)]

# Sample arguments by the kind of value an argument takes (as shell completion knows
# it). A command added with a new kind of required argument fails below until it gets
# a sample here, so no command escapes the pipe and write-error checks.
SAMPLES = {"technique": ["rfa", "scs"], "condition": ["sciatica"], "none": ["nerve"]}


def command_lines() -> list[list[str]]:
    """Every command of the app, with arguments, once as it is and once per other
    output format it offers: taken from the app, not from a list kept by hand."""
    from painopts.complete import describe

    lines = []
    for name, node in describe()["root"]["commands"].items():
        args = [name]
        for arg in node["arguments"]:
            values = SAMPLES.get(arg["values"]["kind"], [])
            # An argument named *_words is one name typed as words: one sample.
            args += values[:1] if arg["name"].endswith("_words") else values
        formats = [
            choice
            for opt in node["options"]
            if "--format" in opt["opts"]
            for choice in opt["values"].get("choices", [])
        ]
        lines.append(args)
        lines += [[*args, "--format", f] for f in formats if f != "table"]
    return lines


LINES = command_lines()
COMMAND_ARGS = {line[0]: line for line in LINES if "--format" not in line}
EXTRA_ARGS = [["--version"], ["--help"], ["list", "--help"]]
ALL_ARGS = [*COMMAND_ARGS.values(), *EXTRA_ARGS]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAINOPTS", "FORCE_COLOR"))}
    env["PAINOPTS_NO_CACHE"] = "1"
    env.update(extra)
    return env


def _argv(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "painopts", *BASE, *args]


def test_every_command_and_format_is_covered() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    names = set(group.commands)
    assert names == set(COMMAND_ARGS)
    assert ["list", "--format", "csv"] in LINES and [
        "pathway",
        "sciatica",
        "--format",
        "mermaid",
    ] in LINES


@pytest.mark.parametrize("args", [*LINES, *EXTRA_ARGS], ids=" ".join)
def test_piped_into_head_c1_exits_0(args: list[str]) -> None:
    # head reads one byte and exits: painopts meets EPIPE part-way through its output,
    # on every command and output format, and still exits 0 with nothing on stderr.
    cmd = " ".join(f"'{a}'" for a in _argv(args))
    proc = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {cmd} | head -c1 >/dev/null"],
        capture_output=True,
        env=_env(),
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert (proc.returncode, proc.stderr) == (0, b"")


@pytest.mark.parametrize("args", ALL_ARGS, ids=" ".join)
def test_a_reader_gone_before_the_first_write_is_not_an_error(args: list[str]) -> None:
    # The read end is closed before the child writes anything, so every write fails
    # with EPIPE, whatever the size of the output.
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run(
            _argv(args), stdout=write, stderr=subprocess.PIPE, env=_env(), cwd=ROOT, timeout=60
        )
    finally:
        os.close(write)
    assert (proc.returncode, proc.stderr) == (0, b"")


@pytest.mark.parametrize("args", ALL_ARGS, ids=" ".join)
def test_a_full_disk_is_an_output_error(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            _argv(args), stdout=full, stderr=subprocess.PIPE, env=_env(), cwd=ROOT, timeout=60
        )
    assert proc.returncode == int(Exit.OUTPUT) == 4
    assert proc.stderr == b"painopts: cannot write output: No space left on device\n"


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["list"]], ids=" ".join)
def test_a_closed_stdout_is_an_output_error(args: list[str]) -> None:
    proc = subprocess.run(
        _argv(args),
        stderr=subprocess.PIPE,
        env=_env(),
        cwd=ROOT,
        timeout=60,
        preexec_fn=lambda: os.close(1),
    )
    assert proc.returncode == 4
    assert proc.stderr == b"painopts: cannot write output: standard output is closed\n"


def _list_at(columns: str | None) -> subprocess.CompletedProcess[bytes]:
    env = _env()
    env.pop("COLUMNS", None)
    if columns is not None:
        env["COLUMNS"] = columns
    return subprocess.run(
        _argv(["list"]), capture_output=True, env=env, cwd=ROOT, timeout=60, check=False
    )


@pytest.mark.parametrize("columns", ["0", "-5", "abc", "", " ", "000", "٣٠"])
def test_unusable_columns_behave_as_unset(columns: str) -> None:
    unset = _list_at(None)
    proc = _list_at(columns)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == unset.stdout


@pytest.mark.parametrize(
    ("columns", "width"), [("100000000", 1000), ("9" * 5000, 1000), ("3", 20), (" 90 ", 90)]
)
def test_columns_are_clamped(columns: str, width: int) -> None:
    proc = _list_at(columns)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == _list_at(str(width)).stdout


def test_a_missing_pager_falls_back_to_printing_with_a_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rich.console import Console

    monkeypatch.delenv("PAINOPTS_PAGER", raising=False)
    monkeypatch.setenv("PAGER", "no-such-pager-program --flag")
    console = Console(file=io.StringIO(), force_terminal=True, width=40)
    warnings: list[str] = []
    with paging(console, warnings.append):
        console.print("shown anyway")
    assert warnings == ["pager 'no-such-pager-program --flag' not found; printing instead"]
    assert isinstance(console.file, io.StringIO)
    assert console.file.getvalue() == "shown anyway\n"


def test_the_cli_never_loses_output_to_a_missing_pager() -> None:
    # --color always makes Rich treat the pipe as a terminal; the pager must not be
    # tried at all, since stdout is not a terminal (tests/test_pager.py has the rest).
    proc = subprocess.run(
        _argv(["--color", "always", "sources", "--pager"]),
        capture_output=True,
        env=_env(PAGER="no-such-pager-program"),
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert (proc.returncode, proc.stderr) == (0, b"")
    assert b"not medical advice" in b" ".join(proc.stdout.split())


def test_the_pager_receives_output_taller_than_the_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.console import Console

    seen = tmp_path / "paged.txt"
    monkeypatch.setenv("PAINOPTS_PAGER", f"sh -c 'cat > {seen}'")
    console = Console(file=io.StringIO(), force_terminal=True, width=40, height=5, highlight=False)
    warnings: list[str] = []
    with paging(console, warnings.append):
        console.print("\n".join(f"line {n}" for n in range(5)))
    assert seen.read_text() == "".join(f"line {n}\n" for n in range(5))
    assert warnings == []
    assert isinstance(console.file, io.StringIO) and console.file.getvalue() == ""


def test_output_that_fits_is_printed_without_the_pager(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.console import Console

    seen = tmp_path / "paged.txt"
    monkeypatch.setenv("PAINOPTS_PAGER", f"sh -c 'cat > {seen}'")
    console = Console(file=io.StringIO(), force_terminal=True, width=40, height=5, highlight=False)
    with paging(console, pytest.fail):
        console.print("\n".join(f"line {n}" for n in range(4)))  # and the prompt: 5
    assert not seen.exists()
    assert isinstance(console.file, io.StringIO)
    assert console.file.getvalue() == "".join(f"line {n}\n" for n in range(4))


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--condition", ""],
        ["list", "--min-relief", ""],
        ["list", "--max-relief", " "],
        ["for", "sciatica", "--min-relief", ""],
    ],
    ids=" ".join,
)
def test_empty_option_values_are_usage_errors(run_mini: Run, args: list[str]) -> None:
    result = run_mini(*args, expect=2)
    assert "must not be empty" in result.stderr


def test_empty_catalog_path_is_a_usage_error(run: Run) -> None:
    result = run("--catalog", "", "list", expect=2)
    assert "Invalid value for '--catalog': must not be empty" in result.stderr


def test_a_pager_that_fails_before_reading_falls_back_to_printing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rich.console import Console

    monkeypatch.setenv("PAINOPTS_PAGER", "sh -c 'exec 0<&-; exit 3'")
    console = Console(file=io.StringIO(), force_terminal=True, width=40)
    warnings: list[str] = []
    with paging(console, warnings.append):
        console.print("x" * 40 + "\n" + ("y" * 39 + "\n") * 5000)  # more than a pipe holds
    assert warnings == [
        "pager \"sh -c 'exec 0<&-; exit 3'\" failed (exit status 3); printing instead"
    ]
    assert isinstance(console.file, io.StringIO)
    assert console.file.getvalue().startswith("x" * 40 + "\n")
