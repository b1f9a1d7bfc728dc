"""Shell completion without Typer answers exactly what the full CLI answers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from painopts import complete
from painopts.cli import app

from .conftest import MINI

MINI_ARGS = f"--no-bundled --catalog {MINI}"


def env_for(words: str) -> dict[str, str]:
    """What bash's completion function sets for the command line *words* on Tab."""
    cword = len(words.split()) - (0 if words.endswith(" ") or not words.split() else 1)
    return {"_PAINOPTS_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}


def full(words: str) -> str:
    result = CliRunner().invoke(app, [], prog_name="painopts", env=env_for(words))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output
    return result.stdout


def fast(words: str) -> str | None:
    return complete.answer(env_for(words), prog="painopts")


def same(answer: str) -> list[str]:
    """Click lists the help option's names (-h, --help) in set order, which changes from
    run to run: compare those two in a fixed order, everything else as it comes."""
    words = answer.split("\n")
    helps = iter(sorted(w for w in words if w in ("-h", "--help")))
    return [next(helps) if w in ("-h", "--help") else w for w in words]


def test_the_word_table_is_generated_from_the_app() -> None:
    """completion_table.py is what the app says today: regenerate it after adding a
    command or option (`python -m painopts.complete --write`)."""
    with open(complete.TABLE_FILE, encoding="utf-8") as fh:
        on_disk = fh.read()
    assert on_disk == complete.render_table(complete.describe()), (
        "run `python -m painopts.complete --write`"
    )


def test_every_command_and_option_is_in_the_table() -> None:
    import typer.main

    group = typer.main.get_command(app)
    table = complete.load_table()["root"]
    ctx = typer.Context(group)
    assert list(table["commands"]) == group.list_commands(ctx)
    for name, node in table["commands"].items():
        command = group.get_command(ctx, name)
        assert command is not None
        opts = {o for p in command.params for o in getattr(p, "opts", ()) if o.startswith("-")}
        assert opts <= {o for opt in node["options"] for o in opt["opts"]}, name


# Command lines the fast path must answer itself, and the same words as the full CLI.
ANSWERED = [
    "painopts ",
    "painopts co",
    "painopts --no-bundled s",
    "painopts --",
    "painopts -",
    "painopts for sciatica --",
    "painopts list -",
    "painopts list --format json --f",
    "painopts list --category injection --ca",
    "painopts show --p",
    f"painopts {MINI_ARGS} show ",
    f"painopts {MINI_ARGS} compare rfa ",
    f"painopts {MINI_ARGS} pathway ",
]

# Some of them pinned, so that both paths cannot agree on a wrong answer.
PINNED = [
    ("painopts comp", "compare"),
    ("painopts --color ", "auto always never"),
    ("painopts --color A", "auto always"),
    (f"painopts {MINI_ARGS} show rf", "rfa"),
    (f"painopts {MINI_ARGS} show e", "epidural esi"),
    # Matched case-insensitively, then Typer keeps only exact-prefix words.
    (f"painopts {MINI_ARGS} show E", ""),
    (f"painopts {MINI_ARGS} compare rfa s", "scs"),
    (f"painopts {MINI_ARGS} show rfa ", ""),
    (f"painopts {MINI_ARGS} for sc", "sciatica"),
    (f"painopts {MINI_ARGS} for fac", "facet-pain"),
    (f"painopts {MINI_ARGS} list --condition sc", "sciatica"),
    (f"painopts {MINI_ARGS} timeline --condition fac", "facet-pain"),
    ("painopts list --max-invasiveness p", "percutaneous"),
    ("painopts list --format ", "table json markdown csv"),
    ("painopts list --format =", "table json markdown csv"),
    ("painopts list -f m", "markdown"),
    ("painopts pathway sciatica -f ", "table json mermaid"),
    ("painopts validate -f ", "table json"),
    ("painopts list --sort ", "name invasiveness relief evidence"),
    ("painopts search nerve ", ""),
    ("painopts schema ", ""),
    ("painopts list x", ""),
]


@pytest.mark.parametrize("words", ANSWERED + [w for w, _ in PINNED])
def test_the_fast_path_answers_as_the_full_cli_does(words: str) -> None:
    answered = fast(words)
    assert answered is not None, "the fast path handed this over"
    assert same(answered) == same(full(words))


def every_command_line() -> list[str]:
    """For every command of the app: its options, its first argument, each option's values."""
    lines = []
    for name, node in complete.load_table()["root"]["commands"].items():
        lines += [f"painopts {name} --", f"painopts {MINI_ARGS} {name} "]
        for opt in node["options"]:
            if not opt["flag"]:
                lines.append(f"painopts {MINI_ARGS} {name} {opt['opts'][0]} ")
    return lines


@pytest.mark.parametrize("words", every_command_line())
def test_every_command_completes_as_in_the_full_cli(words: str) -> None:
    answered = fast(words)
    if answered is not None:  # a path option, for example, goes to the full CLI
        assert same(answered) == same(full(words))


def test_most_command_lines_are_answered_without_the_full_cli() -> None:
    lines = every_command_line()
    answered = [w for w in lines if fast(w) is not None]
    assert len(answered) / len(lines) > 0.9


@pytest.mark.parametrize(("words", "expected"), PINNED)
def test_completion_words(words: str, expected: str) -> None:
    want = "".join(f"{w}\n" for w in expected.split()) or "\n"
    assert fast(words) == want


# Command lines the fast path hands to the full CLI rather than guess.
HANDED_OVER = [
    "painopts --catalog ",
    "painopts --catalog=x ",
    "painopts --version ",
    "painopts list --help ",
    "painopts nosuch ",
    "painopts list -- ",
    "painopts list --format=j",
    "painopts show 'rf",
    "painopts list --catalog x ",
    "painopts validate ",
    "painopts -h ",
]


@pytest.mark.parametrize("words", HANDED_OVER)
def test_unusual_command_lines_go_to_the_full_cli(words: str) -> None:
    assert fast(words) is None


def test_other_shells_and_instructions_go_to_the_full_cli() -> None:
    for instruction in ("complete_zsh", "complete_fish", "source_bash", "complete_nosuch"):
        env = {**env_for("painopts comp"), "_PAINOPTS_COMPLETE": instruction}
        assert complete.answer(env, prog="painopts") is None
    assert complete.answer(env_for("painopts comp"), prog="other") is None


def test_a_broken_catalogue_completes_nothing_in_both_paths(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("techniques: {}\n", encoding="utf-8")
    words = f"painopts --no-bundled --catalog {tmp_path} show r"
    assert full(words) == fast(words) == "\n"


def test_painopts_catalog_is_honoured_by_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAINOPTS_CATALOG", str(MINI))
    assert (
        full("painopts --no-bundled show e")
        == fast("painopts --no-bundled show e")
        == "epidural\nesi\n"
    )


TOKENS = [
    "list", "show", "compare", "for", "search", "timeline", "pathway", "conditions",
    "--format", "-f", "json", "--color", "never", "--condition", "sciatica", "rfa", "scs",
    "--sort", "name", "--diagnostic", "--pager", "--max-invasiveness", "implant", "--no-bundled",
    "--catalog", str(MINI), "--", "-", "=", "--format=json", "x", "--help", "--category",
]  # fmt: skip
INCOMPLETE = ["", "-", "--", "--c", "--f", "r", "s", "sc", "j", "i", "a", "R", "=", "x"]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    words=st.lists(st.sampled_from(TOKENS), max_size=6),
    incomplete=st.sampled_from(INCOMPLETE),
    mini=st.booleans(),
)
def test_any_answer_from_the_fast_path_is_the_full_clis(
    words: list[str], incomplete: str, mini: bool
) -> None:
    line = " ".join(["painopts", *(MINI_ARGS.split() if mini else []), *words, incomplete])
    answered = fast(line)
    if answered is not None:
        assert same(answered) == same(full(line))


def test_a_tab_press_does_not_import_typer(tmp_path: Path) -> None:
    probe = (
        "import atexit, sys; sys.argv[0] = 'painopts'\n"
        "atexit.register(lambda: sys.stderr.write(f'typer loaded: {\"typer\" in sys.modules}'))\n"
        "from painopts.entry import main; main()"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PAINOPTS_CATALOG")},
        **env_for(f"painopts {MINI_ARGS} show rf"),
    }
    proc = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "rfa\n", "typer loaded: False")
