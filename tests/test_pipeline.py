"""One output pipeline: every command x format pair in the published matrix works and
gives output of its kind; every pair outside it is a usage error; the matrix, the
renderers, the options, the help and the README agree. Loops run over the matrix and
the Format enum, never over string literals, so a new format or command is covered
the day it is added."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer._types import TyperChoice
from typer.core import TyperGroup, TyperOption

from painopts import complete, formats, views
from painopts.cli import app
from painopts.models import (
    Benefit,
    BleedingClass,
    Catalogue,
    Condition,
    Rate,
    Risk,
    Source,
    Technique,
    field_names,
)
from painopts.output import MATRIX, RENDERERS, Format, format_help, matrix_markdown
from painopts.wording import NOTICE

from .conftest import Run

# Example values for an argument, by what it completes (see painopts/complete.py).
EXAMPLES = {
    "technique": ["rfa", "scs"],
    "condition": ["sciatica"],
    "source": ["guide-a-2020"],
    "none": ["nerve"],
}
README = Path(__file__).parent.parent / "README.md"
PAIRS = [(c, f) for c, offered in MATRIX.items() for f in offered]
OUTSIDE = [(c, f) for c, offered in MATRIX.items() for f in Format if f not in offered]


def example_args(command: str) -> list[str]:
    node = complete.describe()["root"]["commands"][command]
    args: list[str] = []
    for argument in node["arguments"]:
        if argument["name"] == "paths":
            continue  # validate: the catalogue given with --catalog
        values = EXAMPLES[argument["values"]["kind"]]
        # show, for and pathway take one name, typed in as many words as it has
        several = argument["nargs"] == -1 and command not in {"show", "for", "pathway"}
        args += values if several else values[:1]
    return args


def commands_with_format() -> set[str]:
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    ctx = typer.Context(group)
    return {
        name
        for name in group.list_commands(ctx)
        if any("--format" in p.opts for p in group.commands[name].params)
    }


def test_every_command_with_a_format_option_is_in_the_matrix() -> None:
    assert commands_with_format() == set(MATRIX)


@pytest.mark.parametrize("command", sorted(MATRIX))
def test_format_choices_and_help_come_from_the_matrix(command: str) -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    cmd = group.get_command(typer.Context(group), command)
    assert cmd is not None
    (option,) = [p for p in cmd.params if "--format" in p.opts]
    assert isinstance(option, TyperOption) and isinstance(option.type, TyperChoice)
    assert list(option.type.choices) == [str(f) for f in MATRIX[command]]
    assert option.help == format_help(command)


def test_every_format_has_a_renderer_and_is_offered_somewhere() -> None:
    assert set(RENDERERS) == set(Format)
    assert {f for offered in MATRIX.values() for f in offered} == set(Format)


def is_document(command: str) -> bool:
    """Whether the command's views print as documents (show, for, compare)."""
    table = views.as_document.registry[object]
    return any(views.as_document.dispatch(cls) is not table for cls in view_types(command))


def view_types(command: str) -> list[type[views.View]]:
    found = [
        cls
        for cls in vars(views).values()
        if isinstance(cls, type) and issubclass(cls, views.View) and cls.command == command
    ]
    assert found, f"no view for {command}"
    return found


@pytest.mark.parametrize(("command", "fmt"), PAIRS)
def test_each_pair_in_the_matrix_has_a_renderer_for_every_view_of_its_command(
    command: str, fmt: Format
) -> None:
    from painopts import terminal, visual

    registry = {
        Format.TABLE: terminal.to_terminal.registry,
        Format.JSON: formats.payload.registry,
        Format.CSV: formats.table_rows.registry,
        Format.MARKDOWN: formats.table_rows.registry,
        Format.YAML: formats.to_yaml.registry,
        Format.MERMAID: visual.to_mermaid.registry,
        Format.BIBTEX: formats.references.registry,
        Format.CSL_JSON: formats.references.registry,
        Format.HTML: views.as_document.registry,  # HTML prints documents only
    }[fmt]
    if fmt is Format.MARKDOWN and is_document(command):
        registry = views.as_document.registry
    for cls in view_types(command):
        assert cls in registry, (command, fmt, cls.__name__)


