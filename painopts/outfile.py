"""Writing a file the user named (`-o FILE`) without ever leaving half of one.

The text goes to a temporary file beside the target, is flushed to disk, and then
renamed over the target in one step: a failure (disk full, Ctrl-C) leaves the old file
as it was. A directory, or anything that is not a regular file, is refused rather than
replaced. A symbolic link is followed, so the file it points to is updated and the
link stays. An existing file keeps its permissions.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from painopts.errors import UsageError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: Path, text: str) -> Path:
    """Write *text* (UTF-8) to *path* atomically; return the path written."""
    from painopts.textsafe import shown

    shown_path = shown(str(path))
    if not str(path).strip():
        raise UsageError("the output file name is empty")
    if str(path).endswith(os.sep) or path.is_dir():
        raise UsageError(
            f"{shown_path} is a directory; give a file name, e.g. {shown_path}/handout.html"
        )
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    mode: int | None = None
    try:
        st = target.stat()
    except FileNotFoundError:
        pass
    else:
        if not stat.S_ISREG(st.st_mode):
            raise UsageError(f"{shown_path} exists and is not a regular file; choose another name")
        mode = stat.S_IMODE(st.st_mode)
    parent = target.parent
    if not parent.is_dir():
        raise UsageError(f"{shown(str(parent))}: no such directory; create it first")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path
