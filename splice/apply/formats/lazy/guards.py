"""The refusals of lazy placement: a placed segment is checked for the readings that
would make it a guess (a shorter reading, a forgotten top or end marker, a no-op that may
be the anchors of a deletion, an insertion whose edge line looks like a rewrite). Plain
functions of the file's Anchors."""

from __future__ import annotations

import difflib
from collections import Counter

from splice.apply.formats.lazy.anchors import CREDIBLE_RUN, Anchors, Side
from splice.apply.formats.lazy.evidence import held_once
from splice.apply.formats.lazy.reach import DISSIMILAR, SIMILAR, likeness
from splice.apply.formats.lazy.segments import Segment
from splice.apply.formats.lazy.structure_edges import bracket_depth
from splice.apply.messages import ambiguous_message, where
from splice.apply.text import DISTINCT_CHARS, distinctive
from splice.core.errors import AmbiguousMatch

NEAR_COPY = 0.75  # an unanchored edge line this similar to its neighbour may be a rewrite
# A placement dropping at least this many lines the edit never mentions is re-checked
# for a shorter reading.
SHORTER_SUSPECT = 12
SHORT_ANCHOR_SUSPECT = 2


def _similar(a: str, b: str) -> bool:
    a, b = a.strip(), b.strip()
    if not a or not b or a == b:
        return False
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= NEAR_COPY


def check_shorter(a: Anchors, seg: Segment, s: list[str], head: Side, tail: Side, start: int,
                   end: int) -> None:
    """A placement that silently drops several original lines is only trusted when
    no shorter reading exists: the segment's last line (or first) occurring again
    inside the span could be the real anchor, its run cut short by the change."""
    wanted = Counter(s)
    dropped = (end - start) - sum((Counter(a.keys[start:end]) & wanted).values())
    # an anchor of a line or two may be a copy of the pattern the change repeats, so
    # a shorter reading is looked for after fewer dropped lines
    head_run = head.runs[head.positions.index(start)] if start in head.positions else 0
    tail_run = tail.runs[tail.positions.index(end)] if end in tail.positions else 0
    check_head = not head.pinned and dropped >= (
        SHORT_ANCHOR_SUSPECT if head_run <= CREDIBLE_RUN else SHORTER_SUSPECT)
    check_tail = not tail.pinned and dropped >= (
        SHORT_ANCHOR_SUSPECT if tail_run <= CREDIBLE_RUN else SHORTER_SUSPECT)
    if not (check_head or check_tail):
        return
    inner_from, inner_to = start + max(head.run, 1), end - max(tail.run, 1)
    last, first = s[-1 - tail.off], s[head.off]
    rivals = [q for q in range(inner_from, inner_to)
              if (check_tail and a.keys[q] == last)
              or (check_head and a.keys[q] == first)]
    if rivals:
        message, hint = ambiguous_message([start, *rivals][:8], 1, f"the ends of segment "
                                          f"{seg.index} of the lazy edit", a.path)
        raise AmbiguousMatch(message, hint=hint, path=a.path,
                             details={"candidates": [start + 1, *[q + 1 for q in rivals]]})

def check_forgotten_edge(a: Anchors, seg: Segment, s: list[str], head: Side | None,
                          tail: Side | None, lo: int) -> None:
    """No marker at the top means "the file starts here"; if the segment's first
    lines do not match the top but do match further down, the model most likely
    forgot the marker. Likewise at the end."""
    total = len(a.keys)
    found = None
    if head is not None and head.pinned and head.run == 0:
        side = a.prefix(s, lo, total)
        if side is not None and not side.weak:
            found = ("top", "first", side.positions[0])
    if found is None and tail is not None and tail.pinned and tail.run == 0:
        side = a.suffix(s, lo, total)
        if side is not None and not side.weak:
            found = ("end", "last", side.positions[0] - 1)
    if found is None:
        return
    edge, which, line = found
    raise AmbiguousMatch(
        f"segment {seg.index} of the lazy edit has no marker at the {edge}, so it "
        f"should {'start' if edge == 'top' else 'end'} the file{where(a.path)}, but "
        f"its {which} line matches line {line + 1} instead.",
        hint=f"Add a `... existing code ...` marker line at the {edge} of the edit if "
             "the file goes on beyond the snippet there.", path=a.path,
        details={"candidates": [line + 1], "settled": True})

