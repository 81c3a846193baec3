"""The writer's evidence: what the instruction names and which lines the writer was shown.

Neither is ever needed. Among the places an edit's text allows, they keep those inside
the seen lines and inside a symbol the instruction names; a filter that would keep none
is ignored (the evidence may be stale or vague), and more than one left is still a
refusal. The definitions of the original also name the symbol each candidate lies in, so
a refusal can list them and one retry settles it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from splice.apply.formats.lazy.definitions import Definition, collect
from splice.apply.syntax_guard import parse_cached
from splice.core.syntax import language_name

T = TypeVar("T")
_NAME = re.compile(r"[A-Za-z_][\w.]*")


@dataclass
class Writer:
    """The original's definitions plus the writer's evidence about one edit."""

    lines: list[str]
    path: str | None
    instruction: str | None = None
    seen_lines: list[tuple[int, int]] | None = None  # 1-based, inclusive
    source: str | None = None  # the original text, when at hand: its parse is shared
    _names: set[str] = field(default_factory=set, init=False)

    def __post_init__(self) -> None:
        for word in _NAME.findall(self.instruction or ""):
            parts = [p for p in word.split(".") if p]
            self._names.update(parts)
            self._names.add(".".join(parts))

    @cached_property
    def definitions(self) -> list[Definition]:
        language = language_name(self.path)
        if language is None:
            return []
        text = self.source
        if text is None or ("\r" in text and "\n" not in text):
            text = "\n".join(self.lines)
        # the syntax guard parses the original too: one cached tree serves both
        return collect(parse_cached(text, language).root_node)

    def symbol_at(self, line: int) -> Definition | None:
        """The innermost definition holding 0-based `line`."""
        best = None
        for d in self.definitions:
            if d.start <= line < d.end and (best is None or d.start >= best.start):
                best = d
        return best

    def describe(self, line: int) -> str:
        """`line 12 (in Store.get)`, 1-based, for refusals."""
        d = self.symbol_at(line)
        return f"line {line + 1}" + (f" (in {d.label})" if d else "")

    def seen(self, start: int, end: int) -> bool:
        """Whether 0-based lines [start, end) lie inside one shown range (the writer saw
        all of them)."""
        return any(a - 1 <= start and end <= b for a, b in self.seen_lines or ())

    def named(self, start: int, end: int) -> int:
        """How many of the definitions holding lines [start, end) the instruction names
        (`B.get` names both B and its get)."""
        return sum(1 for d in self._named_definitions if d.start <= start and end <= d.end)

    @cached_property
    def _named_definitions(self) -> list[Definition]:
        return [d for d in self.definitions if d.name in self._names] if self._names else []

    def points_away(self, start: int, end: int) -> bool:
        """Whether both kinds of evidence are given and agree on another place: lines
        [start, end) lie outside every seen range and every definition the instruction
        names, while some named definition exists. A definition matched there by name
        alone (a method sent without its class) is then another class's namesake."""
        if not self.seen_lines or not self._named_definitions:
            return False
        overlaps = any(a - 1 < end and start < b for a, b in self.seen_lines)
        return not overlaps and not self.named(start, end)

    @property
    def given(self) -> bool:
        return bool(self.seen_lines) or bool(self._names)

    def narrow(self, items: Sequence[T], span: Callable[[T], tuple[int, int]]) -> list[T]:
        """The items whose span the evidence supports: those overlapping the seen lines,
        then those inside the most definitions the instruction names; a filter that would
        leave none is skipped."""
        if not self.given:
            return list(items)
        kept = list(items)
        inside = [x for x in kept if self.seen(*span(x))]
        if inside:
            kept = inside
        scores = [self.named(*span(x)) for x in kept]
        top = max(scores, default=0)
        if top:
            kept = [x for x, score in zip(kept, scores, strict=True) if score == top]
        return kept
