"""Bad input never crashes painopts, and catalogue text cannot drive the terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from painopts.errors import CatalogueError
from painopts.loader import load_catalogue

from .conftest import MINI, Run

MINI_TEXT = (MINI / "catalogue.yaml").read_text(encoding="utf-8")
ROOT = Path(__file__).resolve().parent.parent


def painopts(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    full_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PAINOPTS", "FORCE_COLOR"))
    }
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "painopts", "--no-bundled", "--catalog", str(MINI), *args],
        capture_output=True,
        env=full_env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


# --- fuzzing: any text either loads or fails with a catalogue error ------------------

yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_arbitrary_text_loads_or_fails_cleanly(tmp_path: Path, text: str) -> None:
    f = tmp_path / "fuzz.yaml"
    f.write_bytes(text.encode("utf-8", errors="replace"))
    try:
        load_catalogue([f], bundled=False)
    except CatalogueError as exc:
        assert exc.issues and all(i.path for i in exc.issues)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    section=st.sampled_from(["techniques", "conditions", "sources", "catalogue", "remove"]),
    data=yaml_values,
)
def test_arbitrary_yaml_shaped_data_loads_or_fails_cleanly(
    tmp_path: Path, section: str, data: object
) -> None:
    f = tmp_path / "fuzz.yaml"
    f.write_text(yaml.safe_dump({section: data}), encoding="utf-8")
    try:
        load_catalogue([f], bundled=False)
    except CatalogueError as exc:
        assert exc.issues


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(field=st.sampled_from(["name", "summary", "mechanism", "recovery"]), junk=yaml_values)
def test_mutating_a_valid_entry_loads_or_fails_cleanly(
    tmp_path: Path, field: str, junk: object
) -> None:
    doc = yaml.safe_load(MINI_TEXT)
    doc["techniques"][0][field] = junk
    f = tmp_path / "fuzz.yaml"
    f.write_text(yaml.safe_dump(doc), encoding="utf-8")
    try:
        load_catalogue([f], bundled=False)
    except CatalogueError as exc:
        # Junk holding a '<<' key is refused by the reader, at its line, as any merge key.
        assert any(f"techniques[esi].{field}" in i.where for i in exc.issues) or any(
            "merge keys" in i.message and i.line for i in exc.issues
        )


# --- hostile files via the CLI ----------------------------------------------------------


def test_bomb_is_rejected_by_the_cli_with_bounded_memory(tmp_path: Path) -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from painopts.cli import main\n"
        f"sys.argv = ['painopts', '--no-bundled', 'validate', {str(bomb)!r}]\n"
        "main()\n"
    )
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, timeout=60, cwd=ROOT, check=False
    )
    assert time.monotonic() - started < 30  # an exponential walk would never finish
    assert proc.returncode == 1
    assert b"document is too large after expanding aliases" in proc.stdout
    assert b"Traceback" not in proc.stderr


def test_oversized_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import painopts.yamlread as yr

    monkeypatch.setattr(yr, "MAX_FILE_BYTES", 100)
    f = tmp_path / "big.yaml"
    f.write_text("techniques: []\n" + "# padding\n" * 20, encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue([f], bundled=False)
    assert str(info.value.issues[0]) == f"{f}: file is 215 bytes; the limit is 100 bytes (32 MiB)"


def test_files_are_never_modified(tmp_path: Path, run: Run) -> None:
    f = tmp_path / "c.yaml"
    f.write_text(MINI_TEXT, encoding="utf-8")
    before = (f.read_bytes(), f.stat().st_mtime_ns)
    for args in (["list"], ["validate"], ["for", "sciatica", "--format", "json"]):
        run("--no-bundled", "--catalog", str(f), *args)
    assert (f.read_bytes(), f.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.yaml"]


# --- terminal safety --------------------------------------------------------------------

HOSTILE = "[bold red]x[/] [link=https://evil.example]y[/link] :warning: [/]"


def test_markup_in_catalogue_text_is_shown_not_interpreted(tmp_path: Path, run: Run) -> None:
    text = MINI_TEXT.replace("Heat lesion of the medial branch nerves.", f"'{HOSTILE}'")
    text = text.replace("name: Radiofrequency ablation", "name: '[blink]RFA[/blink]'")
    f = tmp_path / "c.yaml"
    f.write_text(text, encoding="utf-8")
    for args in (["show", "rfa"], ["list"], ["compare", "rfa", "esi"], ["for", "facet-pain"]):
        out = run("--no-bundled", "--catalog", str(f), "--color", "always", *args).stdout
        assert "[blink]RFA[/blink]" in out
        assert "\x1b]8;" not in out  # no hyperlink escape
        assert "\x1b[5m" not in out  # no blink
    out = run("--no-bundled", "--catalog", str(f), "show", "rfa").stdout
    assert HOSTILE in " ".join(out.split())


@pytest.mark.parametrize(
    ("bad", "shown"),
    [
        ("\\e[31m", "\\x1b"),
        ("\\e]0;title\\a", "\\x1b"),
        ("\\e]52;c;ZXZpbA==\\a", "\\x1b"),
        ("\\x9b31m", "\\x9b"),
        ("\\u202e", "\\u202e"),
        ("\\u2066", "\\u2066"),
        ("\\0", "\\x00"),
        ("\\x07", "\\x07"),
        ("\\u200b", "\\u200b"),
        ("\\U000E0041", "\\U000e0041"),
        ("\\u2028", "\\u2028"),
    ],
)
def test_control_bidi_and_invisible_characters_in_any_text_field_are_rejected(
    tmp_path: Path, bad: str, shown: str
) -> None:
    for field in ("name", "summary", "note"):
        if field == "note":
            text = MINI_TEXT.replace("note: After a positive block.", f'note: "After {bad} block."')
        else:
            old = {
                "name": "name: Radiofrequency ablation",
                "summary": "summary: Heat lesion of the medial branch nerves.",
            }[field]
            text = MINI_TEXT.replace(old, f'{old.split(":")[0]}: "x {bad} y"')
        f = tmp_path / "c.yaml"
        f.write_text(text, encoding="utf-8")
        with pytest.raises(CatalogueError) as info:
            load_catalogue([f], bundled=False)
        assert [i.message for i in info.value.issues] == [
            f"text contains a control, bidirectional or invisible character ({shown})"
        ]


@pytest.mark.parametrize(
    "env",
    [
        {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "ascii"},
        {"COLUMNS": "30"},
        {"TERM": "dumb"},
        {"NO_COLOR": "1", "TERM": "xterm-256color"},
    ],
)
def test_odd_terminals_still_work(env: dict[str, str]) -> None:
    for args in (["list"], ["show", "scs"], ["for", "sciatica"], ["compare", "rfa", "scs"]):
        proc = painopts(*args, env=env)
        assert proc.returncode == 0, proc.stderr
        assert b"Traceback" not in proc.stderr
        assert b"not medical advice" in b" ".join(proc.stdout.split())
        if env.get("COLUMNS") == "30":
            assert max(len(ln) for ln in proc.stdout.decode().splitlines()) <= 30


def test_colour_conventions() -> None:
    assert b"\x1b[" not in painopts("list", env={"NO_COLOR": "1"}).stdout
    assert b"\x1b[" not in painopts("list").stdout  # piped: plain
    assert b"\x1b[" in painopts("--color", "always", "list").stdout
    assert b"\x1b[" in painopts("list", "--color", "always").stdout
    assert b"\x1b[" not in painopts("--color", "never", "list", env={"FORCE_COLOR": "1"}).stdout


def _for_sciatica_raising(exc: str) -> subprocess.CompletedProcess[bytes]:
    """Run `painopts for sciatica` in a child whose query step raises *exc*."""
    code = (
        "import painopts.queries as q\n"
        f"def boom(*a, **k):\n    raise {exc}\n"
        "q.options_for = boom\n"
        "import sys\nfrom painopts.cli import main\n"
        f"sys.argv = ['painopts', '--no-bundled', '--catalog', {str(MINI)!r}, 'for', 'sciatica']\n"
        "main()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=60, check=False
    )


def test_ctrl_c_exits_130_without_traceback() -> None:
    proc = _for_sciatica_raising("KeyboardInterrupt")
    assert proc.returncode == 130
    assert proc.stderr == b"painopts: interrupted\n"


def test_internal_errors_are_short_and_hint_at_reporting() -> None:
    proc = _for_sciatica_raising("ZeroDivisionError('oops')")
    assert proc.returncode == 3
    assert proc.stderr.decode() == (
        "painopts: internal error: ZeroDivisionError: oops. This is a bug; please report it with "
        "the command you ran (set PAINOPTS_DEBUG=1 to see the traceback).\n"
    )


# --- custom catalogues ------------------------------------------------------------------


def test_remove_drops_an_entry_and_the_links_to_it(tmp_path: Path) -> None:
    f = tmp_path / "local.yaml"
    f.write_text("remove:\n  conditions: [facet-pain]\n  techniques: [rfa]\n", encoding="utf-8")
    cat = load_catalogue([MINI, f], bundled=False)
    assert sorted(cat.conditions) == ["sciatica"]
    assert sorted(cat.techniques) == ["esi", "scs"]
    assert [i.condition for i in cat.techniques["esi"].indications] == ["sciatica"]


def test_removing_something_absent_is_an_error(tmp_path: Path) -> None:
    f = tmp_path / "local.yaml"
    f.write_text("remove:\n  techniques: [nope]\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue([MINI, f], bundled=False)
    assert [str(i) for i in info.value.issues] == [
        f"{f}:2:16: remove.techniques: no technique 'nope' to remove"
    ]


def test_validate_checks_a_remove_file_on_the_bundled_catalogue(run: Run, tmp_path: Path) -> None:
    f = tmp_path / "overlay.yaml"
    f.write_text("remove:\n  techniques: [stem-cells]\n  conditions: [fibromyalgia]\n", "utf-8")
    out = run("validate", str(f)).stdout
    assert out.startswith("valid: ") and out.endswith(f"(<bundled>, {f})\n")
    f.write_text("remove:\n  techniques: [stem-cell]\n", encoding="utf-8")
    assert run("validate", str(f), expect=1).stdout == (
        f"{f}:2:16: remove.techniques: no technique 'stem-cell' to remove; "
        "did you mean 'stem-cells'?\n"
    )
    # On its own, there is nothing below it to remove from, and the message says so.
    assert run("--no-bundled", "validate", str(f), expect=1).stdout == (
        f"{f}:2:16: remove.techniques: no technique 'stem-cell' to remove: no catalogue is "
        "loaded below this file\n"
    )


def test_validate_checks_a_file_without_removals_on_its_own(run: Run) -> None:
    # The fixture reuses bundled names; on its own it is valid.
    assert run("validate", str(MINI)).stdout == (
        f"valid: 3 techniques, 2 conditions, 4 indications, 2 sources ({MINI})\n"
    )


def test_env_var_adds_catalogues(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAINOPTS_CATALOG", str(MINI))
    doc = json.loads(run("--no-bundled", "list", "--format", "json").stdout)
    assert doc["catalogue"]["origins"] == [str(MINI)]


def test_validate_json_lists_every_problem(run: Run, tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text("sources:\n  - id: s\n    year: x\n", encoding="utf-8")
    doc = json.loads(run("validate", str(f), "--format", "json", expect=1).stdout)
    assert doc["valid"] is False
    assert doc["problems"][-1] == {
        "file": str(f),
        "line": 3,
        "column": 11,
        "where": "sources[s].year",
        "message": "expected a whole number, found the text 'x'",
    }
    assert len(doc["problems"]) == 5


def test_schema_accepts_the_fixture_and_rejects_a_bad_file(run: Run) -> None:
    import jsonschema

    schema = json.loads(run("schema").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(yaml.safe_load(MINI_TEXT))) == []
    bad = yaml.safe_load(MINI_TEXT)
    bad["techniques"][0]["invasiveness"] = "keyhole"
    assert [e.message for e in validator.iter_errors(bad)] == [
        "'keyhole' is not one of ['needle', 'percutaneous', 'implant', 'surgery']"
    ]
