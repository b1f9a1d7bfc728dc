"""Which files make up a catalogue. Kept light: the cache needs it without the parser.

What is read, and why:
- only regular files: a FIFO, a device (``/dev/zero``), a socket or ``/dev/stdin`` fed by
  a pipe is refused with a message, because reading one can block or never end;
- a file may be at most MAX_FILE_BYTES, checked before anything reads it;
- a path named on the command line may be a symbolic link (the user chose it), but
  links *inside* a catalogue folder are never followed: a linked ``.yaml`` file or a
  linked folder is an error naming the link, so a folder cannot pull in (or quote in
  its errors) content from outside itself; files found in a folder are later opened
  one path component at a time without following links (open_file), so a link
  swapped in after the scan is refused too;
- a sub-folder that cannot be listed is an error, never skipped, because a file in it
  (a ``remove:`` overlay, say) would silently not apply.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

BUNDLED_DIR = Path(__file__).parent / "data"
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_FOLDER_DEPTH = 32
SUFFIXES = (".yaml", ".yml")

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class ScanFailed(OSError):
    """Some part of a catalogue path cannot be read safely; carries every problem."""

    def __init__(self, problems: list[tuple[Path, str]]) -> None:
        super().__init__(errno.EINVAL, problems[0][1] if problems else "unreadable catalogue")
        self.problems = problems


def kind_of(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def not_regular(mode: int) -> str:
    return f"is {kind_of(mode)}, not a regular file; painopts reads only regular files"


def too_big(size: int) -> str:
    return f"file is {size} bytes; the limit is {MAX_FILE_BYTES} bytes (32 MiB)"


def os_problem(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file or directory"
    if exc.errno == errno.ENAMETOOLONG:
        return "the path is too long"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ELOOP:
        return "too many levels of symbolic links"
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is not a directory"
    return f"cannot read: {exc.strerror or exc}"


_NOT_UTF8 = "the name is not valid UTF-8; rename it"


def _utf8(path: Path | str) -> bool:
    # Undecodable bytes in a name arrive as lone surrogates, which cannot be encoded
    # again, printed faithfully or compared with names typed elsewhere.
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def scan(path: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The YAML files a catalogue path stands for, in a stable order, and every
    problem that stops part of it from being read."""
    if not _utf8(path):
        return [], [(path, _NOT_UTF8)]
    try:
        st = os.stat(path)
    except (OSError, ValueError) as exc:
        message = os_problem(exc) if isinstance(exc, OSError) else "the path is not valid"
        return [], [(path, message)]
    if not stat.S_ISDIR(st.st_mode):
        if not stat.S_ISREG(st.st_mode):
            return [], [(path, not_regular(st.st_mode))]
        if st.st_size > MAX_FILE_BYTES:
            return [], [(path, too_big(st.st_size))]
        return [path], []
    files: list[Path] = []
    problems: list[tuple[Path, str]] = []
    todo: list[tuple[Path, int]] = [(path, 0)]
    while todo:
        folder, depth = todo.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            problems.append((folder, f"{os_problem(exc)}: cannot list this folder"))
            continue
        for entry in entries:
            child = folder / entry.name
            try:
                est = entry.stat(follow_symlinks=False)
            except OSError as exc:
                problems.append((child, os_problem(exc)))
                continue
            mode = est.st_mode
            wanted = entry.name.endswith(SUFFIXES)
            if (wanted or stat.S_ISDIR(mode)) and not _utf8(entry.name):
                problems.append((child, _NOT_UTF8))
            elif stat.S_ISLNK(mode):
                if wanted or _points_to_folder(child):
                    problems.append(
                        (
                            child,
                            "is a symbolic link; links inside a catalogue folder are not "
                            "followed (name the target with --catalog instead)",
                        )
                    )
            elif stat.S_ISDIR(mode):
                if depth + 1 > MAX_FOLDER_DEPTH:
                    problems.append((child, f"folders nest deeper than {MAX_FOLDER_DEPTH}"))
                else:
                    todo.append((child, depth + 1))
            elif wanted:
                if not stat.S_ISREG(mode):
                    problems.append((child, not_regular(mode)))
                elif est.st_size > MAX_FILE_BYTES:
                    problems.append((child, too_big(est.st_size)))
                else:
                    files.append(child)
    files.sort(key=lambda p: p.relative_to(path).as_posix())
    problems.sort(key=lambda item: str(item[0]))
    return files, problems


def _points_to_folder(link: Path) -> bool:
    try:
        return stat.S_ISDIR(os.stat(link).st_mode)
    except OSError:
        return False


def open_file(path: Path, root: Path | None = None) -> int:
    """A read-only descriptor for *path*; opening never blocks (a FIFO with no writer
    would). With *root*, the catalogue folder that *path* was found in, every part of
    the path below *root* is opened without following links, so a link swapped in
    after the scan cannot lead outside the folder."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
    if root is None:
        return os.open(path, flags)
    parts = path.relative_to(root).parts
    folder = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in parts[:-1]:
            inner = os.open(
                part,
                os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC,
                dir_fd=folder,
            )
            os.close(folder)
            folder = inner
        return os.open(parts[-1], flags | os.O_NOFOLLOW, dir_fd=folder)
    finally:
        os.close(folder)


def catalogue_files(path: Path) -> list[Path]:
    """The YAML files a catalogue path stands for; ScanFailed (an OSError) if any part
    of it cannot be read safely."""
    files, problems = scan(path)
    if problems:
        raise ScanFailed(problems)
    return files


def display_name(path: Path) -> str:
    if path.is_relative_to(BUNDLED_DIR):
        return f"<bundled>/{path.relative_to(BUNDLED_DIR).as_posix()}"
    return str(path)


def layer_name(path: Path) -> str:
    return "<bundled>" if path == BUNDLED_DIR else str(path)
