"""Shared CLI output: JSON for scripts, rich text for people, errors to stderr."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape

from splice.core.errors import SpliceError
from splice.core.terminal import make_console, set_width, write_lines

# The one output layer: people get rich text on a terminal; a pipe gets lines that are never
# wrapped or re-flowed (splice.core.terminal). Code goes through write_lines, untouched.
console = make_console()
err_console = make_console(stderr=True)
__all__ = ["console", "emit_json", "err_console", "fail", "publish", "set_width",
           "write_lines"]


def emit_json(payload: BaseModel | dict[str, Any] | list[Any]) -> None:
    if isinstance(payload, BaseModel):
        text = payload.model_dump_json(indent=2)
    else:
        text = json.dumps(payload, indent=2, default=str)
    sys.stdout.write(text + "\n")


def fail(exc: SpliceError | str, *, as_json: bool = False, code: int = 1) -> NoReturn:
    """Report an error on stderr (as JSON with --json) and exit non-zero."""
    if isinstance(exc, SpliceError):
        payload = exc.to_dict()
        text = str(exc)
    else:
        payload = {"error": "error", "message": exc}
        text = exc
    if as_json:
        sys.stderr.write(json.dumps(payload, indent=2, default=str) + "\n")
    else:
        err_console.print(f"[bold red]error:[/] {escape(text)}", highlight=False)
    raise typer.Exit(code)


def publish(out: Path, report: BaseModel, *, png: str, markdown: Callable[[Path, Any], Any],
            plot: Callable[[Path, Any], Any] | None, show: Callable[[Console, Any], Any],
            as_json: bool) -> None:
    """A benchmark's ending: results.json and results.md in `out`, the PNG when asked,
    then JSON on stdout (--json) or the tables and where the files went."""
    from splice.bench.report import write_json

    write_json(out / "results.json", report)
    markdown(out / "results.md", report)
    if plot is not None:
        plot(out / png, report)
    if as_json:
        emit_json(report)
        return
    show(console, report)
    console.print(f"wrote {out / 'results.json'} and {out / 'results.md'}"
                  + (f" and {out / png}" if plot is not None else ""), highlight=False)
