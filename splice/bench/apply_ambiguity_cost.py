"""What a reading of a lazy segment changes: the nearest-reading cost of the enumerator.

A segment placed over a region of the original keeps the lines the two share *in order*
(the issue's rule 3: "all lines of the segment that match the original in order") and
changes the rest: region lines it drops plus segment lines it inserts, i.e.
len(region) + len(segment) - 2 * LCS(region, segment). Matching as multisets instead
lets a line the segment adds pay for a file line out of order (a new blank line below a
moved statement "matching" a blank line the region holds above the function): a
reading that drops a line the writer kept could then look as near as the real one.

Among readings as near, one whose changed lines rewrite lines of its region (a changed
line at least SIMILAR to a line the region drops: `return a - b` -> `return a + b`)
explains the change better than one that inserts them beside the lines they resemble:
`rewrites` counts them, the tie-break the enumerator applies when the changed lines tie.

The LCS of the segment against a region growing one line at a time is kept as a bit
vector over the segment's lines (Hyyro's bit-parallel LCS length): each region line costs
a few big-integer operations, whatever the segment's length.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from splice.bench.apply_shapes_model import SIMILAR, ratio


class InOrder:
    """LCS lengths of `seg` against orig[a:e] for e = a+1, a+2, ... (bit-parallel)."""

    def __init__(self, seg: Sequence[str]) -> None:
        self.size = len(seg)
        self.full = (1 << self.size) - 1
        self.masks: dict[str, int] = {}
        for j, line in enumerate(seg):
            self.masks[line] = self.masks.get(line, 0) | (1 << j)

    def lengths(self, orig: Sequence[str], a: int) -> Iterator[int]:
        """The LCS length of the segment and orig[a:e], for e from a + 1 on."""
        v = self.full  # a zero bit per segment line matched so far (in the LCS)
        for e in range(a, len(orig)):
            match = self.masks.get(orig[e], 0)
            if match:
                u = v & match
                v = ((v + u) | (v - u)) & self.full
            yield self.size - v.bit_count()


def changed_lines(region: Sequence[str], seg: Sequence[str]) -> int:
    """Region lines dropped plus segment lines inserted, matched in order."""
    common = max(InOrder(seg).lengths(region, 0), default=0)  # LCS lengths only grow
    return len(region) + len(seg) - 2 * common


class Rewrites:
    """How many of a segment's changed lines rewrite a line its region drops (the lines
    the region and segment do not share, as multisets; blank lines are no rewrite)."""

    def __init__(self, seg: Sequence[str]) -> None:
        self.seg = Counter(seg)
        self.like: dict[tuple[str, str], bool] = {}

    def _similar(self, old: str, new: str) -> bool:
        key = (old, new)
        if key not in self.like:
            self.like[key] = ratio(old, new) >= SIMILAR
        return self.like[key]

    def count(self, region: Sequence[str]) -> int:
        held = Counter(region)
        dropped = [x for x in held - self.seg if x.strip()]
        inserted = self.seg - held
        return sum(k for y, k in inserted.items()
                   if y.strip() and any(self._similar(x, y) for x in dropped))
