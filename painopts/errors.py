"""Exceptions raised by the domain layers. Only the CLI turns them into output."""

from __future__ import annotations

from painopts.frozen import Record, record


@record(kw_only=False)
class Issue(Record):
    """One problem in a catalogue file, located as precisely as we can."""

    path: str
    line: int | None  # 1-based
    column: int | None  # 1-based
    where: str  # breadcrumb: techniques[lumbar-rfa].relief.max
    message: str

    def __str__(self) -> str:
        loc = self.path
        if self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        return f"{loc}: {self.where}: {self.message}" if self.where else f"{loc}: {self.message}"


class PainoptsError(Exception):
    """Base of every error the CLI knows how to report."""


class CatalogueError(PainoptsError):
    """A catalogue could not be read or is invalid; carries every issue found."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        first = str(issues[0]) if issues else "invalid catalogue"
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        super().__init__(first + more)


class LookupFailed(PainoptsError):
    """A name the user typed matched nothing, or more than one thing."""

    def __init__(
        self,
        name: str,
        kind: str,
        suggestions: list[str],
        *,
        ambiguous: bool = False,
        hint: str | None = None,
        note: str | None = None,
    ) -> None:
        self.name = name
        self.kind = kind
        self.suggestions = suggestions
        self.ambiguous = ambiguous
        self.hint = hint
        self.note = note
        if ambiguous:
            msg = f"{kind} name {name!r} is ambiguous: it could be " + ", ".join(suggestions)
        else:
            msg = f"no {kind} called {name!r}"
            if suggestions:
                msg += "; did you mean " + ", ".join(suggestions) + "?"
        if hint:
            msg += f" ({hint})"
        if note:
            msg += f"; {note}"
        super().__init__(msg)


class UsageError(PainoptsError):
    """A value the user gave on the command line is not acceptable."""
