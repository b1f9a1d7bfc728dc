"""Validated catalogues kept between runs, in a form that cannot run code.

Parsing and validating YAML is most of a run's work, so a validated catalogue (and the
name index that lookups use) is stored once and read back on later runs. Two places
can serve it:

- the **pre-built bundled catalogue**, ``painopts/bundled.msgpack``, shipped inside the
  package and made by ``python scripts/build_bundled.py``. It serves a run with no
  ``--catalog`` layers, so the common case needs no user cache at all (a read-only or
  missing home costs nothing);
- the **user cache**: ``$PAINOPTS_CACHE_DIR``, else ``$XDG_CACHE_HOME/painopts``, else
  ``~/.cache/painopts``. ``PAINOPTS_NO_CACHE=1`` turns off both.

Threat model
------------
Someone other than the current user -- another local account, a repository the user
cloned, whoever can write a directory above the cache -- must not be able to make
painopts run code, show data other than what the catalogue files say, delete files, or
hang. Defences, each by construction:

- **Format.** An entry is one line, ``painopts-cache <format> <key>``, compared as bytes
  before anything is decoded; then the words shell completion offers, as a sized block
  of plain text lines (read on a Tab press without decoding anything, and on a full
  load required to match the decoded catalogue's own words); then MessagePack of
  (catalogue, name index) decoded by
  msgspec straight into the model's own frozen dataclasses: decoding builds data, never
  calls code a file names, and a value of the wrong type or shape, or a missing field,
  fails the decode (unknown keys are dropped, never set). Record ids must match their
  mapping keys, the name index may only point at records that exist, and the layers
  must be the ones asked for; a failed check is a miss.
- **Location.** Only absolute paths are used. A relative or empty ``XDG_CACHE_HOME`` is
  ignored (as the XDG spec says); a relative ``PAINOPTS_CACHE_DIR`` is ignored with a
  warning (``location().warning``, which the CLI prints); a home that is not an absolute
  path (HOME unset for a uid with no passwd entry) turns the user cache off.
- **Trust through one descriptor.** The directory is opened once with
  ``O_DIRECTORY|O_NOFOLLOW`` and checked with ``fstat``: a directory owned by the
  effective user that no group or other can write. Every later step -- opening an entry,
  creating the temporary file, the atomic rename, listing and pruning -- goes through
  that descriptor (``dir_fd``), so swapping a path component after the check changes
  nothing. Entries are opened with ``O_NOFOLLOW|O_NONBLOCK`` (a symlink is refused, a FIFO
  cannot block) and must be regular files owned by us, writable by no one else, and no
  larger than a bound derived from the catalogue's size. A platform without these calls
  (Windows) gets no user cache at all.
- **Pruning** deletes only regular files we own whose names this module writes
  (``<key>.msgpack``, its temporary files, and the ``<sha1>.pickle`` entries of
  earlier versions). A failed write removes its temporary file.
- **Freshness.** The key is a BLAKE2b (256-bit) hash of the format, the source of every
  painopts module that decides how files become a Catalogue (found by following painopts
  imports from this module, which imports the loader -- no hand-kept list), and each
  catalogue file's
  layer, name and bytes. Files are hashed in chunks, never held whole (regular files
  only, at most ``MAX_FILE_BYTES``; anything else means "no caching", and the loader
  reports it). An
  entry is written only if the files still hash to the same key after the load, so an
  edit during a load cannot be cached as the new content. The pre-built file carries its
  key too and is used only when the key of the installed YAML and code matches, so an
  edited catalogue tree never serves stale data.

Out of scope: the current user and root, who can change painopts' own code anyway; the
package directory (and so ``bundled.msgpack``) is trusted exactly as far as the code
beside it. Any problem with either store is a miss: the cache changes speed, never
results.
"""

from __future__ import annotations

import functools
import gc
import os
import re
import stat
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from painopts.catalogue_files import BUNDLED_DIR, catalogue_files, layer_name
from painopts.frozen import Record, record

if TYPE_CHECKING:
    from painopts.models import Catalogue
    from painopts.queries import NameIndex

