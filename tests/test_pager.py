"""The pager, as users meet it: the real entry point on a pseudo-terminal, with a fake
pager program that records what it was given (its input, its environment).

painopts pages as git does: only when stdout is a terminal, only when the output is
taller than the screen, with PAINOPTS_PAGER, else PAGER, else less; a variable that is
set wins even when empty, and empty or `cat` means no pager."""

from __future__ import annotations

import fcntl
import json
import os
import select
import shlex
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from painopts.cli_output import pager_command, screen_rows, wants_pager

from .conftest import MINI

ROOT = Path(__file__).resolve().parent.parent
ROWS, COLS = 24, 80

# Records its arguments, what it read, the variables a pager is given and whether its
# own stdout is the terminal; then shows one line, so the test can tell who drew what.
FAKE_PAGER = """\
import json, os, sys
data = sys.stdin.buffer.read()
record = {
    "argv": sys.argv[2:],
    "LESS": os.environ.get("LESS"),
    "LV": os.environ.get("LV"),
    "stdout_is_tty": os.isatty(1),
}
with open(sys.argv[1] + ".json", "w") as fh:
    json.dump(record, fh)
with open(sys.argv[1] + ".txt", "wb") as fh:
    fh.write(data)
sys.stdout.write("FAKE PAGER SHOWED IT\\n")
"""


class Fake:
    def __init__(self, tmp_path: Path) -> None:
        self.script = tmp_path / "fake_pager.py"
        self.script.write_text(FAKE_PAGER, encoding="utf-8")
        self.record = tmp_path / "paged"

    def command(self, *args: str) -> str:
        return shlex.join([sys.executable, str(self.script), str(self.record), *args])

    @property
    def ran(self) -> bool:
        return self.record.with_suffix(".json").exists()

    @property
    def received(self) -> str:
        return self.record.with_suffix(".txt").read_bytes().decode("utf-8")

    @property
    def facts(self) -> dict[str, object]:
        loaded: dict[str, object] = json.loads(self.record.with_suffix(".json").read_text())
        return loaded


@pytest.fixture
def fake(tmp_path: Path) -> Fake:
    return Fake(tmp_path)


def _env(**extra: str) -> dict[str, str]:
    drop = ("PAINOPTS", "PAGER", "LESS", "LV", "COLUMNS", "LINES", "NO_COLOR", "FORCE_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update({"TERM": "xterm-256color", "PAINOPTS_NO_CACHE": "1", **extra})
    return env


def on_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run painopts with stdin, stdout and stderr on a new 80x24 pseudo-terminal;
    return its exit status and everything the terminal received."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "painopts", *args],
        stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1.0)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: every process holding the terminal has closed it
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
    status = proc.wait(timeout=60)
    # The terminal turns each "\n" into "\r\n" on the way out.
    return status, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


LONG = ["for", "sciatica"]  # well over 24 lines at 80 columns
SHORT = ["--no-bundled", "--catalog", str(MINI), "conditions"]  # about 10 lines


def test_long_output_on_a_terminal_goes_through_the_pager(fake: Fake) -> None:
    status, direct = on_terminal([*LONG, "--no-pager"], _env(PAINOPTS_PAGER=fake.command()))
    assert status == 0 and not fake.ran
    assert direct.count("\n") > ROWS and "\x1b[1m" in direct  # long, and in colour

    status, screen = on_terminal(LONG, _env(PAINOPTS_PAGER=fake.command("-x")))
    assert status == 0
    assert screen == "FAKE PAGER SHOWED IT\n"  # painopts itself printed nothing
    assert fake.received == direct  # every byte, colours included, nothing else
    assert fake.facts == {"argv": ["-x"], "LESS": "FRX", "LV": "-c", "stdout_is_tty": True}


def test_the_users_own_less_and_lv_options_are_kept(fake: Fake) -> None:
    env = _env(PAINOPTS_PAGER=fake.command(), LESS="-i", LV="-z")
    assert on_terminal(LONG, env)[0] == 0
    assert (fake.facts["LESS"], fake.facts["LV"]) == ("-i", "-z")


def test_output_that_fits_the_screen_is_printed_without_a_pager(fake: Fake) -> None:
    status, screen = on_terminal(SHORT, _env(PAINOPTS_PAGER=fake.command()))
    assert status == 0 and not fake.ran
    assert "facet-pain" in screen and "FAKE PAGER" not in screen
    assert screen.count("\n") < ROWS


