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
    from typer.core import TyperGroup

    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
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


# --- installing completion ---------------------------------------------------------------


def _install(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed console script with HOME at *home*, from a bash parent (as
    when `--install-completion zsh` installed bash completion)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAINOPTS")}
    env.update(HOME=str(home), SHELL="/bin/bash")
    return subprocess.run(
        ["bash", "-c", 'exec "$@"', "bash", str(Path(sys.executable).with_name("painopts")), *args],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def _files(home: Path) -> dict[str, str]:
    return {
        str(p.relative_to(home)): p.read_text(encoding="utf-8")
        for p in sorted(home.rglob("*"))
        if p.is_file()
    }


ZSH_LINE = "fpath+=~/.zfunc; autoload -Uz compinit; compinit"


@pytest.mark.parametrize(
    ("shell", "script", "rc"),
    [
        ("zsh", ".zfunc/_painopts", {".zshrc": f"{ZSH_LINE}\n"}),
        (
            "bash",
            ".bash_completions/painopts.sh",
            {".bashrc": "source '{home}/.bash_completions/painopts.sh'\n"},
        ),
        ("fish", ".config/fish/completions/painopts.fish", {}),
        ("ZSH", ".zfunc/_painopts", {".zshrc": f"{ZSH_LINE}\n"}),
    ],
)
def test_install_completion_installs_the_shell_it_is_given(
    tmp_path: Path, shell: str, script: str, rc: dict[str, str]
) -> None:
    proc = _install(tmp_path, "--install-completion", shell)
    assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr
    name = shell.lower()
    shown = _install(tmp_path, "--show-completion", name).stdout
    expected = {script: shown, **{k: v.format(home=tmp_path) for k, v in rc.items()}}
    assert _files(tmp_path) == expected  # that script and that line: nothing else
    assert (
        proc.stdout.splitlines()[0] == f"painopts: {name} completion written to {tmp_path / script}"
    )
    assert proc.stdout.splitlines()[-1] == f"painopts: open a new {name} to use it"


def test_show_completion_prints_each_shells_own_script() -> None:
    scripts = {
        shell: _install(Path("/nonexistent"), "--show-completion", shell).stdout
        for shell in ("bash", "zsh", "fish", "pwsh")
    }
    assert "complete -o default -F _painopts_completion painopts" in scripts["bash"]
    assert scripts["zsh"].startswith("#compdef painopts\n")
    assert scripts["fish"].startswith("complete --command painopts ")
    assert "Register-ArgumentCompleter -Native -CommandName painopts" in scripts["pwsh"]


def test_install_completion_only_appends_to_a_start_up_file_and_only_once(tmp_path: Path) -> None:
    own = "# mine\nexport EDITOR=vi\nzstyle ':completion:*' list-colors ''"  # no final newline
    (tmp_path / ".zshrc").write_text(own, encoding="utf-8")
    first = _install(tmp_path, "--install-completion", "zsh")
    again = _install(tmp_path, "--install-completion", "zsh")
    assert first.returncode == again.returncode == 0
    assert (tmp_path / ".zshrc").read_text(encoding="utf-8") == f"{own}\n{ZSH_LINE}\n"
    assert f"painopts: {tmp_path / '.zshrc'} already loads it" in again.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--install-completion"],
            "painopts: option '--install-completion' requires an argument; see `painopts -h`\n",
        ),
        (
            ["--install-completion", "ksh"],
            "painopts: invalid value for '--install-completion': 'ksh' is not one of 'bash', 'zsh', 'fish', 'powershell', 'pwsh'; see `painopts -h`\n",
        ),
        (
            ["--install-completion", "pwsh"],
            "painopts: pwsh completion is not installed automatically (that would mean changing your script execution policy); add it to your profile yourself: `painopts --show-completion pwsh >> $PROFILE`\n",
        ),
    ],
)
def test_install_completion_refusals_write_nothing(
    tmp_path: Path, args: list[str], message: str
) -> None:
    proc = _install(tmp_path, *args)
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", message)
    assert _files(tmp_path) == {}


def test_zsh_fish_and_powershell_requests_are_answered_by_the_full_cli() -> None:
    # Typer's protocol for these shells, registered although Typer's options are off.
    zsh = {
        "_PAINOPTS_COMPLETE": "complete_zsh",
        "_TYPER_COMPLETE_ARGS": f"painopts {MINI_ARGS} show rf",
    }
    fish = {
        "_PAINOPTS_COMPLETE": "complete_fish",
        "_TYPER_COMPLETE_ARGS": "painopts comp",
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
    }
    pwsh = {
        "_PAINOPTS_COMPLETE": "complete_powershell",
        "_TYPER_COMPLETE_ARGS": "painopts comp",
        "_TYPER_COMPLETE_WORD_TO_COMPLETE": "comp",
    }
    answers = [
        CliRunner().invoke(app, [], prog_name="painopts", env=env) for env in (zsh, fish, pwsh)
    ]
    assert [a.exit_code for a in answers] == [0, 0, 0]
    assert answers[0].stdout == "_arguments '*: :((\"rfa\"))'\n"
    assert answers[1].stdout == "compare\tCompare techniques side by side.\n"
    assert answers[2].stdout == "compare:::Compare techniques side by side.\n"


def test_the_cli_offers_the_shells_the_installer_knows() -> None:
    from painopts import cli, completion_setup

    assert cli.SHELLS == completion_setup.SHELLS
