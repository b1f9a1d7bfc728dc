"""Catalogue paths that are not plain files or readable folders are refused, quickly,
with a message, in bounded memory, and content outside a catalogue is never read."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from painopts.catalogue_files import MAX_FILE_BYTES, catalogue_files, scan
from painopts.errors import CatalogueError
from painopts.loader import load_catalogue

from .conftest import MINI, Run

ROOT = Path(__file__).resolve().parent.parent
MINI_TEXT = (MINI / "catalogue.yaml").read_text(encoding="utf-8")
NOBODY = 65534


def _painopts(
    *args: str,
    cache: Path | None = None,
    extra_env: dict[str, str] | None = None,
    input: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """The real entry point in a child limited to 1 GiB of address space, with the
    cache in *cache* (off when None)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAINOPTS")}
    if cache is None:
        env["PAINOPTS_NO_CACHE"] = "1"
    else:
        env["PAINOPTS_CACHE_DIR"] = str(cache)
    env.update(extra_env or {})
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from painopts.cli import main\n"
        f"sys.argv = ['painopts', *{list(args)!r}]\n"
        "main()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=30,  # a hang fails the test instead of the suite
        check=False,
        input=input,
    )


def _problems(path: Path) -> list[str]:
    with pytest.raises(CatalogueError) as info:
        load_catalogue([path], bundled=False)
    return [str(i) for i in info.value.issues]


@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
def test_a_fifo_is_refused_without_hanging(tmp_path: Path, cache: bool) -> None:
    fifo = tmp_path / "c.yaml"
    os.mkfifo(fifo)
    where = tmp_path / "cache" if cache else None
    proc = _painopts("--no-bundled", "--catalog", str(fifo), "list", cache=where)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[0] == (
        f"painopts: {fifo}: is a FIFO (named pipe), not a regular file; "
        "painopts reads only regular files"
    )


def test_a_fifo_inside_a_folder_is_refused_without_hanging(tmp_path: Path) -> None:
    shutil.copy(MINI / "catalogue.yaml", tmp_path / "a.yaml")
    os.mkfifo(tmp_path / "b.yaml")
    assert _problems(tmp_path) == [
        f"{tmp_path / 'b.yaml'}: is a FIFO (named pipe), not a regular file; "
        "painopts reads only regular files"
    ]


def test_shell_completion_with_a_fifo_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "c.yaml"
    os.mkfifo(fifo)
    proc = _painopts(
        cache=tmp_path / "cache",
        extra_env={
            "_PAINOPTS_COMPLETE": "complete_bash",
            "COMP_WORDS": f"painopts --catalog {fifo} show r",
            "COMP_CWORD": "4",
        },
    )
    assert proc.returncode == 0
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("path", "kind"), [("/dev/zero", "a character device"), ("/dev/null", "a character device")]
)
def test_devices_are_refused(path: str, kind: str) -> None:
    proc = _painopts("--no-bundled", "validate", path)
    assert proc.returncode == 1
    assert (
        proc.stdout == f"{path}: is {kind}, not a regular file; painopts reads only regular files\n"
    )


def test_stdin_from_a_pipe_is_named_for_what_it_is() -> None:
    proc = _painopts("--no-bundled", "validate", "/dev/stdin", input="sources: []\n")
    assert proc.returncode == 1
    assert proc.stdout == (
        "/dev/stdin: is a FIFO (named pipe), not a regular file; painopts reads only regular files\n"
    )


@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
def test_a_huge_sparse_file_is_refused_before_it_is_read(tmp_path: Path, cache: bool) -> None:
    big = tmp_path / "big.yaml"
    with open(big, "wb") as fh:
        fh.truncate(3 << 30)  # 3 GiB, sparse: reading it whole would break the 1 GiB limit
    where = tmp_path / "cache" if cache else None
    proc = _painopts("--no-bundled", "--catalog", str(big), "list", cache=where)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[0] == (
        f"painopts: {big}: file is {3 << 30} bytes; the limit is {MAX_FILE_BYTES} bytes (32 MiB)"
    )