def check_noop(a: Anchors, seg: Segment, s: list[str], start: int, end: int, lo: int,
                hi: int) -> None:
    """A segment that matches the file verbatim changes nothing, unless it was meant
    as the two anchors of a deletion: its first line also occurring earlier, or its
    last line later, leaves that open, so refuse."""
    if a.keys[start:end] != s or len(s) < 2:
        return
    check_noop_away(a, seg, s, start, end)
    earlier = not seg.pinned_start and any(
        a.keys[q] == s[0] for q in range(lo, start))
    later = not seg.pinned_end and any(
        a.keys[q - 1] == s[-1] for q in range(end + 1, min(hi, len(a.keys)) + 1))
    if earlier or later:
        raise AmbiguousMatch(
            f"segment {seg.index} of the lazy edit matches lines {start + 1}-{end} "
            f"unchanged{where(a.path)}, but its "
            f"{'first' if earlier else 'last'} line also occurs "
            f"{'before' if earlier else 'after'} them, so it could also mean deleting "
            "the lines in between.",
            hint="If the segment deletes lines, start it with the last line kept before "
                 "the deletion and end it with the first one kept after, so they occur "
                 "together only once; if it changes nothing, leave it out.",
            path=a.path, details={"candidates": [start + 1], "settled": True})

def check_noop_away(a: Anchors, seg: Segment, s: list[str], start: int, end: int) -> None:
    """A segment that changes nothing where it matches verbatim, outside the lines the
    writer was shown, while its first (or last) line also stands inside them: there it
    would change something (rich panel.py: `Panel.fit` gains the `height` parameter
    `__init__` already has). The evidence points at the other reading: refuse."""
    w = a.writer
    if not w.seen_lines or w.seen(start, end):
        return
    shown = [q for q in range(len(a.keys)) if not start <= q < end and w.seen(q, q + 1)
             and a.keys[q] in (s[0], s[-1]) and a.keys[q].strip()]
    if shown:
        raise AmbiguousMatch(
            f"segment {seg.index} of the lazy edit matches lines {start + 1}-{end}"
            f"{where(a.path)} unchanged, outside the lines you were shown, while its edge "
            f"line also stands at {w.describe(shown[0])}, inside them, where it would change "
            "the file.",
            hint="Start and end the segment with unchanged lines that occur only around "
                 "the change.", path=a.path,
            details={"candidates": [start + 1, shown[0] + 1], "why": "noop_away",
                     "settled": True})


def check_insert(a: Anchors, seg: Segment, neighbour: int, *, before: bool) -> None:
    """One-sided anchors mean an insertion; refuse when the unanchored edge line looks
    like a rewrite of the original line next to it (replace or insert? unsure)."""
    if not 0 <= neighbour < len(a.doc):
        return
    edge = seg.lines[0] if before else seg.lines[-1]
    if _similar(edge, a.doc.lines[neighbour]):
        raise AmbiguousMatch(
            f"segment {seg.index} of the lazy edit is anchored on one side only, and its "
            f"{'first' if before else 'last'} line looks like a changed copy of line "
            f"{neighbour + 1} ({a.doc.lines[neighbour].strip()!r}): replace it or "
            "insert next to it?",
            hint="Add an unchanged line from the file on that side of the segment, "
                 "before the marker.", path=a.path,
            details={"candidates": [neighbour + 1]})


