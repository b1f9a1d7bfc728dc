"""The parsed-catalogue cache: faster, never stale, never trusted blindly."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from painopts import cache
from painopts.errors import CatalogueError
from painopts.loader import load_catalogue

from .conftest import MINI


@pytest.fixture
def cat_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PAINOPTS_CACHE_DIR", str(tmp_path / "cache"))
    d = tmp_path / "cat"
    shutil.copytree(MINI, d)
    return d


def entries(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "cache").glob("*.pickle"))


def test_second_load_is_served_from_the_cache(cat_dir: Path, tmp_path: Path) -> None:
    first = cache.load([cat_dir], bundled=False)
    assert len(entries(tmp_path)) == 1
    key = cache.fingerprint([cat_dir])
    assert key is not None
    assert cache.read(key) == first
    assert cache.load([cat_dir], bundled=False) == load_catalogue([cat_dir], bundled=False)


def test_any_edit_invalidates_even_with_same_size_and_mtime(cat_dir: Path, tmp_path: Path) -> None:
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


def test_invalid_catalogues_are_never_cached(cat_dir: Path, tmp_path: Path) -> None:
    (cat_dir / "bad.yaml").write_text("techniques: {}\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(CatalogueError):
            cache.load([cat_dir], bundled=False)
    assert entries(tmp_path) == []


def test_a_corrupt_entry_is_ignored(cat_dir: Path, tmp_path: Path) -> None:
    cache.load([cat_dir], bundled=False)
    (entry,) = (tmp_path / "cache").glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert cache.load([cat_dir], bundled=False).techniques["rfa"].id == "rfa"


def test_a_directory_others_can_write_is_not_trusted(cat_dir: Path, tmp_path: Path) -> None:
    cache.load([cat_dir], bundled=False)
    (tmp_path / "cache").chmod(0o777)
    key = cache.fingerprint([cat_dir])
    assert key is not None
    assert cache.read(key) is None


def test_cache_can_be_turned_off(
    cat_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAINOPTS_NO_CACHE", "1")
    cache.load([cat_dir], bundled=False)
    assert not (tmp_path / "cache").exists()


def test_missing_path_is_reported_by_the_loader(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError) as info:
        cache.load([tmp_path / "absent"], bundled=False)
    assert str(info.value.issues[0]).endswith("absent: no such file or directory")
