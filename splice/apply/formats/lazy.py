"""Lazy snippets: the new text with unchanged stretches elided by marker lines.

Lines between markers form a segment. A segment is placed by its anchors: the longest
run of its leading lines that matches consecutive original lines, and likewise of its
trailing lines. The original from the first anchor through the last is replaced by the
segment. No marker at the top pins the first segment to the file's start; none at the
bottom lets the last one run to the end. Segments are placed in file order; when an
anchor fits several places, the placement whose span best lines up with the segment wins,
and a tie is refused rather than guessed. Such a refusal is then retried with all
segments placed jointly (lazy_joint), which accepts only a clearly best reading.
"""

from __future__ import annotations

import difflib
from collections import Counter

from splice.apply.formats.lazy_anchors import Side
from splice.apply.formats.lazy_guards import LazyGuards
from splice.apply.formats.lazy_joint import JointPlacement
from splice.apply.formats.lazy_place import Placement, Segment, blank_edge_error
from splice.apply.formats.lazy_sole import sole_replacements
from splice.apply.formats.markers import marker_checker
from splice.apply.indent import indent_shift
from splice.apply.matching import Matcher
from splice.apply.messages import ambiguous_message, numbered, where
from splice.apply.text import Doc, Replacement, normalise
from splice.core.errors import AmbiguousMatch, ApplyError, MalformedEdit, NoMatch

# When anchors fit several places: a placement dropping more than VIABLE_DROP original
# lines the edit never mentions is no reading of it; among the rest, one must drop at
# least DROP_MARGIN fewer lines than any other, or the edit is refused. (Choosing by
# "fewest dropped" or "most anchored" alone goes wrong on real diffs both ways: a
# function inserted next to a similar one vs. one rewritten in place.)
VIABLE_DROP = 40
DROP_MARGIN = 40


def split_segments(lines: list[str], path: str | None) -> list[Segment] | None:
    """The segments of a lazy edit, or None when it has no marker lines."""
    is_marker = marker_checker(path)
    flags = [is_marker(line) for line in lines]
    if not any(flags):
        return None
    groups: list[list[str]] = []
    markers: list[str] = []  # markers[g] follows groups[g]
    current: list[str] = []
    for line, flag in zip(lines, flags, strict=True):
        if flag:
            groups.append(current)
            markers.append(line)
            current = []
        else:
            current.append(line)
    groups.append(current)
    # groups[0] precedes the first marker, groups[-1] follows the last one
    segments: list[Segment] = []
    last = len(groups) - 1
    for gi, group in enumerate(groups):
        if not group:
            continue
        if not any(line.strip() for line in group) and 0 < gi < last:
            continue  # blank lines between two markers say nothing
        segments.append(Segment(lines=group, index=len(segments) + 1,
                                pinned_start=gi == 0, pinned_end=gi == last,
                                marker_after=markers[gi] if gi < last else None))
    return segments


