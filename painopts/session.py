"""What one run was asked to load and how it should look, passed down as a value.

The command line (cli.py) and the fast completion path (complete.py) both decide which
catalogues to load from ``PAINOPTS_CATALOG``, ``--catalog`` and ``--no-bundled``; the
rule lives here, once, so a Tab press offers exactly the ids a command would accept.
Kept free of Typer and Rich: completion imports it on a Tab press.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from painopts.frozen import Frozen

ENV_CATALOG = "PAINOPTS_CATALOG"


def env_catalogs(environ: Mapping[str, str]) -> tuple[Path, ...]:
    """The catalogues named by PAINOPTS_CATALOG, a path list; empty entries are skipped."""
    return tuple(Path(p) for p in environ.get(ENV_CATALOG, "").split(os.pathsep) if p)


def catalogue_layers(
    environ: Mapping[str, str], given: Iterable[str | os.PathLike[str]]
) -> tuple[tuple[Path, ...], int]:
    """Every catalogue layer to load, PAINOPTS_CATALOG first, then those given with
    --catalog; and how many of them (the first ones) came from the environment."""
    from_env = env_catalogs(environ)
    return (*from_env, *(Path(p) for p in given)), len(from_env)


class Session(Frozen):
    """One run's catalogue layers and output settings (Typer keeps it in ``ctx.obj``).

    ``color`` is "auto", "always" or "never"; a command's own ``--color`` and
    ``--pager`` give a new Session (``with_output``), never a changed one."""

    catalogs: tuple[Path, ...] = ()
    from_env: int = 0
    bundled: bool = True
    color: str = "auto"
    pager: bool = False

    @classmethod
    def from_command_line(
        cls,
        environ: Mapping[str, str],
        catalog: Iterable[Path],
        *,
        no_bundled: bool,
        color: str | None,
    ) -> Session:
        layers, from_env = catalogue_layers(environ, catalog)
        return cls(
            catalogs=layers, from_env=from_env, bundled=not no_bundled, color=color or "auto"
        )

    def with_output(self, color: str | None, pager: bool) -> Session:
        return Session(
            catalogs=self.catalogs,
            from_env=self.from_env,
            bundled=self.bundled,
            color=color or self.color,
            pager=pager,
        )

    def given_where(self, index: int) -> str:
        """Where the layer at *index* was named, for a message about it."""
        return "in PAINOPTS_CATALOG" if index < self.from_env else "with --catalog"

    def validate_command(self) -> str:
        """The validate command that checks exactly what this run loaded, paths as given
        (those from PAINOPTS_CATALOG are read from the environment again)."""
        import shlex

        words = ["painopts"] + ([] if self.bundled else ["--no-bundled"])
        for path in self.catalogs[self.from_env :]:
            words += ["--catalog", shlex.quote(str(path))]
        return " ".join([*words, "validate"])