def check_blind_end(a: Anchors, seg: Segment, tail: Side, start: int, end: int) -> None:
    """No marker at the end and a last line the file's end lacks: the segment replaces
    everything from its anchor to the end of the file. When the anchor lies in a
    definition that ends before the file does and the segment never reaches past that
    end, the writer most likely forgot the closing marker, and where the changed lines
    stop is unknown: refuse."""
    if not (tail.pinned and tail.run == 0) or end != len(a.keys):
        return
    inside = a.writer.symbol_at(start)
    if inside is None or inside.end >= end:
        return
    after = {k.strip() for k in a.doc.lines[inside.end:end] if k.strip()}
    if not after or any(line.strip() in after for line in seg.lines):
        return
    raise AmbiguousMatch(
        f"segment {seg.index} of the lazy edit has no marker at the end, so it would "
        f"replace lines {start + 1}-{end}{where(a.path)} (to the end of the file), but it "
        f"starts inside `{inside.label}`, which ends at line {inside.end}, and never "
        "reaches past it: was the closing marker forgotten?",
        hint="End the segment with the last unchanged line(s) of that definition and a "
             "`... existing code ...` marker after them.", path=a.path,
        details={"candidates": [start + 1], "settled": True, "why": "forgotten_end"})


def check_appended(a: Anchors, seg: Segment, edge: str = "end", after: int = 0) -> None:
    """A segment that matches nothing, after a marker, with no marker below, would be
    appended at the end of the file (or, mirrored, put at its top). Right for new code; wrong when its lines are a
    changed copy of code the file already has (a changed tail whose head and closing
    marker were left out), or indented code appended after a segment that ended inside
    another definition than the one ending the file (`after`: where that segment
    ended): refuse then."""
    first = next((x for x in seg.lines if x.strip()), "")
    if edge == "end" and first[:1] in (" ", "\t") and after > 0:
        last = next((q for q in range(len(a.keys) - 1, -1, -1) if a.keys[q].strip()), 0)
        there, here = a.writer.symbol_at(after - 1), a.writer.symbol_at(last)
        if there is not None and there != here:
            raise AmbiguousMatch(
                f"segment {seg.index} of the lazy edit is indented code with no marker at "
                f"the end and no line matching the file{where(a.path)}: appended at the "
                f"end it would land in {a.writer.describe(last)}, but the segment before "
                f"it was in `{there.label}`.",
                hint="Start the segment with unchanged lines copied from the file above the "
                     "change, and end it with unchanged lines below it and a marker.",
                path=a.path, details={"candidates": [there.header + 1], "settled": True,
                                      "why": "appended_indented"})
    words = a.line_words
    for line in seg.lines:
        key = line.strip()
        if len(key) < DISTINCT_CHARS or key in a.strip_index:
            continue
        origin = words.edited_origin(key)
        if origin is not None:
            raise AmbiguousMatch(
                f"segment {seg.index} of the lazy edit matches no line{where(a.path)} and "
                f"has no marker at the {edge}, so it would be put at the {edge} of the file, "
                f"but "
                f"`{key}` looks like a changed copy of {a.writer.describe(origin)}.",
                hint="Start the segment with unchanged lines copied from the file above "
                     "the change, and end it with unchanged lines below it and a marker.",
                path=a.path, details={"candidates": [origin + 1], "settled": True,
                                      "why": "appended_rewrite"})


def _thin(s: list[str], head: Side, tail: Side, start: int, end: int) -> list[int]:
    """The unpinned edges (`start` and/or `end`) anchored by fewer than two non-blank
    lines."""
    thin = []
    for side, at, from_end in ((head, start, False), (tail, end, True)):
        if side.pinned:
            continue
        if sum(1 for x in _run(s, side, at, from_end) if x.strip()) < CREDIBLE_RUN:
            thin.append(at)
    return thin


def _run(s: list[str], side: Side, at: int, from_end: bool) -> list[str]:
    """The segment lines anchored at `at` on that side."""
    run = side.runs[side.positions.index(at)] if at in side.positions else side.run
    return s[len(s) - side.off - run:len(s) - side.off] if from_end else \
        s[side.off:side.off + run]


