"""Structure-aware placement: a segment made of whole definitions replaces the original
definitions it names, entirely.

A segment qualifies when it parses (tree-sitter) as whole top-level units and at least
one of them is a definition whose name and kind match a definition of the original. Its
matched definitions must be siblings in the original, in the same order. The region runs
from the first matched definition to the last; the old body goes whole, so a changed last
line cannot leave the old one behind. Around them:

- decorators and comments above a definition are replaced when the segment writes some,
  kept when it writes none;
- a new definition (a name the original lacks) goes where its neighbours in the segment
  put it; blank lines alone at the segment's edges say nothing and are dropped;
- other code at the edges must match the original lines just outside the region, or the
  segment is left to the anchor strategies.

A definition name that fits several originals is narrowed by its header line, its
indentation, its neighbours' scope, the writer's evidence and its body; if more than one
remains, structure abstains and the anchor strategies decide (refusing with each
candidate's line and symbol when they cannot).
"""

from __future__ import annotations

from dataclasses import dataclass

from splice.apply.formats.lazy.definitions import Definition, Unit, segment_units
from splice.apply.formats.lazy.segments import Placement, Segment
from splice.apply.formats.lazy.structure_edges import (
    attached_open,
    check_cut_new,
    decorated_open,
    kept_tail,
    tail_unwritten,
)
from splice.apply.formats.lazy.writer import Writer
from splice.apply.indent import lead
from splice.apply.messages import where
from splice.apply.text import distinctive
from splice.core.errors import AmbiguousMatch
from splice.core.syntax import language_name

# A segment's definition shorter than this share of the original's is its head (cut
# short by a marker), unless it ends on the original's last line.
SHARE = 0.5
# Namesakes told apart by their bodies: the one holding this many more of the segment
# definition's distinctive lines than any other.
BODY_MARGIN = 2
# Readings of one segment considered at most (namesakes multiply).
READINGS = 16
# Combinations of several segments' readings tried for the one file order allows.
ORDERINGS = 4096


# Statements that end a body, and lines that close a statement spread over lines.
ENDINGS = frozenset({"return", "raise", "yield", "throw"})
CLOSERS = frozenset({")", "]", "}", "})", "});", ");", "];"})


def _word(line: str) -> str:
    parts = line.replace("(", " ").split()
    return parts[0] if parts else ""


def _last_text(lines: list[str], start: int, end: int) -> str:
    return next((lines[q].strip() for q in range(end - 1, start - 1, -1) if lines[q].strip()),
                "")


@dataclass
class _Match:
    seg: Definition  # lines relative to the segment
    orig: Definition


def _reindent(lines: list[str], have: str, want: str) -> list[str] | None:
    """Lines moved from indentation `have` to `want` (a constant prefix added or cut)."""
    if have == want:
        return list(lines)
    if want.startswith(have):
        extra = want[len(have):]
        return [extra + x if x.strip() else x for x in lines]
    if have.startswith(want):
        cut = have[len(want):]
        if all(x.startswith(cut) for x in lines if x.strip()):
            return [x[len(cut):] if x.strip() else x for x in lines]
    return None


