"""How many readings a lazy snippet has: the bound no merger can pass without guessing.

An independent enumerator (it shares nothing with splice.apply's placement code, only the
marker syntax). For a lazy snippet and its original it finds every *reading* the snippet's
text allows and the distinct files those readings produce. The format's semantics, as
written down here:

1. Marker lines (a comment in the file's syntax whose text starts and ends with `...`)
   split the snippet into segments, in file order. A group of blank lines between two
   markers says nothing and is not a segment.
2. SnippetSegment k replaces one region orig[a_k:b_k] of the original. Regions come in order and
   do not overlap (b_{k-1} <= a_k); every original line outside them is kept, verbatim and
   in place. A marker stands for >= 0 kept lines.
3. No marker before the first segment: it starts at the file's top (a_1 = 0). None after
   the last: it ends at the file's end (b_m = n).
4. A segment edge that is not pinned to the file's edge is an unchanged line: its first
   line equals the region's first line, its last line the region's last. The two anchors
   are different lines on both sides (a segment of one line, or a region of one line, has
   no reading between two markers). A pinned edge needs no anchor.
5. A snippet with no marker line at all is the whole new file: one reading, itself.
6. Lines compare exactly (snippets copy unchanged lines verbatim); line endings aside.

The result of a reading is orig[:a_1] + S_1 + orig[b_1:a_2] + ... + S_m + orig[b_m:].
Readings that differ but give the same file count once. A case with >= 2 distinct files is
inherently ambiguous: which one the writer meant is not in the text.

The search is a dynamic programme over (segment, first original line still free), with
file results carried as polynomial hashes of their lines (concatenation is arithmetic on
(hash, length)), sets of results capped at two (enough to tell 0, 1 and >= 2 apart: each
step prepends a fixed text, which keeps distinct results distinct), the nearest reading
(the fewest changed lines: region lines deleted plus segment lines inserted, matched in
order per region, apply_ambiguity_cost; the smallest edit a guesser could assume; among
files as near, the one whose changed lines rewrite more lines they drop) tracked
alongside, and the gold file's membership checked exactly by suffix lengths.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from splice.apply.formats.markers import marker_checker
from splice.bench.apply_ambiguity_cost import InOrder, Rewrites

MOD = (1 << 61) - 1
BASE = 1_000_003
CAP = 2  # distinct results kept per state: tells 0, 1 and >= 2 apart exactly
DISTINCT_CHARS = 8  # a line this long with a letter or digit is worth telling apart

# A result: (hash, number of lines).
Result = tuple[int, int]


def line_hash(line: str) -> int:
    return int.from_bytes(hashlib.blake2b(line.encode("utf-8", "surrogatepass"),
                                          digest_size=8).digest(), "big") % MOD


@dataclass
class SnippetSegment:
    lines: list[str]
    pinned_start: bool
    pinned_end: bool


def split_snippet(lines: Sequence[str], path: str | None) -> list[SnippetSegment] | None:
    """Segments of a lazy snippet (rule 1 and 3); None when it has no marker line."""
    is_marker = marker_checker(path)
    flags = [is_marker(line) for line in lines]
    if not any(flags):
        return None
    groups: list[list[str]] = [[]]
    for line, flag in zip(lines, flags, strict=True):
        if flag:
            groups.append([])
        else:
            groups[-1].append(line)
    last = len(groups) - 1
    return [SnippetSegment(list(g), pinned_start=i == 0, pinned_end=i == last)
            for i, g in enumerate(groups)
            if g and (any(line.strip() for line in g) or i in (0, last))]


class Hasher:
    """Polynomial hashes of line sequences, with O(1) substring and concatenation."""

    def __init__(self) -> None:
        self.powers = [1]

    def power(self, k: int) -> int:
        while len(self.powers) <= k:
            self.powers.append(self.powers[-1] * BASE % MOD)
        return self.powers[k]

    def prefix(self, hashes: Sequence[int]) -> list[int]:
        out = [0]
        for h in hashes:
            out.append((out[-1] * BASE + h + 1) % MOD)
        return out

    def sub(self, pre: list[int], i: int, j: int) -> int:
        """Hash of lines [i, j) of the sequence whose prefix hashes are `pre`."""
        return (pre[j] - pre[i] * self.power(j - i)) % MOD

    def concat(self, left: Result, right: Result) -> Result:
        return ((left[0] * self.power(right[1]) + right[0]) % MOD, left[1] + right[1])


def _cap(items: frozenset[Result] | set[Result]) -> frozenset[Result]:
    return frozenset(sorted(items)[:CAP]) if len(items) > CAP else frozenset(items)


@dataclass
class Ambiguity:
    """What one snippet allows: how many readings, how many distinct files (0, 1 or 2
    meaning >= 2), whether the gold file is one of them, and the nearest reading."""

    segments: int
    readings: int                 # assignments of regions (may count one file many times)
    distinct: int                 # distinct resulting files, capped at 2
    gold_is_reading: bool | None  # None when no gold was given
    nearest_distinct: int = 0     # distinct files among the nearest readings (<= 2)
    gold_is_nearest: bool | None = None
    nearest_changed_lines: int | None = None
    nearest_margin: int | None = None  # the next distinct file's changed lines minus these
    nearest_files: list[list[str]] | None = None  # the two cheapest files, cheapest first
    by_rewrites: bool = False  # the nearest file won the tie-break (it rewrites more lines)

    @property
    def kind(self) -> str:
        return {0: "none", 1: "unique"}.get(self.distinct, "ambiguous")


def distinctive(line: str) -> bool:
    key = line.strip()
    return len(key) >= DISTINCT_CHARS and any(c.isalnum() for c in key)


def _starts_ends(seg: SnippetSegment, orig: list[str], once: dict[str, int] | None,
                 shown: Callable[[int, int], bool] | None = None,
                 ) -> tuple[list[int], list[int], int]:
    """Start positions, end positions (exclusive) and the number of anchors (the least
    region length) for the segment's edges (rule 4); pinned edges allow only the file's
    edge. With `once` (distinctive line -> its one place in the file), the region must
    cover every such line the segment shows. With `shown`, an anchored edge must be a
    line the writer was shown (`shown(line, inward step)`)."""
    n, s = len(orig), seg.lines
    keep = shown or (lambda i, step: True)
    starts = [0] if seg.pinned_start else [a for a in range(n)
                                           if orig[a] == s[0] and keep(a, 1)]
    ends = [n] if seg.pinned_end else [e for e in range(1, n + 1)
                                       if orig[e - 1] == s[-1] and keep(e - 1, -1)]
    anchors = (not seg.pinned_start) + (not seg.pinned_end)
    if len(s) < anchors:
        return [], [], anchors
    if once:
        places = [once[line] for line in s if line in once]
        if places:
            starts = [a for a in starts if a <= min(places)]
            ends = [e for e in ends if e > max(places)]
    return starts, ends, anchors


def _regions(seg: SnippetSegment, orig: list[str], a: int, ends: set[int], anchors: int,
             mentioned: set[str], limit: int | None, net_limit: int | None = None, *,
             cost: _Cost) -> Iterator[tuple[int, int]]:
    """(end, cost) of each region starting at `a`, nearest first. The cost: region lines
    the segment does not keep plus segment lines the region does not hold, matched in
    order (apply_ambiguity_cost), times `cost.scale`, less the changed lines that rewrite
    a line of the region when `cost.rewrites` is given. With `limit`, regions stop before
    dropping that many non-blank lines the snippet never mentions (the count only grows
    with the region); with `net_limit`, before the region is that many lines longer than
    the segment."""
    unmentioned = 0
    s = len(seg.lines)
    for e, common in zip(range(a + 1, len(orig) + 1), cost.lcs.lengths(orig, a), strict=True):
        if net_limit is not None and (e - a) - s >= net_limit:
            return
        line = orig[e - 1].strip()
        if limit is not None and line and line not in mentioned:
            unmentioned += 1
            if unmentioned >= limit:
                return
        if e - a >= anchors and e in ends:
            changed = (e - a) + s - 2 * common
            extra = cost.rewrites.count(orig[a:e]) if cost.rewrites else 0
            yield e, changed * cost.scale - extra


@dataclass
class _Cost:
    """How one segment's readings are costed: changed lines in order (`lcs`), scaled so
    that the rewrites (`rewrites`, the tie-break) never outweigh one changed line."""

    lcs: InOrder
    scale: int = 1
    rewrites: Rewrites | None = None


Regions = tuple[tuple[int, int], ...]
Near = tuple[tuple[float, Result, Regions], ...]


def _top2(entries: Iterable[tuple[float, Result, Regions]]) -> Near:
    """The two cheapest distinct files, each at its least cost with the regions giving it
    (the top two of a union are always within the unions of the parts' top two)."""
    least: dict[Result, tuple[float, Regions]] = {}
    for cost, file, regions in entries:
        if cost < least.get(file, (float("inf"), ()))[0]:
            least[file] = (cost, regions)
    return tuple(sorted((c, f, r) for f, (c, r) in least.items())[:2])


@dataclass(frozen=True)
class _State:
    """What the segments from k on can make of the original from line lo on."""

    files: frozenset[Result] = frozenset()   # distinct results (capped)
    readings: int = 0
    near: Near = ()                          # cheapest two files by changed lines (_regions)
    gold: frozenset[int] = frozenset()       # suffix lengths L: result == gold[-L:]

    def union(self, other: _State, shift: float = 0,
              region: tuple[int, int] | None = None) -> _State:
        """Both sets of readings; `other`'s cost `shift` more changed lines and, for the
        nearest files' record, come after `region`."""
        extra: Regions = () if region is None else (region,)
        near = _top2([*self.near, *((c + shift, f, extra + r) for c, f, r in other.near)])
        return _State(_cap(self.files | other.files), self.readings + other.readings, near,
                      self.gold | other.gold)

    @property
    def runner_up(self) -> float:
        return self.near[1][0] if len(self.near) > 1 else float("inf")


def _build(orig: list[str], segments: list[SnippetSegment], regions: Regions) -> list[str]:
    out: list[str] = []
    pos = 0
    for seg, (a, b) in zip(segments, regions, strict=True):
        out += orig[pos:a] + seg.lines
        pos = b
    return out + orig[pos:]


def _shown_edges(orig: list[str], within: Sequence[tuple[int, int]]
                 ) -> Callable[[int, int], bool]:
    """Whether an edge line was shown (1-based inclusive ranges). A blank edge line says
    nothing of where the writer looked: it counts as shown when the first non-blank line
    inward from it (`step` 1: below, -1: above) was."""
    n = len(orig)
    lines = {i for a, b in within for i in range(a - 1, min(b, n))}

    def shown(i: int, step: int) -> bool:
        while 0 <= i < n and not orig[i].strip():
            i += step
        return i in lines

    return shown


def enumerate_readings(original: Sequence[str], snippet: Sequence[str], path: str | None,
                       gold: Sequence[str] | None = None,
                       max_unmentioned: int | None = None,
                       cover_shown: bool = False, max_net_drop: int | None = None,
                       within: Sequence[tuple[int, int]] | None = None) -> Ambiguity:
    """The readings of `snippet` (lines) over `original` (lines).

    Two optional narrowings, priors rather than the format's rules: with
    `max_unmentioned`, no region drops that many non-blank lines the snippet never
    mentions (what splice's SuspiciousDeletion guard calls a forgotten marker); with
    `cover_shown`, a distinctive line (8+ characters, a letter or digit) that the file
    holds once and a segment shows is that line, so the segment's region covers it (the
    reading does not keep it and add a copy); with `max_net_drop`, no region is that many
    lines longer than its segment (no segment deletes that many lines net); with `within`
    (1-based inclusive ranges: the lines the writer was shown), every anchored segment
    edge lies inside them (the issue's rule 4: the writer's evidence narrows the
    readings; a blank edge by the first non-blank line inward from it)."""
    segments = split_snippet(snippet, path)
    if segments is None:  # rule 5: the whole file
        whole = gold is None or list(snippet) == list(gold)
        return Ambiguity(segments=0, readings=1, distinct=1,
                         gold_is_reading=None if gold is None else whole, nearest_distinct=1,
                         gold_is_nearest=None if gold is None else whole,
                         nearest_changed_lines=0)
    orig = list(original)
    n, m = len(orig), len(segments)
    hs = Hasher()
    ohash = [line_hash(line) for line in orig]
    opre = hs.prefix(ohash)
    gold_len = len(gold) if gold is not None else 0
    gpre = hs.prefix([line_hash(x) for x in gold]) if gold is not None else []
    mentioned = {line.strip() for line in snippet if line.strip()}
    shown = None if within is None else _shown_edges(orig, within)

    once: dict[str, int] | None = None
    if cover_shown:
        seen = Counter(orig)
        once = {line: i for i, line in enumerate(orig) if seen[line] == 1 and distinctive(line)}

    def gold_ends_with(length_after: int, block: Result) -> bool:
        """Does gold end with `block` followed by `length_after` more lines?"""
        j = gold_len - length_after
        i = j - block[1]
        return i >= 0 and hs.sub(gpre, i, j) == block[0]

    def prepend(block: Result, state: _State) -> _State:
        gold_lens = frozenset(L + block[1] for L in state.gold if gold_ends_with(L, block))
        return _State(frozenset(hs.concat(block, r) for r in state.files), state.readings,
                      tuple((c, hs.concat(block, f), r) for c, f, r in state.near), gold_lens)

    # after the last segment, the rest of the original is kept
    last: list[_State] = []
    for lo in range(n + 1):
        rest: Result = (hs.sub(opre, lo, n), n - lo)
        last.append(_State(frozenset({rest}), 1, ((0, rest, ()),),
                           frozenset({n - lo}) if gold is not None and gold_ends_with(0, rest)
                           else frozenset()))
    blocks: list[Result] = [(hs.sub(hs.prefix([line_hash(x) for x in seg.lines]), 0,
                                    len(seg.lines)), len(seg.lines)) for seg in segments]
    edges = [_starts_ends(seg, orig, once, shown) for seg in segments]
    lcs = [InOrder(seg.lines) for seg in segments]
    total = sum(len(seg.lines) for seg in segments)

    def solve(scale: int, similar: bool) -> _State:
        """The readings with each region's cost scaled (the tie-break's room) and, when
        `similar`, less its rewrites."""
        slack = total if similar else 0  # the most all rewrites can take off
        after = last
        for k in range(m - 1, -1, -1):
            seg = segments[k]
            cost = _Cost(lcs[k], scale, Rewrites(seg.lines) if similar else None)
            starts, ends, anchors = edges[k]
            end_set = set(ends)
            placed: dict[int, _State] = {}
            if max_unmentioned is None and max_net_drop is None:
                # suffix unions over allowed ends e >= x; region costs added below
                union = [_State()] * (n + 2)
                for x in range(n, -1, -1):
                    union[x] = union[x + 1].union(after[x]) if x in end_set else union[x + 1]
                for a in starts:
                    x = a + anchors
                    if x <= n and union[x].readings:
                        # the nearest two files by an explicit walk, cut off once the
                        # region alone changes more lines than the runner-up's total
                        near = _State()
                        for e, c in _regions(seg, orig, a, end_set, anchors, mentioned, None,
                                             cost=cost):
                            if ((e - a) - len(seg.lines)) * scale - slack > near.runner_up:
                                break
                            near = near.union(after[e], c, (a, e))
                        st = union[x]
                        placed[a] = _State(st.files, st.readings, near.near, st.gold)
            else:
                for a in starts:
                    st = _State()
                    for e, c in _regions(seg, orig, a, end_set, anchors, mentioned,
                                         max_unmentioned, max_net_drop, cost=cost):
                        st = st.union(after[e], c, (a, e))
                    if st.readings:
                        placed[a] = st
            here = [_State()] * (n + 2)
            for lo in range(n, -1, -1):
                st = _State()
                if lo < n and here[lo + 1].readings:  # keep orig[lo]; the segment starts later
                    st = prepend(((ohash[lo] + 1) % MOD, 1), here[lo + 1])
                if lo in placed:
                    st = st.union(prepend(blocks[k], placed[lo]))
                here[lo] = st
            after = here[:n + 1]
        return after[0]

    top, scale = solve(1, False), 1
    if len(top.near) > 1 and top.runner_up == top.near[0][0]:
        # as near by changed lines: the readings that rewrite more of the lines they drop
        scale = total + 1
        top = solve(scale, True)
    out = Ambiguity(segments=m, readings=top.readings, distinct=len(top.files),
                    gold_is_reading=None if gold is None else gold_len in top.gold)
    if top.files:
        best = top.near[0][0]
        out.nearest_distinct = 2 if top.runner_up == best else 1
        out.nearest_changed_lines = _lines(best, scale)
        if len(top.near) > 1:
            out.nearest_margin = _lines(top.runner_up, scale) - _lines(best, scale)
        out.nearest_files = [_build(orig, segments, r) for _, _, r in top.near]
        out.by_rewrites = scale > 1 and out.nearest_distinct == 1
        if gold is not None:
            gold_file = (hs.sub(gpre, 0, gold_len), gold_len)
            out.gold_is_nearest = out.nearest_distinct == 1 and top.near[0][1] == gold_file
    return out


def _lines(cost: float, scale: int) -> int:
    """The changed lines of a scaled cost (changed * scale - rewrites, rewrites < scale)."""
    return int(-(-cost // scale))


def classify(original: str, snippet: str, path: str | None, gold: str | None,
             split: Callable[[str], list[str]]) -> Ambiguity:
    """enumerate_readings on texts, split into lines by `split`."""
    return enumerate_readings(split(original), split(snippet), path,
                              None if gold is None else split(gold))