@pytest.mark.parametrize(("command", "fmt"), PAIRS)
def test_every_pair_in_the_matrix_gives_output_of_its_kind(
    run_mini: Run, command: str, fmt: Format
) -> None:
    result = run_mini(command, *example_args(command), "--format", str(fmt))
    out = result.stdout
    assert out.strip(), (command, fmt)
    document = is_document(command)
    if fmt in (Format.JSON, Format.CSV, Format.MERMAID):
        assert NOTICE not in out  # the notice is for people, never inside data
    if fmt is Format.JSON:
        doc = json.loads(out)
        assert doc["command"] == command and doc["contract"] == formats.JSON_CONTRACT
        assert set(doc) >= {"painopts", "contract", "command", "catalogue"}
    elif fmt is Format.CSV:
        assert "\r" not in out
        header, *rows = list(csv.reader(io.StringIO(out)))
        assert rows and all(len(r) == len(header) for r in rows)
        if header[0] != "attribute":  # show/compare: a column per technique id
            assert all(re.fullmatch(r"[a-z][a-z0-9_]*", h) for h in header), header
    elif fmt is Format.YAML:
        import yaml

        doc = yaml.safe_load(out)
        assert [t["id"] for t in doc["techniques"]] == [example_args(command)[0]]
    elif fmt is Format.MARKDOWN and document:
        assert out.startswith("# ") and out.rstrip().endswith(NOTICE)
    elif fmt is Format.MARKDOWN:
        # A reader's copy: the notice after the table, never in it.
        assert out.rstrip().endswith(NOTICE) and out.count(NOTICE) == 1
        table = [line for line in out.splitlines() if line.startswith("|")]
        assert re.fullmatch(r"\|(---\|)+", table[1])
        assert all(line.endswith("|") for line in table)
    elif fmt is Format.MERMAID:
        assert out.startswith("flowchart TD\n")
    elif fmt is Format.BIBTEX:
        assert re.match(r"@[a-z]+\{[a-z0-9-]+,\n", out), out[:80]
    elif fmt is Format.CSL_JSON:
        items = json.loads(out)
        assert items and all({"id", "type"} <= set(item) for item in items)
    elif fmt is Format.HTML:
        assert out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
        assert NOTICE in out
    elif command != "validate":
        assert out.rstrip().endswith(NOTICE.split()[-1])


@pytest.mark.parametrize(("command", "fmt"), OUTSIDE)
def test_every_pair_outside_the_matrix_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], command: str, fmt: Format
) -> None:
    from painopts.cli import main

    from .conftest import MINI

    argv = ["--no-bundled", "--catalog", str(MINI), command, *example_args(command)]
    monkeypatch.setattr("sys.argv", ["painopts", *argv, "--format", str(fmt)])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2
    captured = capfd.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line.startswith("painopts: ") and line.endswith(f"see `painopts {command} -h`")
    assert repr(str(fmt)) in line


@pytest.mark.parametrize(("command", "fmt"), OUTSIDE)
def test_the_renderer_refuses_a_pair_outside_the_matrix(
    mini: Catalogue, command: str, fmt: Format
) -> None:
    from painopts.errors import UsageError
    from painopts.output import render

    with pytest.raises(UsageError, match=f"see `painopts {command} -h`"):
        render(_blank(view_types(command)[0], mini), fmt)


def _blank(cls: type[views.View], cat: Catalogue) -> views.View:
    """A view of *cls* that is never rendered: render refuses it by its command."""
    view = object.__new__(cls)
    object.__setattr__(view, "catalogue", cat)
    return view


def test_the_readme_publishes_the_matrix() -> None:
    assert matrix_markdown() in README.read_text(encoding="utf-8")


# --- JSON records are written field by field -------------------------------------------


def _first(items: Iterable[object]) -> object:
    found = next(iter(items), None)
    assert found is not None, "the bundled catalogue has none to check"
    return found


# Fields each record adds to the model's own, and model fields left out on purpose.
EXTRAS: dict[type, set[str]] = {Technique: {"invasiveness_rank", "relief_days", "relief_caveat"}}


@pytest.mark.parametrize(
    ("cls", "record", "pick"),
    [
        (Technique, formats.technique_record, lambda c: next(iter(c.techniques.values()))),
        (Condition, formats.condition_record, lambda c: next(iter(c.conditions.values()))),
        (Source, formats.source_record, lambda c: next(iter(c.sources.values()))),
        (
            Risk,
            formats.risk_record,
            lambda c: _first(r for t in c.techniques.values() for r in t.risks if r.rate),
        ),
        (
            Rate,
            formats.rate_record,
            lambda c: _first(r.rate for t in c.techniques.values() for r in t.risks if r.rate),
        ),
        (
            Benefit,
            formats.benefit_record,
            lambda c: _first(b for t in c.techniques.values() for b in t.benefits),
        ),
        (
            BleedingClass,
            formats.bleeding_record,
            lambda c: _first(t.bleeding_risk for t in c.techniques.values() if t.bleeding_risk),
        ),
    ],
)
def test_json_records_name_every_model_field_and_nothing_unplanned(
    bundled: Catalogue,
    cls: type,
    record: Callable[[Any], dict[str, Any] | None],
    pick: Callable[[Catalogue], object],
) -> None:
    """A field added to a model must be added to its JSON record on purpose (and the
    contract number considered): this fails until it is."""
    rec = record(pick(bundled))
    assert rec is not None
    assert list(rec)[: len(field_names(cls))] == list(field_names(cls))
    assert set(rec) - set(field_names(cls)) == EXTRAS.get(cls, set())


