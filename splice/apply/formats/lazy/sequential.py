"""Placing a lazy edit's segments one at a time, in file order.

A segment is placed by its anchors: the longest run of its leading lines that matches
consecutive original lines, and likewise of its trailing lines. The original from the
first anchor through the last is replaced by the segment. No marker at the top pins the
first segment to the file's start; none at the bottom lets the last one run to the end.
When an anchor fits several places, the placement whose span best lines up with the
segment wins, and a tie is refused rather than guessed (the cascade then tries the joint
placement).
"""

from __future__ import annotations

from splice.apply.formats.lazy import guards
from splice.apply.formats.lazy.anchors import Anchors, Side
from splice.apply.formats.lazy.covering import keep_covering
from splice.apply.formats.lazy.forgotten import settled
from splice.apply.formats.lazy.reach import reach_after, reach_before
from splice.apply.formats.lazy.segments import Placement, Segment, blank_edge_error
from splice.apply.messages import ambiguous_message, where
from splice.apply.text import Replacement, normalise
from splice.core.errors import AmbiguousMatch, ApplyError, NoMatch

# When anchors fit several places and the writer's evidence keeps more than one, the
# segment is refused here (the joint placement may still settle it). Picking the pairing
# that drops clearly fewer lines was a cost ranking among readings the text allows: on
# the model-shaped corpus it merged 3 wrong files for 7 right ones (the rule 4:
# still more than one reading -> refuse).