def test_a_file_growing_past_the_limit_is_read_only_up_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import painopts.yamlread as yr

    got: list[int] = []
    real_read, real_fstat = os.read, os.fstat

    def counting_read(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        got.append(len(data))
        return data

    def stale_fstat(fd: int) -> os.stat_result:
        # As if the file grew between the size check and the read.
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, *st[1:6], 10, *st[7:]))

    f = tmp_path / "c.yaml"
    f.write_text("# pad\n" * 1000, encoding="utf-8")  # 6000 bytes
    monkeypatch.setattr(yr, "MAX_FILE_BYTES", 1000)
    monkeypatch.setattr(os, "read", counting_read)
    monkeypatch.setattr(os, "fstat", stale_fstat)
    with pytest.raises(CatalogueError) as info:
        yr.read_yaml(f)
    monkeypatch.undo()
    assert sum(got) == 1001
    assert [i.message for i in info.value.issues] == [
        "file is larger than the limit of 1000 bytes (32 MiB)"
    ]


def test_symlinks_inside_a_folder_are_not_followed_and_nothing_outside_is_quoted(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.yaml"
    secret.write_text("techniques: TOP-SECRET-CONTENT\n", encoding="utf-8")
    folder = tmp_path / "cat"
    folder.mkdir()
    shutil.copy(MINI / "catalogue.yaml", folder / "a.yaml")
    (folder / "link.yaml").symlink_to(secret)
    (folder / "linked-folder").symlink_to(outside)
    (folder / "notes.txt").symlink_to("/etc/passwd")  # not a catalogue file: ignored
    problems = _problems(folder)
    assert problems == [
        f"{folder / 'link.yaml'}: is a symbolic link; links inside a catalogue folder are not "
        "followed (name the target with --catalog instead)",
        f"{folder / 'linked-folder'}: is a symbolic link; links inside a catalogue folder are "
        "not followed (name the target with --catalog instead)",
    ]
    assert "TOP-SECRET" not in " ".join(problems)


def test_a_link_named_on_the_command_line_is_followed(tmp_path: Path) -> None:
    link = tmp_path / "mine.yaml"
    link.symlink_to(MINI / "catalogue.yaml")
    assert sorted(load_catalogue([link], bundled=False).techniques) == ["esi", "rfa", "scs"]


@pytest.mark.parametrize("swap", ["file", "folder"])
def test_links_swapped_in_after_the_scan_are_not_followed(tmp_path: Path, swap: str) -> None:
    import painopts.yamlread as yr

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "c.yaml").write_text("sources: TOP-SECRET\n", encoding="utf-8")
    root = tmp_path / "cat"
    (root / "sub").mkdir(parents=True)
    if swap == "file":
        (root / "sub" / "c.yaml").symlink_to(outside / "c.yaml")
    else:
        (root / "sub").rmdir()
        (root / "sub").symlink_to(outside)
    with pytest.raises(CatalogueError) as info:
        yr.read_yaml(root / "sub" / "c.yaml", root=root)
    assert [i.message for i in info.value.issues] == [
        "is a symbolic link; links inside a catalogue folder are not followed"
    ]
    # The same path named directly (no folder around it) is the user's choice.
    assert yr.read_yaml(root / "sub" / "c.yaml") == {"sources": "TOP-SECRET"}


def test_an_over_long_path_is_a_clear_error(tmp_path: Path) -> None:
    long = tmp_path / ("a" * 5000)
    proc = _painopts("--no-bundled", "validate", str(long))
    assert proc.returncode == 1
    assert proc.stdout == f"{long}: the path is too long\n"
    assert "internal error" not in proc.stderr


def test_no_bundled_with_nothing_to_load_is_a_usage_error(run: Run) -> None:
    result = run("--no-bundled", "validate", expect=2)
    assert result.stderr == (
        "painopts: nothing to load: --no-bundled needs a catalogue from --catalog PATH, "
        "PAINOPTS_CATALOG or (for validate) a PATH argument\n"
    )
    run("--no-bundled", "list", expect=2)


