"""A second reading of a placed segment: the guard that refuses a nearest-reading guess.

The lazy format places a segment whose first and last lines are unchanged lines of the
file over the region those lines bound. When the same two lines bound another region
between the neighbouring segments, that region is a reading too. The reading a writer
most likely meant is the nearest one (fewest changed lines: region lines the segment
does not keep plus segment lines the region does not hold, matched in order); when
another reading of the segment is as near and gives a different file, the text does not
say which, so the merge is refused, naming both places. A distinctive line the file
holds once and the segment shows is that line (the issue's rule 3): a region that leaves
it out is no reading. The writer's seen lines, when given, keep only the readings whose
edges the writer was shown; a reading whose region alone holds a line a changed line
closely resembles (the line the change edits) is kept over rivals that hold none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from splice.apply.formats.lazy.budget import Budget
from splice.apply.formats.lazy.reach import SIMILAR, likeness
from splice.apply.formats.lazy.segments import Segment
from splice.apply.formats.lazy.writer import Writer
from splice.apply.messages import where
from splice.apply.text import Replacement, distinctive
from splice.core.errors import AmbiguousMatch


def _worded(line: str) -> bool:
    """Whether a line holds a letter or digit (`else:`, `end`): more than punctuation."""
    return any(c.isalnum() for c in line)


def placed_region(lines: list[str], seg: list[str], rep: Replacement) -> tuple[int, int] | None:
    """The region [S, E) the segment replaces in the format's own terms (the replacement
    may leave out edge lines the file already has), or None when its lines are not the
    segment's verbatim (re-indented, or placed by another rule)."""
    for k in range(min(len(seg), rep.start) + 1):
        t = len(seg) - k - len(rep.lines)
        if t < 0 or rep.end + t > len(lines):
            continue
        if lines[rep.start - k:rep.start] + rep.lines + lines[rep.end:rep.end + t] == seg:
            return rep.start - k, rep.end + t
    return None


class _Kept:
    """How many lines of `seg` a region keeps in order (their longest common
    subsequence), for regions growing one line at a time: a bit per segment line, set
    while that line is not yet matched (the bit-parallel LCS length of Allison-Dix and
    Hyyro), so each region line costs a few integer operations."""

    def __init__(self, seg: Sequence[str]) -> None:
        self.n = len(seg)
        self.all = (1 << self.n) - 1
        self.where: dict[str, int] = {}
        for j, line in enumerate(seg):
            self.where[line] = self.where.get(line, 0) | (1 << j)

    def running(self, lines: Sequence[str], start: int, stop: int) -> Iterator[int]:
        """The kept count of region [start, e) for e = start + 1 .. stop."""
        free = self.all
        for q in range(start, stop):
            hits = free & self.where.get(lines[q], 0)
            if hits:
                free = ((free + hits) | (free - hits)) & self.all
            yield self.n - free.bit_count()


@dataclass
class _Reader:
    lines: list[str]
    seg: list[str]
    budget: Budget

    def __post_init__(self) -> None:
        counts = Counter(self.lines)
        shown = {line for line in self.seg if distinctive(line.strip()) and counts[line] == 1}
        self.pinned = [q for q, line in enumerate(self.lines) if line in shown]
        self.kept = _Kept(self.seg)

    def covers(self, start: int, end: int) -> bool:
        return all(start <= q < end for q in self.pinned)

    def cost(self, start: int, end: int) -> int:
        """Changed lines: region lines the segment does not keep plus segment lines the
        region does not hold, matched in order (a line the segment adds never pays for a
        file line out of order, as a blank line moved below a statement would)."""
        kept = max(self.kept.running(self.lines, start, end), default=0)
        return (end - start) + len(self.seg) - 2 * kept

    def rewrites(self, start: int, end: int) -> bool:
        """Whether region [start, end) holds a line that a changed line of the segment
        closely resembles (the line the change edits): text evidence for that reading."""
        held = set(self.lines[start:end])
        changed = [x for x in self.seg if x.strip() and x not in held]
        mine = set(self.seg)
        dropped = [x for x in self.lines[start:end] if x.strip() and x not in mine]
        self.budget.spend(len(changed) * len(dropped), end - start)
        return any(likeness(x, y) >= SIMILAR for x in dropped for y in changed)

    def readings(self, lo: int, hi: int, limit: int) -> list[tuple[int, int, int]]:
        """(start, end, cost) of every region in [lo, hi) bounded by the segment's first and
        last lines, covering the lines it must, at most `limit` changed lines."""
        first, last, n = self.seg[0], self.seg[-1], len(self.seg)
        covered_lo = self.pinned[0] if self.pinned else None
        covered_hi = self.pinned[-1] + 1 if self.pinned else None
        out = []
        for a in range(lo, hi):
            if self.lines[a] != first or (covered_lo is not None and a > covered_lo):
                continue
            stop = min(hi, a + n + limit)
            self.budget.spend(stop - a, hi - lo)
            for e, kept in enumerate(self.kept.running(self.lines, a, stop), a + 1):
                if e - a < 2 or self.lines[e - 1] != last:
                    continue
                if covered_hi is not None and e < covered_hi:
                    continue
                cost = (e - a) + n - 2 * kept
                if cost <= limit:
                    out.append((a, e, cost))
        return out


