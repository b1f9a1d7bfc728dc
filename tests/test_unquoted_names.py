"""Names typed without quotes, as tldr takes them; values split by the shell are named."""

from __future__ import annotations

import pytest

from .conftest import Run


@pytest.mark.parametrize(
    ("args", "first"),
    [
        (["for", "pinched", "nerve"], "Sciatica (lumbar radiculopathy)  [sciatica]"),
        (["for", "slipped", "disc"], "Herniated (slipped) disc  [herniated-disc]"),
        (
            ["show", "spinal", "cord", "stimulation"],
            "Spinal cord stimulation (conventional low-frequency)  [scs]",
        ),
        (
            ["pathway", "pinched", "nerve"],
            "Sciatica (lumbar radiculopathy) [sciatica]: stepped route from the catalogue",
        ),
    ],
)
def test_one_name_commands_join_their_words(run: Run, args: list[str], first: str) -> None:
    quoted = [args[0], " ".join(args[1:])]
    result = run(*args)
    # The page's title; a pathway opens with the condition's red flags, then its title.
    lines = result.stdout.splitlines()
    assert lines[0] == first or (args[0] == "pathway" and lines[lines.index("") + 1] == first)
    assert result.stdout == run(*quoted).stdout


def test_compare_joins_a_word_that_names_nothing_with_the_words_after_it(run: Run) -> None:
    joined = run("compare", "spinal", "cord", "stimulation", "rfa", "-f", "json").stdout
    assert joined == run("compare", "spinal cord stimulation", "rfa", "-f", "json").stdout
    assert '"id": "scs"' in joined or '"id":"scs"' in joined


def test_timeline_joins_words_too(run: Run) -> None:
    out = run("timeline", "spinal", "cord", "stimulation", "rfa").stdout
    assert out == run("timeline", "spinal cord stimulation", "rfa").stdout


def test_a_name_that_never_resolves_says_to_quote_names(run: Run) -> None:
    result = run("compare", "rfa", "florp", expect=2)
    assert result.stderr == (
        "painopts: no technique called 'florp'; quote names with spaces, "
        "e.g. `painopts compare 'spinal cord stimulation' rfa`\n"
    )


def test_an_option_value_with_spaces_is_named_not_guessed_as_a_technique(run: Run) -> None:
    result = run("timeline", "--condition", "low", "back", "pain", expect=2)
    assert result.stderr == (
        "painopts: 'back' is not a technique; quote values with spaces, "
        "e.g. `painopts timeline --condition 'low back pain'`\n"
    )
    assert "stem-cells" not in result.stderr


def test_a_duration_with_spaces_says_to_quote_values(run: Run) -> None:
    result = run("for", "sciatica", "--min-relief", "6", "months", expect=2)
    assert result.stdout == ""
    assert result.stderr == (
        "painopts: 'months' is not part of a condition name; "
        "quote values with spaces, e.g. --min-relief '6 months'\n"
    )


def test_a_split_value_on_a_command_without_names_says_to_quote_it(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from painopts.cli import main

    monkeypatch.setattr("sys.argv", ["painopts", "list", "--min-relief", "6", "months"])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2
    captured = capfd.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "painopts: 'months' is not expected here; quote values with spaces, "
        "e.g. --min-relief '6 months'\n"
    )
