"""Greedy line selection under a token budget.

Lines are taken best score first, each with the signatures of the definitions around it
and, in code, the less indented lines it sits under (its `if`, loop or call), so a kept
fragment still shows the condition that gives it its meaning.
The running total counts each removed stretch as one marker, updated in O(1) per line
(a line between two removed neighbours splits a stretch, one between two kept neighbours
closes one), so the whole selection is one pass over the chosen lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import compress
from operator import not_

from splice.compact.lines import kept_runs
from splice.compact.structure import Scope


@dataclass
class Document:
    """Every line of every segment, flattened; segments never share a marker."""

    lines: list[str]
    est: list[float]                  # estimated tokens per line
    score: list[float]                # < 0: never kept unless forced
    inner: list[int]                  # innermost scope per line, -1 when none
    scopes: list[Scope]
    seg_starts: set[int] = field(default_factory=set)
    seg_ends: set[int] = field(default_factory=set)
    forced: list[int] = field(default_factory=list)
    parent: list[int] | None = None   # the less indented line each line sits under
    blanks: list[int] | None = None   # the blank lines, found once on first use

    def blank_lines(self) -> list[int]:
        if self.blanks is None:
            self.blanks = blank_lines(self.lines)
        return self.blanks


def blank_lines(lines: list[str]) -> list[int]:
    """Indices of the blank (empty or whitespace-only) lines, the test run in C."""
    return list(compress(range(len(lines)), map(not_, map(str.strip, lines))))


class Selector:
    def __init__(self, doc: Document, marker_cost: float) -> None:
        self.doc = doc
        self.marker = marker_cost
        self.kept = [False] * len(doc.lines)
        self.stretches = len(doc.seg_starts)
        self.kept_tokens = 0.0
        self.scopes_done: set[int] = set()
        self.forced_total = 0.0

    @property
    def total(self) -> float:
        return self.kept_tokens + self.stretches * self.marker

    def _keep(self, j: int) -> None:
        kept = self.kept
        doc = self.doc
        left_removed = j not in doc.seg_starts and not kept[j - 1]
        right_removed = j not in doc.seg_ends and not kept[j + 1]
        if left_removed and right_removed:
            self.stretches += 1
        elif not left_removed and not right_removed:
            self.stretches -= 1
        kept[j] = True
        self.kept_tokens += doc.est[j]

    def _group(self, i: int) -> list[int]:
        """Line i and the not-yet-kept signature lines of every definition around it
        and the less indented lines it sits under (a line may come twice)."""
        group = [i]
        doc = self.doc
        kept = self.kept
        s = doc.inner[i]
        done = self.scopes_done
        while s >= 0 and s not in done:
            scope = doc.scopes[s]
            group.extend(j for j in range(scope.start, scope.header_end + 1) if not kept[j])
            s = scope.parent
        if doc.parent is not None:
            parent = doc.parent
            p = parent[i]
            while p >= 0 and not kept[p]:
                group.append(p)
                p = parent[p]
        return group

    def _mark_scopes(self, i: int) -> None:
        s = self.doc.inner[i]
        while s >= 0 and s not in self.scopes_done:
            self.scopes_done.add(s)
            s = self.doc.scopes[s].parent

    def force(self) -> None:
        for i in self.doc.forced:
            for j in self._group(i):
                if not self.kept[j]:
                    self._keep(j)
            self._mark_scopes(i)
        self.forced_total = self.total

    def add(self, i: int, budget: float | None) -> bool:
        """Keep line i (with its signatures) if the total stays within budget."""
        kept = self.kept
        if kept[i]:
            return True
        doc = self.doc
        # _group(i), inlined (this runs for most lines tried once the budget is nearly
        # spent): only lines not kept yet, but a signature can also be a parent
        fresh = [i]
        s = doc.inner[i]
        done, scopes = self.scopes_done, doc.scopes
        while s >= 0 and s not in done:
            scope = scopes[s]
            for j in range(scope.start, scope.header_end + 1):
                if not kept[j]:
                    fresh.append(j)
            s = scope.parent
        parent = doc.parent
        if parent is not None:
            p = parent[i]
            while p >= 0 and not kept[p]:
                fresh.append(p)
                p = parent[p]
        if len(fresh) > 1:
            fresh = list(dict.fromkeys(fresh))
        est = doc.est
        if budget is not None:
            # Each added line removes at most one marker: when even that best case is over
            # budget, the add fails, so skip keeping and un-keeping the whole group.
            best = (self.kept_tokens + sum(map(est.__getitem__, fresh))
                    + (self.stretches - len(fresh)) * self.marker)
            if best > budget:
                return False
        # _keep for each line, inlined: the same running sums in the same order
        tokens, stretches = self.kept_tokens, self.stretches
        starts, ends = doc.seg_starts, doc.seg_ends
        for j in fresh:
            left_removed = j not in starts and not kept[j - 1]
            right_removed = j not in ends and not kept[j + 1]
            if left_removed and right_removed:
                stretches += 1
            elif not left_removed and not right_removed:
                stretches -= 1
            kept[j] = True
            tokens += est[j]
        if budget is not None and tokens + stretches * self.marker > budget:
            for j in fresh:
                kept[j] = False
            return False
        self.kept_tokens, self.stretches = tokens, stretches
        self._mark_scopes(i)
        return True

    def fill(self, order: list[int], budget: float | None, *, max_misses: int = 60) -> None:
        misses = 0
        doc = self.doc
        score, est, inner, kept = doc.score, doc.est, doc.inner, self.kept
        parent = doc.parent or [-1] * len(kept)
        starts, ends = doc.seg_starts, doc.seg_ends
        done = self.scopes_done
        marker = self.marker
        limit = float("inf") if budget is None else budget
        tokens, stretches = self.kept_tokens, self.stretches  # local copies of the totals
        for i in order:
            if score[i] < 0:
                break
            if kept[i]:
                continue
            s = inner[i]
            p = parent[i]
            if (s < 0 or s in done) and (p < 0 or kept[p]):
                # the common case, inlined: no signature to bring along, so the cost is
                # the line plus what its neighbours do to the marker count
                left_removed = i not in starts and not kept[i - 1]
                right_removed = i not in ends and not kept[i + 1]
                delta = 1 if left_removed and right_removed else (
                    -1 if not left_removed and not right_removed else 0)
                if tokens + est[i] + (stretches + delta) * marker <= limit:
                    kept[i] = True
                    tokens += est[i]
                    stretches += delta
                    misses = 0
                    continue
            else:
                self.kept_tokens, self.stretches = tokens, stretches
                added = self.add(i, budget)
                tokens, stretches = self.kept_tokens, self.stretches
                if added:
                    misses = 0
                    continue
            misses += 1
            if misses > max_misses:
                break
        self.kept_tokens, self.stretches = tokens, stretches

    def keep_blank_edges(self, budget: float | None) -> None:
        """Keep the blank line just past either end of a kept region while the budget
        allows: it costs about a token, and it is where code gets inserted (after a
        block, between definitions)."""
        doc = self.doc
        kept, score = self.kept, doc.score
        n = len(kept)
        limit = float("inf") if budget is None else budget
        for i in doc.blank_lines():
            if kept[i] or score[i] < 0:
                continue
            if (i > 0 and kept[i - 1] and i not in doc.seg_starts) or (
                    i + 1 < n and kept[i + 1] and i not in doc.seg_ends):
                before = (self.kept_tokens, self.stretches)
                self._keep(i)
                if self.total > limit:
                    kept[i] = False
                    self.kept_tokens, self.stretches = before

    def close_small_gaps(self) -> None:
        """Keep removed stretches that cost no more than the marker replacing them."""
        doc = self.doc
        est, score = doc.est, doc.score
        ends = sorted(doc.seg_ends)
        for keep, a, b in kept_runs(self.kept):
            if keep:
                continue
            # a removed run never spans two segments: cut it after each segment's end
            cuts = [e + 1 for e in ends if a <= e < b - 1]
            for lo, hi in zip([a, *cuts], [*cuts, b], strict=True):
                if sum(est[lo:hi]) <= self.marker and min(score[lo:hi]) >= 0:
                    for k in range(lo, hi):
                        self._keep(k)


def select(doc: Document, *, budget: float | None, threshold: float | None,
           marker_cost: float, order: list[int]) -> Selector:
    """Forced lines first, then by score: within `budget`, or every line scoring at
    least `threshold` when there is no budget."""
    sel = Selector(doc, marker_cost)
    sel.force()
    if budget is None:
        cut = threshold if threshold is not None else 0.0
        sel.fill([i for i in order if doc.score[i] >= cut], None)
    else:
        sel.fill(order, budget)
        sel.keep_blank_edges(budget)
    sel.close_small_gaps()
    return sel