FORMAT = 3
PREBUILT = Path(__file__).with_name("bundled.msgpack")
# Catalogue files larger than this are not hashed (no caching; the loader refuses them).
MAX_FILE_BYTES = 32 * 1024 * 1024
_KEEP = 8  # entries kept per directory; older ones are pruned when a new one is written
_STALE_TMP_SECONDS = 600  # a temporary file this old belongs to a run that died
_ENTRY = re.compile(r"^([0-9a-f]{64})\.msgpack$")
_OURS = re.compile(
    r"^(?:[0-9a-f]{64}\.msgpack|\.[0-9a-f]{64}\.[0-9a-f]{16}\.tmp|[0-9a-f]{40}\.pickle)$"
)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_READ_FLAGS = (
    os.O_RDONLY
    | _NOFOLLOW
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)  # Windows would otherwise translate line ends
)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
# The user cache is trusted only through a directory descriptor. Where the platform
# cannot do that (Windows), there is no user cache; the pre-built bundled one still works.
_USER_CACHE_POSSIBLE = (
    bool(_NOFOLLOW)
    and hasattr(os, "O_DIRECTORY")
    and hasattr(os, "geteuid")
    and {os.open, os.stat, os.unlink, os.rename} <= os.supports_dir_fd  # rename: replace too
)
_PACKAGE = Path(__file__).parent


# --- where --------------------------------------------------------------------------


@record(kw_only=False)
class Location(Record):
    """Where the user cache is this run (None: off), and a problem worth a warning."""

    directory: Path | None
    warning: str | None = None


def location() -> Location:
    """Resolve the user cache directory from the environment; never relative."""
    if os.environ.get("PAINOPTS_NO_CACHE") or not _USER_CACHE_POSSIBLE:
        return Location(None)
    warning = None
    configured = os.environ.get("PAINOPTS_CACHE_DIR", "")
    if configured:
        if os.path.isabs(configured):
            return Location(Path(configured))
        # A relative directory would resolve under whatever folder the command runs in,
        # such as a cloned repository that ships a planted entry.
        warning = f"PAINOPTS_CACHE_DIR={configured!r} is not an absolute path; ignoring it"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Location(Path(xdg) / "painopts", warning)
    home = os.path.expanduser("~")  # returns "~" itself when there is no home to find
    if not os.path.isabs(home):
        return Location(None, warning)
    return Location(Path(home) / ".cache" / "painopts", warning)


# --- keys ---------------------------------------------------------------------------

# Matched against the source with a newline put in front: a pattern that starts with a
# literal is searched for by that character alone, where one starting with ^ is tried
# at every position (3x slower, and this runs on every load: see _rules).
_IMPORT = re.compile(
    r"\n[ \t]*(?:from[ \t]+(?P<base>\.+[\w.]*|painopts\b[\w.]*)[ \t]+import[ \t]+"
    r"(?P<names>\([^)]*\)|[^\n#;]*)|import[ \t]+(?P<mods>[^\n#;]*))"
)


def _package_modules() -> dict[str, Path]:
    """Module name -> source file, for every module of the painopts package."""
    found: dict[str, Path] = {}
    todo = [("painopts", _PACKAGE)]
    while todo:
        package, folder = todo.pop()
        with os.scandir(folder) as listing:
            for entry in listing:
                if entry.name.endswith(".py") and entry.is_file():
                    stem = entry.name[:-3]
                    name = package if stem == "__init__" else f"{package}.{stem}"
                    found[name] = Path(entry.path)
                elif entry.is_dir() and os.path.isfile(os.path.join(entry.path, "__init__.py")):
                    todo.append((f"{package}.{entry.name}", Path(entry.path)))
    return found


def _imported(name: str, is_package: bool, source: str) -> Iterator[str]:
    """The painopts modules *source* (module *name*) may import, at any indentation:
    lazy imports inside functions decide a load as much as top-level ones."""
    package = name if is_package else name.rpartition(".")[0]
    for m in _IMPORT.finditer("\n" + source):
        if m["mods"] is not None:
            for item in m["mods"].split(","):
                words = item.split()
                if words and words[0].startswith("painopts"):
                    yield words[0]
            continue
        base = m["base"]
        if base.startswith("."):
            dots = len(base) - len(base.lstrip("."))
            anchor = package.split(".")
            anchor = anchor[: len(anchor) - (dots - 1)]
            base = ".".join(anchor + ([base.lstrip(".")] if base.lstrip(".") else []))
        yield base
        for item in m["names"].strip("()").split(","):
            words = item.split()
            if words:
                yield f"{base}.{words[0]}"  # `from painopts import loader`: a submodule


