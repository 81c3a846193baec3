"""The cost of placing a lazy segment on a region of the original, and the cheapest
monotone assignment of all segments (used by the joint placement).

Each segment's anchors (its leading and trailing lines found in the file) propose
candidate regions [start, end) of the original. A candidate costs what the segment
leaves unexplained there: original lines in the region the segment does not keep plus
segment lines the region does not hold (a line diff). Segments sit in file order, so
the choice is a shortest path over segments (each region starts at or after the
previous one's end). A choice is trusted only when every other placement of that
segment costs clearly more (MARGIN); otherwise the edit is refused as ambiguous.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from splice.apply.formats.lazy.anchors import Anchors, Side
from splice.apply.formats.lazy.budget import Budget, MeteredDiff
from splice.apply.text import common_ends

# A placement must beat every alternative for the same segment by this much (lines left
# unexplained) to be chosen; closer calls are refused rather than guessed.
MARGIN = 6.0
# Blank lines prove little: each one left unexplained costs this much.
BLANK_COST = 0.5
# A marker that stands for no line at all is odd (the edit would not need it).
EMPTY_GAP_COST = 1.0
# Candidates kept per segment, cheapest first, for the joint choice.
KEEP = 16
# Candidate pairs scored per segment (the rest are far costlier by their size alone).
SCORE_LIMIT = 64
# An inserted line that copies the original line beside it costs this much more.
DUPLICATE_COST = 1.0
# A line that only changed indentation is nearly the same line.
REINDENTED = 0.9
# A changed line sharing this share of its tokens with an original line is that line,
# edited: it counts as EDITED times the share kept.
SHARED_TOKENS = 0.5
EDITED = 0.8
PAIR_LIMIT = 900  # replaced stretches larger than this (old x new lines) get no credit
# Per start, the ends considered on either side of start + segment length.
NEAR_ENDS = 3


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int  # exclusive
    cost: float
    blind: bool = False  # a pinned edge whose lines match nothing there
    insert: str = ""  # "after"/"before": anchored on one side only (an insertion)


def _weight(line: str) -> float:
    return 1.0 if line.strip() else BLANK_COST


_WORD = re.compile(r"\w+|[^\w\s]+")


@lru_cache(maxsize=65536)
def _tokens(line: str) -> frozenset[str]:
    return frozenset(_WORD.findall(line))


def _pair_credit(old: list[str], new: list[str]) -> float:
    """How much of a replaced stretch is the same lines, edited: each new line is paired
    in order with a later unused old line; one that only moved in indentation counts
    almost as kept, one sharing most of its tokens counts in part."""
    if len(old) * len(new) > PAIR_LIMIT:
        return 0.0
    credit = 0.0
    lo = 0
    for line in new:
        text = line.strip()
        if not text:
            continue
        mine = _tokens(text)
        best, at = 0.0, -1
        for i in range(lo, len(old)):
            other = old[i].strip()
            if not other:
                continue
            if other == text:
                best, at = REINDENTED, i
                break
            theirs = _tokens(other)
            union = len(mine | theirs)
            share = len(mine & theirs) / union if union else 0.0
            if share >= SHARED_TOKENS and share * EDITED > best:
                best, at = share * EDITED, i
        if at >= 0:
            credit += best
            lo = at + 1
    return credit


def _likeness(a: str, b: str) -> float:
    if a == b:
        return 1.0
    a, b = a.strip(), b.strip()
    if not a or not b:
        return 0.0
    if a == b:
        return REINDENTED
    mine, theirs = _tokens(a), _tokens(b)
    union = len(mine | theirs)
    share = len(mine & theirs) / union if union else 0.0
    return share * EDITED if share >= SHARED_TOKENS else 0.0


def _duplicates(keys: list[str], at: int, added: list[str]) -> float:
    """Inserted lines that repeat (or nearly) the original lines right next to the
    insertion point: a reading that puts a copy beside the original, which edits rarely
    mean (the original is usually what they change)."""
    k = len(added)
    before = keys[max(at - k, 0):at]
    after = keys[at:at + k]
    same_before = sum(_likeness(x, y) for x, y in zip(reversed(before), reversed(added),
                                                       strict=False))
    same_after = sum(_likeness(x, y) for x, y in zip(after, added, strict=False))
    return DUPLICATE_COST * max(same_before, same_after)


def cost(keys: list[str], start: int, end: int, seg: list[str],
         budget: Budget | None = None, places: int = 1) -> float:
    """Lines left unexplained when `seg` replaces keys[start:end]: original lines the
    segment drops plus segment lines the region lacks; a changed line paired with a
    similar original line costs only its difference. The line diff spends from `budget`."""
    span = keys[start:end]
    if span == seg:
        return 0.0
    # cheap common ends first, then a line diff of the middle
    head, tail = common_ends(span, seg)
    mid_a, mid_b = span[head:len(span) - tail], seg[head:len(seg) - tail]
    total = sum(map(_weight, mid_a)) + sum(map(_weight, mid_b))
    if not mid_a:
        return total + _duplicates(keys, start + head, mid_b)
    if not mid_b:
        return total
    ops = (difflib.SequenceMatcher(None, mid_a, mid_b, autojunk=False) if budget is None
           else MeteredDiff(mid_a, mid_b, budget, places)).get_opcodes()
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            total -= 2 * sum(map(_weight, mid_a[i1:i2]))
        elif tag == "replace":
            total -= 2 * _pair_credit(mid_a[i1:i2], mid_b[j1:j2])
    return total


def _lower_bound(start: int, end: int, m: int) -> float:
    return abs((end - start) - m) * BLANK_COST


def pairs(head: Side, tail: Side, m: int) -> list[tuple[int, int, int]]:
    """(start, end, anchored lines) of the two ends' places: for each start, the few
    ends nearest to where the segment's own length would put it (longer spans only
    cost more)."""
    need = (0 if head.pinned and head.run == 0 else 1) + (
        0 if tail.pinned and tail.run == 0 else 1)
    ends = sorted(zip(tail.positions, tail.runs, strict=True))
    end_at = [e for e, _ in ends]
    out: list[tuple[int, int, int]] = []
    for p, run in sorted(zip(head.positions, head.runs, strict=True)):
        first = bisect_left(end_at, p + need)
        mid = max(first, bisect_left(end_at, p + m))
        for e, tail_run in ends[max(first, mid - NEAR_ENDS):mid + NEAR_ENDS]:
            out.append((p, e, min(run + tail_run, e - p, m)))
    return out


def score(scanner: Anchors, s: list[str], spans: list[tuple[int, int, int]],
          blind: bool) -> list[Candidate]:
    """The cheapest candidates among `spans`, at most KEEP of them."""
    m = len(s)
    ordered = sorted(set(spans), key=lambda se: (_lower_bound(se[0], se[1], m), -se[2]))
    scored: list[Candidate] = []
    best = float("inf")
    for start, end, _ in ordered[:SCORE_LIMIT]:
        bound = _lower_bound(start, end, m)
        if len(scored) >= KEEP and bound > best + 4 * MARGIN + 40:
            break
        # a line diff of the span against the segment: charged by the comparisons it
        # makes, so many long spans of repeated lines end in a refusal, not a stall
        c = cost(scanner.keys, start, end, s, scanner.budget, len(spans))
        best = min(best, c)
        scored.append(Candidate(start, end, c, blind))
    scored.sort(key=lambda c: (c.cost, c.start))
    return scored[:KEEP]


@dataclass
class Choice:
    picks: list[Candidate]
    total: float
    # per segment: (total cost, candidate) with that segment placed elsewhere, cheapest
    # first; only feasible ones
    rivals: list[list[tuple[float, Candidate]]]


def _gap(prev_end: int, start: int) -> float:
    return EMPTY_GAP_COST if start == prev_end else 0.0


def choose(cands: list[list[Candidate]], n: int, pinned_start: bool,
           pinned_end: bool) -> Choice | None:
    """The cheapest monotone assignment, and each segment's best alternative; None when
    no assignment keeps the segments in file order."""
    k = len(cands)
    inf = float("inf")
    top = 0.0 if pinned_start else None
    fwd: list[list[float]] = []
    back_ptr: list[list[int]] = []
    for i, row in enumerate(cands):
        f_row: list[float] = []
        p_row: list[int] = []
        for c in row:
            if i == 0:
                edge = 0.0 if top is not None else (EMPTY_GAP_COST if c.start == 0 else 0.0)
                f_row.append(c.cost + edge)
                p_row.append(-1)
                continue
            best, arg = inf, -1
            for j, prev in enumerate(cands[i - 1]):
                if prev.end <= c.start and fwd[i - 1][j] < inf:
                    v = fwd[i - 1][j] + _gap(prev.end, c.start)
                    if v < best:
                        best, arg = v, j
            f_row.append(best + c.cost)
            p_row.append(arg)
        fwd.append(f_row)
        back_ptr.append(p_row)
    # backward: the cheapest completion after each candidate
    bwd: list[list[float]] = [[0.0] * len(row) for row in cands]
    for i in range(k - 1, -1, -1):
        for ci, c in enumerate(cands[i]):
            if i == k - 1:
                bwd[i][ci] = 0.0 if pinned_end else (EMPTY_GAP_COST if c.end == n else 0.0)
                continue
            best = inf
            for j, nxt in enumerate(cands[i + 1]):
                if c.end <= nxt.start:
                    v = nxt.cost + _gap(c.end, nxt.start) + bwd[i + 1][j]
                    best = min(best, v)
            bwd[i][ci] = best
    last = fwd[-1]
    if not last:
        return None
    end_costs = [f + b for f, b in zip(last, bwd[-1], strict=True)]
    total = min(end_costs)
    if total == inf:
        return None
    ci = end_costs.index(total)
    chosen = [0] * k
    for i in range(k - 1, -1, -1):
        chosen[i] = ci
        ci = back_ptr[i][ci]
    picks = [cands[i][chosen[i]] for i in range(k)]
    rivals: list[list[tuple[float, Candidate]]] = []
    for i in range(k):
        alts = [(fwd[i][ci] + bwd[i][ci], c) for ci, c in enumerate(cands[i])
                if ci != chosen[i] and fwd[i][ci] + bwd[i][ci] < inf]
        alts.sort(key=lambda tc: tc[0])
        rivals.append(alts)
    return Choice(picks, total, rivals)
