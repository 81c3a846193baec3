"""The last resort of lazy placement: a snippet that can mean only one file means that file.

When placing segments one at a time and jointly both refuse, every reading the snippet's
text allows is considered at once:

- segment k replaces one region of the original, regions in order, not overlapping; the
  lines outside every region are kept (a marker stands for zero or more of them);
- a segment with no marker above starts at the file's top, one with none below ends at
  its end; every other edge is an unchanged line: the segment's first line is the
  region's first line, its last line the region's last, and the two are different lines;
- lines compare exactly.

If all those readings give one and the same file, that file is the merge (the usual
safety checks still run on it); otherwise the refusal stands. Different readings that
give the same file are fine. The search is a dynamic programme over (segment, first free
original line) that keeps at most two distinct results per state, each as a polynomial
hash of its lines plus the regions that made it, so it costs O(lines x segments).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from splice.apply.formats.lazy_place import Placement, Segment
from splice.apply.text import Replacement, normalise

_MOD = (1 << 61) - 1
_BASE = 911_382_323


@dataclass(frozen=True)
class _Outcome:
    """One distinct result of the segments from k on, over the original from some line."""

    digest: int
    length: int
    regions: tuple[tuple[int, int], ...]  # (start, end) of segments k.. in order


class _Hashes:
    def __init__(self) -> None:
        self.powers = [1]

    def power(self, k: int) -> int:
        while len(self.powers) <= k:
            self.powers.append(self.powers[-1] * _BASE % _MOD)
        return self.powers[k]

    def of(self, lines: list[str]) -> int:
        digest = 0
        for line in lines:
            digest = (digest * _BASE + (hash(line) & 0xFFFFFFFFFFFF) + 1) % _MOD
        return digest

    def join(self, digest: int, length: int, tail: _Outcome) -> tuple[int, int]:
        return (digest * self.power(tail.length) + tail.digest) % _MOD, length + tail.length


def _distinct(*groups: list[_Outcome]) -> list[_Outcome]:
    """Up to two outcomes with different texts (enough to tell one reading from many)."""
    out: list[_Outcome] = []
    for group in groups:
        for item in group:
            if all((item.digest, item.length) != (o.digest, o.length) for o in out):
                out.append(item)
                if len(out) == 2:
                    return out
    return out


def sole_reading(keys: list[str], segments: list[Segment],
                 norm: list[list[str]]) -> list[tuple[int, int]] | None:
    """The regions of the one file every reading of the snippet gives, or None when the
    readings give none or several. `norm[k]` is segment k's lines in the keys' form."""
    n = len(keys)
    hs = _Hashes()
    line_digest = [(hash(line) & 0xFFFFFFFFFFFF) + 1 for line in keys]
    # suffix digests of the original: what stays after the last segment
    after: list[list[_Outcome]] = [[] for _ in range(n + 1)]
    digest = 0
    for lo in range(n, -1, -1):
        if lo < n:
            digest = (line_digest[lo] * hs.power(n - lo - 1) + digest) % _MOD
        after[lo] = [_Outcome(digest, n - lo, ())]
    for k in range(len(segments) - 1, -1, -1):
        seg, s = segments[k], norm[k]
        anchors = (not seg.pinned_start) + (not seg.pinned_end)
        if len(s) < anchors:
            return None
        ends = {n} if seg.pinned_end else {e for e in range(1, n + 1) if keys[e - 1] == s[-1]}
        block = hs.of(s)
        # union[x]: outcomes of the next segments for every allowed end e >= x
        union: list[list[tuple[int, _Outcome]]] = [[] for _ in range(n + 2)]
        for x in range(n, -1, -1):
            here = [(x, o) for o in after[x]] if x in ends else []
            merged = list(here)
            for e, o in union[x + 1]:
                if len(merged) == 2:
                    break
                if all((o.digest, o.length) != (m.digest, m.length) for _, m in merged):
                    merged.append((e, o))
            union[x] = merged
        current: list[list[_Outcome]] = [[] for _ in range(n + 2)]
        for lo in range(n, -1, -1):
            kept: list[_Outcome] = []
            if lo < n:
                for o in current[lo + 1]:
                    d, length = hs.join(line_digest[lo], 1, o)
                    kept.append(_Outcome(d, length, o.regions))
            placed: list[_Outcome] = []
            starts_here = lo == 0 if seg.pinned_start else (lo < n and keys[lo] == s[0])
            if starts_here and lo + anchors <= n:
                for e, o in union[lo + anchors]:
                    d, length = hs.join(block, len(s), o)
                    placed.append(_Outcome(d, length, ((lo, e), *o.regions)))
            current[lo] = _distinct(kept, placed)
        after = current[:n + 1]
    found = after[0]
    if len(found) != 1:
        return None
    return list(found[0].regions)


class _Restorer(Protocol):
    keys: list[str]
    kind: str

    def _restore(self, placed: Placement) -> list[str]: ...


def sole_replacements(merger: _Restorer, segments: list[Segment],
                      ) -> tuple[list[Replacement], list[bool]] | None:
    """sole_reading's regions as a merger's replacements (with, for each, whether a pinned
    edge matches nothing there), or None. Exact keys only: looser keys would let lines
    the snippet changed count as unchanged."""
    if merger.kind != "exact":
        return None
    norm = [normalise(seg.lines, merger.kind) for seg in segments]
    regions = sole_reading(merger.keys, segments, norm)
    if regions is None:
        return None
    keys, n = merger.keys, len(merger.keys)
    reps: list[Replacement] = []
    blind: list[bool] = []
    for seg, s, (start, end) in zip(segments, norm, regions, strict=True):
        edge_blind = bool((seg.pinned_start and (n == 0 or keys[0] != s[0]))
                          or (seg.pinned_end and (n == 0 or keys[-1] != s[-1])))
        placed = Placement(start, end, seg.lines, edge_blind)
        reps.append(Replacement(start, end, merger._restore(placed)))
        blind.append(edge_blind)
    return reps, blind