@functools.cache
def _rules() -> tuple[tuple[Path, ...], bytes]:
    """The modules behind a load (see rule_modules) and a digest of their source."""
    modules = _package_modules()
    sources: dict[str, bytes] = {}
    todo = [__name__]
    while todo:
        parts = todo.pop().split(".")
        for i in range(1, len(parts) + 1):  # importing a.b.c runs a and a.b first
            prefix = ".".join(parts[:i])
            if prefix in sources or prefix not in modules:
                continue
            path = modules[prefix]
            sources[prefix] = data = path.read_bytes()
            is_package = path.name == "__init__.py"
            todo.extend(_imported(prefix, is_package, data.decode("utf-8", "replace")))
    h = _new_hash(f"painopts-cache\0{FORMAT}\0".encode())
    for name in sorted(sources):
        data = sources[name]
        h.update(f"\0module\0{name}\0{len(data)}\0".encode() + data)
    return tuple(modules[name] for name in sorted(sources)), h.digest()


def rule_modules() -> tuple[Path, ...]:
    """Every painopts module that decides how files become a cached Catalogue: this
    module and whatever it imports, followed transitively (the loader, the reader, the
    models, the name index...), with their packages' ``__init__``. Derived from the
    source, so a module the loader starts to use is covered without a hand-kept list."""
    return _rules()[0]


def _open_regular(path: Path | str, limit: int, dir_fd: int | None) -> tuple[int, int] | None:
    """(descriptor, size) of a regular file no larger than *limit*, else None. Never
    blocks on a FIFO. With *dir_fd* (cache entries) a symlink is refused and the file
    must be ours and writable by no one else; catalogue paths are the user's choice."""
    flags = _READ_FLAGS if dir_fd is not None else _READ_FLAGS & ~_NOFOLLOW
    try:
        fd = os.open(path, flags, dir_fd=dir_fd)
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return None
    try:
        st = os.fstat(fd)
        if stat.S_ISREG(st.st_mode) and st.st_size <= limit:
            if dir_fd is None or (st.st_uid == os.geteuid() and not st.st_mode & 0o022):
                return fd, st.st_size
    except OSError:
        pass
    os.close(fd)
    return None


def _read_bounded(path: Path | str, limit: int, dir_fd: int | None = None) -> bytes | None:
    """A whole regular file (see _open_regular); None if it cannot be read or changed
    size while it was read."""
    opened = _open_regular(path, limit, dir_fd)
    if opened is None:
        return None
    fd, size = opened
    try:
        chunks = []
        remaining = size
        while remaining > 0:  # one read for a regular file, unless interrupted
            chunk = os.read(fd, remaining)
            if not chunk:
                return None
            chunks.append(chunk)
            remaining -= len(chunk)
        if os.read(fd, 1):
            return None  # it grew
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


_CHUNK = 1 << 20


def _hash_type() -> Any:
    """BLAKE2b from the C module that hashlib itself wraps. `import hashlib` first
    loads OpenSSL, measured at 3.6 MiB of every run's peak memory; this module's own
    BLAKE2b hashes 50 MB in about 56 ms (its SHA-256 takes 163 ms, OpenSSL's 29 ms).
    hashlib where the module is missing."""
    import importlib

    try:
        return importlib.import_module("_blake2").blake2b
    except (ImportError, AttributeError):
        import hashlib

        return hashlib.blake2b


_blake2b = _hash_type()


def _new_hash(data: bytes) -> Any:
    # 32 bytes: the key is 64 hex digits, as entry names expect.
    return _blake2b(data, digest_size=32)