def _distinctive_once(a: Anchors, s: list[str], head: Side, tail: Side, start: int,
                      end: int, thin: list[int]) -> bool:
    """Whether every thin edge is one distinctive line the file holds once: that line
    (the issue's rule 3), no changed line that happens to equal it."""
    for side, at, from_end in ((head, start, False), (tail, end, True)):
        if at not in thin or side.pinned:
            continue
        solid = [x for x in _run(s, side, at, from_end) if x.strip()]
        if not solid or held_once(a.strip_index, solid[0]) is None:
            return False
    return True


def check_thin_edge(a: Anchors, seg: Segment, s: list[str], head: Side, tail: Side,
                    start: int, end: int) -> None:
    """An edge anchored by one non-blank line may as well be a changed line that happens
    to equal a line further on (a segment that ends, or starts, on changed lines). When
    the placement between the anchors drops original lines that resemble none of the
    segment's lines, which reading is meant is open: refuse."""
    if head.pinned or tail.pinned:
        return  # a pinned edge is the file's edge: the blind-edge guards judge that
    thin = _thin(s, head, tail, start, end)
    if not thin:
        return
    if _distinctive_once(a, s, head, tail, start, end, thin):
        # a real anchor: the segment rewrites what lies between, unless it drops more
        # statements than it writes new lines (or writes none: a deletion so far away),
        # and the writer was not shown every line it drops (rule 4: they may be far off)
        dropped, new = _dropped_statements(a, seg, start, end)
        shown = bool(a.writer.seen_lines) and all(a.writer.seen(q, q + 1) for q in dropped)
        if dropped and new and (len(dropped) <= new or shown):
            return
    solid = [x for x in seg.lines if x.strip()]
    written = {x.strip() for x in solid}
    for q in range(start, end):
        line = a.doc.lines[q].strip()
        if not line or line in written:
            continue
        a.budget.spend(len(solid), end - start)  # a likeness pass over the segment
        if not any(likeness(a.doc.lines[q], x) >= DISSIMILAR for x in solid):
            break
    else:
        check_thin_rewrite(a, seg, thin, start, end)
        return
    raise _one_line_anchor(
        a, seg, end in thin, q, "thin_edge",
        f"drop {a.writer.describe(q)}{where(a.path)} (`{a.doc.lines[q].strip()}`), which "
        "the segment never mentions")


def _one_line_anchor(a: Anchors, seg: Segment, at_end: bool, q: int, why: str,
                     drops: str) -> AmbiguousMatch:
    """The refusal of a segment whose one-line anchor may be a changed line instead."""
    return AmbiguousMatch(
        f"segment {seg.index} of the lazy edit is anchored at its "
        f"{'end' if at_end else 'start'} by one line, and placing it there would "
        f"{drops}: is that line an anchor, or a changed line?",
        hint="End (and start) each segment with two or more unchanged lines copied from "
             "the file, before the marker.",
        path=a.path, details={"candidates": [q + 1], "why": why, "settled": True})


def check_thin_placed(a: Anchors, seg: Segment, s: list[str], start: int, end: int) -> None:
    """The thin-edge checks for a placement chosen among several (joint): its edges'
    anchor runs are counted where it stands."""
    if seg.pinned_start or seg.pinned_end or end - start < 2:
        return
    keys = a.keys
    head = 0
    while head < min(len(s), end - start) and s[head] == keys[start + head]:
        head += 1
    tail = 0
    while tail < min(len(s), end - start) - head and s[-1 - tail] == keys[end - 1 - tail]:
        tail += 1
    thin = [at for at, run in ((start, s[:head]), (end, s[len(s) - tail:]))
            if sum(1 for x in run if x.strip()) < CREDIBLE_RUN]
    if thin:
        check_thin_drop(a, seg, thin, start, end)
        check_thin_rewrite(a, seg, thin, start, end)


