"""The work budget of one lazy merge: line comparisons made while finding anchor runs.

A file of a few lines repeated thousands of times gives every anchor thousands of places,
each compared over thousands of lines: the merge would take seconds to minutes. Past the
budget the merge is refused inside the engine (a typed refusal, like any other), never
left to a wall-clock timer. The budget is far above what real edits cost (their anchors
fit a handful of places): see `splice bench apply --worst`."""

from __future__ import annotations

from dataclasses import dataclass

from splice.apply.messages import where
from splice.core.errors import AmbiguousMatch

# About 0.3 s of CPU in the anchor scans on the machines measured (the rest of a merge
# is linear in the file), so the whole merge stays under the 1 s worst case.
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