def _hash_file(path: Path, name: str, h: Any) -> int | None:
    """Feed a catalogue file's name, size and bytes to *h* without holding the file in
    memory; its size, or None if it is not a bounded regular file or changed size."""
    opened = _open_regular(path, MAX_FILE_BYTES, None)
    if opened is None:
        return None
    fd, size = opened
    try:
        h.update(f"\0file\0{name}\0{size}\0".encode())
        # A buffer the size of the file, up to 1 MiB: small files cost small buffers.
        view = memoryview(bytearray(min(size + 1, _CHUNK)))
        done = 0
        with open(fd, "rb", buffering=0, closefd=False) as stream:
            while n := stream.readinto(view):
                done += n
                if done > size:
                    return None
                h.update(view[:n])
        return size if done == size else None
    except OSError:
        return None
    finally:
        os.close(fd)


@record(kw_only=False)
class _Key(Record):
    digest: str
    input_bytes: int

    @property
    def entry_limit(self) -> int:
        # An entry is about the size of its YAML; aliases can make it larger.
        return 16 * 1024 * 1024 + 8 * self.input_bytes


def _layers(paths: Sequence[Path], bundled: bool) -> list[Path]:
    return ([BUNDLED_DIR] if bundled else []) + list(paths)


def _key(layers: Sequence[Path]) -> _Key | None:
    """A hash of everything a load depends on, or None when a file cannot be read as a
    bounded regular file (then nothing is cached, and the loader reports the problem)."""
    h = _new_hash(_rules()[1])
    total = 0
    try:
        for layer in layers:
            # The layer's name as the catalogue records it (origins); bundled files by
            # their place in the package, so the key does not depend on where it is.
            h.update(f"\0layer\0{layer_name(layer)}\0".encode())
            if not layer.exists():
                return None
            is_dir = layer.is_dir()
            for f in catalogue_files(layer):
                size = _hash_file(f, f.relative_to(layer).as_posix() if is_dir else "", h)
                if size is None:
                    return None
                total += size
    except (OSError, ValueError):
        return None
    return _Key(h.hexdigest(), total)


def key_for(paths: Sequence[Path] = (), *, bundled: bool = True) -> str | None:
    """The cache key of a load (for tests and tools)."""
    key = _key(_layers(paths, bundled))
    return None if key is None else key.digest


# --- encoding -----------------------------------------------------------------------


def _magic(digest: str) -> bytes:
    """The line an entry starts with: checked as bytes before anything is decoded."""
    return f"painopts-cache {FORMAT} {digest}\n".encode()


@functools.cache
def _decoder() -> Any:
    import msgspec

    from painopts.models import Catalogue
    from painopts.queries import NameIndex

    return msgspec.msgpack.Decoder(tuple[Catalogue, NameIndex])


# Shell completion needs only the names a person can type. They sit in their own block
# after the magic line, as plain text, so a Tab press reads them without importing
# msgspec or the model and without decoding the catalogue (about 25 ms saved).
_TECHNIQUE, _CONDITION = "T", "C"


def completion_words(catalogue: Catalogue) -> dict[str, list[str]]:
    """The words completion offers: ids and aliases of techniques, ids and synonyms of
    conditions, without those holding a space (the shell would split them)."""
    words: dict[str, list[str]] = {_TECHNIQUE: [], _CONDITION: []}
    for t in catalogue.techniques.values():
        words[_TECHNIQUE] += [w for w in (t.id, *t.aliases) if " " not in w]
    for c in catalogue.conditions.values():
        words[_CONDITION] += [w for w in (c.id, *c.synonyms) if " " not in w]
    return words


def _encode(digest: str, catalogue: Catalogue, index: NameIndex) -> bytes | None:
    """An entry: the magic line, a line giving the size of the word block, the word
    block (one ``T<tab>word`` or ``C<tab>word`` line each), then MessagePack of
    (catalogue, name index)."""
    import msgspec

    words = completion_words(catalogue)
    block = "".join(f"{kind}\t{w}\n" for kind, ws in words.items() for w in ws).encode()
    try:
        body = msgspec.msgpack.encode((catalogue, index))
    except (msgspec.EncodeError, TypeError, ValueError, OverflowError):
        return None
    return _magic(digest) + f"{len(block)}\n".encode() + block + body


def _split(data: bytes, digest: str) -> tuple[memoryview, memoryview] | None:
    """The word block and the MessagePack body of an entry for *digest*, or None."""
    magic = _magic(digest)
    if not data.startswith(magic):
        return None
    end = data.find(b"\n", len(magic), len(magic) + 21)
    size = data[len(magic) : end]
    if end < 0 or not size.isdigit():
        return None
    start = end + 1
    stop = start + int(size)
    if stop > len(data):
        return None
    view = memoryview(data)
    return view[start:stop], view[stop:]