def test_json_records_hold_only_json_types(bundled: Catalogue) -> None:
    """Built explicitly: vocabulary values are plain strings and lists are lists, so
    the encoder needs no fallback that could turn a new type into output unnoticed."""
    for t in bundled.techniques.values():
        text = json.dumps(formats.technique_record(t))
        assert json.loads(text) == formats.technique_record(t)


def test_the_view_and_format_layers_load_no_rich() -> None:
    code = (
        "import sys, painopts.views, painopts.formats, painopts.output, painopts.pathway, "
        "painopts.wording, painopts.session\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'typer')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_views_are_frozen_records_with_keyword_fields(mini: Catalogue) -> None:
    view = views.SourcesView(catalogue=mini, sources=())
    assert view.lead == () and view.empty is None  # defaults
    with pytest.raises(AttributeError, match="SourcesView is frozen"):
        view.empty = "x"  # type: ignore[misc]
    with pytest.raises(TypeError, match=r"SourcesView\(\) needs sources="):
        views.SourcesView(catalogue=mini)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"SourcesView\(\) takes no colour"):
        views.SourcesView(catalogue=mini, sources=(), colour=1)  # type: ignore[call-arg]


# --- one session, no module state ------------------------------------------------------


def test_catalogue_layers_are_read_once_for_commands_and_completion() -> None:
    import os

    from painopts.session import Session, catalogue_layers

    environ = {"PAINOPTS_CATALOG": os.pathsep.join(["env one", "", "env2"])}
    layers, from_env = catalogue_layers(environ, ["given dir"])
    assert [str(p) for p in layers] == ["env one", "env2", "given dir"] and from_env == 2
    session = Session.from_command_line(environ, [Path("given dir")], no_bundled=True, color=None)
    assert session.catalogs == layers and session.color == "auto"
    # Layers from the environment are read from it again; those given are quoted.
    assert session.validate_command() == "painopts --no-bundled --catalog 'given dir' validate"
    assert session.given_where(1) == "in PAINOPTS_CATALOG"
    assert session.given_where(2) == "with --catalog"
    paged = session.with_output("never", True)
    assert (paged.color, paged.pager, session.pager) == ("never", True, None)


def test_the_cli_keeps_no_module_state() -> None:
    import painopts.cli as cli

    assert not hasattr(cli, "state")


# --- the new JSON keeps options recommended against apart ---------------------------------


def test_timeline_and_pathway_json_keep_options_recommended_against_apart(run: Run) -> None:
    doc = json.loads(run("timeline", "--condition", "sciatica", "-f", "json").stdout)
    assert [b["technique"] for b in doc["against"]] == ["pulsed-rf"]
    assert {b["stance"] for b in doc["against"]} == {"not-recommended"}
    assert "not-recommended" not in {b["stance"] for b in doc["bars"]}
    assert doc["bars"][0]["relief_days"] == {"min": 14.0, "max": 84.0}
    route = json.loads(run("pathway", "sciatica", "-f", "json").stdout)
    *stages, last = route["stages"]
    assert last["kind"] == "against" and [s["technique"] for s in last["steps"]] == ["pulsed-rf"]
    assert all(s["stance"] != "not-recommended" for st in stages for s in st["steps"])
    assert {e["target"] for e in route["edges"]} <= {s["key"] for st in stages for s in st["steps"]}


def test_show_as_yaml_is_a_catalogue_file_that_validate_accepts(run: Run, tmp_path: Path) -> None:
    text = run("show", "rfa", "-f", "yaml").stdout
    assert NOTICE not in text
    f = tmp_path / "rfa.yaml"
    f.write_text(text, encoding="utf-8")
    assert run("--catalog", str(f), "validate").stdout.startswith("valid: ")
    original = json.loads(run("show", "lumbar-rfa", "-f", "json").stdout)["technique"]
    layered = json.loads(run("--catalog", str(f), "show", "lumbar-rfa", "-f", "json").stdout)
    assert layered["technique"] == original
