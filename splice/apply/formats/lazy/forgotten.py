"""Forgotten markers: no marker at the top (or end) says the segment starts (ends) the
file. When its first (last) line matches nothing there but its lines at that end anchor
exactly one place elsewhere, the writer forgot the marker: the segment is read as if it
had been written, and the merge says so. When they anchor several places, guards refuse."""

from __future__ import annotations

from splice.apply.formats.lazy.anchors import CREDIBLE_RUN, Anchors, Side
from splice.apply.formats.lazy.segments import Segment
from splice.apply.safety import BLIND_EDGE_RUN
from splice.apply.text import normalise

# The reading "this segment starts (ends) the file" gives way to "the marker was
# forgotten" only where it would drop so many non-blank lines the segment never mentions
# that the blind-edge guard refuses it anyway: with fewer, the segment may well replace
# the file's edge, and that reading stays.
DROPPED = BLIND_EDGE_RUN


def _unique(side: Side | None, s: list[str], *, from_end: bool) -> bool:
    """One place, anchored by the segment's very edge line (not a blank one past it),
    with at least CREDIBLE_RUN non-blank lines in the run (one line proves little)."""
    if side is None or side.weak or side.off != 0 or len(side.positions) != 1:
        return False
    run = s[len(s) - side.run:] if from_end else s[:side.run]
    return sum(1 for x in run if x.strip()) >= CREDIBLE_RUN


def _drops(a: Anchors, start: int, end: int, s: list[str]) -> bool:
    mentioned = {x.strip() for x in s}
    gone = [k for k in a.keys[start:end] if k.strip() and k.strip() not in mentioned]
    return len(gone) >= DROPPED


def assume_markers(a: Anchors, segments: list[Segment]) -> tuple[list[Segment], list[str]]:
    """The segments, re-read where a top or end marker was clearly forgotten, and which
    markers were assumed ("top", "end")."""
    out = list(segments)
    assumed: list[str] = []
    total = len(a.keys)
    first, last = out[0], out[-1]
    if first.pinned_start and not first.pinned_end:
        s = normalise(first.lines, a.kind)
        side = a.prefix(s, 0, total) if a.solid(s) and a.forward(s, 0, total) == 0 else None
        if _unique(side, s, from_end=False) and side and _drops(a, 0, side.positions[0], s):
            out[0] = first = first.unpinned(start=True)
            assumed.append("top")
    if last.pinned_end and not last.pinned_start:
        s = normalise(last.lines, a.kind)
        side = a.suffix(s, 0, total) if a.solid(s) and a.backward(s, total, 0) == 0 else None
        if _unique(side, s, from_end=True) and side and _drops(a, side.positions[0], total, s):
            out[-1] = last.unpinned(end=True)
            assumed.append("end")
    return out, assumed
