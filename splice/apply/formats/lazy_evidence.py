"""Evidence that tells two readings of a lazy segment apart when their costs are close.

The joint placement (lazy_joint) refuses a segment when another placement costs about
as much as the chosen one. Some such rivals are readings nobody writes; these tests find
them, so the chosen placement can stand:

- blank-bounded drops: a reading that deletes non-blank original lines between its last
  non-blank match and an edge matched by blank lines alone. Blank lines occur between
  almost any two statements, so they say nothing about where a deletion ends; a rival
  that deletes more lines on that evidence alone than the chosen reading does is no
  reading of the edit.
"""

from __future__ import annotations

import difflib

# A rival must drop at least this many more non-blank lines on blank-only evidence than
# the chosen placement to be dismissed.
BLANK_DROP = 1


def _solid(lines: list[str]) -> int:
    return sum(1 for line in lines if line.strip())


def blank_widened(keys: list[str], pick: tuple[int, int], rival: tuple[int, int],
                  seg: list[str]) -> bool:
    """Whether `rival` is `pick` widened over original lines that hold at least BLANK_DROP
    non-blank lines the segment never mentions, on blank-only evidence: on each side
    where it is wider, both its edge line and the segment's are blank."""
    (p0, p1), (r0, r1) = pick, rival
    if not (r0 <= p0 and r1 >= p1) or (r0, r1) == (p0, p1) or not seg:
        return False
    if r0 < p0 and (keys[r0].strip() or seg[0].strip()):
        return False
    if r1 > p1 and (keys[r1 - 1].strip() or seg[-1].strip()):
        return False
    mentioned = set(seg)
    extra = keys[r0:p0] + keys[p1:r1]
    return sum(1 for k in extra if k.strip() and k not in mentioned) >= BLANK_DROP