@pytest.mark.parametrize(
    ("variables", "args", "paged"),
    [
        ({"PAGER": "FAKE"}, [], True),  # PAGER is honoured
        ({"PAINOPTS_PAGER": "FAKE", "PAGER": "no-such-pager"}, [], True),  # ours first
        ({"PAINOPTS_PAGER": "", "PAGER": "FAKE"}, [], False),  # set, even empty, wins
        ({"PAINOPTS_PAGER": "cat", "PAGER": "FAKE"}, [], False),
        ({"PAINOPTS_PAGER": "  cat ", "PAGER": "FAKE"}, ["--pager"], False),
        ({"PAINOPTS_PAGER": "FAKE"}, ["--no-pager"], False),
        ({"PAINOPTS_PAGER": "FAKE"}, ["--pager"], True),
        ({"PAINOPTS_PAGER": "FAKE", "TERM": "dumb"}, [], False),  # an editor's shell
        ({"PAINOPTS_PAGER": "FAKE", "TERM": "dumb"}, ["--pager"], True),  # unless asked
    ],
)
def test_which_pager_and_whether(
    fake: Fake, variables: dict[str, str], args: list[str], paged: bool
) -> None:
    env = _env(**{k: fake.command() if v == "FAKE" else v for k, v in variables.items()})
    status, screen = on_terminal([*LONG, *args], env)
    assert status == 0
    assert fake.ran is paged
    if paged:
        assert screen == "FAKE PAGER SHOWED IT\n"
    else:
        assert "FAKE PAGER" not in screen and "Invasiveness ladder" in screen


def test_a_missing_default_less_prints_quietly_but_a_chosen_pager_is_named(
    tmp_path: Path,
) -> None:
    env = _env(PATH=str(tmp_path))  # no less on it (painopts runs by its full path)
    status, screen = on_terminal(LONG, env)
    assert status == 0 and "painopts: pager" not in screen
    assert "Invasiveness ladder" in screen
    status, screen = on_terminal([*LONG, "--pager"], env)
    assert status == 0
    assert screen.startswith("painopts: pager 'less' not found; printing instead\n")


@pytest.mark.parametrize("args", [[], ["--pager"], ["--pager", "--color", "always"]])
def test_piped_output_is_never_paged(fake: Fake, args: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "painopts", *LONG, *args],
        capture_output=True, env=_env(PAINOPTS_PAGER=fake.command()), cwd=ROOT, timeout=60,
        check=False,
    )  # fmt: skip
    assert (proc.returncode, proc.stderr, fake.ran) == (0, b"", False)
    assert b"Invasiveness ladder" in proc.stdout


# --- the pieces ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, ["less"]),
        ({"PAGER": "more -d"}, ["more", "-d"]),
        ({"PAGER": "more", "PAINOPTS_PAGER": "less -S"}, ["less", "-S"]),
        ({"PAINOPTS_PAGER": "", "PAGER": "more"}, None),
        ({"PAINOPTS_PAGER": " "}, None),
        ({"PAGER": "cat"}, None),
        ({"PAGER": "'my pager' -x"}, ["my pager", "-x"]),
        ({"PAGER": "unbalanced 'quote"}, ["unbalanced 'quote"]),
    ],
)
def test_pager_command(environ: dict[str, str], expected: list[str] | None) -> None:
    assert pager_command(environ) == expected


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("choice", "tty", "term", "expected"),
    [
        (None, True, "xterm", True),
        (True, True, "xterm", True),
        (False, True, "xterm", False),
        (None, False, "xterm", False),
        (True, False, "xterm", False),
        (None, True, "dumb", False),
        (True, True, "dumb", True),
    ],
)
def test_wants_pager(choice: bool | None, tty: bool, term: str, expected: bool) -> None:
    assert wants_pager(choice, _Stream(tty), {"TERM": term}) is expected


def test_screen_rows_count_cells_not_escapes() -> None:
    link = "\x1b]8;id=1;https://e.org\x1b\\e.org\x1b]8;;\x1b\\"
    text = f"\x1b[1mbold\x1b[0m\n{link}\n{'x' * 81}\n\n{'界' * 41}\n"
    # 1 + 1 + 2 (81 cells at 80) + 1 (blank) + 2 (82 cells)
    assert screen_rows(text, 80) == 7


# Commands that print a page for a person; `schema` prints JSON only and `handout`
# writes a document (usually to a file), so neither pages.
NOT_PAGED = {"schema", "handout"}


def test_every_paging_command_takes_pager_and_no_pager() -> None:
    """One option set everywhere: a script that passes --no-pager to every command
    must not meet "no such option" on some of them."""
    import typer.main

    from painopts.cli import app

    group = typer.main.get_command(app)
    commands = getattr(group, "commands", {})
    assert len(commands) >= 11
    for name, command in commands.items():
        flags = {opt for param in command.params for opt in param.opts + param.secondary_opts}
        if name in NOT_PAGED:
            assert "--no-pager" not in flags, name
        else:
            assert {"--pager", "--no-pager"} <= flags, name
