"""Consoles for people, that never re-flow what a script or an agent reads.

On a terminal, rich as usual (its width, or `--width` / SPLICE_WIDTH). When the stream is a
pipe or a file: no colour, no wrapping of printed text (soft wrap), and a width wide enough
that tables lay out at their natural size instead of folding at rich's default of 80.
Code and file lines go through `write_lines`, which writes them as they are (rich would
expand tabs and interpret `:emoji:` codes).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from rich.console import Console, ConsoleDimensions

WIDTH_ENV = "SPLICE_WIDTH"
# A pipe has no width; tables still need one to lay out. Wide enough never to fold a cell.
PIPE_WIDTH = 4000

_width: int | None = None


def chosen_width() -> int | None:
    """`--width`, else SPLICE_WIDTH, else None (the terminal's own width)."""
    if _width is not None:
        return _width
    raw = os.environ.get(WIDTH_ENV, "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


class _SpliceConsole(Console):
    """A rich Console that decides per print whether its stream is a terminal: the
    stream may change after import (a test runner captures it, `--width` comes later)."""

    def _refresh(self) -> None:
        width = chosen_width()
        terminal = self.is_terminal
        self.soft_wrap = not terminal
        self._width = width if width is not None else (None if terminal else PIPE_WIDTH)

    @property  # type: ignore[override]
    def size(self) -> ConsoleDimensions:
        self._refresh()
        return Console.size.fget(self)  # type: ignore[attr-defined,no-any-return]

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        Console.size.fset(self, new_size)  # type: ignore[attr-defined]

    def print(self, *objects: Any, **kwargs: Any) -> None:
        self._refresh()
        super().print(*objects, **kwargs)

    def rule(self, title: Any = "", **kwargs: Any) -> None:
        if self.is_terminal:
            super().rule(title, **kwargs)
        else:  # a full-width line is noise in a pipe
            self.print(f"--- {title} ---" if title else "---", markup=False)


def make_console(*, stderr: bool = False) -> Console:
    """A console following the rules above for stdout (or stderr)."""
    return _SpliceConsole(stderr=stderr, highlight=False)


def set_width(width: int | None) -> None:
    """`splice --width N`: the width every console uses from now on."""
    global _width
    _width = width


def write_lines(text: str, *, stderr: bool = False) -> None:
    """File or code lines, written exactly (tabs, brackets and colons as they are)."""
    stream = sys.stderr if stderr else sys.stdout
    stream.write(text if text.endswith("\n") or not text else text + "\n")
    stream.flush()


def show_code(console: Console, text: str, lexer: str) -> None:
    """Highlighted on a terminal; exactly the lines in a pipe."""
    if not console.is_terminal:
        write_lines(text, stderr=console.stderr)
        return
    from rich.syntax import Syntax

    console.print(Syntax(text, lexer, theme="ansi_dark", background_color="default"))
