"""Rule 3 of issue 13 for a segment with context on one side only: a distinctive line it
shows that the file holds once is that line, so of the places its anchored run fits, only
those holding it are readings (the others would write a second copy of it)."""

from __future__ import annotations

from splice.apply.formats.lazy.anchors import Side
from splice.apply.formats.lazy.evidence import held_once


def keep_covering(side: Side, s: list[str], index: dict[str, list[int]], *,
                  from_end: bool) -> None:
    """Rule 3 for a one-sided segment (context on one side only): a distinctive line it
    shows that the file holds once is that line. Of the places its anchored run fits,
    keep those whose run holds such a line, when any does (the others would write a
    second copy of it)."""
    if len(side.positions) < 2:
        return
    once = {q for q in (held_once(index, line) for line in s) if q is not None}
    if not once:
        return
    wanted = [any((p - r <= q < p) if from_end else (p <= q < p + r) for q in once)
              for p, r in zip(side.positions, side.runs, strict=True)]
    if any(wanted):
        side.keep(wanted)
