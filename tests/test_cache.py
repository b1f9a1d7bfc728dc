"""The catalogue cache: faster, never stale, and unable to run or show anyone else's data.

Each attack from the "Safe by construction" issue has a test here: planted entries in
relative or foreign directories, symlinks (including a swap after the trust check),
pruning of files painopts did not write, FIFOs, edits during a load, and a cache that
cannot be written.
"""

from __future__ import annotations

import ast
import dataclasses
import errno
import os
import pickle
import pwd
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import msgspec
import pytest
from typer.testing import CliRunner

from painopts import cache, loader, yamlread
from painopts.catalogue_files import BUNDLED_DIR
from painopts.cli import app
from painopts.errors import CatalogueError
from painopts.loader import load_catalogue
from painopts.models import Catalogue
from painopts.queries import NameIndex

from .conftest import MINI

ROOT = Path(__file__).resolve().parent.parent
IS_ROOT = os.geteuid() == 0
REBUILD = "python scripts/build_bundled.py"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", str(d))
    return d


@pytest.fixture
def cat_dir(tmp_path: Path, cache_dir: Path) -> Path:
    d = tmp_path / "cat"
    shutil.copytree(MINI, d)
    return d


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts full loads from YAML (a cache miss)."""
    calls: list[int] = []
    real = loader.load_catalogue

    def counting(*args: Any, **kwargs: Any) -> Catalogue:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(loader, "load_catalogue", counting)
    return calls


def split_entry(path: Path) -> tuple[str, bytes, bytes]:
    """An entry's first line (format and key), its word block (with the line giving
    its size) and its MessagePack body."""
    line, _, rest = path.read_bytes().partition(b"\n")
    size, _, rest = rest.partition(b"\n")
    n = int(size)
    return line.decode("ascii"), size + b"\n" + rest[:n], rest[n:]


def entries(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.glob("*.msgpack"))


def planted_entry(cat_dir: Path, key: str) -> bytes:
    """A well-formed entry for *key* whose catalogue says something the files do not."""
    real = load_catalogue([cat_dir], bundled=False)
    rfa = real.techniques["rfa"]
    fake_rfa = dataclasses.replace(rfa, name="PLANTED")
    fake = dataclasses.replace(real, techniques={**real.techniques, "rfa": fake_rfa})
    blob = cache._encode(key, fake, NameIndex.build(fake))
    assert blob is not None
    return blob


def private_dir(path: Path) -> Path:
    path.mkdir(parents=True, mode=0o700)
    path.chmod(0o700)
    return path


def test_second_load_is_served_from_the_cache(
    cat_dir: Path, cache_dir: Path, loads: list[int]
) -> None:
    first = cache.load([cat_dir], bundled=False)
    assert entries(cache_dir) == [f"{cache.key_for([cat_dir], bundled=False)}.msgpack"]
    second = cache.load([cat_dir], bundled=False)
    assert loads == [1]
    assert second == first == load_catalogue([cat_dir], bundled=False)
    assert second is not first


def test_the_name_index_is_kept_in_the_entry(
    cat_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.load([cat_dir], bundled=False)
    built: list[int] = []
    real_build = NameIndex.build

    def counting_build(cls: type[NameIndex], cat: Catalogue) -> NameIndex:
        built.append(1)
        return real_build(cat)

    monkeypatch.setattr(NameIndex, "build", classmethod(counting_build))
    cat = cache.load([cat_dir], bundled=False)
    index = NameIndex.of(cat)
    assert built == []
    assert index.resolve("radiofrequency ablation", "technique") == "rfa"
    assert index == real_build(load_catalogue([cat_dir], bundled=False))


def test_entries_are_a_key_line_then_msgpack(cat_dir: Path, cache_dir: Path) -> None:
    cache.load([cat_dir], bundled=False)
    (name,) = entries(cache_dir)
    line, words, body = split_entry(cache_dir / name)
    assert f"{line}.msgpack" == f"painopts-cache {cache.FORMAT} {name}"
    catalogue, _ = msgspec.msgpack.decode(body, type=tuple[Catalogue, NameIndex])
    assert catalogue == load_catalogue([cat_dir], bundled=False)


def test_entries_carry_the_completion_words_as_plain_text(cat_dir: Path, cache_dir: Path) -> None:
    cat = cache.load([cat_dir], bundled=False)
    (name,) = entries(cache_dir)
    _, words, _ = split_entry(cache_dir / name)
    size, _, block = words.partition(b"\n")
    assert int(size) == len(block)
    lines = block.decode().splitlines()
    assert lines[:3] == ["T\tesi", "T\tepidural", "T\trfa"]
    assert cache.words([cat_dir], bundled=False) == cache.completion_words(cat)
    assert [w for w in cache.completion_words(cat)["C"] if " " in w] == []


def test_a_word_block_that_disagrees_with_the_catalogue_is_a_miss(
    cat_dir: Path, cache_dir: Path, loads: list[int]
) -> None:
    cache.load([cat_dir], bundled=False)
    (name,) = entries(cache_dir)
    line, words, body = split_entry(cache_dir / name)
    forged = b"T\tplanted\n"
    (cache_dir / name).write_bytes(
        line.encode() + b"\n" + f"{len(forged)}\n".encode() + forged + body
    )
    assert cache.load([cat_dir], bundled=False) == load_catalogue([cat_dir], bundled=False)
    assert loads == [1, 1]


def test_completion_words_are_read_without_decoding_the_catalogue() -> None:
    code = (
        "import sys; from painopts import cache; w = cache.words(); "
        "print(w is not None and 'rfa' in w['T'], "
        "sorted(m for m in ('msgspec', 'painopts.models', 'painopts.queries', 'yaml') "
        "if m in sys.modules))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PAINOPTS_NO_CACHE"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout == "True []\n"


def test_any_edit_invalidates_even_with_same_size_and_mtime(cat_dir: Path) -> None:
    f = cat_dir / "catalogue.yaml"
    cache.load([cat_dir], bundled=False)
    st = f.stat()
    text = f.read_text(encoding="utf-8")
    f.write_text(
        text.replace("Radiofrequency ablation", "Radiofrequency ABLATION"), encoding="utf-8"
    )
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert f.stat().st_size == st.st_size
    assert cache.load([cat_dir], bundled=False).techniques["rfa"].name == "Radiofrequency ABLATION"


def test_an_added_file_invalidates(cat_dir: Path) -> None:
    cache.load([cat_dir], bundled=False)
    (cat_dir / "extra.yaml").write_text(
        "sources:\n  - id: extra-2024\n    title: T\n    publisher: P\n    year: 2024\n"
        "    url: https://example.org/x\n    kind: review\n",
        encoding="utf-8",
    )
    assert "extra-2024" in cache.load([cat_dir], bundled=False).sources


def test_invalid_catalogues_are_never_cached(cat_dir: Path, cache_dir: Path) -> None:
    (cat_dir / "bad.yaml").write_text("techniques: {}\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(CatalogueError):
            cache.load([cat_dir], bundled=False)
    assert entries(cache_dir) == []


def test_cache_can_be_turned_off(
    cat_dir: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAINOPTS_NO_CACHE", "1")
    assert cache.location() == cache.Location(None)
    cache.load([cat_dir], bundled=False)
    assert not cache_dir.exists()


def test_missing_path_is_reported_by_the_loader(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError) as info:
        cache.load([tmp_path / "absent"], bundled=False)
    assert str(info.value.issues[0]).endswith("absent: no such file or directory")


# --- entries that are not what painopts wrote ----------------------------------------


def _retyped(doc: Any) -> None:
    doc[0]["techniques"]["rfa"]["invasiveness"] = "laser"


def _rekeyed(doc: Any) -> None:
    techniques = doc[0]["techniques"]
    techniques["other"] = techniques.pop("rfa")


def _dangling_index(doc: Any) -> None:
    doc[1]["exact"]["ghost"] = ["technique", "ghost"]
    doc[1]["display"]["ghost"] = "ghost"


def _missing_field(doc: Any) -> None:
    del doc[0]["techniques"]["rfa"]["name"]


def _nested_wrong(doc: Any) -> None:
    doc[0]["techniques"]["rfa"]["indications"][0]["evidence"] = "strong"


def _wrong_origins(doc: Any) -> None:
    doc[0]["origins"] = ["<bundled>"]


@pytest.mark.parametrize(
    "tamper", [_retyped, _rekeyed, _dangling_index, _missing_field, _nested_wrong, _wrong_origins]
)
def test_an_entry_of_the_wrong_type_or_shape_is_a_miss(
    cat_dir: Path, cache_dir: Path, loads: list[int], tamper: Callable[[Any], None]
) -> None:
    cache.load([cat_dir], bundled=False)
    (name,) = entries(cache_dir)
    line, words, body = split_entry(cache_dir / name)
    doc = msgspec.msgpack.decode(body)
    tamper(doc)
    (cache_dir / name).write_bytes(line.encode() + b"\n" + words + msgspec.msgpack.encode(doc))
    assert cache.load([cat_dir], bundled=False) == load_catalogue([cat_dir], bundled=False)
    assert loads == [1, 1]


def test_unknown_keys_in_an_entry_never_become_attributes(cat_dir: Path, cache_dir: Path) -> None:
    cache.load([cat_dir], bundled=False)
    (name,) = entries(cache_dir)
    line, words, body = split_entry(cache_dir / name)
    doc = msgspec.msgpack.decode(body)
    doc[0]["techniques"]["rfa"].update({"__class__": "os.system", "__dict__": {"id": "x"}})
    (cache_dir / name).write_bytes(line.encode() + b"\n" + words + msgspec.msgpack.encode(doc))
    cat = cache.load([cat_dir], bundled=False)
    assert cat == load_catalogue([cat_dir], bundled=False)
    assert type(cat.techniques["rfa"]).__name__ == "Technique"


def test_an_entry_stored_under_another_key_is_a_miss(
    cat_dir: Path, cache_dir: Path, loads: list[int]
) -> None:
    key = cache.key_for([cat_dir], bundled=False)
    assert key is not None
    private_dir(cache_dir)
    (cache_dir / f"{key}.msgpack").write_bytes(planted_entry(cat_dir, "0" * 64))
    assert cache.load([cat_dir], bundled=False).techniques["rfa"].name == "Radiofrequency ablation"
    assert loads == [1]


class _Marker:
    """Unpickling this creates a file: the proof that a cache ran code."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.path,))


