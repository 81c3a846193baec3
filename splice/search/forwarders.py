"""Definitions that hand their work to a namesake: pyplot's `def plot(...): return
gca().plot(...)`, a queryset's `def explain(...): return self.query.explain(...)`. The
report's name points at the definition that does the work, not at its wrapper."""

from __future__ import annotations

import re

from splice.core.errors import SpliceError
from splice.search.context import SearchContext
from splice.search.symbols import Definition

# what is not code in a body: docstrings and other strings, then comments
_STRINGS = re.compile(r"(\"\"\"|\'\'\')[\s\S]*?\1|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'")
_COMMENT = re.compile(r"#[^\n]*")
_SUPER = re.compile(r"(?<![\w.])super\([^()]*\)\s*\.")  # an override extending its base: no hand-over


def forwards(lines: list[str], d: Definition) -> bool:
    """Whether function `d`'s body (past its signature line) calls a method of its own name
    on another object (`obj.name(`, `gca().name(`); `super().name(` is an override's own work."""
    if d.kind not in ("function", "method"):
        return False
    body = "\n".join(lines[d.start_line:d.end_line])  # lines after the `def` line
    if d.name not in body:
        return False  # no mention at all: spare the string and comment passes below
    call = re.compile(r"\.\s*" + re.escape(d.name) + r"\s*\(")
    code = _COMMENT.sub(" ", _STRINGS.sub(" ", body))  # `QuerySet.all()` in a comment is no call
    return bool(call.search(_SUPER.sub(" ", code)))


class Forwarders:
    """Memoised `forwards` over a search's files (each file read once, through the engine's
    text cache, which the regions read again)."""

    def __init__(self, ctx: SearchContext) -> None:
        self.ctx = ctx
        self.lines: dict[str, list[str]] = {}
        self.seen: dict[tuple[str, int, str], bool] = {}  # a definition met under several terms

    def __call__(self, path: str, d: Definition) -> bool:
        if d.kind not in ("function", "method"):
            return False
        lines = self.lines.get(path)
        if lines is None:
            try:
                lines = self.ctx.engine.read(path).text.split("\n")
            except SpliceError:
                lines = []
            self.lines[path] = lines
        key = (path, d.start_line, d.name)
        if key not in self.seen:
            self.seen[key] = forwards(lines, d)
        return self.seen[key]
