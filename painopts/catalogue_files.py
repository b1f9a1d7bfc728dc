"""Which files make up a catalogue. Kept light: the cache needs it without the parser."""

from __future__ import annotations

from pathlib import Path

BUNDLED_DIR = Path(__file__).parent / "data"


def catalogue_files(path: Path) -> list[Path]:
    """The YAML files a catalogue path stands for, in a stable order."""
    if path.is_dir():
        return sorted(
            (p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()),
            key=lambda p: p.relative_to(path).as_posix(),
        )
    return [path]


def display_name(path: Path) -> str:
    if path.is_relative_to(BUNDLED_DIR):
        return f"<bundled>/{path.relative_to(BUNDLED_DIR).as_posix()}"
    return str(path)


def layer_name(path: Path) -> str:
    return "<bundled>" if path == BUNDLED_DIR else str(path)