def check_thin_drop(a: Anchors, seg: Segment, thin: list[int], start: int, end: int) -> None:
    """An edge anchored by one line, and a placement that drops more of the file's
    statements (a line, with the lines its brackets hold open) than the segment writes new
    lines: the new lines cannot stand for all of them, so the one-line anchor may as well be a changed line (the segment ends, or
    starts, on changed lines) that happens to equal a line further on: refuse."""
    dropped, new = _dropped_statements(a, seg, start, end)
    if not new or len(dropped) <= new:
        return  # no new line at all: the anchors of a deletion, as the format says
    lines = a.doc.lines
    q = dropped[0]
    raise _one_line_anchor(
        a, seg, end in thin, q, "thin_drop",
        f"drop {len(dropped)} lines from {a.writer.describe(q)}{where(a.path)} "
        f"(`{lines[q].strip()}`) for {new} new ones")


def _dropped_statements(a: Anchors, seg: Segment, start: int, end: int,
                        ) -> tuple[list[int], int]:
    """The first line of each statement of [start, end) the segment does not write (a
    line, with the lines its brackets hold open), and how many new lines it writes."""
    lines = a.doc.lines
    held = {x.strip() for x in lines[start:end]}
    written = {x.strip() for x in seg.lines}
    dropped: list[int] = []
    depth = 0
    for q in range(start, end):
        text = lines[q].strip()
        if depth <= 0 and text and text not in written:
            dropped.append(q)
        depth = max(depth, 0) + bracket_depth(text)
    return dropped, sum(1 for x in seg.lines if x.strip() and x.strip() not in held)


NEIGHBOUR_GAP = 4  # blank lines looked past for the original line beyond a thin edge


def _next_to_anchor(seg: list[str], held: set[str]) -> list[str]:
    """The changed lines right after the segment's first non-blank line (its one-line
    anchor), up to a blank line or a line the region holds."""
    first = next((k for k, x in enumerate(seg) if x.strip()), len(seg))
    out = []
    for x in seg[first + 1:]:
        if not x.strip() or x.strip() in held:
            break
        out.append(x)
    return out


def check_thin_rewrite(a: Anchors, seg: Segment, thin: list[int], start: int,
                       end: int) -> None:
    """An edge anchored by one line, with the original line just beyond it (past blank
    lines) closely resembling a changed line written right next to that anchor line: the
    segment may as well end (or start) on changed lines that rewrite that original line,
    the one-line anchor a coincidence (`)` closing the new call, not the old one; a
    distinctive anchor line is no coincidence).
    Replace it or keep it is open: refuse."""
    lines = a.doc.lines
    held = {x.strip() for x in lines[start:end]}
    written = {x.strip() for x in seg.lines}
    edges = ([(end, 1)] if end in thin else []) + ([(start - 1, -1)] if start in thin else [])
    for q, step in edges:
        if distinctive(lines[q - step].strip()):
            continue  # a line like that is no coincidence: the anchor is real
        changed = _next_to_anchor(seg.lines if step == -1 else seg.lines[::-1], held)
        for _ in range(NEIGHBOUR_GAP + 1):
            if not 0 <= q < len(lines) or lines[q].strip():
                break
            q += step
        if not 0 <= q < len(lines) or not lines[q].strip() or lines[q].strip() in written:
            continue
        a.budget.spend(len(changed), end - start)
        if changed and any(likeness(lines[q], x) >= SIMILAR for x in changed):
            raise AmbiguousMatch(
                f"segment {seg.index} of the lazy edit is anchored at its "
                f"{'end' if step == 1 else 'start'} by one line, and its changed lines "
                f"closely resemble {a.writer.describe(q)}{where(a.path)} "
                f"(`{lines[q].strip()}`) just beyond it: do they replace that line, "
                "or go beside it?",
                hint="End (and start) each segment with two or more unchanged lines "
                     "copied from the file, before the marker.",
                path=a.path, details={"candidates": [q + 1], "why": "thin_rewrite",
                                      "settled": True})
