"""Joint placement of a lazy edit's segments: every segment's candidate regions,
scored by how well the segment explains them, and the cheapest assignment that keeps
the segments in file order (cost). Used when placing segments one at a time
finds an anchor that fits several places: the other segments and the cost of each
reading often settle it; when they do not, the edit is refused, never guessed.
"""

from __future__ import annotations

import difflib

from splice.apply.formats.lazy.anchors import CREDIBLE_RUN, Anchors, Side
from splice.apply.formats.lazy.cost import (
    KEEP,
    MARGIN,
    Candidate,
    Choice,
    choose,
    cost,
    pairs,
    score,
)
from splice.apply.formats.lazy.covering import keep_covering
from splice.apply.formats.lazy.evidence import UniqueLines, lost_definitions, new_definitions
from splice.apply.formats.lazy.guards import check_thin_placed
from splice.apply.formats.lazy.reach import reach_after, reach_before
from splice.apply.formats.lazy.segments import Placement, Segment, blank_edge_error
from splice.apply.indent import lead
from splice.apply.messages import where
from splice.apply.text import Replacement, normalise
from splice.core.errors import AmbiguousMatch, NoMatch

# A wider reading that deletes this many unmentioned non-blank lines more is a real rival
# however much more it costs: deletions with repeated context look just like it.
DELETION_DOUBT = 3
LONG_DROP = 6


