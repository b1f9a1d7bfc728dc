"""Help reads like a man page: task order, plain metavars, examples, short summaries."""

from __future__ import annotations

import re

import pytest

from painopts.cli import app

from .conftest import Run

COMMANDS = [
    "for", "show", "compare", "handout", "search", "list", "conditions",
    "timeline", "pathway", "sources", "validate", "schema",
]  # fmt: skip


def test_commands_are_listed_by_task_with_for_first(run: Run) -> None:
    out = run("--help").stdout
    listed = out[out.index("Commands:\n") :].splitlines()[1:]
    assert [line.split()[0] for line in listed if line.strip()] == COMMANDS
    assert listed[0] == "  for         Options for a condition, in stepped-care order."


def test_one_line_summaries_fit_80_columns_unshortened(run: Run) -> None:
    out = run("--help").stdout
    listed = [ln for ln in out[out.index("Commands:\n") :].splitlines()[1:] if ln.strip()]
    assert all(len(line) <= 80 and not line.endswith("...") for line in listed), listed


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_two_to_four_examples(run: Run, name: str) -> None:
    out = run(name, "--help").stdout
    examples = out[out.index("\n  Examples:\n") :].splitlines()[2:]
    assert 2 <= len(examples) <= 4, examples
    assert all(line.startswith("    painopts ") for line in examples), examples


@pytest.mark.parametrize("name", COMMANDS)
def test_metavars_are_plain_words(run: Run, name: str) -> None:
    out = run(name, "--help").stdout
    assert not re.search(r"[{<][a-zA-Z_.\[\]|-]+[}>]", out), out
    assert "<str>" not in out and "list[str]" not in out


def test_usage_lines_name_what_to_type(run: Run) -> None:
    assert run("for", "-h").stdout.startswith("Usage: painopts for [OPTIONS] CONDITION\n")
    assert run("show", "-h").stdout.startswith("Usage: painopts show [OPTIONS] NAME\n")
    assert run("compare", "-h").stdout.startswith("Usage: painopts compare [OPTIONS] NAME...\n")
    out = run("for", "-h").stdout
    assert "  --max-invasiveness LEVEL  At most this invasive: 1 needle, 2 percutaneous, 3\n" in out


def test_options_that_do_nothing_are_gone(run: Run) -> None:
    assert "--region" not in run("for", "--help").stdout
    run("for", "sciatica", "--region", "neck", expect=2)


def test_the_app_object_keeps_every_command() -> None:
    assert sorted(c.name or "" for c in app.registered_commands) == sorted(COMMANDS)


def test_invasiveness_takes_the_rank_tables_print(run_mini: Run) -> None:
    by_rank = run_mini("list", "--max-invasiveness", "2", "-f", "csv").stdout
    assert by_rank == run_mini("list", "--max-invasiveness", "percutaneous", "-f", "csv").stdout
    assert [line.split(",")[0] for line in by_rank.splitlines()[1:]] == ["esi", "rfa"]
    result = run_mini("list", "--min-invasiveness", "5", expect=2)
    assert "'5' is not a level; use one of 1 needle, 2 percutaneous, 3 implant, 4 surgery" in (
        result.stderr
    )


def _examples() -> list[list[str]]:
    import shlex

    from painopts.cli import _COMMANDS

    return [shlex.split(e)[1:] for _, examples in _COMMANDS.values() for e in examples]


@pytest.mark.parametrize("words", _examples(), ids=" ".join)
def test_every_example_that_needs_no_file_runs(run: Run, words: list[str]) -> None:
    if any(w.endswith((".yaml", "/")) or w == ">" for w in words):
        pytest.skip("names a file of the reader's own")
    assert run(*words).stdout
