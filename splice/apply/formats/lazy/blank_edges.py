"""A segment whose first and last lines are both blank says nothing of which blank lines
it starts and ends on.

The lazy format pins a segment's region by its first and last lines. When both are blank
and the file has a blank line just outside the chosen region on one side and just inside
it on the other, the region shifted by one line (or a few) is an equally near reading:
it drops as many lines, keeps the same ones, and gives a different file (one blank line
moves from above the new lines to below them, or back). Nothing in the text picks one,
so the merge is refused, naming both places, unless the writer's evidence (the seen
lines, the symbol the instruction names) keeps only the chosen one.
"""

from __future__ import annotations

from splice.apply.formats.lazy.segments import Segment
from splice.apply.formats.lazy.writer import Writer
from splice.apply.messages import where
from splice.apply.text import Replacement
from splice.core.errors import AmbiguousMatch

MAX_SHIFT = 3  # blank stretches longer than this are rare; each shift is one more reading


def _blank(line: str) -> bool:
    return not line.strip()


def lazy_region(lines: list[str], seg: list[str], rep: Replacement) -> tuple[int, int] | None:
    """The region [S, E) the segment replaces in the format's own terms (its first line is
    the region's first line, its last the last), from the replacement, which leaves out
    the blank edge lines the file already has; None when it does not start and end on
    blank lines."""
    lead = next((k for k, line in enumerate(seg) if not _blank(line)), len(seg))
    trail = next((k for k, line in enumerate(reversed(seg)) if not _blank(line)), len(seg))
    for k in range(lead + 1):
        t = len(seg) - k - len(rep.lines)
        if not 0 <= t <= trail or rep.start - k < 0 or rep.end + t > len(lines):
            continue
        start, end = rep.start - k, rep.end + t
        if all(_blank(x) for x in lines[start:rep.start] + lines[rep.end:end]) and \
                end - start >= 2 and _blank(lines[start]) and _blank(lines[end - 1]):
            return start, end
    return None


def shifted_regions(lines: list[str], block: list[str], start: int, end: int, lo: int,
                    hi: int) -> list[tuple[int, int]]:
    """The regions [q, f) as long as [start, end), between `lo` and `hi`, that start and
    end on blank lines too and give a different file when `block` replaces them."""
    out = []
    for step in (-1, 1):
        for k in range(1, MAX_SHIFT + 1):
            q, f = start + step * k, end + step * k
            if q < lo or f > hi or not (_blank(lines[q]) and _blank(lines[f - 1])):
                break
            a, b = min(q, start), max(f, end)
            if lines[a:start] + block + lines[end:b] != lines[a:q] + block + lines[f:b]:
                out.append((q, f))
    return out


def check_blank_edges(lines: list[str], segments: list[Segment], reps: list[Replacement],
                      writer: Writer, path: str | None) -> None:
    """Refuse when a segment with blank first and last lines could stand one blank line
    higher or lower with the same cost and a different result (see the module doc)."""
    if len(reps) != len(segments):
        return
    for i, (seg, rep) in enumerate(zip(segments, reps, strict=True)):
        if seg.pinned_start or seg.pinned_end:
            continue
        if len(seg.lines) < 2 or not (_blank(seg.lines[0]) and _blank(seg.lines[-1])):
            continue
        region = lazy_region(lines, seg.lines, rep)
        if region is None:
            continue
        start, end = region
        block = lines[start:rep.start] + rep.lines + lines[rep.end:end]
        lo = reps[i - 1].end if i else 0
        hi = reps[i + 1].start if i + 1 < len(reps) else len(lines)
        rivals = shifted_regions(lines, block, start, end, lo, hi)
        if not rivals:
            continue
        pick = region
        if writer.given and writer.narrow([pick, *rivals], lambda c: c) == [pick]:
            continue
        shown = [pick, *rivals]
        spans = ", ".join(f"{a + 1}-{b}" for a, b in shown)
        raise AmbiguousMatch(
            f"segment {seg.index} of the lazy edit starts and ends on a blank line, so it "
            f"fits lines {spans}{where(path)} equally well: which blank lines stay above "
            "and below the new lines is not said.",
            hint="Start and end the segment on a non-blank unchanged line copied from the "
                 "file (for example the enclosing def/function line).",
            path=path, details={"candidates": [a + 1 for a, _ in shown],
                                "why": "blank_edges"})