# --- permissions, checked as an unprivileged user even when the suite runs as root -----


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder any user can traverse (pytest's own tmp_path is private to its owner)."""
    path = Path(tempfile.mkdtemp(prefix="painopts-perm-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        for p in path.rglob("*"):
            if p.is_dir() and not p.is_symlink():
                p.chmod(0o755)
        shutil.rmtree(path)


def _as_unprivileged(check: Callable[[], list[str]]) -> list[str]:
    """Run *check* as ourselves, or, as root (who can read anything), in a forked child
    that has dropped to the user nobody."""
    if os.geteuid() != 0:
        return check()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        status = 0
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            os.write(write, "\n".join(check()).encode())
        except BaseException as exc:
            os.write(write, f"child failed: {exc!r}".encode())
            status = 1
        finally:
            os._exit(status)
    os.close(write)
    with os.fdopen(read, "rb") as fh:
        out = fh.read().decode()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, out
    return out.split("\n") if out else []


def test_an_unreadable_sub_folder_is_an_error_not_skipped(shared_dir: Path) -> None:
    (shared_dir / "a.yaml").write_text(MINI_TEXT, encoding="utf-8")
    hidden = shared_dir / "local"
    hidden.mkdir()
    (hidden / "overlay.yaml").write_text("remove:\n  techniques: [scs]\n", encoding="utf-8")
    for p in (shared_dir / "a.yaml", hidden / "overlay.yaml"):
        p.chmod(0o644)
    hidden.chmod(0o700 if os.geteuid() == 0 else 0)  # root's own folder: closed to nobody

    def check() -> list[str]:
        return _problems(shared_dir)

    assert _as_unprivileged(check) == [f"{hidden}: permission denied: cannot list this folder"]


def test_an_unreadable_file_is_an_error(shared_dir: Path) -> None:
    f = shared_dir / "secret.yaml"
    f.write_text("techniques: []\n", encoding="utf-8")
    f.chmod(0o600 if os.geteuid() == 0 else 0)

    def check() -> list[str]:
        return _problems(f)

    assert _as_unprivileged(check) == [f"{f}: permission denied: cannot read the file"]


def test_catalogue_files_raises_an_os_error_for_the_cache(tmp_path: Path) -> None:
    # The cache treats any OSError as "no key" and leaves the report to the loader.
    os.mkfifo(tmp_path / "x.yaml")
    with pytest.raises(OSError):
        catalogue_files(tmp_path)
    files, problems = scan(tmp_path)
    assert files == [] and len(problems) == 1
    assert stat.S_ISFIFO(os.stat(tmp_path / "x.yaml").st_mode)


def test_file_names_that_are_not_utf8_are_refused_and_shown_escaped(
    tmp_path: Path, run: Run
) -> None:
    shutil.copy(MINI / "catalogue.yaml", tmp_path / "a.yaml")
    bad = tmp_path / os.fsdecode(b"\xff\x1b[2J.yaml")
    bad.write_text("sources: 1\n", encoding="utf-8")
    result = run("--no-bundled", "validate", str(tmp_path), expect=1)
    assert (
        result.stdout
        == f"{tmp_path}/\\udcff\\x1b[2J.yaml: the name is not valid UTF-8; rename it\n"
    )
    named = run("--no-bundled", "--catalog", str(bad), "list", expect=2)
    assert named.stderr == (
        f"painopts: {tmp_path}/\\udcff\\x1b[2J.yaml: the name is not valid UTF-8; rename it\n"
    )


def test_folders_nested_too_deep_are_an_error(tmp_path: Path) -> None:
    from painopts.catalogue_files import MAX_FOLDER_DEPTH

    shutil.copy(MINI / "catalogue.yaml", tmp_path / "a.yaml")
    deep = tmp_path
    for _ in range(MAX_FOLDER_DEPTH + 1):
        deep = deep / "d"
    deep.mkdir(parents=True)
    too_deep = tmp_path.joinpath(*["d"] * (MAX_FOLDER_DEPTH + 1))
    assert _problems(tmp_path) == [f"{too_deep}: folders nest deeper than {MAX_FOLDER_DEPTH}"]


def test_a_socket_is_refused(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "s.yaml"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        assert _problems(path) == [
            f"{path}: is a socket, not a regular file; painopts reads only regular files"
        ]