class LazyMerger(JointPlacement, LazyGuards):
    """Places a lazy edit's segments, in file order."""

    # -- placing one segment ---------------------------------------------------------
    def place(self, seg: Segment, lo: int, hi: int) -> Placement:
        """Where `seg` goes, looking only at original lines [lo, hi)."""
        s = normalise(seg.lines, self.kind)
        total = len(self.keys)
        if seg.pinned_start and seg.pinned_end:
            return Placement(0, total, seg.lines, False)
        if not self._solid(s):
            raise blank_edge_error(seg, self.path)
        if seg.pinned_start:
            head: Side | None = Side(self._forward(s, 0, total), 0, [0], pinned=True)
        else:
            head = self.prefix(s, lo, hi)
        if seg.pinned_end:
            tail: Side | None = Side(self._backward(s, total, lo), 0, [total], pinned=True)
        else:
            tail = self.suffix(s, lo, hi)
        # a pinned edge whose lines do not match the file drops what lay there
        blind = bool((head and head.pinned and head.run == 0)
                     or (tail and tail.pinned and tail.run == 0))
        self._check_forgotten_edge(seg, s, head, tail, lo)
        if head is not None and tail is not None:
            start, end = self._pair(head, tail, s, seg)
            self._check_noop(seg, s, start, end, lo, hi)
            self._check_shorter(seg, s, head, tail, start, end)
            return Placement(start, end, seg.lines, blind)
        total_hi = len(self.keys)
        if (head is None and not seg.pinned_start and self.prefix(s, lo, total_hi)) or (
                tail is None and not seg.pinned_end and self.suffix(s, lo, total_hi)):
            raise self._no_anchor(seg)  # its other end fits only beyond the next segment
        if head is not None and not head.weak:  # nothing below matches: insert after
            start = self._unique(head.positions, head.run, seg, "first")
            stop = start + head.runs[head.positions.index(start)]
            self._check_insert(seg, stop, before=False)
            return Placement(start, stop, seg.lines, False)
        if tail is not None and not tail.weak:  # nothing above matches: insert before
            end = self._unique(tail.positions, tail.run, seg, "last")
            run = tail.runs[tail.positions.index(end)]
            self._check_insert(seg, end - run - 1, before=True)
            return Placement(end - run, end, seg.lines, False)
        raise self._no_anchor(seg)

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
                raise self._no_anchor(seg)
            raise NoMatch(
                f"the first and last lines of segment {seg.index} of the lazy edit match "
                f"the file{where(self.path)} only in the wrong order.",
                hint="Write segments in file order, each starting and ending with "
                     "unchanged lines copied exactly from the file.", path=self.path)
        if len(scored) == 1:
            return scored[0][1], scored[0][2]
        starts = sorted({p for _, p, _ in scored})
        ends = sorted({e for _, _, e in scored})
        choice = self._weigh(scored, s, head, tail)
        if choice is not None:
            return choice
        side = "first" if len(starts) > 1 else "last"
        shown = starts if len(starts) > 1 else sorted(e - tail.run for e in ends)
        message, hint = ambiguous_message(shown, head.run if side == "first" else tail.run,
                                          f"the {side} lines of segment {seg.index} of the "
                                          "lazy edit", self.path)
        raise AmbiguousMatch(message, hint=hint, path=self.path,
                             details={"candidates": [x + 1 for x in shown]})

    def _weigh(self, scored: list[tuple[int, int, int]], s: list[str], head: Side,
               tail: Side) -> tuple[int, int] | None:
        """Among several placements, the one that silently drops clearly fewer original
        lines than every other (by DROP_MARGIN); None when there is no such one.

        Blank-only anchors that fit several places are refused outright: which blank
        stretch ends a deletion is anyone's guess."""
        n = len(s)
        if self._weak_places(head, s, from_end=False) > 1 or \
                self._weak_places(tail, s, from_end=True) > 1:
            return None
        wanted = Counter(s)
        drops = []
        for _, p, e in sorted(scored, key=lambda t: t[2] - t[1]):
            if (e - p) - n > VIABLE_DROP + DROP_MARGIN:
                break  # drops at least that many lines whatever they hold; so do the rest
            dropped = (e - p) - sum((Counter(self.keys[p:e]) & wanted).values())
            drops.append((dropped, p, e))
        if not drops:
            return None
        drops.sort()
        if drops[0][0] > VIABLE_DROP:
            return None
        if len(drops) > 1 and drops[1][0] - drops[0][0] < DROP_MARGIN:
            return None
        return drops[0][1], drops[0][2]

    def _weak_places(self, side: Side, s: list[str], *, from_end: bool) -> int:
        n = len(s)
        count = 0
        for run in side.runs:
            lines = s[n - side.off - run:n - side.off] if from_end else s[side.off:side.off + run]
            count += not self._solid(lines)
        return count

    def _unique(self, found: list[int], run: int, seg: Segment, side: str) -> int:
        if len(found) == 1:
            return found[0]
        starts = sorted(found) if side == "first" else sorted(e - run for e in found)
        message, hint = ambiguous_message(starts, run,
                                          f"the {side} lines of segment {seg.index} of the "
                                          "lazy edit", self.path)
        raise AmbiguousMatch(message, hint=hint, path=self.path,
                             details={"candidates": [p + 1 for p in starts]})

    def _no_anchor(self, seg: Segment) -> NoMatch:
        first = next(line for line in seg.lines if line.strip())
        return NoMatch(
            f"segment {seg.index} of the lazy edit (starting `{first.strip()}`) has no line "
            f"that matches the file{where(self.path)}, so splice cannot tell where it goes.",
            hint="Start and end each segment between markers with at least one unchanged "
                 "line copied exactly from the file (one before the change, one after).",
            path=self.path)

    # -- whole edit ------------------------------------------------------------------
    def _next_start(self, seg: Segment, lo: int) -> int:
        """Where the next segment must start, when its first lines fit exactly one place;
        this segment has to end by then. Otherwise the end of the file."""
        s = normalise(seg.lines, self.kind)
        side = self.prefix(s, lo, len(self.keys))
        if side is None or side.weak or len(side.positions) != 1:
            return len(self.keys)
        return side.positions[0]

    def _fixed_starts(self, segments: list[Segment]) -> list[int]:
        """For each segment, where the next segment that fits one place in the whole
        file starts (segments come in file order, so this one must end by then)."""
        total = len(self.keys)
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
                         "exactly from the file.", path=self.path)
            lines = self._restore(placed)
            reps.append(Replacement(placed.start, placed.end, lines))
            blind.append(placed.blind_edge)
            lo = placed.end
        return reps, blind

    def _restore(self, placed: Placement) -> list[str]:
        """For loose keys: lines equal to the file keep the file's text; others shift."""
        if self.kind == "exact":
            return list(placed.lines)
        window = self.doc.lines[placed.start:placed.end]
        wkeys = self.keys[placed.start:placed.end]
        skeys = normalise(placed.lines, self.kind)
        ops = difflib.SequenceMatcher(None, wkeys, skeys, autojunk=False).get_opcodes()
        pairs_w: list[str] = []
        pairs_s: list[str] = []
        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal":
                pairs_w.extend(window[i1:i2])
                pairs_s.extend(placed.lines[j1:j2])
        shift = (lambda line: line) if self.kind == "rstrip" else indent_shift(pairs_w, pairs_s)
        if shift is None:
            raise NoMatch(
                f"the lazy edit's indentation differs from the file{where(self.path)} "
                f"around lines {placed.start + 1}-{placed.end}, and not by a constant "
                f"amount:\n{numbered(self.doc, placed.start, placed.end)}",
                hint="Copy the unchanged lines with their exact indentation.", path=self.path)
        out: list[str] = []
        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal":
                out.extend(window[i1:i2])
            elif tag in ("replace", "insert"):
                out.extend(shift(line) for line in placed.lines[j1:j2])
        return out


