"""Names and text from files reach a terminal escaped; look-alike names are duplicates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from painopts.confusables import skeleton
from painopts.errors import CatalogueError
from painopts.loader import load_catalogue
from painopts.textsafe import shown

from .conftest import MINI, Run

MINI_TEXT = (MINI / "catalogue.yaml").read_text(encoding="utf-8")


def _issues(tmp_path: Path, text: str, name: str = "c.yaml") -> list[str]:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue([f], bundled=False)
    return [f"{i.where}: {i.message}" for i in info.value.issues]


def test_shown_escapes_control_bidi_and_invisible_characters() -> None:
    assert shown("a\x1b]52;c;ZXZpbA==\x07b") == "a\\x1b]52;c;ZXZpbA==\\x07b"
    assert shown("abc\u202eexe.yaml") == "abc\\u202eexe.yaml"
    assert shown("x\u200by\U000e0041\u3164\ufe0fz") == "x\\u200by\\U000e0041\\u3164\\ufe0fz"
    assert shown("line\nforged: valid") == "line\\nforged: valid"
    assert shown("Épaule – café 5 mg") == "Épaule – café 5 mg"


HOSTILE_NAME = "c\x1b]52;c;ZXZpbA==\x07\x1b[2J\u202eyaml.yaml"


def test_file_names_and_keys_are_escaped_in_validate_output(tmp_path: Path, run: Run) -> None:
    f = tmp_path / HOSTILE_NAME
    f.write_text('"key\\e]0;title\\a\\u202e": 1\n', encoding="utf-8")
    result = run("validate", str(f), expect=1)
    out = result.stdout + result.stderr
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in out
    assert result.stdout == (
        f"{tmp_path}/c\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J\\u202eyaml.yaml:1:1: "
        "key\\x1b]0;title\\x07\\u202e: unknown top-level key; "
        "allowed: catalogue, sources, conditions, techniques\n"
    )


def test_errors_on_stderr_and_the_footer_are_escaped(tmp_path: Path, run: Run) -> None:
    folder = tmp_path / "cat\u202egnp.yaml"
    folder.mkdir()
    shutil.copy(MINI / "catalogue.yaml", folder / "c.yaml")
    out = run("--no-bundled", "--catalog", str(folder), "list").stdout
    assert "\u202e" not in out
    assert "cat\\u202egnp.yaml" in out
    bad = tmp_path / "bad\x1b[31m.yaml"
    bad.write_text("sources: 1\n", encoding="utf-8")
    err = run("--no-bundled", "--catalog", str(bad), "list", expect=1).stderr
    assert "\x1b" not in err
    assert err.splitlines()[0] == (
        f"painopts: {tmp_path}/bad\\x1b[31m.yaml:1:10: sources: expected a list of sources, "
        "found the number 1"
    )
    err = run("--no-bundled", "--catalog", str(MINI), "show", "\x1b[2Jrfa", expect=2).stderr
    assert "\x1b" not in err and "\\x1b[2Jrfa" in err


def test_names_are_nfc_normalised_and_compared_in_that_form(tmp_path: Path) -> None:
    decomposed = "radiofrequency de\u0301nervation"  # e + combining acute
    text = MINI_TEXT.replace("aliases: [radiofrequency denervation]", f"aliases: [{decomposed}]")
    f = tmp_path / "c.yaml"
    f.write_text(text, encoding="utf-8")
    cat = load_catalogue([f], bundled=False)
    assert cat.techniques["rfa"].aliases == ("radiofrequency d\u00e9nervation",)
    text = text.replace("aliases: [epidural]", "aliases: [radiofrequency d\u00e9nervation]")
    assert _issues(tmp_path, text) == [
        "techniques[rfa].aliases: 'radiofrequency dénervation' is already used by technique "
        f"'esi' ({f}:40); names, aliases and synonyms must be unique"
    ]


@pytest.mark.parametrize(
    ("char", "escaped"),
    [("\u00ad", "\\xad"), ("\u3164", "\\u3164"), ("\u00a0", "\\xa0"), ("\ufe0f", "\\ufe0f")],
)
def test_invisible_characters_in_names_are_rejected(
    tmp_path: Path, char: str, escaped: str
) -> None:
    text = MINI_TEXT.replace("aliases: [epidural]", f'aliases: ["epi{char}dural"]')
    text = text.replace("name: Sciatica", f'name: "Scia{char}tica"')
    assert _issues(tmp_path, text) == [
        "conditions[sciatica].name: a name may not contain the invisible or special "
        f"character {escaped}",
        "techniques[esi].aliases[0]: a name may not contain the invisible or special "
        f"character {escaped}",
    ]


def test_look_alike_names_are_duplicates(tmp_path: Path) -> None:
    f = tmp_path / "c.yaml"
    # "ѕcs" starts with a Cyrillic dze; "Ｅpidural" with a fullwidth E.
    text = MINI_TEXT.replace("synonyms: [facet arthritis]", "synonyms: [facet arthritis, ѕcs]")
    text = text.replace("aliases: [spinal cord stimulator]", "aliases: [Ｅpidural]")
    assert _issues(tmp_path, text) == [
        "conditions[facet-pain].synonyms: 'ѕcs' looks the same as 'scs', which is already used "
        f"by technique 'scs' ({f}:100); names, aliases and synonyms must be unique",
        "techniques[scs].aliases: 'Ｅpidural' looks the same as 'epidural', which is already "
        f"used by technique 'esi' ({f}:40); names, aliases and synonyms must be unique",
    ]


def test_skeletons() -> None:
    assert skeleton("Fаcet") == skeleton("facet")  # Cyrillic a
    assert skeleton("ＲＦＡ") == skeleton("rfa")  # fullwidth
    assert skeleton("modern") == skeleton("modem")  # rn / m, as TR39 has it
    assert skeleton("0pioid") == skeleton("opioid")
    assert skeleton("Нeat ΤENS".casefold()) == skeleton("heat tens")  # capital impostors
    assert skeleton("café") != skeleton("cafe")  # a mark makes a different letter


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  - id: rfa\n",
            '  - id: "rfa\\n"\n',
            "techniques[rfa\n].id: expected an id of lowercase letters, digits and hyphens, "
            "found 'rfa\\n'",
        ),
        (
            "    url: https://example.org/a\n",
            '    url: "https://example.org/a\\n"\n',
            "sources[guide-a-2020].url: expected an http(s) URL, found 'https://example.org/a\\n'",
        ),
    ],
)
def test_ids_and_urls_may_not_end_in_a_newline(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in MINI_TEXT
    issues = _issues(tmp_path, MINI_TEXT.replace(old, new))
    assert issues[0] == expected


def test_json_output_keeps_data_as_data(run: Run) -> None:
    # JSON escapes control characters itself; the check is that it stays valid JSON.
    doc = json.loads(run("--no-bundled", "--catalog", str(MINI), "list", "-f", "json").stdout)
    assert doc["command"] == "list"


# --- downstream formats -----------------------------------------------------------------


def test_csv_cells_that_a_spreadsheet_would_run_are_made_text() -> None:
    from painopts.formats import to_csv

    cells = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "plain", "a=b"]
    import csv
    import io

    back = list(csv.reader(io.StringIO(to_csv((["h"], [[c] for c in cells])), newline="")))
    guarded = ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "plain", "a=b"]
    assert back == [["h"], *([c] for c in guarded)]


def test_markdown_cells_escape_markup() -> None:
    from painopts.formats import to_markdown

    text = "[click](javascript:x) <img src=x onerror=y> *b* _i_ `c` a|b ~~s~~ &amp; ![i](u)"
    assert to_markdown((["h"], [[text]])).splitlines()[2] == (
        "| \\[click\\](javascript:x) \\<img src=x onerror=y\\> \\*b\\* \\_i\\_ \\`c\\` a\\|b "
        "\\~\\~s\\~\\~ \\&amp; \\!\\[i\\](u) |"
    )


def test_a_formula_in_a_catalogue_name_reaches_csv_as_text(tmp_path: Path, run: Run) -> None:
    f = tmp_path / "c.yaml"
    f.write_text(
        MINI_TEXT.replace("name: Radiofrequency ablation", 'name: "=HYPERLINK(\\"x\\")"'),
        encoding="utf-8",
    )
    out = run("--no-bundled", "--catalog", str(f), "list", "-f", "csv").stdout
    assert 'rfa,"\'=HYPERLINK(""x"")",' in out
    md = run("--no-bundled", "--catalog", str(f), "list", "-f", "markdown").stdout
    assert '| rfa | =HYPERLINK("x") |' in md


def test_json_escapes_bidi_and_invisible_characters_and_keeps_the_data(
    tmp_path: Path, run: Run
) -> None:
    f = tmp_path / "c\u202egnp.yaml"
    f.write_text("sources: 1\n", encoding="utf-8")
    out = run("validate", str(f), "--format", "json", expect=1).stdout
    assert "\u202e" not in out and "\\u202e" in out
    assert json.loads(out)["problems"][0]["file"] == str(f)
    from painopts.formats import dumps

    text = dumps({"a": "é\u200b\U000e0041 ok"}, pretty=False)
    assert text == '{"a":"é\\u200b\\udb40\\udc41 ok"}\n'
    assert json.loads(text) == {"a": "é\u200b\U000e0041 ok"}
