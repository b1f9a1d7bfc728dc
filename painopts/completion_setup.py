"""`--install-completion SHELL` and `--show-completion SHELL`.

Typer's own options take no shell: with shellingham installed they are flags, so in
`painopts --install-completion zsh` the word `zsh` was never read, and the shell that
started painopts (often bash, when zsh runs from a bash login or an IDE) got the
completion. Here the shell is required and nothing is guessed.

Installing writes one completion script and, for bash and zsh, appends one line to the
shell's start-up file when that line is not already there; nothing else in that file
is read back, rewritten or reordered. The lines are Typer's, so an earlier Typer
install is recognised rather than doubled. PowerShell's profile is left alone: Typer's
installer also sets the user's script execution policy to Unrestricted, which is not a
completion's call to make; the README gives the manual step.
"""

from __future__ import annotations

import os
from pathlib import Path

PROG = "painopts"
COMPLETE_VAR = "_PAINOPTS_COMPLETE"


# Loaded only when an option below is used: painopts.cli keeps its own copy of the
# names (SHELLS there), so that a run does not pay for this module.
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def plan(shell: str, home: Path) -> tuple[Path, Path | None, str | None]:
    """Where the script goes, and which start-up file gets which line (if any)."""
    if shell == "bash":
        script = home / ".bash_completions" / f"{PROG}.sh"
        return script, home / ".bashrc", f"source '{script}'"
    if shell == "zsh":
        # compinit only finds functions in fpath: the directory is added before it runs.
        return (
            home / ".zfunc" / f"_{PROG}",
            home / ".zshrc",
            "fpath+=~/.zfunc; autoload -Uz compinit; compinit",
        )
    if shell == "fish":
        # fish loads completions from this directory by itself: no start-up file.
        return home / ".config" / "fish" / "completions" / f"{PROG}.fish", None, None
    from painopts.errors import UsageError

    raise UsageError(
        f"{shell} completion is not installed automatically (that would mean changing your "
        f"script execution policy); add it to your profile yourself: "
        f"`{PROG} --show-completion {shell} >> $PROFILE`"
    )


def script(shell: str) -> str:
    from typer._completion_shared import get_completion_script

    return get_completion_script(prog_name=PROG, complete_var=COMPLETE_VAR, shell=shell)


def install(shell: str, home: Path | None = None) -> list[str]:
    """Install completion for *shell* under *home*; return what was done, one line each."""
    if home is None:
        home = _home()
    path, rc, line = plan(shell, home)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(script(shell) + "\n", encoding="utf-8")
    done = [f"{shell} completion written to {path}"]
    if rc is not None and line is not None:
        if _append_once(rc, line):
            done.append(f"added to {rc}: {line}")
        else:
            done.append(f"{rc} already loads it")
    done.append(f"open a new {shell} to use it")
    return done


def _home() -> Path:
    home = os.path.expanduser("~")
    if not os.path.isabs(home):
        from painopts.errors import UsageError

        raise UsageError("no home directory to install completion in (HOME is not set)")
    return Path(home)


def _append_once(rc: Path, line: str) -> bool:
    """Append *line* to *rc* unless a line of it already reads so; True if appended.
    The file is only ever appended to."""
    try:
        text = rc.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        text = ""
    if line in (existing.strip() for existing in text.splitlines()):
        return False
    with rc.open("a", encoding="utf-8") as fh:
        fh.write(("" if text == "" or text.endswith("\n") else "\n") + line + "\n")
    return True
