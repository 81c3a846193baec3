"""One original file as lazy placement sees it, under one key kind: its keys, where each
line stands, a segment's anchor runs (its leading and trailing lines found in the file),
and how placed lines take back the file's own text. Every placement strategy and guard
is handed one Anchors object."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cached_property

from splice.apply.formats.lazy.budget import Budget
from splice.apply.formats.lazy.evidence import AttachedLines, LineWords
from splice.apply.formats.lazy.segments import Placement, Segment
from splice.apply.formats.lazy.writer import Writer
from splice.apply.indent import indent_shift
from splice.apply.matching import Matcher
from splice.apply.messages import numbered, where
from splice.apply.text import Doc, normalise
from splice.core.errors import NoMatch

# Besides the longest run, runs of at least this many lines are credible anchors too:
# the longest can be a coincidence that runs a line or two past the real anchor.
CREDIBLE_RUN = 2


@dataclass
class Side:
    """One end of a segment matched against the file.

    prefix: `positions` are where the anchored run starts in the file; suffix: where it
    ends (exclusive). `off` counts the segment's unanchored (new, blank) lines outside
    the run. `weak`: the run is blank lines only, which prove little on their own.
    """

    run: int  # the longest run
    off: int
    positions: list[int]  # every credible place, each with its own run length
    weak: bool = False
    pinned: bool = False
    runs: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.runs:
            self.runs = [self.run] * len(self.positions)

    @property
    def best(self) -> list[int]:
        """The places with the longest run."""
        return [p for p, r in zip(self.positions, self.runs, strict=True) if r == self.run]

    def keep(self, wanted: list[bool]) -> None:
        self.positions = [p for p, w in zip(self.positions, wanted, strict=True) if w]
        self.runs = [r for r, w in zip(self.runs, wanted, strict=True) if w]
        self.run = max(self.runs, default=0)


class Anchors:
    """A segment's head and tail runs in one original file, under one key kind."""

    def __init__(self, doc: Doc, kind: str, path: str | None, matcher: Matcher,
                 writer: Writer | None = None, budget: Budget | None = None) -> None:
        self.doc = doc
        self.budget = budget or Budget(path)
        self.writer = writer or Writer(doc.lines, path)
        self.kind = kind
        self.path = path
        self.matcher = matcher
        self.keys = doc.keys(kind)
        self.index = matcher.index(kind)

    @cached_property
    def strip_index(self) -> dict[str, list[int]]:
        """Where each stripped line stands (whatever this object's key kind)."""
        return self.matcher.index("strip")

    @cached_property
    def line_words(self) -> LineWords:
        return LineWords(self.doc.keys("strip"))

    @cached_property
    def attached_lines(self) -> AttachedLines:
        return AttachedLines(self.doc.lines, self.path)

    # -- anchor runs ---------------------------------------------------------------
    def forward(self, seg: list[str], start: int, limit: int) -> int:
        keys = self.keys
        n = min(len(seg), limit - start)
        a = 0
        while a < n and keys[start + a] == seg[a]:
            a += 1
        return a

    def backward(self, seg: list[str], end: int, floor: int) -> int:
        keys = self.keys
        n = min(len(seg), end - floor)
        b = 0
        while b < n and keys[end - 1 - b] == seg[-1 - b]:
            b += 1
        return b

    @staticmethod
    def solid(lines: list[str]) -> bool:
        return any(line.strip() for line in lines)

    def _side(self, found: list[tuple[int, int]], off: int, anchored: list[str],
              from_end: bool) -> Side | None:
        """Credible places: the longest run, and any of at least CREDIBLE_RUN lines (the
        longest can be a coincidence that runs past the real anchor by a line or two)."""
        if not found:
            return None
        best = max(r for _, r in found)
        floor = min(best, CREDIBLE_RUN)
        picked = [(p, r) for p, r in found if r >= floor]

        def solid(run: int) -> bool:
            return self.solid(anchored[len(anchored) - run:] if from_end else anchored[:run])

        weak = not solid(best)
        return Side(best, off, [p for p, _ in picked], weak=weak, runs=[r for _, r in picked])

    def _scan_prefix(self, s: list[str], off: int, lo: int, hi: int) -> Side | None:
        seg = s[off:]
        places = [pos for pos in self.index.get(seg[0], ()) if lo <= pos < hi]
        found = []
        for pos in places:
            run = self.forward(seg, pos, hi)
            self.budget.spend(run + 1, len(places))
            found.append((pos, run))
        return self._side(found, off, seg, from_end=False)

    def _scan_suffix(self, s: list[str], off: int, lo: int, hi: int) -> Side | None:
        seg = s[:len(s) - off]
        places = [pos for pos in self.index.get(seg[-1], ()) if lo <= pos < hi]
        found = []
        for pos in places:
            run = self.backward(seg, pos + 1, lo)
            self.budget.spend(run + 1, len(places))
            found.append((pos + 1, run))
        return self._side(found, off, seg, from_end=True)

    def prefix(self, s: list[str], lo: int, hi: int) -> Side | None:
        total = len(self.keys)
        side = self._scan_prefix(s, 0, lo, total)
        if side is None:
            # leading blank lines the file lacks there: anchor on the first real line
            first = next((i for i, line in enumerate(s) if line.strip()), 0)
            if first:
                alt = self._scan_prefix(s, first, lo, total)
                if alt is not None and not alt.weak:
                    # only where the file has no blank line just above: otherwise how many
                    # of the edit's blank lines are the file's is a guess
                    alt.keep([p == 0 or self.keys[p - 1].strip() != "" for p in alt.positions])
                    if alt.positions:
                        return alt
        if side is not None:
            # only places before the next segment count
            side.keep([p < hi for p in side.positions])
            if not side.positions:
                return None
        return side

    def suffix(self, s: list[str], lo: int, hi: int) -> Side | None:
        total = len(self.keys)
        side = self._scan_suffix(s, 0, lo, total)
        if side is None:
            last = next((i for i, line in enumerate(reversed(s)) if line.strip()), 0)
            if last:
                alt = self._scan_suffix(s, last, lo, total)
                if alt is not None and not alt.weak:
                    alt.keep([e == total or self.keys[e].strip() != "" for e in alt.positions])
                    if alt.positions:
                        return alt
        if side is not None:
            side.keep([e <= hi for e in side.positions])
            if not side.positions:
                return None
        return side

    # -- results -----------------------------------------------------------------
    def restore(self, placed: Placement) -> list[str]:
        """For loose keys: lines equal to the file keep the file's text; others shift."""
        if self.kind == "exact" or placed.fixed:
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

    def no_anchor(self, seg: Segment) -> NoMatch:
        first = next(line for line in seg.lines if line.strip())
        return NoMatch(
            f"segment {seg.index} of the lazy edit (starting `{first.strip()}`) has no line "
            f"that matches the file{where(self.path)}, so splice cannot tell where it goes.",
            hint="Start and end each segment between markers with at least one unchanged "
                 "line copied exactly from the file (one before the change, one after).",
            path=self.path)
