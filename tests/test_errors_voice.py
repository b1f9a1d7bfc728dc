"""Errors speak as `painopts: ...` and say what to do next."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Run


def test_a_missing_catalog_path_is_no_such_file_not_an_invalid_catalogue(
    run: Run, tmp_path: Path
) -> None:
    absent = tmp_path / "absent.yaml"
    result = run("--catalog", str(absent), "list", expect=2)
    assert result.stdout == ""
    assert result.stderr == (
        f"painopts: {absent}: no such file or directory (given with --catalog); check the path\n"
    )


def test_a_missing_path_in_the_environment_says_where_it_came_from(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAINOPTS_CATALOG", str(tmp_path / "gone"))
    result = run("show", "rfa", expect=2)
    assert result.stderr == (
        f"painopts: {tmp_path / 'gone'}: no such file or directory "
        "(given in PAINOPTS_CATALOG); check the path\n"
    )


def test_the_validate_hint_repeats_the_paths_as_given(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "my overlay.yaml"
    bad.write_text("sources:\n  - id: s\n    nte: x\n", encoding="utf-8")
    result = run("--catalog", str(bad), "conditions", expect=1)
    hint = f"painopts --catalog '{bad}' validate"
    assert result.stderr.splitlines()[-1] == (
        f"painopts: the catalogue is invalid; run `{hint}` for the full list."
    )
    # The hint is a command that works: it reports the same problems.
    check = run("--catalog", str(bad), "validate", expect=1)
    assert f"{bad}:3:5: sources[s].nte: unknown key; did you mean 'note'?\n" in check.stdout


def test_a_catalogue_from_the_environment_needs_no_path_in_the_hint(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources:\n  - id: s\n    nte: x\n", encoding="utf-8")
    monkeypatch.setenv("PAINOPTS_CATALOG", str(bad))
    result = run("--no-bundled", "list", expect=1)
    assert result.stderr.splitlines()[-1] == (
        "painopts: the catalogue is invalid; run `painopts --no-bundled validate` for the full list."
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["list", "--max-invasiveness", "7"],
            "painopts: invalid value for '--max-invasiveness': '7' is not a level; use one of "
            "1 needle, 2 percutaneous, 3 implant, 4 surgery; see `painopts list -h`\n",
        ),
        (["for"], "painopts: missing argument 'CONDITION'; see `painopts for -h`\n"),
        (["nosuch"], "painopts: no such command 'nosuch'; see `painopts -h`\n"),
    ],
)
def test_usage_errors_are_one_line_in_our_voice_with_a_remedy(
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    from painopts.cli import main

    monkeypatch.setattr("sys.argv", ["painopts", *argv])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2
    captured = capfd.readouterr()
    assert captured.out == ""
    assert captured.err == message
