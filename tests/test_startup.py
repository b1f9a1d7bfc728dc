"""What a run imports: pydantic never loads on the run path (it costs ~60 ms, 10 MiB).

Each command of the app runs in its own process, as a user starts it, with a warm
catalogue cache; Python's import log (PYTHONPROFILEIMPORTTIME) lists every module the
process loaded. New commands are covered automatically; `validate` and `schema` may
use heavier machinery, since they are not run many times a minute.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.core import TyperGroup

from painopts import complete
from painopts.cli import app

ALLOWED_HEAVY = {"validate", "schema"}
WARM_RUN_NEVER = {
    "yaml",
    "painopts.loader",
    "painopts.yamlread",
    "painopts.spec",
    "painopts.schema",
}
NO_RICH_TABLE = {"list", "show", "for", "conditions", "sources", "search"}
# Example values for an argument, by what it completes (see painopts/complete.py).
EXAMPLES = {
    "technique": ["rfa", "scs"],
    "condition": ["sciatica"],
    "source": ["nice-ng59-2016"],
    "none": ["nerve"],
}


def painopts_argv() -> list[str]:
    """The console script next to this Python (what users run), else `python -m`."""
    script = Path(sys.executable).parent / "painopts"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "painopts"]


def example_args(name: str) -> list[str]:
    node = complete.describe()["root"]["commands"][name]
    args: list[str] = []
    for argument in node["arguments"]:
        values = EXAMPLES.get(argument["values"]["kind"])
        assert values is not None, f"give tests/test_startup.py an example for {name}"
        # show, for and pathway take one name, typed in as many words as it has
        several = argument["nargs"] == -1 and name not in {"show", "for", "pathway"}
        args += values if several else values[:1]
    return args


def _console_imports_table() -> bool:
    """Whether this Rich's own console module already imports rich.table (14.x does,
    through rich.scope; 15 does not)."""
    code = "import sys, rich.console; print('rich.table' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip() == "True"


CONSOLE_IMPORTS_TABLE = _console_imports_table()


def commands() -> list[str]:
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    names = group.list_commands(typer.Context(group))
    return [n for n in names if n not in ALLOWED_HEAVY]


def imported(argv: list[str], env: dict[str, str], cwd: Path) -> set[str]:
    proc = subprocess.run(
        argv,
        cwd=cwd,
        env={**env, "PYTHONPROFILEIMPORTTIME": "1"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    modules = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            modules.add(line.rsplit("|", 1)[1].strip())
    assert "painopts" in modules, "the import log is empty: is PYTHONPROFILEIMPORTTIME honoured?"
    return modules


@pytest.fixture(scope="module")
def warm_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAINOPTS_")}
    env["PAINOPTS_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    env["COLUMNS"] = "100"
    subprocess.run([*painopts_argv(), "list"], env=env, capture_output=True, check=True)
    return env


def test_the_commands_cover_what_users_run_most() -> None:
    assert {"for", "list", "show", "compare", "search", "conditions", "sources"} <= set(commands())


@pytest.mark.parametrize("name", commands())
def test_no_command_loads_pydantic(name: str, warm_env: dict[str, str], tmp_path: Path) -> None:
    modules = imported([*painopts_argv(), name, *example_args(name)], warm_env, tmp_path)
    assert "pydantic" not in modules
    # Jinja2 renders HTML handouts only; every other command runs without it.
    assert ("jinja2" in modules) == (name == "handout")
    # A warm run reads the cache: it neither parses YAML nor builds validation rules.
    assert not modules & WARM_RUN_NEVER
    # Rich tables are drawn only where a view has a grid of cells (rich.table: 3-7 ms).
    # Rich before 15 imports rich.table with rich.console itself; then nothing is ours.
    if name in NO_RICH_TABLE and not CONSOLE_IMPORTS_TABLE:
        assert "rich.table" not in modules


@pytest.mark.parametrize(
    "words",
    ["painopts show rf", "painopts list --format j", "painopts --catalog "],
    ids=["fast path", "fast path, option value", "full CLI"],
)
def test_completion_loads_neither_pydantic_nor_more_than_it_needs(
    words: str, warm_env: dict[str, str], tmp_path: Path
) -> None:
    argv = painopts_argv()
    if argv[0] == sys.executable:  # `python -m` names a different completion variable
        argv = [sys.executable, "-c", "import sys; sys.argv[0] = 'painopts'; "
                "from painopts.entry import main; main()"]  # fmt: skip
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    env = {
        **warm_env,
        "_PAINOPTS_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(cword),
    }
    modules = imported(argv, env, tmp_path)
    assert "pydantic" not in modules
    if words != "painopts --catalog ":
        assert "typer" not in modules


def test_a_run_pauses_the_garbage_collector(warm_env: dict[str, str], tmp_path: Path) -> None:
    """A run is short and makes few cycles: the collector stays off from start to exit."""
    probe = (
        "import atexit, gc, sys; sys.argv[:] = ['painopts', 'conditions']\n"
        "atexit.register(lambda: sys.stderr.write(f'collector on: {gc.isenabled()}'))\n"
        "from painopts.entry import main; main()"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=warm_env, capture_output=True,
        text=True, timeout=60, check=False,
    )  # fmt: skip
    assert (proc.returncode, proc.stderr) == (0, "collector on: False")
    assert "sciatica" in proc.stdout


MINI = str(Path(__file__).parent / "fixtures" / "mini")
LINES = [
    ["for", "sciatica"],
    ["--no-bundled", "--catalog", MINI, "for", "sciatica", "--format", "json"],
    ["--color", "never", "list", "--sort", "relief", "--reverse"],
    ["--no-bundled", "--catalog", MINI, "compare", "rfa", "scs", "--format", "csv"],
    ["show", "rfa", "--format", "markdown"],
    ["for", "--help"],
    ["show", "-h"],
    ["for"],
    ["for", "nosuch"],
    ["list", "--sort", "nosuch"],
    ["list", "--nosuch"],
    ["list", "extra"],
    ["compare", "rfa"],
    ["search", "nerve", "--format", "json"],
    ["pathway", "sciatica", "-f", "mermaid"],
    ["timeline", "--condition", "sciatica", "--ascii"],
    ["--no-bundled", "--catalog", MINI, "validate"],
    ["schema"],
]


@pytest.mark.parametrize("args", LINES, ids=" ".join)
def test_running_only_the_named_command_changes_nothing(args: list[str]) -> None:
    """main() hands Typer only the command being run: same output, errors, exit code."""
    from typer.testing import CliRunner

    from painopts.cli import app_for

    only = app_for(args)
    assert only is not app and len(only.registered_commands) == 1
    whole, single = CliRunner().invoke(app, args), CliRunner().invoke(only, args)
    assert (single.exit_code, single.stdout, single.stderr) == (
        whole.exit_code,
        whole.stdout,
        whole.stderr,
    )


@pytest.mark.parametrize(
    "args",
    [[], ["--help"], ["--version"], ["nosuch"], ["--color"], ["--catalog=x", "list"], ["-x"]],
)
def test_anything_else_gets_the_whole_app(args: list[str]) -> None:
    from painopts.cli import app_for

    assert app_for(args) is app


def test_a_completion_request_gets_the_whole_app(monkeypatch: pytest.MonkeyPatch) -> None:
    from painopts.cli import app_for

    monkeypatch.setenv("_PAINOPTS_COMPLETE", "complete_bash")
    assert app_for(["for", "sciatica"]) is app
