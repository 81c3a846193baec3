"""What both planners share for one search: the repo, its engine, its files and the index."""

from __future__ import annotations

from dataclasses import dataclass

from splice.core.spans import Span
from splice.search.ripgrep import Engine
from splice.search.symbol_index import SymbolIndex
from splice.search.symbols import Definition

MAX_SPAN_LINES = 60     # a definition longer than this is cut to a window around the hits
WINDOW_BEFORE = 8
WINDOW_AFTER = 16
LOOSE_CONTEXT = 6       # lines either side of a hit that lies outside every definition


@dataclass
class SearchContext:
    engine: Engine
    files: list[str]          # searchable files (after the request's paths filter)
    index: SymbolIndex
    scope: list[str]          # the request's paths, confined (empty: whole repo)

    def grow(self, path: str, lines: list[int], total_lines: int | None = None) -> Span:
        """The span a set of hit lines in one file deserves: their enclosing definition
        when it is short enough, else a window around the hits (clipped to the definition)."""
        defs = self.index.definitions(path)
        first, last = min(lines), max(lines)
        outer = _common_enclosing(defs, first, last)
        if outer is not None and outer.end_line - outer.start_line + 1 <= MAX_SPAN_LINES:
            return Span(path=path, start_line=outer.start_line, end_line=outer.end_line,
                        reason=f"{outer.kind} {outer.name}")
        lo = max(1, first - (WINDOW_BEFORE if outer else LOOSE_CONTEXT))
        hi = last + (WINDOW_AFTER if outer else LOOSE_CONTEXT)
        if hi - lo + 1 > MAX_SPAN_LINES:  # hits far apart: keep the first ones
            hi = lo + MAX_SPAN_LINES - 1
        if outer is not None:
            lo, hi = max(lo, outer.start_line), min(hi, outer.end_line)
        if total_lines:
            hi = min(hi, total_lines)
        hi = max(hi, lo)
        reason = f"in {outer.kind} {outer.name} ({outer.start_line}-{outer.end_line})" if outer else ""
        return Span(path=path, start_line=lo, end_line=hi, reason=reason)


def _common_enclosing(defs: list[Definition], first: int, last: int) -> Definition | None:
    """The innermost definition holding both lines."""
    holding = [d for d in defs if d.start_line <= first and d.end_line >= last]
    return max(holding, key=lambda d: (d.start_line, -d.end_line), default=None)
