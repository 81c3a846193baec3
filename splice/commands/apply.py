"""`splice apply` and `splice undo` (built by the apply worker's issue)."""

from __future__ import annotations

import typer


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    pass