def test_a_pickle_in_the_cache_never_runs(cat_dir: Path, cache_dir: Path, tmp_path: Path) -> None:
    key = cache.key_for([cat_dir], bundled=False)
    marker = tmp_path / "code-ran"
    private_dir(cache_dir)
    payload = pickle.dumps(_Marker(marker))
    (cache_dir / f"{key}.msgpack").write_bytes(payload)
    (cache_dir / f"{'a' * 40}.pickle").write_bytes(payload)  # the previous format's name
    assert cache.load([cat_dir], bundled=False) == load_catalogue([cat_dir], bundled=False)
    assert not marker.exists()


# --- where the cache is ---------------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean environment: HOME in tmp, no cache settings, the cwd an empty folder."""
    h = tmp_path / "home"
    h.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("HOME", str(h))
    for name in ("PAINOPTS_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(work)
    return h


@pytest.mark.parametrize("xdg", [".cache", "", "cache/../.cache"])
def test_a_relative_or_empty_xdg_cache_home_is_ignored(
    home: Path, monkeypatch: pytest.MonkeyPatch, xdg: str, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert cache.location() == cache.Location(home / ".cache" / "painopts")
    cat_dir = tmp_path / "cat"
    shutil.copytree(MINI, cat_dir)
    key = cache.key_for([cat_dir], bundled=False)
    # The attack: a cloned repository ships .cache/painopts/<key> for the cwd.
    planted = private_dir(Path.cwd() / ".cache" / "painopts")
    (planted / f"{key}.msgpack").write_bytes(planted_entry(cat_dir, str(key)))
    assert cache.load([cat_dir], bundled=False).techniques["rfa"].name == "Radiofrequency ablation"
    assert entries(home / ".cache" / "painopts") == [f"{key}.msgpack"]


def test_an_absolute_xdg_cache_home_is_used(
    home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.location() == cache.Location(tmp_path / "xdg" / "painopts")


def test_a_relative_cache_dir_is_ignored_with_a_warning(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", "relcache")
    assert cache.location() == cache.Location(
        home / ".cache" / "painopts",
        "PAINOPTS_CACHE_DIR='relcache' is not an absolute path; ignoring it",
    )


def test_the_cli_prints_the_relative_cache_dir_warning_on_stderr(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", "rel\x1b]52;c;x\x07cache")
    for args in (["--no-bundled", "--catalog", str(MINI), "show", "rfa"], ["validate"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.stderr
        assert result.stderr.splitlines()[0] == (
            "painopts: warning: PAINOPTS_CACHE_DIR='rel\\x1b]52;c;x\\x07cache' "
            "is not an absolute path; ignoring it"
        )
        assert "\x1b" not in result.stdout + result.stderr
    assert os.listdir(Path.cwd()) == []


def test_a_home_that_is_not_absolute_turns_the_cache_off(
    home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # HOME unset and no passwd entry for the uid: expanduser("~") returns "~" itself.
    monkeypatch.delenv("HOME")

    def no_entry(uid: int) -> NoReturn:
        raise KeyError(uid)

    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    assert os.path.expanduser("~") == "~"
    assert cache.location() == cache.Location(None)
    cat_dir = tmp_path / "cat"
    shutil.copytree(MINI, cat_dir)
    assert cache.load([cat_dir], bundled=False).techniques["rfa"].id == "rfa"
    assert os.listdir(Path.cwd()) == []
    monkeypatch.setenv("HOME", "relative-home")
    assert cache.location() == cache.Location(None)


# --- directories and entries painopts must not trust ---------------------------------


def test_a_symlinked_cache_directory_is_not_used(
    cat_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loads: list[int]
) -> None:
    target = private_dir(tmp_path / "elsewhere")
    key = cache.key_for([cat_dir], bundled=False)
    (target / f"{key}.msgpack").write_bytes(planted_entry(cat_dir, str(key)))
    (tmp_path / "link").symlink_to(target)
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", str(tmp_path / "link"))
    for _ in range(2):
        assert (
            cache.load([cat_dir], bundled=False).techniques["rfa"].name == "Radiofrequency ablation"
        )
    assert loads == [1, 1]
    assert os.listdir(target) == [f"{key}.msgpack"]


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o702])
def test_a_directory_others_can_write_is_neither_read_nor_written(
    cat_dir: Path, cache_dir: Path, loads: list[int], mode: int
) -> None:
    key = cache.key_for([cat_dir], bundled=False)
    private_dir(cache_dir)
    (cache_dir / f"{key}.msgpack").write_bytes(planted_entry(cat_dir, str(key)))
    cache_dir.chmod(mode)
    assert cache.load([cat_dir], bundled=False).techniques["rfa"].name == "Radiofrequency ablation"
    assert loads == [1]
    assert os.listdir(cache_dir) == [f"{key}.msgpack"]


@pytest.mark.skipif(not IS_ROOT, reason="making a directory owned by someone else needs root")
def test_a_directory_owned_by_someone_else_is_neither_read_nor_written(
    cat_dir: Path, cache_dir: Path, loads: list[int]
) -> None:
    key = cache.key_for([cat_dir], bundled=False)
    private_dir(cache_dir)
    entry = cache_dir / f"{key}.msgpack"
    entry.write_bytes(planted_entry(cat_dir, str(key)))
    os.chown(entry, 65534, 65534)
    os.chown(cache_dir, 65534, 65534)
    assert cache.load([cat_dir], bundled=False).techniques["rfa"].name == "Radiofrequency ablation"
    assert loads == [1]
    assert os.listdir(cache_dir) == [entry.name]


def _symlink_entry(entry: Path, elsewhere: Path) -> None:
    elsewhere.write_bytes(entry.read_bytes())
    entry.unlink()
    entry.symlink_to(elsewhere)


def _group_writable(entry: Path, elsewhere: Path) -> None:
    entry.chmod(0o620)


def _other_owner(entry: Path, elsewhere: Path) -> None:
    if not IS_ROOT:
        pytest.skip("making a file owned by someone else needs root")
    os.chown(entry, 65534, 65534)


@pytest.mark.parametrize("make", [_symlink_entry, _group_writable, _other_owner])
def test_an_entry_that_is_not_our_private_regular_file_is_not_read(
    cat_dir: Path,
    cache_dir: Path,
    tmp_path: Path,
    loads: list[int],
    make: Callable[[Path, Path], None],
) -> None:
    key = cache.key_for([cat_dir], bundled=False)
    private_dir(cache_dir)
    entry = cache_dir / f"{key}.msgpack"
    entry.write_bytes(planted_entry(cat_dir, str(key)))
    make(entry, tmp_path / "planted.msgpack")
    assert cache.load([cat_dir], bundled=False).techniques["rfa"].name == "Radiofrequency ablation"
    assert loads == [1]


def test_a_directory_swapped_after_the_check_is_not_followed(
    cat_dir: Path,
    cache_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    loads: list[int],
) -> None:
    """Simulates the race: right after the directory passes its check, someone who can
    write its parent moves it away and puts a symlink to their own directory (holding a
    planted entry) in its place. Reads and writes still go to the checked directory."""
    key = cache.key_for([cat_dir], bundled=False)
    attacker = private_dir(tmp_path / "attacker")
    (attacker / f"{key}.msgpack").write_bytes(planted_entry(cat_dir, str(key)))
    real_open = cache._open_trusted_dir
    moved = tmp_path / "moved"

    def open_then_swap(directory: Path, *, create: bool) -> int | None:
        fd = real_open(directory, create=create)
        if fd is not None and not directory.is_symlink():
            directory.rename(moved)
            directory.symlink_to(attacker)
        return fd

    monkeypatch.setattr(cache, "_open_trusted_dir", open_then_swap)
    cache.load([cat_dir], bundled=False)  # a miss: the write must land in the checked dir
    assert entries(moved) == [f"{key}.msgpack"]
    assert os.listdir(attacker) == [f"{key}.msgpack"]
    cache_dir.unlink()
    moved.rename(cache_dir)
    # A hit: the read must come from the checked directory, never the planted entry.
    cat = cache.load([cat_dir], bundled=False)
    assert cat.techniques["rfa"].name == "Radiofrequency ablation"
    assert loads == [1]


@pytest.mark.parametrize("where", ["entry", "directory"])
def test_a_fifo_in_the_cache_never_hangs(cat_dir: Path, cache_dir: Path, where: str) -> None:
    key = cache.key_for([cat_dir], bundled=False)
    if where == "entry":
        private_dir(cache_dir)
        os.mkfifo(cache_dir / f"{key}.msgpack")
        os.mkfifo(cache_dir / f"{'b' * 64}.msgpack")
    else:
        os.mkfifo(cache_dir)
    code = (
        "import sys; from pathlib import Path; from painopts import cache; "
        "print(cache.load([Path(sys.argv[1])], bundled=False).techniques['rfa'].name)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(cat_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cat_dir,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "Radiofrequency ablation\n", "")
    if where == "entry":
        # The entry's FIFO was replaced by a real entry; the other is not ours to remove.
        assert sorted(os.listdir(cache_dir)) == sorted([f"{key}.msgpack", f"{'b' * 64}.msgpack"])


# --- pruning and writing ----------------------------------------------------------------


def test_prune_touches_only_entries_painopts_wrote(
    cat_dir: Path, cache_dir: Path, tmp_path: Path
) -> None:
    private_dir(cache_dir)
    user_files = [
        "notes.txt", "data.pickle", "results.msgpack", "1234.msgpack", f"{'A' * 64}.msgpack",
        f"{'a' * 63}.msgpack", f"{'a' * 64}.msgpack.bak", f"{'a' * 40}.pickle.txt",
        f".{'a' * 64}.tmp", "tmpabc123.tmp", f"x{'a' * 64}.msgpack",
    ]  # fmt: skip
    for name in user_files:
        (cache_dir / name).write_text("user data")
    (tmp_path / "target").write_text("user data")
    (cache_dir / f"{'c' * 64}.msgpack").symlink_to(tmp_path / "target")
    os.mkfifo(cache_dir / f"{'d' * 64}.msgpack")
    old = time.time() - 3600
    ours = [f"{i:064x}.msgpack" for i in range(12)]
    for i, name in enumerate(ours):
        (cache_dir / name).write_bytes(b"old entry")
        os.utime(cache_dir / name, (old + i, old + i))
    stale_tmp = f".{'e' * 64}.{'0' * 16}.tmp"
    fresh_tmp = f".{'f' * 64}.{'0' * 16}.tmp"
    for name in (stale_tmp, fresh_tmp, f"{'9' * 40}.pickle"):
        (cache_dir / name).write_bytes(b"left by painopts")
    os.utime(cache_dir / stale_tmp, (old, old))

    cache.load([cat_dir], bundled=False)

    key = cache.key_for([cat_dir], bundled=False)
    kept = sorted([*ours[-7:], f"{key}.msgpack"])
    expected = sorted([*user_files, f"{'c' * 64}.msgpack", f"{'d' * 64}.msgpack", *kept, fresh_tmp])
    assert sorted(os.listdir(cache_dir)) == expected
    assert all((cache_dir / n).read_text() == "user data" for n in user_files)


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, "No space left"), KeyboardInterrupt()])
def test_a_failed_write_leaves_no_temporary_file(
    cat_dir: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    def fail(*args: Any, **kwargs: Any) -> None:
        raise failure

    monkeypatch.setattr(os, "replace", fail)
    if isinstance(failure, OSError):
        assert cache.load([cat_dir], bundled=False) == load_catalogue([cat_dir], bundled=False)
    else:
        with pytest.raises(KeyboardInterrupt):
            cache.load([cat_dir], bundled=False)
    assert os.listdir(cache_dir) == []


def test_a_file_edited_during_the_load_is_not_cached_under_the_old_key(
    cat_dir: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = cat_dir / "catalogue.yaml"
    real = loader.load_catalogue

    def load_then_edit(*args: Any, **kwargs: Any) -> Catalogue:
        cat = real(*args, **kwargs)  # read the old text...
        text = f.read_text(encoding="utf-8")  # ...and the user saves a new one
        f.write_text(text.replace("Radiofrequency ablation", "Edited name"), encoding="utf-8")
        return cat

    monkeypatch.setattr(loader, "load_catalogue", load_then_edit)
    assert cache.load([cat_dir], bundled=False).techniques["rfa"].name == "Radiofrequency ablation"
    assert entries(cache_dir) == []
    monkeypatch.setattr(loader, "load_catalogue", real)
    assert cache.load([cat_dir], bundled=False).techniques["rfa"].name == "Edited name"


def test_a_read_only_cache_falls_back_quietly(
    cat_dir: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, loads: list[int]
) -> None:
    """As on a read-only file system (root ignores mode bits, so EROFS is simulated)."""
    private_dir(cache_dir)
    real_open = os.open

    def read_only(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    for _ in range(2):
        assert cache.load([cat_dir], bundled=False) == load_catalogue([cat_dir], bundled=False)
    assert loads == [1, 1]
    assert os.listdir(cache_dir) == []


def test_a_cache_directory_that_cannot_be_made_falls_back_quietly(
    cat_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", "/proc/painopts-cannot-exist/cache")
    assert cache.load([cat_dir], bundled=False) == load_catalogue([cat_dir], bundled=False)


# --- the pre-built bundled catalogue ------------------------------------------------


def test_the_prebuilt_bundled_catalogue_is_current() -> None:
    stale = (
        "painopts/bundled.msgpack is out of date with painopts/data or the loading code: "
        f"run `{REBUILD}` and commit the result"
    )
    assert cache.PREBUILT.is_file(), stale
    line, words, body = split_entry(cache.PREBUILT)
    assert line == f"painopts-cache {cache.FORMAT} {cache.key_for()}", stale
    catalogue, index = msgspec.msgpack.decode(body, type=tuple[Catalogue, NameIndex])
    fresh = load_catalogue()
    assert catalogue == fresh, stale
    assert index == NameIndex.build(fresh), stale


def test_build_prebuilt_writes_what_load_serves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "bundled.msgpack"
    assert cache.build_prebuilt(target) == cache.key_for()
    assert os.listdir(tmp_path) == ["bundled.msgpack"]
    monkeypatch.setattr(cache, "PREBUILT", target)
    monkeypatch.setenv("PAINOPTS_NO_CACHE", "")
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", str(tmp_path / "never-made"))
    real = loader.load_catalogue
    monkeypatch.setattr(loader, "load_catalogue", None)
    assert cache.load() == real()
    assert not (tmp_path / "never-made").exists()


def test_a_bundled_load_needs_neither_yaml_nor_a_user_cache(tmp_path: Path) -> None:
    code = (
        "import sys; from painopts import cache; cat = cache.load(); "
        "print(len(cat.techniques), sorted(m for m in sys.modules "
        "if m in ('yaml', 'painopts.loader', 'pickle', 'tempfile')))"
    )
    env = {**os.environ, "PAINOPTS_CACHE_DIR": str(tmp_path / "never-made")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path,
        timeout=60, check=False,
    )  # fmt: skip
    bundled = load_catalogue()
    assert (done.stdout, done.stderr) == (f"{len(bundled.techniques)} []\n", ""), (
        f"if the pre-built catalogue is stale, run `{REBUILD}`"
    )
    assert not (tmp_path / "never-made").exists()


def test_an_edited_bundled_tree_is_never_served_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loads: list[int]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(BUNDLED_DIR, data)
    path = data / "techniques" / "ablation.yaml"
    text = path.read_text(encoding="utf-8")
    name = "name: Lumbar medial branch radiofrequency ablation\n"
    assert name in text
    path.write_text(text.replace(name, "name: Edited here\n"), encoding="utf-8")
    import painopts.catalogue_files as files

    for module in (files, cache, loader):
        monkeypatch.setattr(module, "BUNDLED_DIR", data)
    cat = cache.load()
    assert loads == [1]
    assert "Edited here" in {t.name for t in cat.techniques.values()}


# --- the key ---------------------------------------------------------------------------


def _ast_closure() -> set[Path]:
    """The same closure as cache.rule_modules(), found with the ast module."""
    package = ROOT / "painopts"
    seen: dict[str, Path] = {}
    todo = ["painopts.cache"]
    while todo:
        parts = todo.pop().split(".")
        for i in range(1, len(parts) + 1):
            prefix = ".".join(parts[:i])
            base = package.joinpath(*parts[1:i])
            found = [p for p in (base / "__init__.py", base.with_suffix(".py")) if p.is_file()]
            if prefix in seen or not found or (i == 1 and prefix != "painopts"):
                continue
            path = seen[prefix] = found[0]
            pkg = prefix if path.name == "__init__.py" else prefix.rpartition(".")[0]
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    todo += [a.name for a in node.names if a.name.split(".")[0] == "painopts"]
                elif isinstance(node, ast.ImportFrom):
                    mod = node.module or ""
                    if node.level:
                        anchor = pkg.split(".")[: len(pkg.split(".")) - (node.level - 1)]
                        mod = ".".join(anchor + ([mod] if mod else []))
                    if mod.split(".")[0] == "painopts":
                        todo += [mod, *(f"{mod}.{a.name}" for a in node.names)]
    return set(seen.values())


def test_the_key_covers_every_module_the_load_imports() -> None:
    modules = set(cache.rule_modules())
    names = {p.relative_to(ROOT / "painopts").as_posix() for p in modules}
    assert {"__init__.py", "cache.py", "loader.py", "yamlread.py", "models.py"} <= names
    assert "cli.py" not in names  # the CLI does not decide what a catalogue holds
    assert modules == _ast_closure()


def test_every_module_a_real_load_runs_is_in_the_key(tmp_path: Path) -> None:
    # Paths relative to the package: the child may import an installed copy.
    code = (
        "import sys; from pathlib import Path; from painopts import cache; "
        "cache.load([Path(sys.argv[1])], bundled=False); "
        "here = Path(cache.__file__).parent; "
        "print(sorted(Path(m.__file__).relative_to(here).as_posix() "
        "for n, m in sys.modules.items() if n.split('.')[0] == 'painopts'))"
    )
    env = {**os.environ, "PAINOPTS_CACHE_DIR": str(tmp_path / "c")}
    done = subprocess.run(
        [sys.executable, "-c", code, str(MINI)], capture_output=True, text=True, env=env,
        cwd=tmp_path, timeout=60, check=True,
    )  # fmt: skip
    ran = set(ast.literal_eval(done.stdout))
    assert "loader.py" in ran
    assert ran <= {p.relative_to(cache._PACKAGE).as_posix() for p in cache.rule_modules()}


def test_the_hashing_bound_matches_the_loaders_file_limit() -> None:
    assert cache.MAX_FILE_BYTES == yamlread.MAX_FILE_BYTES


def test_the_key_step_never_reads_special_or_oversized_files(tmp_path: Path) -> None:
    """A FIFO, a device or a huge sparse file means "no caching" at once; the loader
    then reports the file. Run in a child so a regression fails instead of hanging."""
    os.mkfifo(tmp_path / "fifo.yaml")
    with open(tmp_path / "sparse.yaml", "wb") as fh:
        fh.truncate(3 * 1024**3)
    code = (
        "import sys; from pathlib import Path; from painopts import cache; "
        "print([cache.key_for([Path(p)], bundled=False) for p in sys.argv[1:]])"
    )
    paths = [tmp_path / "fifo.yaml", Path("/dev/zero"), tmp_path / "sparse.yaml"]
    done = subprocess.run(
        [sys.executable, "-c", code, *map(str, paths)], capture_output=True, text=True,
        cwd=tmp_path, timeout=60, check=False,
    )  # fmt: skip
    assert (done.stdout, done.stderr) == ("[None, None, None]\n", "")


def test_without_descriptor_relative_calls_there_is_no_user_cache(
    cat_dir: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cache._USER_CACHE_POSSIBLE == (sys.platform != "win32")
    monkeypatch.setattr(cache, "_USER_CACHE_POSSIBLE", False)
    assert cache.location() == cache.Location(None)
    assert cache.load([cat_dir], bundled=False) == load_catalogue([cat_dir], bundled=False)
    assert not cache_dir.exists()
