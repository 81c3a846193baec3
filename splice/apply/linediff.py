"""A line diff that stays near-linear on long, repetitive inputs.

difflib's SequenceMatcher (autojunk off) tries every place each line occurs at every
level of its recursion: two 1,000-line blocks whose lines are half blank take seconds.
Here the common ends are cut first; small middles go to difflib as they are (same
opcodes as before); a large middle is split at the lines that occur exactly once on each
side, in order (the longest increasing run of them, as patience diff does), and each gap
between them is diffed the same way. A gap still too large with no such line left is
one `replace` (its lines are kept from neither side's pairing), never a stall.
"""

from __future__ import annotations

import difflib
from bisect import bisect_left
from collections.abc import Hashable, Sequence

Opcode = tuple[str, int, int, int, int]
SMALL = 40_000  # middles up to this product of lengths go to difflib directly


def _common_ends(a: Sequence[Hashable], b: Sequence[Hashable]) -> tuple[int, int]:
    n = min(len(a), len(b))
    head = 0
    while head < n and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < n - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    return head, tail


def _unique_pairs(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple[int, int]]:
    """(i, j) for lines occurring once in `a` and once in `b`, the longest run increasing
    in both (patience sorting)."""
    count_a: dict[Hashable, int] = {}
    for x in a:
        count_a[x] = count_a.get(x, 0) + 1
    where_b: dict[Hashable, int] = {}
    count_b: dict[Hashable, int] = {}
    for j, x in enumerate(b):
        count_b[x] = count_b.get(x, 0) + 1
        where_b[x] = j
    pairs = [(i, where_b[x]) for i, x in enumerate(a)
             if count_a[x] == 1 and count_b.get(x) == 1]
    # longest increasing subsequence of j (pairs are in i order)
    tails: list[int] = []
    tail_at: list[int] = []
    back = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_at.append(k)
        else:
            tails[pos] = j
            tail_at[pos] = k
        back[k] = tail_at[pos - 1] if pos else -1
    out: list[tuple[int, int]] = []
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        out.append(pairs[k])
        k = back[k]
    return out[::-1]


def _middle(a: Sequence[Hashable], b: Sequence[Hashable], i0: int, j0: int,
            out: list[Opcode]) -> None:
    """Opcodes for a[i0:i0+len(a)] against b[j0:j0+len(b)] (no common ends assumed)."""
    n, m = len(a), len(b)
    if not n and not m:
        return
    if not n or not m or n * m <= SMALL:
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
                None, a, b, autojunk=False).get_opcodes():
            out.append((tag, i0 + i1, i0 + i2, j0 + j1, j0 + j2))
        return
    anchors = _unique_pairs(a, b)
    if not anchors:
        out.append(("replace", i0, i0 + n, j0, j0 + m))
        return
    pi = pj = 0
    for i, j in [*anchors, (n, m)]:
        _diff(a[pi:i], b[pj:j], i0 + pi, j0 + pj, out)
        if i < n:
            out.append(("equal", i0 + i, i0 + i + 1, j0 + j, j0 + j + 1))
        pi, pj = i + 1, j + 1


def _diff(a: Sequence[Hashable], b: Sequence[Hashable], i0: int, j0: int,
          out: list[Opcode]) -> None:
    head, tail = _common_ends(a, b)
    if head:
        out.append(("equal", i0, i0 + head, j0, j0 + head))
    _middle(a[head:len(a) - tail], b[head:len(b) - tail], i0 + head, j0 + head, out)
    if tail:
        out.append(("equal", i0 + len(a) - tail, i0 + len(a), j0 + len(b) - tail, j0 + len(b)))


def line_opcodes(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Opcode]:
    """difflib-style opcodes turning `a` into `b`: difflib's own for small inputs,
    adjacent equal runs merged otherwise."""
    if len(a) * len(b) <= SMALL:
        return list(difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes())
    raw: list[Opcode] = []
    _diff(a, b, 0, 0, raw)
    out: list[Opcode] = []
    for op in raw:
        if op[1] == op[2] and op[3] == op[4]:
            continue
        if out and out[-1][0] == op[0] == "equal":
            tag, i1, _, j1, _ = out[-1]
            out[-1] = (tag, i1, op[2], j1, op[4])
        else:
            out.append(op)
    return out
