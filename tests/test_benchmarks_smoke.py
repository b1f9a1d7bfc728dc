"""The benchmark scripts still run, on tiny inputs. No timing is asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from painopts.loader import load_catalogue

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _run(script: str, *args: str, cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAINOPTS_")}
    proc = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, f"{script} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr
    return proc.stdout


@pytest.fixture
def isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep painopts' catalogue cache (if any) out of the user's home directory."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_gen_catalogue_is_valid_and_deterministic(tmp_path: Path) -> None:
    out = _run("gen_catalogue.py", str(tmp_path / "a"), "--techniques", "20", cwd=tmp_path)
    assert "generated: 20 techniques" in out
    _run("gen_catalogue.py", str(tmp_path / "b"), "--techniques", "20", cwd=tmp_path)

    cat = load_catalogue([tmp_path / "a"], bundled=False)
    assert len(cat.techniques) == 20
    assert "sciatica" in cat.conditions
    assert cat.indications_for("sciatica")
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yaml"))
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.yaml"))
    assert files_a == files_b
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()


def test_gen_catalogue_splits_files(tmp_path: Path) -> None:
    out = tmp_path / "cat"
    _run("gen_catalogue.py", str(out), "-n", "25", "--per-file", "10", cwd=tmp_path)
    assert len(list((out / "techniques").glob("*.yaml"))) == 3
    assert len(load_catalogue([out], bundled=False).techniques) == 25


@pytest.mark.usefixtures("isolated_cache")
def test_startup_runs(tmp_path: Path) -> None:
    out = _run("startup.py", "--runs", "1", "--warmup", "0", cwd=tmp_path)
    for heading in ("Start-up", "machine:", "x python", "x floor", "x Typer app", "MiB"):
        assert heading in out
    for command in ("list", "compare rfa scs", "for sciatica", "show rfa", "--help"):
        assert f"\n{command} " in out
    for reference in (
        "(python -c pass)",
        "(floor: import yaml, rich.console)",
        "(minimal Typer app)",
    ):
        assert reference in out
    assert "completion: show rf<Tab>" in out

    doc = json.loads(_run("startup.py", "--runs", "1", "--warmup", "0", "--json", cwd=tmp_path))
    python, floor, typer_app = doc["references"]
    # Memory is the command's own: bare Python is far below the benchmark's own ~20 MiB.
    assert 0 < python["peak_rss_mib"] < floor["peak_rss_mib"] < typer_app["peak_rss_mib"]


@pytest.mark.usefixtures("isolated_cache")
def test_load_runs(tmp_path: Path) -> None:
    out = _run("load.py", "--runs", "2", cwd=tmp_path)
    for heading in (
        "Catalogue load",
        "painopts.cache.load()",
        "full parse + validation, median of 2",
        "<= 15 ms",
    ):
        assert heading in out


def test_scale_runs(tmp_path: Path) -> None:
    out = _run("scale.py", "--sizes", "20,40", "--runs", "1", cwd=tmp_path)
    for heading in ("Scale", "first s", "median s", "peak MB", "growth"):
        assert heading in out
    for command in ("validate", "list", "for"):
        assert f" {command} " in out

    doc = json.loads(_run("scale.py", "--sizes", "20", "--runs", "1", "--json", cwd=tmp_path))
    assert [s["size"] for s in doc["sizes"]] == [20]
    assert set(doc["sizes"][0]["commands"]) == {"validate", "list", "for"}


def test_handout_benchmark_runs(tmp_path: Path, isolated_cache: None) -> None:
    doc = json.loads(_run("handout.py", "--runs", "1", "--json", cwd=tmp_path))
    assert list(doc["commands"]) == ["handout sciatica -o FILE", "for sciatica"]
    assert doc["html_bytes"] > 0 and doc["target_ratio"] == 1.5
