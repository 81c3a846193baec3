"""Forgotten markers: no marker at the top (or end) says the segment starts (ends) the
file. When its first (last) line matches nothing there but its lines at that end anchor
exactly one place elsewhere, the writer forgot the marker: the segment is read as if it
had been written, and the merge says so. When they anchor several places, guards refuse."""

from __future__ import annotations

from splice.apply.formats.lazy.anchors import CREDIBLE_RUN, Anchors, Side
from splice.apply.formats.lazy.evidence import held_once
from splice.apply.formats.lazy.segments import Placement, Segment
from splice.apply.messages import where
from splice.apply.safety import BLIND_EDGE_RUN
from splice.apply.text import normalise
from splice.core.errors import AmbiguousMatch

# The reading "this segment starts (ends) the file" gives way to "the marker was
# forgotten" only where it would drop so many non-blank lines the segment never mentions
# that the blind-edge guard refuses it anyway: with fewer, the segment may well replace
# the file's edge, and that reading stays.
DROPPED = BLIND_EDGE_RUN
# A segment's edge anchors one place when its first (last) lines, as many as a diff's
# context, fit there only: a run of two that also fits elsewhere (`return x`, blank)
# is the common ending of many blocks, while a longer run at one place that its first
# three lines share with another is no proof (the corpus: a coincidental run past the
# real anchor merged a wrong file).
CONTEXT_RUN = 3


def _unique(a: Anchors, side: Side | None, s: list[str], *, from_end: bool) -> bool:
    """One place, anchored by the segment's very edge line (not a blank one past it),
    with no other place holding as many of the edge lines (up to CONTEXT_RUN), and at
    least CREDIBLE_RUN non-blank lines in the run (one line proves little) or else one
    line the file holds nowhere else that the segment's other end confirms. The side
    is narrowed to that place."""
    if side is None or side.weak or side.off != 0:
        return False
    side.keep([r >= min(side.run, CONTEXT_RUN) for r in side.runs])
    if len(side.positions) > 1 and a.writer.seen_lines:  # rule 4: where the writer looked
        spans = [(p - r, p) if from_end else (p, p + r)
                 for p, r in zip(side.positions, side.runs, strict=True)]
        near = [_near_shown(a, lo, hi) for lo, hi in spans]
        side.keep([_shown(a, lo, hi) and sum(near) == 1 for lo, hi in spans])
    if len(side.positions) != 1:
        return False
    run = s[len(s) - side.run:] if from_end else s[:side.run]
    solid = [x for x in run if x.strip()]
    if len(solid) >= CREDIBLE_RUN:
        return True
    return len(solid) == 1 and _confirmed(a, side, s, solid[0], from_end=from_end)


def _confirmed(a: Anchors, side: Side, s: list[str], line: str, *, from_end: bool) -> bool:
    """A one-line edge anchor counts when that line is distinctive, stands once in the
    file, and the segment's other end (the side with its marker) anchors on the right
    side of it (the issue's rule 3: the segment's unchanged lines align in order)."""
    if held_once(a.strip_index, line) is None:
        return False
    total = len(a.keys)
    if from_end:
        other = a.prefix(s, 0, side.positions[0] - side.run)
    else:
        other = a.suffix(s, side.positions[0] + side.run, total)
    return other is not None and not other.weak


def _drops(a: Anchors, start: int, end: int, s: list[str]) -> bool:
    """Whether reading the segment as the file's edge drops lines [start, end) the edit
    never mentions: DROPPED non-blank ones, or any the writer was not shown (the issue's
    rule 4: a writer does not delete lines it never saw)."""
    mentioned = {x.strip() for x in s}
    gone = [q for q in range(start, end)
            if a.keys[q].strip() and a.keys[q].strip() not in mentioned]
    if len(gone) >= DROPPED:
        return True
    return bool(a.writer.seen_lines) and any(not a.writer.seen(q, q + 1) for q in gone)


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
        if _unique(a, side, s, from_end=False) and side and _drops(a, 0, side.positions[0], s):
            out[0] = first = first.unpinned(start=True, at=side.positions[0])
            assumed.append("top")
    if last.pinned_end and not last.pinned_start:
        s = normalise(last.lines, a.kind)
        side = a.suffix(s, 0, total) if a.solid(s) and a.backward(s, total, 0) == 0 else None
        if _unique(a, side, s, from_end=True) and side and _drops(a, side.positions[0], total, s):
            out[-1] = last.unpinned(end=True, at=side.positions[0])
            assumed.append("end")
    return out, assumed