class Structure:
    """Places segments that hold whole definitions, in one original file."""

    def __init__(self, lines: list[str], path: str | None, writer: Writer) -> None:
        self.lines = lines
        self.path = path
        self.language = language_name(path)
        self.writer = writer

    def place_all(self, segments: list[Segment]) -> dict[int, Placement]:
        """Placements of the segments made of whole definitions, by segment index. A
        segment whose namesakes stay several is placed only when the segments' file order
        leaves it one (the first `Parent` rewritten before the second)."""
        options = {seg.index: found for seg in segments if (found := self.options(seg))}
        return {index: pick for index, pick in _in_order(options).items()}

    def options(self, seg: Segment) -> list[Placement]:
        """The segment's placements by the definitions it holds: one, several (a name
        fits several definitions and nothing else settles which), or none when it holds
        no whole definition the original has (the anchor strategies take it then)."""
        if self.language is None:
            return []
        units = segment_units(seg.lines, self.language)
        if not units:
            return []
        defs = [u.definition for u in units if u.definition is not None]
        if not defs or self._runs_on(seg, units) or not self.writer.definitions:
            return []
        out: list[Placement] = []
        for found in self._match(seg, defs):
            verdicts = [(m, self._whole(m, seg)) for m in found]
            if any(w is None for _, w in verdicts):
                raise self._head_or_whole(seg, [m for m, w in verdicts if w is None][0])
            matches = [m for m, w in verdicts if w]
            if not matches:
                return []
            origs = [m.orig for m in matches]
            if any(a.end > b.start for a, b in zip(origs, origs[1:], strict=False)) or len(
                    {o.scope for o in origs}) != 1:
                continue  # not siblings in order: not one stretch of the original
            placed = self._region(seg, units, matches)
            if placed is None:
                return []
            out.append(placed)
        return out

    def _head_or_whole(self, seg: Segment, m: _Match) -> AmbiguousMatch:
        o = m.orig
        return AmbiguousMatch(
            f"segment {seg.index} of the lazy edit writes `{o.name}` (lines "
            f"{o.header + 1}-{o.end}{where(self.path)}) up to a line its original goes on "
            "after, with a marker at or outside its header's indentation: is that the "
            "whole new version (drop the rest of it) or its head (keep the rest)?",
            hint="For the head, indent the marker inside the definition; for the whole "
                 "new version, end it with its last line as the file has it, or send it "
                 "as SEARCH/REPLACE.", path=self.path,
            details={"candidates": [o.header + 1], "why": "head_or_whole"})

    # -- which original definitions ------------------------------------------------------
    def _candidates(self, d: Definition, seg: Segment) -> list[Definition]:
        same = [o for o in self.writer.definitions if o.name == d.name and o.kind == d.kind]
        if len(same) <= 1:
            return same
        header = seg.lines[d.header].strip()
        for narrowed in ([o for o in same if self.lines[o.header].strip() == header],
                         [o for o in same if lead(self.lines[o.header]) == lead(
                             seg.lines[d.header])]):
            if narrowed:
                same = narrowed
        return same

    def _match(self, seg: Segment, defs: list[Definition]) -> list[list[_Match]]:
        """Readings of the segment: each pairs its definitions with their namesakes in
        the original (new ones have none). Several when a name fits several definitions
        that scope, evidence and body do not tell apart (at most READINGS)."""
        options = [self._candidates(d, seg) for d in defs]
        sure = [opts[0] for opts in options if len(opts) == 1]
        scopes = {o.scope for o in sure}
        readings: list[list[_Match]] = [[]]
        for d, opts in zip(defs, options, strict=True):
            if len(opts) > 1 and len(scopes) == 1:
                opts = [o for o in opts if o.scope in scopes] or opts
            if len(opts) > 1:
                opts = self.writer.narrow(opts, lambda o: (o.start, o.end))
            if len(opts) > 1:
                opts = self._by_body(seg, d, opts)
            if len(opts) == 1 and self.writer.points_away(opts[0].start, opts[0].end):
                opts = []  # the only namesake is not where the writer says it worked
            if opts:
                readings = [[*r, _Match(d, o)] for r in readings for o in opts]
            if len(readings) > READINGS:
                return []
        return [r for r in readings if r]

    def _by_body(self, seg: Segment, d: Definition, opts: list[Definition]) -> list[Definition]:
        """The one namesake holding clearly more of the segment definition's distinctive
        lines than any other (BODY_MARGIN more, or some where the others hold none)."""
        mine = {x.strip() for x in seg.lines[d.header + 1:d.end] if distinctive(x.strip())}
        scored = sorted(((len(mine & {x.strip() for x in self.lines[o.header + 1:o.end]}), i)
                         for i, o in enumerate(opts)), reverse=True)
        best, second = scored[0][0], scored[1][0]
        if best - second >= BODY_MARGIN or (best and not second):
            return [opts[scored[0][1]]]
        return opts

    def _whole(self, m: _Match, seg: Segment) -> bool | None:
        """Whether the segment's definition can be the whole new version of the original
        one, not its head cut short by a marker at its own indentation: it ends on the
        original's last line, or on a line the original does not go on after (a short
        line like `)` that it does go on after: only when not much shorter, SHARE), or it
        is the segment's last code and the marker after it is shallower than its header
        (outside it). None: a head by its lines (the original goes on, past the last
        statement the segment writes, with code it never mentions; or see
        `_whole_by_lines`), but the marker after it stands at or outside its header's
        indentation, where a writer also puts the marker after a whole definition (both
        readings are open; a marker outside may just be misplaced)."""
        lines = seg.lines
        seg_last = _last_text(lines, m.seg.header, m.seg.end)
        orig_last = _last_text(self.lines, m.orig.header, m.orig.end)
        closing = self._marker_after(m, seg)
        if seg_last != orig_last and closing in ("level", "outside") and \
                tail_unwritten(self.lines, m.seg, m.orig, lines):
            return None  # a marker outside may be misplaced: the lines still say "head"
        if seg_last == orig_last or closing == "outside":
            return True
        whole = self._whole_by_lines(m, seg_last, orig_last)
        return None if not whole and closing == "level" else whole

    def _whole_by_lines(self, m: _Match, seg_last: str, orig_last: str) -> bool:
        shorter = m.seg.end - m.seg.header < m.orig.end - m.orig.header
        if shorter and _word(orig_last) in ENDINGS and _word(seg_last) not in ENDINGS | CLOSERS:
            return False  # the old one ends on a return, the segment stops short of any
        if not any(self.lines[q].strip() == seg_last for q in range(m.orig.header, m.orig.end)):
            return True
        if distinctive(seg_last):
            return False  # it stops on a line the original goes on after: a head
        return m.seg.end - m.seg.header >= SHARE * (m.orig.end - m.orig.header)

    @staticmethod
    def _marker_after(m: _Match, seg: Segment) -> str | None:
        """Where the marker after the definition stands when the definition is the
        segment's last code: "outside" (shallower than its header), "level" (at it), or
        None (inside it, no marker, or code follows)."""
        if seg.marker_after is None or any(x.strip() for x in seg.lines[m.seg.end:]):
            return None
        mine, header = len(lead(seg.marker_after)), len(lead(seg.lines[m.seg.header]))
        return "outside" if mine < header else "level" if mine == header else None

    @staticmethod
    def _runs_on(seg: Segment, units: list[Unit]) -> bool:
        """Whether the last definition goes on past the marker after it (the marker is
        indented deeper than its header): then the segment holds only its head."""
        last = units[-1].definition
        if last is None or seg.marker_after is None:
            return False
        return len(lead(seg.marker_after)) > len(lead(seg.lines[last.header]))

    # -- the region ----------------------------------------------------------------------
    def _top(self, seg: Definition, orig: Definition, lines: list[str]) -> tuple[int, int]:
        """(segment line, original line) where the first definition's replacement starts:
        above its comments/decorators when the segment writes some, else at its header."""
        if seg.attached < seg.start:
            mine = [x.strip() for x in lines[seg.attached:seg.start]]
            theirs = [x.strip() for x in self.lines[orig.attached:orig.start]]
            if len(mine) < len(theirs) and theirs[len(theirs) - len(mine):] == mine:
                return seg.attached, orig.start - len(mine)  # the comment's tail, as it was
            above = [x.strip() for x in self.lines[max(orig.start - len(mine), 0):orig.start]]
            if len(mine) > len(theirs) and above == mine:
                # the parse left the file's comment unattached (first in a class body):
                # the segment's comment lines are those lines, not new ones
                return seg.attached, orig.start - len(mine)
            return seg.attached, orig.attached
        if seg.start < seg.header:
            return seg.start, orig.start
        k = seg.header
        if k == 0 and orig.start < orig.header and \
                _trimmed(lines) == _trimmed(self.lines[orig.header:orig.end]):
            raise decorated_open(orig, self.path)  # sent unchanged: a no-op, or drop them?
        if 0 < k <= orig.attached < orig.header and not any(x.strip() for x in lines[:k]) \
                and not any(x.strip() for x in self.lines[orig.attached - k:orig.attached]):
            raise attached_open(orig, self.path)
        return seg.header, orig.header

    def _region(self, seg: Segment, units: list[Unit],
                matches: list[_Match]) -> Placement | None:
        first, last = matches[0], matches[-1]
        seg_from, start = self._top(first.seg, first.orig, seg.lines)
        seg_to, end = last.seg.end, last.orig.end
        lines = seg.lines
        before = self._edge(units, 0, seg_from, lines)
        after = self._edge(units, seg_to, len(lines), lines)
        if before is None or after is None:
            return None
        if before == "code":  # context above: it must be the lines just above the region
            k = seg_from
            if start < k or [x.strip() for x in self.lines[start - k:start]] != [
                    x.strip() for x in lines[:k]]:
                return None
            start -= k
            seg_from = 0
        elif before == "new":
            seg_from = 0
        if after == "code":
            k = len(lines) - seg_to
            if [x.strip() for x in self.lines[end:end + k]] != [x.strip() for x in lines[seg_to:]]:
                return None
            end += k
            seg_to = len(lines)
        elif after == "new":
            kept = kept_tail(self.lines, units, seg_to, lines, end)
            end += kept
            seg_to = len(lines)
            if not kept:  # blank lines at the edge say nothing: the file's own stay
                while seg_to > 0 and not lines[seg_to - 1].strip():
                    seg_to -= 1
                check_cut_new(self.lines, self.writer, seg, lines[seg_to - 1], start, end)
        have, want = lead(lines[first.seg.header]), lead(self.lines[first.orig.header])
        body = _reindent(lines[seg_from:seg_to], have, want)
        if body is None:
            return None
        assumed: tuple[str, ...] = ("top",) if seg.pinned_start and start > 0 else ()
        assumed += ("end",) if seg.pinned_end and end < len(self.lines) else ()
        if ("top" in assumed and before == "new") or ("end" in assumed and after == "new"):
            return None  # a new definition at an unmarked edge: output cut off, or the edge?
        return Placement(start, end, body, False, fixed=True, assumed=assumed,
                         rung="exact" if have == want else "strip")

    @staticmethod
    def _edge(units: list[Unit], lo: int, hi: int, lines: list[str]) -> str | None:
        """What segment lines [lo, hi) outside the matched definitions hold: "blank",
        "new" (new definitions, comments and blank lines), "code" (other code), or None
        for a mix of new definitions and other code."""
        inside = [u for u in units if lo <= u.start and u.end <= hi]
        if not any(lines[i].strip() for i in range(lo, hi)):
            return "blank"
        if all(u.definition is not None or u.attached for u in inside):
            return "new" if any(u.definition is not None for u in inside) else "code"
        if any(u.definition is not None for u in inside):
            return None
        return "code"


def _in_order(options: dict[int, list[Placement]]) -> dict[int, Placement]:
    """One placement per segment: its only one, or the one every in-order, non-overlapping
    choice of all segments' placements agrees on; segments left open are dropped."""
    keys = sorted(options)
    total = 1
    for k in keys:
        total *= len(options[k])
    if total == 1:
        return {k: options[k][0] for k in keys}
    sure = {k: options[k][0] for k in keys if len(options[k]) == 1}
    if total > ORDERINGS:
        return sure
    chosen: dict[int, set[int]] = {k: set() for k in keys}

    def walk(i: int, floor: int, picks: list[int]) -> None:
        if i == len(keys):
            for k, j in zip(keys, picks, strict=True):
                chosen[k].add(j)
            return
        for j, p in enumerate(options[keys[i]]):
            if p.start >= floor:
                walk(i + 1, p.end, [*picks, j])

    walk(0, 0, [])
    return {k: options[k][next(iter(chosen[k]))] for k in keys if len(chosen[k]) == 1}


def _trimmed(lines: list[str]) -> list[str]:
    """The lines without the blank ones at the end."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    return lines[:end]
