"""Where output meets the outside world: exit codes, consoles, the pager, and the
top-level funnel that turns write failures and closed pipes into exit statuses.

Rules kept here so that no command can forget them:
- a reader that goes away (EPIPE, ``painopts list | head -1``) is not an error: exit 0;
- any other failure to write output (``>/dev/full``, a closed stdout) is reported as one
  plain line on stderr and exit status 4 (Exit.OUTPUT), never as success or a "bug";
- COLUMNS/LINES outside a sane range are clamped, and unusable values act as unset;
- the pager runs only on a terminal and only for output taller than the screen; a
  pager that cannot run falls back to printing, with a warning.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from painopts.textsafe import shown

if TYPE_CHECKING:
    from rich.console import Console


class Exit(IntEnum):
    OK = 0
    CATALOGUE = 1
    USAGE = 2
    INTERNAL = 3
    OUTPUT = 4
    INTERRUPTED = 130


# Terminal widths and heights we accept from the environment; beyond them Rich pads
# every line to the width (a 10**9-column line never finishes) or cannot lay out at all.
MIN_COLUMNS, MAX_COLUMNS = 20, 1000
MIN_LINES, MAX_LINES = 5, 10_000

# errno values that mean "the output could not be written" rather than a bug.
_OUTPUT_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EIO, errno.EBADF, errno.EFBIG, errno.EDQUOT, errno.EROFS, errno.EINVAL}
)


class OutputFailed(Exception):
    """Writing the output failed for a reason other than the reader going away."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


def is_output_error(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in _OUTPUT_ERRNOS


def output_failure(exc: OSError) -> OutputFailed:
    reason = os.strerror(exc.errno) if exc.errno else str(exc)
    if exc.errno == errno.EBADF:
        reason = "standard output is closed"
    return OutputFailed(reason)


def _clamp(name: str, low: int, high: int) -> None:
    raw = os.environ.get(name)
    if raw is None:
        return
    text = raw.strip()
    # Not a plain number, or not positive: as if unset. Python will not even convert
    # a number of over 4,300 digits, so a long one is simply "too large".
    if not (text.isascii() and text.isdigit()) or int(text[:12]) <= 0:
        del os.environ[name]
        return
    value = high if len(text) > 9 else min(max(int(text), low), high)
    if str(value) != raw:
        os.environ[name] = str(value)


def sanitise_environment() -> None:
    _clamp("COLUMNS", MIN_COLUMNS, MAX_COLUMNS)
    _clamp("LINES", MIN_LINES, MAX_LINES)


def make_console(**kwargs: Any) -> Console:
    """A Rich console whose broken-pipe handler lets our funnel decide the exit status
    (Rich's own raises SystemExit(1), indistinguishable from an invalid catalogue)."""
    sanitise_environment()
    return _console_class()(**kwargs)


_CONSOLE_CLASS: list[type[Console]] = []


def _console_class() -> type[Console]:
    if not _CONSOLE_CLASS:
        from rich.console import Console

        class QuietPipeConsole(Console):
            def on_broken_pipe(self) -> None:
                self.quiet = True
                raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))

        _CONSOLE_CLASS.append(QuietPipeConsole)
    return _CONSOLE_CLASS[0]


