"""Lazy snippets: the new text with unchanged stretches elided by marker lines.

Lines between markers form a segment. A segment is placed by its anchors: the longest
run of its leading lines that matches consecutive original lines, and likewise of its
trailing lines. The original from the first anchor through the last is replaced by the
segment. No marker at the top pins the first segment to the file's start; none at the
bottom lets the last one run to the end. Segments are placed in file order; when an
anchor fits several places, the placement whose span best lines up with the segment wins,
and a tie is refused rather than guessed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from splice.apply.formats.markers import marker_checker
from splice.apply.indent import indent_shift
from splice.apply.matching import Matcher
from splice.apply.messages import ambiguous_message, numbered, where
from splice.apply.text import Doc, Replacement, normalise
from splice.core.errors import AmbiguousMatch, MalformedEdit, NoMatch

MAX_PAIRS = 32
MAX_PAIR_SCAN = 20000  # placements compared by alignment when anchors are ambiguous
NEAR_COPY = 0.75  # an unanchored edge line this similar to its neighbour may be a rewrite


@dataclass
class Segment:
    lines: list[str]
    index: int  # 1-based, for messages
    pinned_start: bool  # no marker above: starts at the top of the file
    pinned_end: bool  # no marker below: runs to the end of the file


@dataclass
class Placement:
    start: int
    end: int  # exclusive
    lines: list[str]
    blind_edge: bool  # a pinned edge (no marker) whose lines match nothing there


def split_segments(lines: list[str], path: str | None) -> list[Segment] | None:
    """The segments of a lazy edit, or None when it has no marker lines."""
    is_marker = marker_checker(path)
    flags = [is_marker(line) for line in lines]
    if not any(flags):
        return None
    groups: list[list[str]] = []
    current: list[str] = []
    for line, flag in zip(lines, flags, strict=True):
        if flag:
            groups.append(current)
            current = []
        else:
            current.append(line)
    groups.append(current)
    # groups[0] precedes the first marker, groups[-1] follows the last one
    segments: list[Segment] = []
    last = len(groups) - 1
    for gi, group in enumerate(groups):
        if not any(line.strip() for line in group):
            continue
        segments.append(Segment(lines=group, index=len(segments) + 1,
                                pinned_start=gi == 0, pinned_end=gi == last))
    return segments


def _similar(a: str, b: str) -> bool:
    a, b = a.strip(), b.strip()
    if not a or not b or a == b:
        return False
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= NEAR_COPY


class LazyMerger:
    def __init__(self, doc: Doc, kind: str, path: str | None, matcher: Matcher) -> None:
        self.doc = doc
        self.kind = kind
        self.path = path
        self.keys = doc.keys(kind)
        self.index = matcher.index(kind)

    # -- anchor runs ---------------------------------------------------------------
    def _forward(self, seg: list[str], start: int, limit: int) -> int:
        keys = self.keys
        n = min(len(seg), limit - start)
        a = 0
        while a < n and keys[start + a] == seg[a]:
            a += 1
        return a

    def _backward(self, seg: list[str], end: int, floor: int) -> int:
        keys = self.keys
        n = min(len(seg), end - floor)
        b = 0
        while b < n and keys[end - 1 - b] == seg[-1 - b]:
            b += 1
        return b

    @staticmethod
    def _solid(lines: list[str]) -> bool:
        return any(line.strip() for line in lines)

    def _prefix_candidates(self, seg: list[str], lo: int) -> tuple[int, list[int]]:
        best, found = 0, []
        for pos in self.index.get(seg[0], ()):
            if pos < lo:
                continue
            a = self._forward(seg, pos, len(self.keys))
            if not self._solid(seg[:a]):
                continue
            if a > best:
                best, found = a, [pos]
            elif a == best:
                found.append(pos)
        return best, found

    def _suffix_candidates(self, seg: list[str], lo: int) -> tuple[int, list[int]]:
        best, found = 0, []
        for pos in self.index.get(seg[-1], ()):
            if pos < lo:
                continue
            b = self._backward(seg, pos + 1, lo)
            if not self._solid(seg[len(seg) - b:]):
                continue
            if b > best:
                best, found = b, [pos + 1]
            elif b == best:
                found.append(pos + 1)
        return best, found

    # -- placing one segment ---------------------------------------------------------
    def place(self, seg: Segment, lo: int) -> Placement:
        s = normalise(seg.lines, self.kind)
        total = len(self.keys)
        if seg.pinned_start and seg.pinned_end:
            return Placement(0, total, seg.lines, False)
        if seg.pinned_start:
            a, starts = self._forward(s, 0, total), [0]
        else:
            a, starts = self._prefix_candidates(s, lo)
        if seg.pinned_end:
            b, ends = self._backward(s, total, lo), [total]
        else:
            b, ends = self._suffix_candidates(s, lo)
        has_start = seg.pinned_start or (a > 0 and bool(starts))
        has_end = seg.pinned_end or (b > 0 and bool(ends))
        # a pinned edge whose lines do not match the file drops what lay there
        blind = (seg.pinned_start and a == 0) or (seg.pinned_end and b == 0)
        if has_start and has_end:
            pairs = self._pairs(starts, a, ends, b, len(s))
            if not pairs and len(starts) * len(ends) > MAX_PAIR_SCAN:
                message, hint = ambiguous_message(sorted(starts), a, f"the first lines of "
                                                  f"segment {seg.index}", self.path)
                raise AmbiguousMatch(message, hint=hint, path=self.path)
            if not pairs:
                raise NoMatch(
                    f"the first and last lines of segment {seg.index} of the lazy edit match "
                    f"the file{where(self.path)} only in the wrong order.",
                    hint="Write segments in file order, each starting and ending with "
                         "unchanged lines copied exactly from the file.", path=self.path)
            start, end = self._choose(pairs, s, seg)
            return Placement(start, end, seg.lines, blind)
        if has_start:  # nothing below matches: insert after the leading anchor
            start = self._unique(starts, a, seg, "first")
            self._check_insert(seg, start + a, before=False)
            return Placement(start, start + a, seg.lines, False)
        if has_end:  # nothing above matches: insert before the trailing anchor
            end = self._unique(ends, b, seg, "last")
            self._check_insert(seg, end - b - 1, before=True)
            return Placement(end - b, end, seg.lines, False)
        raise self._no_anchor(seg)

    def _pairs(self, starts: list[int], a: int, ends: list[int], b: int,
               n: int) -> list[tuple[int, int]]:
        if len(starts) * len(ends) > MAX_PAIR_SCAN:
            return []
        pairs = []
        a_own = min(a, n - b)  # where the runs overlap inside the segment, b wins
        for p in starts:
            for e in ends:
                # the leading run's lines must end before the trailing run's begin
                if p + a_own <= e - b:
                    pairs.append((p, e))
        pairs.sort(key=lambda pe: pe[1] - pe[0])
        return pairs

    def _choose(self, pairs: list[tuple[int, int]], s: list[str],
                seg: Segment) -> tuple[int, int]:
        if len(pairs) == 1:
            return pairs[0]
        n = len(s)
        scored: list[tuple[int, int, int]] = []
        best = None
        for p, e in pairs[:MAX_PAIRS]:
            span = e - p
            if best is not None and span >= n and 2 * n - span < best:
                break  # wider spans only score lower from here on
            matcher = difflib.SequenceMatcher(None, self.keys[p:e], s, autojunk=False)
            matched = sum(block.size for block in matcher.get_matching_blocks())
            score = 2 * matched - span
            scored.append((score, p, e))
            best = score if best is None else max(best, score)
        scored.sort(key=lambda t: -t[0])
        if len(scored) > 1 and scored[0][0] == scored[1][0]:
            tied = sorted({p for sc, p, _ in scored if sc == scored[0][0]})
            message, hint = ambiguous_message(tied, n, f"segment {seg.index} of the lazy edit",
                                              self.path)
            raise AmbiguousMatch(message, hint=hint, path=self.path,
                                 details={"candidates": [p + 1 for p in tied]})
        return scored[0][1], scored[0][2]

    def _unique(self, found: list[int], run: int, seg: Segment, side: str) -> int:
        if len(found) == 1:
            return found[0]
        starts = sorted(found) if side == "first" else sorted(e - run for e in found)
        message, hint = ambiguous_message(starts, run,
                                          f"the {side} lines of segment {seg.index} of the "
                                          "lazy edit", self.path)
        raise AmbiguousMatch(message, hint=hint, path=self.path,
                             details={"candidates": [p + 1 for p in starts]})

    def _check_insert(self, seg: Segment, neighbour: int, *, before: bool) -> None:
        """One-sided anchors mean an insertion; refuse when the unanchored edge line looks
        like a rewrite of the original line next to it (replace or insert? unsure)."""
        if not 0 <= neighbour < len(self.doc):
            return
        edge = seg.lines[0] if before else seg.lines[-1]
        if _similar(edge, self.doc.lines[neighbour]):
            raise AmbiguousMatch(
                f"segment {seg.index} of the lazy edit is anchored on one side only, and its "
                f"{'first' if before else 'last'} line looks like a changed copy of line "
                f"{neighbour + 1} ({self.doc.lines[neighbour].strip()!r}): replace it or "
                "insert next to it?",
                hint="Add an unchanged line from the file on that side of the segment, "
                     "before the marker.", path=self.path,
                details={"candidates": [neighbour + 1]})

    def _no_anchor(self, seg: Segment) -> NoMatch:
        first = next(line for line in seg.lines if line.strip())
        return NoMatch(
            f"segment {seg.index} of the lazy edit (starting `{first.strip()}`) has no line "
            f"that matches the file{where(self.path)}, so splice cannot tell where it goes.",
            hint="Start and end each segment between markers with at least one unchanged "
                 "line copied exactly from the file (one before the change, one after).",
            path=self.path)

    # -- whole edit ------------------------------------------------------------------
    def merge(self, segments: list[Segment]) -> tuple[list[Replacement], list[bool]]:
        """Replacements, and for each whether it has a blind pinned edge."""
        reps: list[Replacement] = []
        blind: list[bool] = []
        lo = 0
        for seg in segments:
            placed = self.place(seg, lo)
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
               matcher: Matcher | None = None) -> tuple[list[Replacement], str, list[bool]]:
    """(replacements, key kind used, per replacement: has a blind pinned edge)."""
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
        try:
            reps, blind = LazyMerger(doc, kind, path, matcher).merge(segments)
            return reps, kind, blind
        except NoMatch as exc:
            error = error or exc
    assert error is not None
    raise error