def _shown(writer: Writer, q: int, step: int) -> bool:
    """Whether the writer was shown line `q`; a blank or punctuation-only edge line (`}`,
    `)`) says nothing of where the writer looked (any writer guesses it right above the
    lines it saw): the first distinctive line inward from it (`step` 1: below) decides."""
    lines = writer.lines
    while 0 <= q < len(lines) and not _worded(lines[q]):
        q += step
    return any(a - 1 <= q < b for a, b in writer.seen_lines or ())


def _span(writer: Writer, start: int, end: int) -> str:
    d = writer.symbol_at(start)
    return f"lines {start + 1}-{end}" + (f" (in {d.label})" if d else "")


def _regions(lines: list[str], segments: list[Segment], reps: list[Replacement],
             by_structure: Collection[int]) -> list[tuple[int, int] | None]:
    """Each segment's region when it was placed between its own first and last lines."""
    out: list[tuple[int, int] | None] = []
    for seg, rep in zip(segments, reps, strict=True):
        s = seg.lines
        region = None
        if not (seg.pinned_start or seg.pinned_end or len(s) < 2 or seg.index in by_structure):
            region = placed_region(lines, s, rep)
        if region is not None and (region[1] - region[0] < 2 or lines[region[0]] != s[0]
                                   or lines[region[1] - 1] != s[-1]):
            region = None
        out.append(region)
    return out


def _edges_shown(writer: Writer, segments: list[Segment], reps: list[Replacement]) -> bool:
    """Whether the writer was shown every anchored edge of every placed segment."""
    return all((seg.pinned_start or _shown(writer, rep.start, 1))
               and (seg.pinned_end or _shown(writer, max(rep.end - 1, rep.start), -1))
               for seg, rep in zip(segments, reps, strict=True))


def check_rivals(lines: list[str], segments: list[Segment], reps: list[Replacement],
                 writer: Writer, budget: Budget, path: str | None, *,
                 by_structure: Collection[int] = ()) -> None:
    """Refuse when a segment placed between two anchor lines has another reading between
    its neighbours that is as near and gives a different file (see the module doc).
    Segments placed by structure (whole definitions, `by_structure`: their indices) are
    read by their header, not by their edge lines: not checked here. As in the format's
    readings, rule 3 counts only when every placement keeps to it, and the seen lines
    settle only when they hold every segment's anchored edges."""
    if len(reps) != len(segments):
        return
    regions = _regions(lines, segments, reps, by_structure)
    readers = [_Reader(lines, seg.lines, budget) if r else None
               for seg, r in zip(segments, regions, strict=True)]
    if not all(rd.covers(*r) for rd, r in zip(readers, regions, strict=True) if rd and r):
        for rd in readers:
            if rd:
                rd.pinned = []  # a placement is no rule-3 reading: the plain ones count
    shown = bool(writer.seen_lines) and _edges_shown(writer, segments, reps)
    for i, (seg, region, reader) in enumerate(zip(segments, regions, readers, strict=True)):
        if region is None or reader is None:
            continue
        start, end = region
        lo = reps[i - 1].end if i else 0
        hi = reps[i + 1].start if i + 1 < len(reps) else len(lines)
        if not lo <= start < end <= hi:
            continue
        s = seg.lines
        ours = lines[lo:start] + s + lines[end:hi]
        rivals = [(a, e) for a, e, _ in reader.readings(lo, hi, reader.cost(start, end))
                  if (a, e) != (start, end) and lines[lo:a] + s + lines[e:hi] != ours]
        if shown:
            rivals = [(a, e) for a, e in rivals
                      if _shown(writer, a, 1) and _shown(writer, e - 1, -1)]
        if rivals and not (reader.rewrites(start, end)
                           and not any(reader.rewrites(a, e) for a, e in rivals)):
            raise _ambiguous(seg, [(start, end), *rivals], writer, path)


def _ambiguous(seg: Segment, places: list[tuple[int, int]], writer: Writer,
               path: str | None) -> AmbiguousMatch:
    spans = "; ".join(_span(writer, a, e) for a, e in places[:5])
    return AmbiguousMatch(
        f"segment {seg.index} of the lazy edit fits {len(places)} places between its first "
        f"and last lines{where(path)}, each as near (changing as few lines) and each "
        f"giving a different file: {spans}.",
        hint="Start and end the segment with unchanged lines that occur together only "
             "around the change (for example the enclosing def/function line), or pass "
             "the lines you were shown (seen_lines).",
        path=path, details={"candidates": [a + 1 for a, _ in places[:5]],
                            "why": "rival_reading"})