class Sequential:
    """Places a lazy edit's segments one at a time, in file order."""

    def __init__(self, anchors: Anchors, known: dict[int, Placement] | None = None) -> None:
        self.a = anchors
        self.known = known or {}  # segment index -> placement settled by structure

    # -- placing one segment ---------------------------------------------------------
    def place(self, seg: Segment, lo: int, hi: int) -> Placement:
        """Where `seg` goes, looking only at original lines [lo, hi)."""
        if seg.index in self.known:
            return self.known[seg.index]
        s = normalise(seg.lines, self.a.kind)
        total = len(self.a.keys)
        if seg.pinned_start and seg.pinned_end:
            return Placement(0, total, seg.lines, False)
        if not self.a.solid(s):
            raise blank_edge_error(seg, self.a.path)
        if seg.pinned_start:
            head: Side | None = Side(self.a.forward(s, 0, total), 0, [0], pinned=True)
        else:
            head = settled(self.a.prefix(s, lo, hi), seg.assumed_at.get("top"))
        if seg.pinned_end:
            tail: Side | None = Side(self.a.backward(s, total, lo), 0, [total], pinned=True)
        else:
            tail = settled(self.a.suffix(s, lo, hi), seg.assumed_at.get("end"))
        # a pinned edge whose lines do not match the file drops what lay there
        blind = bool((head and head.pinned and head.run == 0)
                     or (tail and tail.pinned and tail.run == 0))
        guards.check_forgotten_edge(self.a, seg, s, head, tail, lo)
        if head is not None and tail is not None:
            start, end = self._pair(head, tail, s, seg)
            guards.check_noop(self.a, seg, s, start, end, lo, hi)
            guards.check_blind_end(self.a, seg, tail, start, end)
            guards.check_shorter(self.a, seg, s, head, tail, start, end)
            guards.check_thin_edge(self.a, seg, s, head, tail, start, end)
            return Placement(start, end, seg.lines, blind)
        total_hi = len(self.a.keys)
        if (head is None and not seg.pinned_start and self.a.prefix(s, lo, total_hi)) or (
                tail is None and not seg.pinned_end and self.a.suffix(s, lo, total_hi)):
            raise self.a.no_anchor(seg)  # its other end fits only beyond the next segment
        for side, from_end in ((head, False), (tail, True)):  # rule 3 (covering)
            if side is not None and not side.pinned:
                keep_covering(side, s, self.a.strip_index, from_end=from_end)
        if head is not None and not head.weak:  # nothing below matches: insert after
            if head.pinned and head.run == 0:
                guards.check_appended(self.a, seg, "top")
            start = self._unique(head.positions, head.run, seg, "first")
            stop = start + head.runs[head.positions.index(start)]
            if head.pinned:
                guards.check_insert(self.a, seg, stop, before=False)
            else:
                stop = reach_after(self.a, seg, start, stop - start, head.off)
            return Placement(start, stop, seg.lines, False)
        if tail is not None and not tail.weak:  # nothing above matches: insert before
            if tail.pinned and tail.run == 0:
                guards.check_appended(self.a, seg, after=lo)
            end = self._unique(tail.positions, tail.run, seg, "last")
            run = tail.runs[tail.positions.index(end)]
            if tail.pinned:
                guards.check_insert(self.a, seg, end - run - 1, before=True)
                return Placement(end - run, end, seg.lines, False)
            first = reach_before(self.a, seg, end, run, tail.off)
            return Placement(first, end, seg.lines, False)
        raise self.a.no_anchor(seg)

    def _pair(self, head: Side, tail: Side, s: list[str], seg: Segment) -> tuple[int, int]:
        """The one (start, end) the two anchors agree on, or a refusal."""
        room_s = len(s) - head.off - tail.off  # segment lines the two runs may share
        need_h = 0 if head.pinned and head.run == 0 else 1
        need_t = 0 if tail.pinned and tail.run == 0 else 1
        scored: list[tuple[int, int, int]] = []
        for p, a in zip(head.positions, head.runs, strict=True):
            for e, b in zip(tail.positions, tail.runs, strict=True):
                # runs may not claim the same line twice, on either side: shrink them
                anchored = min(a + b, e - p, room_s)
                if e - p >= need_h + need_t and anchored >= need_h + need_t:
                    scored.append((anchored, p, e))
        if not scored:
            if head.weak or tail.weak:
                raise self.a.no_anchor(seg)
            raise NoMatch(
                f"the first and last lines of segment {seg.index} of the lazy edit match "
                f"the file{where(self.a.path)} only in the wrong order.",
                hint="Write segments in file order, each starting and ending with "
                     "unchanged lines copied exactly from the file.", path=self.a.path)
        if len(scored) > 1:  # the writer's evidence may settle it
            scored = self.a.writer.narrow(scored, lambda t: (t[1], t[2]))
        if len(scored) == 1:
            return scored[0][1], scored[0][2]
        starts = sorted({p for _, p, _ in scored})
        ends = sorted({e for _, _, e in scored})
        side = "first" if len(starts) > 1 else "last"
        shown = starts if len(starts) > 1 else sorted(e - tail.run for e in ends)
        message, hint = ambiguous_message(shown, head.run if side == "first" else tail.run,
                                          f"the {side} lines of segment {seg.index} of the "
                                          "lazy edit", self.a.path)
        raise AmbiguousMatch(message, hint=hint, path=self.a.path,
                             details={"candidates": [x + 1 for x in shown]})

    def _unique(self, found: list[int], run: int, seg: Segment, side: str) -> int:
        if len(found) > 1:  # the writer's evidence may settle it
            found = self.a.writer.narrow(
                found, lambda p: (p, p + run) if side == "first" else (p - run, p))
        if len(found) == 1:
            return found[0]
        starts = sorted(found) if side == "first" else sorted(e - run for e in found)
        message, hint = ambiguous_message(starts, run,
                                          f"the {side} lines of segment {seg.index} of the "
                                          "lazy edit", self.a.path)
        raise AmbiguousMatch(message, hint=hint, path=self.a.path,
                             details={"candidates": [p + 1 for p in starts]})

    # -- whole edit ------------------------------------------------------------------
    def _next_start(self, seg: Segment, lo: int) -> int:
        """Where the next segment must start, when its first lines fit exactly one place;
        this segment has to end by then. Otherwise the end of the file."""
        s = normalise(seg.lines, self.a.kind)
        side = self.a.prefix(s, lo, len(self.a.keys))
        if side is None or side.weak or len(side.positions) != 1:
            return len(self.a.keys)
        return side.positions[0]

    def _fixed_starts(self, segments: list[Segment]) -> list[int]:
        """For each segment, where the next segment that fits one place in the whole
        file starts (segments come in file order, so this one must end by then)."""
        total = len(self.a.keys)
        starts: list[int | None] = []
        for seg in segments:
            try:
                starts.append(self.place(seg, 0, total).start)
            except ApplyError:
                starts.append(None)
        out: list[int] = []
        nearest = total
        for start in reversed(starts):
            out.append(nearest)
            if start is not None:
                nearest = min(nearest, start)
        return out[::-1]

    def merge(self, segments: list[Segment]) -> tuple[list[Replacement], list[bool]]:
        """Replacements, and for each whether it has a blind pinned edge."""
        reps: list[Replacement] = []
        blind: list[bool] = []
        lo = 0
        fixed = self._fixed_starts(segments)
        for i, seg in enumerate(segments):
            hi = fixed[i]
            if i + 1 < len(segments) and not segments[i + 1].pinned_start:
                hi = min(hi, self._next_start(segments[i + 1], lo))
            placed = self.place(seg, lo, hi)
            if placed.start < lo:
                raise NoMatch(
                    f"segment {seg.index} of the lazy edit was found at line "
                    f"{placed.start + 1}, before the previous segment's end (line {lo}).",
                    hint="Write segments in file order, each with unchanged lines copied "
                         "exactly from the file.", path=self.a.path)
            lines = self.a.restore(placed)
            reps.append(Replacement(placed.start, placed.end, lines))
            blind.append(placed.blind_edge)
            lo = placed.end
        return reps, blind
