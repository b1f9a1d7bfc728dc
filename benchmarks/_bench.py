"""Helpers shared by the benchmark scripts (imported as a sibling module)."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BASELINE_APP = HERE / "baseline_app.py"

# Runs `painopts` through its console-script entry point from `python -c`, with the
# program name that shell completion keys on (`python -m painopts` would look for
# `_PYTHON -M PAINOPTS_COMPLETE` instead of `_PAINOPTS_COMPLETE`).
_MODULE_SHIM = "import sys; sys.argv[0] = 'painopts'; from painopts.entry import main; main()"


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


# The process that starts each measured run. Linux counts a process's peak memory over
# everything it ever mapped, including the copy of its parent it was forked from: a child
# of this (possibly large) benchmark process would report the benchmark's memory as its
# own (the 1k "93 MB" that was really 53). So a tiny interpreter without site imports
# forks and execs the command and reports that child's own peak (wait4's ru_maxrss), its
# CPU time (user + system: less sensitive than wall time to other work on a shared
# machine) and the time from fork to exit, through a pipe the command never sees.
_SPAWNER = """\
import os, sys, time
fd = int(sys.argv[1])
os.set_inheritable(fd, False)
start = time.perf_counter_ns()
pid = os.fork()
if pid == 0:
    try:
        os.execvpe(sys.argv[2], sys.argv[2:], os.environ)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
ns = time.perf_counter_ns() - start
cpu = usage.ru_utime + usage.ru_stime
os.write(fd, f"{ns} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)} {cpu!r}".encode())
"""


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    max_rss_mib: float | None  # peak resident memory of the command alone
    stdout: str
    cpu_seconds: float = 0.0  # user + system CPU time of the command


def run_measured(
    argv: Sequence[str],
    env: Mapping[str, str],
    *,
    devnull: bool = False,
    check_output: str | None = None,
) -> Run:
    """Run *argv* once, stdout to a pipe (or /dev/null); raise RunFailed unless it exits 0
    (and, with *check_output*, prints that text)."""
    read_end, write_end = os.pipe()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-S", "-c", _SPAWNER, str(write_end), *argv],
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL if devnull else subprocess.PIPE,
            stderr=subprocess.PIPE,
            pass_fds=(write_end,),
        )
        os.close(write_end)
        write_end = -1
        out_bytes, err_bytes = proc.communicate()
        report = os.read(read_end, 200).decode().split()
    finally:
        os.close(read_end)
        if write_end >= 0:
            os.close(write_end)
    out = (out_bytes or b"").decode("utf-8", "replace")
    err = err_bytes.decode("utf-8", "replace").strip()[-2000:]
    if proc.returncode != 0 or len(report) != 4:
        raise RunFailed(f"{' '.join(argv)}: the measuring process failed\n{err}")
    ns, maxrss, code = (int(x) for x in report[:3])
    if code != 0:
        raise RunFailed(f"{' '.join(argv)} exited {code}\n{err}")
    if check_output is not None and check_output not in out:
        raise RunFailed(f"{' '.join(argv)}: expected {check_output!r} in its output, got:\n{out}")
    # ru_maxrss is KiB on Linux, bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return Run(ns / 1e9, maxrss * scale / 2**20, out, float(report[3]))


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