def diagnostic(message: str) -> None:
    """One line on stderr, escaped; a stderr that cannot be written is not our concern."""
    try:
        sys.stderr.write(f"painopts: {shown(message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def silence_stdout() -> None:
    """Point stdout at /dev/null so that no later flush (ours or the interpreter's at
    exit) can fail again once the reader is gone or the output has failed."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


# --- pager ---------------------------------------------------------------------------
#
# As git and gh do: page only when stdout is a terminal; take the program from
# PAINOPTS_PAGER, then PAGER, then less (a variable that is set wins even when empty,
# and empty or `cat` means no pager); give less and lv the options that keep colours
# when the user has not set their own. Unlike a bare `less -F`, the output is measured
# first: output that fits on the screen is printed directly and no pager starts.

DEFAULT_PAGER = "less"
# R: colours, not a raw ESC[1m; F: quit when one screen holds it all; X: leave it on
# the screen after quitting. lv needs -c for colours.
PAGER_ENV = (("LESS", "FRX"), ("LV", "-c"))
_PAGER_VARIABLES = ("PAINOPTS_PAGER", "PAGER")


def pager_command(environ: Mapping[str, str] | None = None) -> list[str] | None:
    """The pager to run as an argument list, or None for no pager."""
    import shlex

    env = os.environ if environ is None else environ
    raw = next((env[name] for name in _PAGER_VARIABLES if name in env), DEFAULT_PAGER).strip()
    if raw in ("", "cat"):
        return None
    try:
        return shlex.split(raw) or None
    except ValueError:  # an unbalanced quote: take the value as one program name
        return [raw]


def pager_configured(environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return any(name in env for name in _PAGER_VARIABLES)


def wants_pager(choice: bool | None, stream: Any, environ: Mapping[str, str] | None = None) -> bool:
    """Whether output written to *stream* goes through the pager. *choice* is --pager
    (True), --no-pager (False) or neither (None: page, as git does). Never when
    *stream* is not a terminal, whatever was asked: a pipe or a file gets the output
    itself. By default not on TERM=dumb either (an editor's shell buffer, where less
    cannot draw); --pager still pages there."""
    env = os.environ if environ is None else environ
    try:
        terminal = bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False
    if not terminal or choice is False:
        return False
    return choice is True or env.get("TERM") != "dumb"


_ESCAPES: list[Any] = []


def screen_rows(text: str, width: int) -> int:
    """How many terminal rows *text* fills at *width* columns: escape sequences take
    no room, and a line wider than the screen (a long URL) takes several rows."""
    import re

    from rich.cells import cell_len

    if not _ESCAPES:  # CSI (colours, styles) and OSC (hyperlinks)
        _ESCAPES.append(re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"))
    lines = _ESCAPES[0].sub("", text).split("\n")
    if lines[-1] == "":
        lines.pop()
    width = max(width, 1)
    return sum(max(1, -(-cell_len(line) // width)) for line in lines)


@contextmanager
def paging(console: Console, warn: Callable[[str], None], *, asked: bool = True) -> Iterator[None]:
    """Send what is printed inside the block through the pager when it is taller than
    the screen; print it directly when it fits, or when no pager can run. *asked*: the
    user asked for a pager (--pager); a pager variable that is set counts too. Only then
    is a pager that cannot be found worth a warning (a machine without less is not)."""
    import shlex
    import shutil

    argv = pager_command()
    if argv is None:
        yield
        return
    named = shlex.join(argv)
    program = shutil.which(argv[0])
    if program is None:
        if asked or pager_configured():
            warn(f"pager {named!r} not found; printing instead")
        yield
        return
    with console.capture() as captured:
        yield
    text = captured.get()
    # The last row is left to the shell prompt that follows, as less -F leaves it.
    if screen_rows(text, console.width) < console.height:
        console.file.write(text)
        return
    failure = _run_pager([program, *argv[1:]], text.encode(console.encoding or "utf-8", "replace"))
    if failure is not None:
        warn(f"pager {named!r} {failure}; printing instead")
        console.file.write(text)


def _run_pager(argv: list[str], data: bytes) -> str | None:
    """Run the pager on *data*: None when it showed it (or the user quit it early),
    else why it could not."""
    import signal
    import subprocess

    env = dict(os.environ)
    for name, value in PAGER_ENV:
        env.setdefault(name, value)
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, env=env)
    except OSError as exc:
        return f"could not start ({exc.strerror})"
    # While the pager runs, Ctrl-C is the pager's (less stops a search with it): were
    # it ours too, painopts would exit and leave a stray less on the terminal. Set only
    # now, after the pager has started, so that it does not inherit "ignore".
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: signals cannot be changed here
        previous = None
    assert proc.stdin is not None
    unread = False
    try:
        try:
            proc.stdin.write(data)
            proc.stdin.close()
        except BrokenPipeError:
            unread = True  # the user quit the pager early, or the pager failed
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass  # what is left in the buffer has no reader
        status = proc.wait()
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    if unread and status != 0:
        return f"failed (exit status {status})"
    return None


# --- the top-level funnel --------------------------------------------------------------


def _stdout_usable() -> bool:
    if sys.stdout is None:
        return False
    try:
        os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return True


def run(app: Callable[..., Any]) -> None:
    """Run the Typer app and exit with a status that tells the truth about the output."""
    sanitise_environment()
    if not _stdout_usable():
        diagnostic("cannot write output: standard output is closed")
        sys.exit(int(Exit.OUTPUT))
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            # A non-UTF-8 terminal must degrade characters, not crash on them.
            reconfigure(errors="replace")
    code = _invoke(app)
    sys.exit(_finish(code))


def _invoke(app: Callable[..., Any]) -> int:
    try:
        result = app(standalone_mode=False)
    except SystemExit as exc:
        if type(sys.stdout).__name__ == "PacifyFlushWrapper":
            # Click's own EPIPE handler (help, version) exits 1: the reader went away.
            return int(Exit.OK)
        return exc.code if isinstance(exc.code, int) else int(bool(exc.code))
    except BrokenPipeError:
        silence_stdout()
        return int(Exit.OK)
    except OutputFailed as exc:
        diagnostic(f"cannot write output: {exc.cause}")
        silence_stdout()
        return int(Exit.OUTPUT)
    except OSError as exc:
        if not is_output_error(exc):
            raise
        diagnostic(f"cannot write output: {output_failure(exc).cause}")
        silence_stdout()
        return int(Exit.OUTPUT)
    except Exception as exc:  # Click's usage errors and aborts, shown as Click shows them
        show = getattr(exc, "show", None)
        exit_code = getattr(exc, "exit_code", None)
        hint = _split_value_hint(exc, sys.argv[1:])
        if hint is not None and isinstance(exit_code, int):
            diagnostic(hint)
            return exit_code
        usage = _usage_line(exc)
        if usage is not None and isinstance(exit_code, int):
            diagnostic(usage)
            return exit_code
        if show is not None and isinstance(exit_code, int):
            try:
                show()
            except OSError:
                pass  # stderr cannot be written either: the status still tells
            return exit_code
        if type(exc).__name__ == "Abort":
            diagnostic("aborted")
            return 1
        raise
    return result if isinstance(result, int) else int(Exit.OK)


def _usage_line(exc: Exception) -> str | None:
    """A usage error in the voice of every other message: one `painopts: ...` line
    with the remedy, rather than Click's three-part block."""
    format_message = getattr(exc, "format_message", None)
    ctx = getattr(exc, "ctx", None)
    if not callable(format_message) or getattr(exc, "exit_code", None) != 2:
        return None
    message = str(format_message()).rstrip(".")
    if not message:
        return None
    command = getattr(ctx, "command_path", None) or "painopts"
    return f"{message[0].lower()}{message[1:]}; see `{command} -h`"


def _split_value_hint(exc: Exception, argv: list[str]) -> str | None:
    """For `--min-relief 6 months`, where the shell split one value in two: name the
    stray words and the quoting that keeps them together."""
    import shlex

    format_message = getattr(exc, "format_message", None)
    message = format_message() if callable(format_message) else ""
    if not (isinstance(message, str) and message.startswith("Got unexpected extra argument")):
        return None
    try:
        # "Got unexpected extra argument(s) (months)": the words are in the last brackets
        extras = shlex.split(message[message.rindex(" (") + 2 : message.rindex(")")])
    except ValueError:
        return None
    stray = ", ".join(repr(word) for word in extras)
    where = argv.index(extras[0]) if extras and extras[0] in argv else -1
    if where >= 2 and argv[where - 2].startswith("--") and not argv[where - 1].startswith("-"):
        value = shlex.quote(" ".join([argv[where - 1], *extras]))
        option = argv[where - 2]
        return f"{stray} is not expected here; quote values with spaces, e.g. {option} {value}"
    return None  # not a split value: Click's own message says it best


def _finish(code: int) -> int:
    """Flush stdout; a failure here is still an output failure, never a success."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        return code
    except OSError as exc:
        diagnostic(f"cannot write output: {output_failure(exc).cause}")
        silence_stdout()
        return code if code not in (Exit.OK,) else int(Exit.OUTPUT)
    return code
