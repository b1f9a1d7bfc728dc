"""The console-script entry point: kept free of Typer so that a Tab press stays cheap."""

from __future__ import annotations

import gc
import os
import sys


def main() -> None:
    # A run lives for a fraction of a second and makes few garbage cycles: collecting
    # them costs more than the memory they hold (`for sciatica`: x0.92 CPU time).
    gc.disable()
    if any(name.endswith("_COMPLETE") for name in os.environ):
        from painopts.complete import answer

        text = answer(os.environ)
        if text is not None:
            reconfigure = getattr(sys.stdout, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(errors="replace")  # as the full CLI: degrade, never crash
            sys.stdout.write(text)
            sys.stdout.flush()
            raise SystemExit(0)
    from painopts.cli import main as run

    run()
