"""A cache of validated catalogues, so repeated runs skip YAML parsing.

The key is a hash of every catalogue file's path and bytes, plus the source of the
modules that define what "valid" means: any edit to a file (even one that keeps its
size and modification time) or to the rules gives a new key, so stale data is never
served. Entries are pickles, so they are only read from a directory that belongs to
the current user and that no one else can write to. Any problem with the cache falls
back to a normal load; the cache never changes behaviour, only speed.

PAINOPTS_CACHE_DIR sets the directory (default: $XDG_CACHE_HOME/painopts or
~/.cache/painopts); PAINOPTS_NO_CACHE=1 turns the cache off.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from painopts import __version__
from painopts.catalogue_files import BUNDLED_DIR, catalogue_files
from painopts.models import Catalogue

CACHE_FORMAT = 1
# The modules whose code decides how files become a Catalogue.
_RULE_MODULES = ("models.py", "loader.py", "yamlread.py", "catalogue_files.py", "cache.py")
_KEEP = 8  # entries kept per directory; older ones are pruned when a new one is written


def cache_dir() -> Path | None:
    if os.environ.get("PAINOPTS_NO_CACHE"):
        return None
    configured = os.environ.get("PAINOPTS_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "painopts"


def fingerprint(layers: Sequence[Path]) -> str | None:
    """A hash of everything a load depends on, or None if a file cannot be read
    (the loader then reports the problem properly)."""
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{CACHE_FORMAT}\0{__version__}\0".encode())
    here = Path(__file__).parent
    try:
        for name in _RULE_MODULES:
            h.update((here / name).read_bytes())
        for layer in layers:
            h.update(b"\0layer\0" + str(layer).encode())
            if not layer.exists():
                return None
            for f in catalogue_files(layer):
                data = f.read_bytes()
                h.update(b"\0file\0" + str(f).encode() + b"\0" + str(len(data)).encode() + b"\0")
                h.update(data)
    except OSError:
        return None
    return h.hexdigest()


def _private(directory: Path) -> bool:
    """Only trust a directory we own that no one else can write to."""
    try:
        st = directory.stat()
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o022


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic collector while a catalogue is built, then move everything to
    the permanent generation: the catalogue lives until the process ends, and without
    this the first collection afterwards would walk every object just made."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def read(key: str) -> Catalogue | None:
    directory = cache_dir()
    if directory is None or not _private(directory):
        return None
    try:
        with open(directory / f"{key}.pickle", "rb") as fh:
            data = fh.read()
        # Unpickling makes many objects and no garbage cycles; with the collector on it
        # runs over and over while they are made (measured: 3x slower).
        with _collector_paused():
            value = pickle.loads(data)
    except Exception:  # missing, truncated or from an incompatible build: just reload
        return None
    return value if isinstance(value, Catalogue) else None


def write(key: str, catalogue: Catalogue) -> None:
    directory = cache_dir()
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _private(directory):
            return
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(catalogue, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, directory / f"{key}.pickle")
        _prune(directory)
    except OSError:
        return


def _prune(directory: Path) -> None:
    entries = sorted(directory.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[_KEEP:]:
        old.unlink(missing_ok=True)


def load(paths: Sequence[Path] = (), *, bundled: bool = True) -> Catalogue:
    """Like loader.load_catalogue, served from the cache when nothing has changed."""
    layers = ([BUNDLED_DIR] if bundled else []) + list(paths)
    key = fingerprint(layers)
    if key is not None:
        cached = read(key)
        if cached is not None:
            return cached
    from painopts.loader import load_catalogue

    with _collector_paused():
        catalogue = load_catalogue(paths, bundled=bundled)
    if key is not None:
        write(key, catalogue)
    return catalogue
