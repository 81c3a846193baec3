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
give the same file are fine.

The search runs from the last segment to the first and keeps, for each place a segment
may start, at most two distinct files (a polynomial hash of the whole file, its length,
and the regions that made it): two are enough to tell one reading from several. Keeping
original lines ahead of a segment does not change the whole file, so only the places
where anchors match are visited, and the cost is about the number of anchor matches.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from splice.apply.formats.lazy.anchors import Anchors
from splice.apply.formats.lazy.segments import Placement, Segment
from splice.apply.text import Replacement, normalise

_MOD = (1 << 61) - 1
_BASE = 911_382_323


@dataclass(frozen=True)
class _File:
    """One distinct file some readings give: its hash, its length, the regions used."""

    digest: int
    length: int
    regions: tuple[tuple[int, int], ...]  # (start, end) of this segment and the later ones


def _merge(into: list[_File], items: list[_File]) -> list[_File]:
    """`into` plus `items`: at most two different files (enough to tell one from many)."""
    out = list(into)
    for item in items:
        if len(out) == 2:
            break
        if all((item.digest, item.length) != (f.digest, f.length) for f in out):
            out.append(item)
    return out


def sole_reading(keys: list[str], segments: list[Segment],
                 norm: list[list[str]]) -> list[tuple[int, int]] | None:
    """The regions of the one file every reading of the snippet gives, or None when the
    readings give none or several. `norm[k]` is segment k's lines in the keys' form."""
    n = len(keys)
    line_digest = [(hash(line) & 0xFFFFFFFFFFFF) + 1 for line in keys]
    powers = [1] * (n + max((len(s) for s in norm), default=0) + 2)
    for i in range(1, len(powers)):
        powers[i] = powers[i - 1] * _BASE % _MOD

    def power(k: int) -> int:
        while k >= len(powers):
            powers.append(powers[-1] * _BASE % _MOD)
        return powers[k]

    prefix = [0] * (n + 1)  # prefix[i]: hash of keys[:i]
    for i, d in enumerate(line_digest):
        prefix[i + 1] = (prefix[i] * _BASE + d) % _MOD
    places: dict[str, list[int]] = {}
    for i, line in enumerate(keys):
        places.setdefault(line, []).append(i)

    # the later segments' files, per place the next segment may start (None: there is no
    # later segment, so the rest of the original stays, wherever this one ends)
    next_starts: list[int] | None = None
    next_files: list[list[_File]] = []
    untouched = [_File(prefix[n], n, ())]

    def later(e: int) -> list[_File]:
        if next_starts is None:
            return untouched
        j = bisect_left(next_starts, e)
        return next_files[j] if j < len(next_starts) else []

    for k in range(len(segments) - 1, -1, -1):
        seg, s = segments[k], norm[k]
        anchors = (not seg.pinned_start) + (not seg.pinned_end)
        if len(s) < anchors:
            return None
        starts = [0] if seg.pinned_start else places.get(s[0], [])
        ends = [n] if seg.pinned_end else [q + 1 for q in places.get(s[-1], [])]
        if not starts or not ends:
            return None
        seg_digest = 0
        for line in s:
            seg_digest = (seg_digest * _BASE + (hash(line) & 0xFFFFFFFFFFFF) + 1) % _MOD
        # files of the later segments for every end >= ends[i], as suffixes after the end
        suffixes: list[list[tuple[int, int, int, _File]]] = [[] for _ in ends]
        running: list[tuple[int, int, int, _File]] = []
        for i in range(len(ends) - 1, -1, -1):
            e = ends[i]
            here = []
            for f in later(e):
                rest = f.length - e
                here.append(((f.digest - prefix[e] * power(rest)) % _MOD, rest, e, f))
            seen = {(d, r) for d, r, _, _ in running}
            for item in here:
                if len(running) == 2:
                    break
                if (item[0], item[1]) not in seen:
                    seen.add((item[0], item[1]))
                    running.append(item)
            suffixes[i] = list(running)
        # files of this segment and the later ones for every start >= starts[j]
        placed: list[list[_File]] = [[] for _ in starts]
        acc: list[_File] = []
        for j in range(len(starts) - 1, -1, -1):
            a = starts[j]
            i = bisect_left(ends, a + anchors)
            made = []
            if i < len(ends):
                for d, rest, e, f in suffixes[i]:
                    digest = (prefix[a] * power(len(s) + rest) + seg_digest * power(rest)
                              + d) % _MOD
                    made.append(_File(digest, a + len(s) + rest, ((a, e), *f.regions)))
            acc = _merge(acc, made)
            placed[j] = acc
        next_starts, next_files = starts, placed

    found = later(0)
    if len(found) != 1:
        return None
    return list(found[0].regions)


def sole_replacements(anchors: Anchors, segments: list[Segment],
                      ) -> tuple[list[Replacement], list[bool]] | None:
    """sole_reading's regions as replacements (with, for each, whether a pinned
    edge matches nothing there), or None. Exact keys only: looser keys would let lines
    the snippet changed count as unchanged."""
    if anchors.kind != "exact":
        return None
    norm = [normalise(seg.lines, anchors.kind) for seg in segments]
    regions = sole_reading(anchors.keys, segments, norm)
    if regions is None:
        return None
    keys, n = anchors.keys, len(anchors.keys)
    reps: list[Replacement] = []
    blind: list[bool] = []
    for seg, s, (start, end) in zip(segments, norm, regions, strict=True):
        edge_blind = bool((seg.pinned_start and (n == 0 or keys[0] != s[0]))
                          or (seg.pinned_end and (n == 0 or keys[-1] != s[-1])))
        placed = Placement(start, end, seg.lines, edge_blind)
        reps.append(Replacement(start, end, anchors.restore(placed)))
        blind.append(edge_blind)
    return reps, blind
