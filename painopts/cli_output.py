"""Where output meets the outside world: exit codes, consoles, the pager, and the
top-level funnel that turns write failures and closed pipes into exit statuses.

Rules kept here so that no command can forget them:
- a reader that goes away (EPIPE, ``painopts list | head -1``) is not an error: exit 0;
- any other failure to write output (``>/dev/full``, a closed stdout) is reported as one
  plain line on stderr and exit status 4 (Exit.OUTPUT), never as success or a "bug";
- COLUMNS/LINES outside a sane range are clamped, and unusable values act as unset;
- a missing pager program falls back to printing, with a warning.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Iterator
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


def pager_command() -> list[str]:
    """The pager to run: PAINOPTS_PAGER, else PAGER, else less (as gh and git do)."""
    import shlex

    for name in ("PAINOPTS_PAGER", "PAGER"):
        raw = os.environ.get(name)
        if raw is not None and raw.strip():
            try:
                return shlex.split(raw)
            except ValueError:
                return [raw]
    return ["less"]


@contextmanager
def paging(console: Console, warn: Callable[[str], None]) -> Iterator[None]:
    """Send what is printed inside the block through the pager; print it directly
    (with a warning) when the pager cannot be started."""
    import shlex
    import shutil
    import subprocess

    argv = pager_command()
    named = shlex.join(argv)
    program = shutil.which(argv[0]) if argv and argv[0] else None
    if program is None:
        warn(f"pager {named!r} not found; printing instead")
        yield
        return
    with console.capture() as captured:
        yield
    text = captured.get()
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # quit if one screen, keep colours, no screen clear
    try:
        proc = subprocess.Popen([program, *argv[1:]], stdin=subprocess.PIPE, env=env)
    except OSError as exc:
        warn(f"pager {named!r} could not start ({exc.strerror}); printing instead")
        console.file.write(text)
        return
    assert proc.stdin is not None
    unread = False
    try:
        proc.stdin.write(text.encode(console.encoding or "utf-8", errors="replace"))
        proc.stdin.close()
    except BrokenPipeError:
        unread = True  # the user quit the pager early, or the pager failed
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass  # what is left in the buffer has no reader
    status = proc.wait()
    if unread and status != 0:
        warn(f"pager {named!r} failed (exit status {status}); printing instead")
        console.file.write(text)


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