def settled(side: Side | None, at: int | None) -> Side | None:
    """A forgotten edge's run, kept to the one place it anchored when the marker was
    assumed (its shorter runs elsewhere were weighed then)."""
    if side is None or at is None:
        return side
    side.keep([p == at for p in side.positions])
    return side if side.positions else None


def _shown(a: Anchors, lo: int, hi: int) -> bool:
    """Whether the writer was shown file lines [lo, hi), blank lines at either end left
    out (a blank line says nothing of where the writer looked)."""
    while lo < hi and not a.keys[lo].strip():
        lo += 1
    while hi > lo and not a.keys[hi - 1].strip():
        hi -= 1
    return hi > lo and a.writer.seen(lo, hi)


def _near_shown(a: Anchors, lo: int, hi: int) -> bool:
    """Whether file lines [lo, hi) lie inside lines the writer was shown, widened by the
    context lines beside them: the context a writer copies above (below) a definition
    it was shown lies just outside it, so a place there is as likely as a shown one (the
    corpus: narrowing to the shown places alone merged two wrong files, the old body's
    own closing lines being shown while the real context stood just above)."""
    ranges = a.writer.seen_lines or []
    return any(s - 1 - CONTEXT_RUN <= lo and hi <= e + CONTEXT_RUN for s, e in ranges)


def _far_end_unique(a: Anchors, lines: list[str], *, from_end: bool) -> bool:
    """Whether the segment's lines at that end (blank ones included, as written) anchor
    one place of the file: one place at all, or one whose anchored non-blank lines the
    writer was shown."""
    s = normalise(lines, a.kind)
    if not a.solid(s):
        return False
    total = len(a.keys)
    side = a.suffix(s, 0, total) if from_end else a.prefix(s, 0, total)
    if side is None or side.weak:
        return False
    # the places of the longest run: a shorter run elsewhere is a coincidence of a line
    # or two (blank lines included), not a second place the segment's end fits
    side.keep([r == side.run for r in side.runs])
    if len(side.positions) > 1 and a.writer.seen_lines:
        side.keep([_shown(a, p - r if from_end else p, p if from_end else p + r)
                   for p, r in zip(side.positions, side.runs, strict=True)])
    return len(side.positions) == 1


def check_assumed_by_structure(ladder: list[Anchors], segments: list[Segment],
                               known: dict[int, Placement]) -> None:
    """A whole definition placed by structure with no marker beyond it, short of the
    file's edge, reads "the writer forgot the marker" only where the segment's lines at
    that end anchor exactly one place under some key kind of `ladder` (as
    `assume_markers` asks of the anchor path). Otherwise the text leaves it open: the
    file may end there (drop the rest), the marker may be forgotten, or the output was
    cut off mid-definition (a new last line that matches nothing)."""
    for seg in segments:
        placed = known.get(seg.index)
        if placed is None:
            continue
        for edge in placed.assumed:
            end = edge == "end"
            if any(_far_end_unique(a, seg.lines, from_end=end) for a in ladder):
                continue
            side = "below" if end else "above"
            path = ladder[0].path
            raise AmbiguousMatch(
                f"segment {seg.index} of the lazy edit has no marker {side} it, yet the "
                f"file{where(path)} goes on {side} the definition it rewrites (line "
                f"{(placed.end if end else placed.start) + 1}), and the segment's "
                f"{'last' if end else 'first'} lines do not match one place of the file: "
                "was the marker forgotten, does the file "
                f"{'end' if end else 'start'} there, or was the edit cut off?",
                hint=f"Write the `... existing code ...` marker {side} the segment (and "
                     "send the edit in full if it was cut off).",
                path=path, details={"why": "assumed_marker_unanchored", "settled": True,
                                    "candidates": [placed.start + 1]})
