"""Helpers shared by the benchmark scripts (imported as a sibling module)."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

HERE = Path(__file__).resolve().parent
BASELINE_APP = HERE / "baseline_app.py"

# Runs `painopts` through its console-script entry point from `python -c`, with the
# program name that shell completion keys on (`python -m painopts` would look for
# `_PYTHON -M PAINOPTS_COMPLETE` instead of `_PAINOPTS_COMPLETE`).
_MODULE_SHIM = "import sys; sys.argv[0] = 'painopts'; from painopts.cli import main; main()"


@dataclass(frozen=True, slots=True)
class Painopts:
    """How to start painopts: for commands, and for a shell-completion request."""

    argv: tuple[str, ...]
    completion_argv: tuple[str, ...]
    how: str


def painopts_invocation(module: bool = False) -> Painopts:
    """The console script next to sys.executable (what users run), else `python -m`."""
    bindir = Path(sys.executable).parent
    script = bindir / ("painopts.exe" if os.name == "nt" else "painopts")
    if not module and script.is_file() and os.access(script, os.X_OK):
        return Painopts((str(script),), (str(script),), f"console script {script}")
    return Painopts(
        (sys.executable, "-m", "painopts"),
        (sys.executable, "-c", _MODULE_SHIM),
        f"{sys.executable} -m painopts (completion: python -c with argv[0]='painopts')",
    )


def base_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The caller's environment without painopts' own settings or completion variables."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "PAINOPTS_CATALOG"
        and not (k.startswith("_") and k.endswith("_COMPLETE"))
        and k not in ("COMP_WORDS", "COMP_CWORD")
    }
    env.update(extra or {})
    return env


def painopts_version() -> str:
    try:
        from importlib.metadata import version

        return version("painopts")
    except Exception:  # not installed as a distribution: fall back to the module
        try:
            import painopts

            return str(painopts.__version__)
        except Exception:
            return "unknown"


def machine_info() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                if key.strip() in ("model name", "Hardware", "Processor", "cpu model"):
                    cpu = value.strip() or cpu
                    break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "os": platform.platform(),
        "python": platform.python_version(),
        "python_executable": sys.executable,
        "painopts": painopts_version(),
    }


def machine_lines(info: Mapping[str, Any]) -> list[str]:
    cores = f"{info['cores']} cores"
    if info.get("usable_cores") not in (None, info["cores"]):
        cores += f" ({info['usable_cores']} usable)"
    return [
        f"machine: {info['cpu']}, {cores}, {info['os']}",
        f"python {info['python']} ({info['python_executable']}), painopts {info['painopts']}",
    ]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


class RunFailed(RuntimeError):
    pass


def run_once(
    argv: Sequence[str],
    env: Mapping[str, str],
    *,
    stdout: int | IO[Any] = subprocess.PIPE,
    check_output: str | None = None,
) -> tuple[float, str]:
    """Run *argv* once; return (seconds, stdout). Raise RunFailed unless it exits 0."""
    start = time.perf_counter()
    proc = subprocess.run(
        list(argv),
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        check=False,
    )
    elapsed = time.perf_counter() - start
    out = proc.stdout if isinstance(proc.stdout, str) else ""
    if proc.returncode != 0:
        raise RunFailed(f"{' '.join(argv)} exited {proc.returncode}\n{proc.stderr.strip()[-2000:]}")
    if check_output is not None and check_output not in out:
        raise RunFailed(f"{' '.join(argv)}: expected {check_output!r} in its output, got:\n{out}")
    return elapsed, out


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> str:
    """A plain-text table; the first *left* columns are left-aligned, the rest right."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            str(c).ljust(w) if i < left else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def finish(doc: Mapping[str, Any], *, as_json: bool, check: bool, ok: bool, report: Any) -> int:
    """Print the result as JSON or through *report*; the exit code for --check."""
    if as_json:
        print(json.dumps(doc, indent=2))
    else:
        report(doc)
    return 1 if check and not ok else 0
