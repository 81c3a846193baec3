"""The work budget of one lazy merge: line comparisons made while finding anchor runs
and while diffing candidate spans against a segment.

A file of a few lines repeated thousands of times gives every anchor thousands of places,
each compared over thousands of lines; a long segment diffed against a span of such a
file costs difflib far more than the product of their lengths (every repeated line is
tried at every place it occurs, at every level of its recursion). Past the budget the
merge is refused inside the engine (a typed refusal, like any other), never left to a
wall-clock timer. The budget is far above what real edits cost (their anchors fit a
handful of places, their lines are mostly distinct): see `splice bench apply --worst`."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from splice.apply.messages import where
from splice.core.errors import AmbiguousMatch

# About 0.4 s of CPU on the machines measured (anchor scans and span diffs together; the
# rest of a merge is linear in the file), so the whole merge stays under the 1 s worst case.
LINE_COMPARISONS = 3_000_000


@dataclass
class Budget:
    """Line comparisons left for one merge; `spend` refuses past the limit."""

    path: str | None = None
    limit: int = LINE_COMPARISONS
    spent: int = 0

    def spend(self, n: int, places: int) -> None:
        self.spent += n
        if self.spent > self.limit:
            raise AmbiguousMatch(
                f"placing the lazy edit{where(self.path)} takes more line comparisons than "
                f"one merge is allowed (its lines fit up to {places} places: the file "
                "repeats them many times, or the segment is very long), so where it goes "
                "cannot be settled.",
                hint="Send the change as SEARCH/REPLACE or a unified diff with line "
                     "numbers, or start and end each segment with lines that occur once.",
                path=self.path, details={"why": "work_budget", "settled": True,
                                         "spent": self.spent})


class MeteredDiff(difflib.SequenceMatcher):  # type: ignore[type-arg]
    """difflib's line diff (autojunk off) that spends from a Budget before each search
    for a longest common block: what the search costs is bounded by how often each of
    its `a` lines occurs in `b`, known before it runs, so a diff too costly for the
    budget is refused before it does that work, not after."""

    # set by SequenceMatcher.set_seqs; typeshed leaves them out
    a: Sequence[str]
    b: Sequence[str]
    b2j: dict[str, list[int]]

    def __init__(self, a: Sequence[str], b: Sequence[str], budget: Budget,
                 places: int = 1) -> None:
        super().__init__(None, a, b, autojunk=False)
        self._budget = budget
        self._places = places
        occurs = self.b2j
        # work[i]: comparisons the searches over a[:i] can make (one per place of each
        # line in b, plus the line itself)
        self._work = [0, *accumulate([len(occurs[x]) + 1 if x in occurs else 1 for x in a])]

    def find_longest_match(self, alo: int = 0, ahi: int | None = None, blo: int = 0,
                           bhi: int | None = None) -> difflib.Match:
        ahi = len(self.a) if ahi is None else ahi
        bhi = len(self.b) if bhi is None else bhi
        self._budget.spend(self._work[ahi] - self._work[alo], self._places)
        return super().find_longest_match(alo, ahi, blo, bhi)