def merge_lazy(doc: Doc, lines: list[str], *, path: str | None = None,
               matcher: Matcher | None = None, segments: list[Segment] | None = None,
               ) -> tuple[list[Replacement], str, list[bool]]:
    """(replacements, key kind used, per replacement: has a blind pinned edge)."""
    if segments is None:
        segments = split_segments(lines, path)
    if segments is None:
        raise MalformedEdit("the lazy edit has no `... existing code ...` marker lines.",
                            hint="Mark each unchanged stretch with a comment line such as "
                                 "`# ... existing code ...` in the file's comment syntax, "
                                 "or send the whole file.", path=path)
    if not segments:
        raise MalformedEdit("the lazy edit holds only markers, no code.",
                            hint="Put the changed lines, with an unchanged line above and "
                                 "below, between the markers.", path=path)
    matcher = matcher or Matcher(doc, path)
    error: NoMatch | None = None
    for kind in ("exact", "rstrip", "strip"):
        merger = LazyMerger(doc, kind, path, matcher)
        try:
            reps, blind = merger.merge(segments)
            return reps, kind, blind
        except AmbiguousMatch as exc:
            if exc.details.get("settled"):
                raise  # a forgotten marker or a no-op reading: no placement can fix that
            # one segment at a time was not enough: place them all jointly, and keep
            # the first refusal if that does not settle it either
            try:
                reps, blind = merger.merge_jointly(segments)
            except ApplyError as joint:
                exc.details.setdefault("joint", joint.details.get("why", type(joint).__name__))
                sole = sole_replacements(merger, segments)  # unless one file is all it can mean
                if sole is None:
                    raise exc from None
                reps, blind = sole
            return reps, kind, blind
        except NoMatch as exc:
            sole = sole_replacements(merger, segments)
            if sole is not None:
                return sole[0], kind, sole[1]
            error = error or exc
    assert error is not None
    raise error
