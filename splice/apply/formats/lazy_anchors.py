"""Anchors of a lazy-edit segment: where its leading and trailing lines sit in the file."""

from __future__ import annotations

from dataclasses import dataclass, field

from splice.apply.matching import Matcher
from splice.apply.text import Doc

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


class AnchorScanner:
    """Finds a segment's head and tail runs in one original file, under one key kind."""

    def __init__(self, doc: Doc, kind: str, path: str | None, matcher: Matcher) -> None:
        self.doc = doc
        self.kind = kind
        self.path = path
        self.matcher = matcher
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
            return self._solid(anchored[len(anchored) - run:] if from_end else anchored[:run])

        weak = not solid(best)
        return Side(best, off, [p for p, _ in picked], weak=weak, runs=[r for _, r in picked])

    def _scan_prefix(self, s: list[str], off: int, lo: int, hi: int) -> Side | None:
        seg = s[off:]
        found = [(pos, self._forward(seg, pos, hi))
                 for pos in self.index.get(seg[0], ()) if lo <= pos < hi]
        return self._side(found, off, seg, from_end=False)

    def _scan_suffix(self, s: list[str], off: int, lo: int, hi: int) -> Side | None:
        seg = s[:len(s) - off]
        found = [(pos + 1, self._backward(seg, pos + 1, lo))
                 for pos in self.index.get(seg[-1], ()) if lo <= pos < hi]
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