def _words(block: memoryview) -> dict[str, list[str]] | None:
    words: dict[str, list[str]] = {_TECHNIQUE: [], _CONDITION: []}
    try:
        text = str(block, "utf-8")
    except UnicodeDecodeError:
        return None
    for line in text.splitlines():
        kind, tab, word = line.partition("\t")
        if not tab or kind not in words or not word or " " in word:
            return None
        words[kind].append(word)
    return words


def _decode(data: bytes, digest: str, origins: tuple[str, ...]) -> Catalogue | None:
    """The catalogue in *data* if it is a well-formed entry for *digest*, else None."""
    import msgspec

    parts = _split(data, digest)
    if parts is None:
        return None
    block, body = parts
    try:
        with _collector_paused():
            catalogue, index = cast("tuple[Catalogue, NameIndex]", _decoder().decode(body))
    except (msgspec.DecodeError, ValueError, TypeError, RecursionError):
        return None
    if catalogue.origins != origins or not _consistent(catalogue, index):
        return None
    if _words(block) != completion_words(catalogue):
        return None  # the word block must say what the catalogue says
    from painopts.queries import NameIndex

    NameIndex.remember(catalogue, index)
    return catalogue


def _consistent(cat: Catalogue, index: NameIndex) -> bool:
    """Shape beyond types: ids match their keys, and the index names only real records."""
    for section in (cat.techniques, cat.conditions, cat.sources):
        if any(k != v.id for k, v in section.items()):
            return False
    if index.exact.keys() != index.display.keys():
        return False
    return all(
        ident in (cat.techniques if kind == "technique" else cat.conditions)
        for kind, ident in index.exact.values()
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic collector while a catalogue is built, then move everything to
    the permanent generation: the catalogue lives until the process ends, and without
    this the collector runs over and over while the objects are made (measured: 4x
    slower decoding at 10,000 techniques) and once more afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


# --- the user cache directory --------------------------------------------------------


def _open_trusted_dir(directory: Path, *, create: bool) -> int | None:
    """A descriptor for *directory* if it is a real directory (not a symlink) owned by
    us that no one else can write; None otherwise. All later access goes through it."""
    try:
        fd = os.open(directory, _DIR_FLAGS)
    except FileNotFoundError:
        if not create:
            return None
        try:
            directory.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with suppress(FileExistsError):
                directory.mkdir(mode=0o700)
            fd = os.open(directory, _DIR_FLAGS)
        except (OSError, ValueError):
            return None
    except (OSError, ValueError):
        return None
    try:
        st = os.fstat(fd)
    except OSError:
        os.close(fd)
        return None
    if stat.S_ISDIR(st.st_mode) and st.st_uid == os.geteuid() and not st.st_mode & 0o022:
        return fd
    os.close(fd)
    return None


def _entry_bytes(directory: Path, key: _Key) -> bytes | None:
    """The bytes of the user-cache entry for *key*, read through a trusted directory."""
    dir_fd = _open_trusted_dir(directory, create=False)
    if dir_fd is None:
        return None
    try:
        return _read_bounded(f"{key.digest}.msgpack", key.entry_limit, dir_fd=dir_fd)
    finally:
        os.close(dir_fd)


def _read_entry(directory: Path, key: _Key, origins: tuple[str, ...]) -> Catalogue | None:
    data = _entry_bytes(directory, key)
    return None if data is None else _decode(data, key.digest, origins)


def _write_entry(directory: Path, key: _Key, blob: bytes) -> None:
    if len(blob) > key.entry_limit:
        return  # it would never be read back
    dir_fd = _open_trusted_dir(directory, create=True)
    if dir_fd is None:
        return
    try:
        tmp = f".{key.digest}.{os.urandom(8).hex()}.tmp"
        fd = os.open(
            tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600,
            dir_fd=dir_fd,
        )  # fmt: skip
        try:
            with open(fd, "wb") as fh:
                fh.write(blob)
            os.replace(tmp, f"{key.digest}.msgpack", src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        except BaseException:
            with suppress(OSError):
                os.unlink(tmp, dir_fd=dir_fd)
            raise
        _prune(dir_fd)
    except OSError:
        return
    finally:
        os.close(dir_fd)


def _prune(dir_fd: int) -> None:
    """Keep the newest entries; touch nothing but regular files we own and named."""
    entries: list[tuple[int, str]] = []
    now = time.time()
    for name in os.listdir(dir_fd):
        if not _OURS.match(name):
            continue
        try:
            st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid():
            continue
        if _ENTRY.match(name):
            entries.append((st.st_mtime_ns, name))
        elif name.endswith(".pickle") or now - st.st_mtime > _STALE_TMP_SECONDS:
            with suppress(OSError):
                os.unlink(name, dir_fd=dir_fd)
    entries.sort(reverse=True)
    for _, name in entries[_KEEP:]:
        with suppress(OSError):
            os.unlink(name, dir_fd=dir_fd)


def words(paths: Sequence[Path] = (), *, bundled: bool = True) -> dict[str, list[str]] | None:
    """The completion words of the catalogue *paths* (and the bundled one) make, read
    from the pre-built catalogue or a user-cache entry without decoding it, or None when
    neither holds them (the caller then loads the catalogue)."""
    if os.environ.get("PAINOPTS_NO_CACHE"):
        return None
    layers = _layers(paths, bundled)
    key = _key(layers)
    if key is None:
        return None
    data = None
    if bundled and not paths:
        data = _read_bounded(PREBUILT, key.entry_limit)
    where = location()
    if _split(data or b"", key.digest) is None and where.directory is not None:
        data = _entry_bytes(where.directory, key)
    parts = _split(data or b"", key.digest)
    return None if parts is None else _words(parts[0])


# --- the pre-built bundled catalogue ------------------------------------------------


def _read_prebuilt(key: _Key, origins: tuple[str, ...]) -> Catalogue | None:
    data = _read_bounded(PREBUILT, key.entry_limit)
    return None if data is None else _decode(data, key.digest, origins)


def build_prebuilt(target: Path = PREBUILT) -> str:
    """Write the pre-built bundled catalogue to *target*; return its key. Raises
    CatalogueError if the bundled catalogue is invalid, RuntimeError if its files
    changed while it was built."""
    layers = _layers((), True)
    key = _key(layers)
    if key is None:
        raise RuntimeError("the bundled catalogue files cannot be read")
    catalogue, index = _load_files((), True)
    if _key(layers) != key:
        raise RuntimeError("the bundled catalogue changed while it was built; run it again")
    blob = _encode(key.digest, catalogue, index)
    if blob is None:
        raise RuntimeError("the bundled catalogue cannot be encoded")
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(blob)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return key.digest


# --- loading ------------------------------------------------------------------------


def _load_files(paths: Sequence[Path], bundled: bool) -> tuple[Catalogue, NameIndex]:
    from painopts.loader import load_catalogue
    from painopts.queries import NameIndex

    with _collector_paused():
        catalogue = load_catalogue(list(paths), bundled=bundled)
        index = NameIndex.of(catalogue)
    return catalogue, index


def load(paths: Sequence[Path] = (), *, bundled: bool = True) -> Catalogue:
    """Like loader.load_catalogue, served from the pre-built bundled catalogue or the
    user cache when nothing has changed. Raises CatalogueError as the loader does."""
    where = location()
    if os.environ.get("PAINOPTS_NO_CACHE"):
        from painopts.loader import load_catalogue

        with _collector_paused():
            return load_catalogue(list(paths), bundled=bundled)
    layers = _layers(paths, bundled)
    key = _key(layers)
    if key is not None:
        origins = tuple(layer_name(layer) for layer in layers)
        cached = _read_prebuilt(key, origins) if bundled and not paths else None
        if cached is None and where.directory is not None:
            cached = _read_entry(where.directory, key, origins)
        if cached is not None:
            return cached
    catalogue, index = _load_files(paths, bundled)
    # Written only if the files still hash to the key: an edit made while they were
    # loaded must not be stored under a key that names other bytes.
    if key is not None and where.directory is not None and _key(layers) == key:
        blob = _encode(key.digest, catalogue, index)
        if blob is not None:
            _write_entry(where.directory, key, blob)
    return catalogue