class Joint:
    """Places all of a lazy edit's segments at once, in one file's Anchors."""

    def __init__(self, anchors: Anchors, known: dict[int, Placement] | None = None) -> None:
        self.a = anchors
        self.known = known or {}  # segment index -> placement settled by structure

    # -- candidates for one segment ---------------------------------------------------
    def candidates(self, seg: Segment, s: list[str]) -> list[Candidate]:
        """Where `seg` could go, cheapest first (empty: no anchor at all)."""
        if seg.index in self.known:
            fixed = self.known[seg.index]
            return [Candidate(fixed.start, fixed.end, 0.0)]
        total = len(self.a.keys)
        if seg.pinned_start and seg.pinned_end:
            return [Candidate(0, total, cost(self.a.keys, 0, total, s))]
        if not self.a.solid(s):
            raise blank_edge_error(seg, self.a.path)
        if seg.pinned_start:
            head: Side | None = Side(self.a.forward(s, 0, total), 0, [0], pinned=True)
        else:
            head = self.a.prefix(s, 0, total)
        if seg.pinned_end:
            tail: Side | None = Side(self.a.backward(s, total, 0), 0, [total], pinned=True)
        else:
            tail = self.a.suffix(s, 0, total)
        # a pinned edge whose lines do not match the file drops what lay there
        blind = bool((head and head.pinned and head.run == 0)
                     or (tail and tail.pinned and tail.run == 0))
        if head is not None and tail is not None:
            if not head.pinned:
                self._add_near_copies(head, s, from_end=False)
            if not tail.pinned:
                self._add_near_copies(tail, s, from_end=True)
            return score(self.a, s, pairs(head, tail, len(s)), blind)
        found: list[Candidate] = []
        index = self.a.strip_index
        for side, from_end in ((head, False), (tail, True)):
            if side is not None and not side.pinned:
                keep_covering(side, s, index, from_end=from_end)
        if head is not None and not head.weak:  # nothing below matches: insert after
            for p, run in zip(head.positions, head.runs, strict=True):
                stop = self._reach(seg, p, run, head, after=True)
                found.append(Candidate(p, stop, cost(self.a.keys, p, stop, s), insert="after"))
        if tail is not None and not tail.weak:  # nothing above matches: insert before
            for e, run in zip(tail.positions, tail.runs, strict=True):
                first = self._reach(seg, e, run, tail, after=False)
                found.append(Candidate(first, e, cost(self.a.keys, first, e, s),
                                       insert="before"))
        found.sort(key=lambda c: (c.cost, c.start))
        return found[:KEEP]

    def _reach(self, seg: Segment, at: int, run: int, side: Side, *, after: bool) -> int:
        """The far end of a one-sided candidate (reach). Where that is unclear at any
        place the segment may go, the refusal stands: dropping that place would let the
        others win by default."""
        if side.pinned:
            return at + run if after else at - run
        if after:
            return reach_after(self.a, seg, at, run, side.off)
        return reach_before(self.a, seg, at, run, side.off)

    def _add_near_copies(self, side: Side, s: list[str], *, from_end: bool) -> None:
        """Places where only the segment's edge line matches, within the segment's
        length of a place anchored by a short run (CREDIBLE_RUN lines or fewer): that run
        may be the pattern the change repeats, the lone line the real anchor. (Not for a
        blank edge line: which blank line ends a segment is not evidence.)"""
        n = len(s)
        edge = s[n - 1 - side.off] if from_end else s[side.off]
        short = [p for p, r in zip(side.positions, side.runs, strict=True)
                 if r <= CREDIBLE_RUN]
        if not short or not edge.strip():  # where blank lines pair up is no evidence
            return
        known = set(side.positions)
        added: list[tuple[int, int]] = []
        for q in self.a.index.get(edge, ()):
            place = q + 1 if from_end else q
            if place in known:
                continue
            if any(0 < (p - place if from_end else place - p) < n for p in short):
                run = (self.a.backward(s[:n - side.off], place, 0) if from_end
                       else self.a.forward(s[side.off:], place, len(self.a.keys)))
                added.append((place, run))
        for place, run in added:
            side.positions.append(place)
            side.runs.append(run)

    # -- whole edit --------------------------------------------------------------------
    def merge(self, segments: list[Segment]) -> tuple[list[Replacement], list[bool]]:
        """Replacements, and for each whether it has a blind pinned edge."""
        norm = [normalise(seg.lines, self.a.kind) for seg in segments]
        cands: list[list[Candidate]] = []
        for seg, s in zip(segments, norm, strict=True):
            row = self.candidates(seg, s)
            if not row:
                raise self.a.no_anchor(seg)
            cands.append(row)
        choice = choose(cands, len(self.a.keys), segments[0].pinned_start,
                        segments[-1].pinned_end)
        if choice is None:
            raise NoMatch(
                f"the segments of the lazy edit match the file{where(self.a.path)} only in "
                "the wrong order (or overlapping).",
                hint="Write segments in file order, each starting and ending with "
                     "unchanged lines copied exactly from the file.", path=self.a.path)
        changes = [self.a.keys[c.start:c.end] != s for c, s in zip(choice.picks, norm,
                                                                 strict=True)]
        for i, seg in enumerate(segments):
            if seg.index in self.known:
                continue
            pick, rivals, total = self._best_evidence(norm[i], choice, i)
            self._check_clear(seg, norm[i], pick, rivals, total, any(changes))
            if not pick.insert:
                check_thin_placed(self.a, seg, norm[i], pick.start, pick.end)
            choice.picks[i] = pick
        reps: list[Replacement] = []
        blind: list[bool] = []
        for seg, pick in zip(segments, choice.picks, strict=True):
            if seg.index in self.known:
                reps.append(Replacement(pick.start, pick.end, self.known[seg.index].lines))
                blind.append(False)
                continue
            placed = Placement(pick.start, pick.end, seg.lines, pick.blind)
            reps.append(Replacement(pick.start, pick.end, self.a.restore(placed)))
            blind.append(pick.blind)
        return reps, blind

    def _best_evidence(self, s: list[str], choice: Choice, i: int,
                       ) -> tuple[Candidate, list[tuple[float, Candidate]], float]:
        """The segment's placement, its rivals and the total: the cheapest one, unless a
        rival within MARGIN holds strictly more of the lines that place the segment
        (unique lines, the origins of its changed lines) than every other close one and
        fits between its neighbours' placements; then that rival."""
        pick, rivals, total = choice.picks[i], choice.rivals[i], choice.total
        close = [c for t, c in rivals if t - total <= MARGIN]
        if not close:
            return pick, rivals, total
        unique = UniqueLines(self.a.strip_index, s, self.a.line_words)
        lo = choice.picks[i - 1].end if i else 0
        hi = choice.picks[i + 1].start if i + 1 < len(choice.picks) else len(self.a.keys)
        for c in close:
            others = [pick, *(x for x in close if x is not c)]
            if lo <= c.start and c.end <= hi and all(
                    unique.outweighs((c.start, c.end), (x.start, x.end)) for x in others):
                moved = total - pick.cost + c.cost
                return c, [(total, pick), *((t, x) for t, x in rivals if x is not c)], moved
        return pick, rivals, total

    def _same_result(self, a: Candidate, b: Candidate, s: list[str]) -> bool:
        lo, hi = min(a.start, b.start), max(a.end, b.end)
        keys = self.a.keys
        return (keys[lo:a.start] + s + keys[a.end:hi]) == (keys[lo:b.start] + s + keys[b.end:hi])

    def _drops_more(self, pick: Candidate, rival: Candidate, s: list[str]) -> bool:
        """Whether `rival` is `pick` widened over original lines the edit never
        mentions, and those lines could be a block deleted on purpose: a reading the
        edit may mean as much as the pick's."""
        if not (rival.start <= pick.start and rival.end >= pick.end):
            return False
        mentioned = set(s)
        extra = self.a.keys[rival.start:pick.start] + self.a.keys[pick.end:rival.end]
        if sum(1 for k in extra if k.strip() and k not in mentioned) < DELETION_DOUBT:
            return False
        # the wider reading keeps the far copy of the repeated anchor and deletes from
        # the near one: the stretch is off by the anchor's length, so try both spans
        shift_head = pick.start - rival.start
        shift_tail = rival.end - pick.end
        spans = []
        if shift_head:
            spans.append([(rival.start, pick.start), (pick.start, pick.start + shift_head)])
        if shift_tail:
            spans.append([(pick.end, rival.end), (pick.end - shift_tail, pick.end)])
        return all(any(self._self_contained(a, b) for a, b in options) for options in spans)

    def _self_contained(self, start: int, end: int, *, closed: bool = True) -> bool:
        """Whether lines [start, end) are whole blocks: they never dedent below their
        first non-blank line, and what follows them is not deeper (their body does not
        go on). Not the tail of one construct and the head of the next, or a header
        without its body, which nobody deletes on purpose. `closed=False` skips the
        second test (a dropped stretch inside a changed region may end mid-block)."""
        floor: int | None = None
        for line in self.a.doc.lines[max(start, 0):end]:
            if not line.strip():
                continue
            width = len(lead(line).expandtabs(8))
            if floor is None:
                floor = width
            elif width < floor:
                return False
        if floor is None or not closed:
            return True
        if self.a.attached_lines.detaches(start, end):
            return False
        for line in self.a.doc.lines[end:]:
            if line.strip():
                return len(lead(line).expandtabs(8)) <= floor
        return True

    def _torn_drop(self, pick: Candidate, s: list[str], mentioned: set[str]) -> bool:
        """Whether the pick drops LONG_DROP or more unmentioned lines that are not one
        whole block (the end of one construct and the start of another): more likely a
        wrong pairing of repeated anchors than a deletion anyone meant."""
        keys = self.a.keys
        dropped = sum(1 for k in keys[pick.start:pick.end] if k.strip() and k not in mentioned)
        if dropped < LONG_DROP:
            return False
        ops = difflib.SequenceMatcher(None, keys[pick.start:pick.end], s,
                                      autojunk=False).get_opcodes()
        for tag, i1, i2, _, _ in ops:
            if tag in ("delete", "replace") and not self._self_contained(
                    pick.start + i1, pick.start + i2, closed=False):
                return True
        return False

    def _lead_after(self, end: int) -> str | None:
        for line in self.a.doc.lines[end:]:
            if line.strip():
                return lead(line)
        return None

    def _marker_prefers(self, seg: Segment, pick: Candidate, rival: Candidate) -> bool:
        """Whether the marker after the segment, indented like the code it stands for,
        fits what follows the pick and not what follows the wider rival (which only
        differs at its end)."""
        if seg.marker_after is None or rival.start != pick.start or rival.end <= pick.end:
            return False
        indent = lead(seg.marker_after)
        return self._lead_after(pick.end) == indent != self._lead_after(rival.end)

    def _check_clear(self, seg: Segment, s: list[str], pick: Candidate,
                     rivals: list[tuple[float, Candidate]], total: float,
                     edit_changes: bool) -> None:
        """The chosen place must beat every other by MARGIN, and no other reading may
        delete a stretch the chosen one keeps. A segment that changes nothing where it
        was put is refused (this runs only once an anchor fit several places): its real
        place, a deletion, may not even be among the candidates; so is one that drops
        LONG_DROP lines it never mentions (with repeated anchors, maybe a wrong pairing)."""
        if pick.insert:
            # context on one side only: that context must fit one place (the writer's
            # evidence may settle it); how alike the changed lines are is no evidence
            others = [c for _, c in rivals if c.insert and not self._same_result(pick, c, s)]
            if others and not self._writer_settles(pick, others):
                raise self._ambiguous(seg, [pick, *others], "one_sided")
        noop = self.a.keys[pick.start:pick.end] == s
        mentioned = set(s)
        if noop or self._torn_drop(pick, s, mentioned):
            raise self._ambiguous(seg, [pick, *(c for _, c in rivals)],
                                  "unchanged" if noop else "long_drop")
        lost = lost_definitions(self.a.keys, pick.start, pick.end, s)
        keeps = [c for _, c in rivals if not any(c.start <= q < c.end for q in lost)]
        if lost and (keeps or new_definitions(self.a.keys, s)):
            raise self._ambiguous(seg, [pick, *keeps], "drops_definition")
        close = [c for t, c in rivals if t - total <= MARGIN
                 and not self._same_result(pick, c, s)]
        if close and not lost:
            # a rival that deletes a definition the segment never names, where the pick
            # deletes none, reads a rename or removal into an edit that says neither
            close = [c for c in close if not lost_definitions(self.a.keys, c.start, c.end, s)]
        if close:
            # a rival lacking lines that place the segment firmly (unique ones, or the
            # lines its changed lines are edits of) that the pick holds is no reading
            unique = UniqueLines(self.a.strip_index, s, self.a.line_words)
            close = [c for c in close
                     if not unique.outweighs((pick.start, pick.end), (c.start, c.end))]
        # a wider reading deleting lines the writer was never shown is no reading
        close = [c for c in close if not self._drops_unseen(pick, c, s)]
        if close and not self._writer_settles(pick, close):
            raise self._ambiguous(seg, [pick, *close], "close_cost")
        wider = [c for _, c in rivals if self._drops_more(pick, c, s)
                 and not self._same_result(pick, c, s)
                 and not self._marker_prefers(seg, pick, c)
                 and not self._drops_unseen(pick, c, s)]
        if wider and not self._writer_settles(pick, wider):
            raise self._ambiguous(seg, [pick, *wider], "deletion_reading")

    def _drops_unseen(self, pick: Candidate, rival: Candidate, s: list[str]) -> bool:
        """Whether `rival` is `pick` widened over a non-blank line the writer was never
        shown (given seen lines), while every line the pick drops was shown: nobody
        deletes lines they have not read, so the wider reading is not what the edit means
        (the issue's rule 4)."""
        w = self.a.writer
        if not w.seen_lines or not (rival.start <= pick.start and pick.end <= rival.end):
            return False
        lines = self.a.doc.lines
        written = {x.strip() for x in s}

        def unseen(q: int) -> bool:
            return bool(lines[q].strip()) and not w.seen(q, q + 1)

        if any(unseen(q) and lines[q].strip() not in written
               for q in range(pick.start, pick.end)):
            return False  # the pick too drops lines never shown: no evidence either way
        extra = [*range(rival.start, pick.start), *range(pick.end, rival.end)]
        return any(unseen(q) for q in extra)

    def _writer_settles(self, pick: Candidate, rivals: list[Candidate]) -> bool:
        """Whether the writer's evidence (seen lines, the symbol the instruction names)
        supports the pick and none of its rivals."""
        kept = self.a.writer.narrow([pick, *rivals], lambda c: (c.start, c.end))
        return kept == [pick]

    def _ambiguous(self, seg: Segment, shown: list[Candidate], why: str) -> AmbiguousMatch:
        shown = shown[:8]
        spans = ", ".join(f"{c.start + 1}-{c.end}" for c in shown)
        return AmbiguousMatch(
            f"segment {seg.index} of the lazy edit fits several places{where(self.a.path)} "
            f"about equally well: lines {spans}. splice will not guess which one you meant.",
            hint="Include more unchanged lines before and after the change (for example "
                 "the enclosing def/function line) so the segment fits exactly one place.",
            path=self.a.path, details={"candidates": [c.start + 1 for c in shown], "why": why})
