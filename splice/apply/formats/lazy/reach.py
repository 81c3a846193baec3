"""How far a one-sided segment reaches: context on one side only, so it starts (or ends)
on changed lines. Those lines replace the original lines next to the anchor that they
resemble, and stop before a neighbour that resembles none of them:

- every non-blank original line replaced resembles some changed line (>= SIMILAR);
- the first original line kept beyond them resembles none (< DISSIMILAR), or is blank;
- the fewest lines that satisfy both (blank lines and code the edit never mentions stay);
- no more non-blank lines replaced than changed lines written (else which ones is open).

No such reach (a neighbour half like a changed line: replace it or insert beside it?) is
refused. Blank lines at the inner end of the anchored run go back to the changed lines:
whether the edit's blank line is the file's is unknown, and inserting at the last
non-blank anchored line keeps the file's own blank lines where they were.
"""

from __future__ import annotations

import difflib

from splice.apply.formats.lazy.anchors import Anchors
from splice.apply.formats.lazy.segments import Segment
from splice.apply.indent import lead
from splice.apply.messages import where
from splice.core.errors import AmbiguousMatch

SIMILAR = 0.6  # a changed line this like an original line says it replaces it
DISSIMILAR = 0.4  # below this an original line is not mentioned by the changed lines
EXTRA = 2  # original lines replaced may outnumber the changed lines by this much, twice over
BLANK_GAP = 3  # blank and bracket-only lines looked past for the kept neighbour


def likeness(a: str, b: str) -> float:
    a, b = a.strip(), b.strip()
    if not a or not b:
        return 0.0
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < DISSIMILAR or m.quick_ratio() < DISSIMILAR:
        return m.quick_ratio()
    return m.ratio()


def _reach(a: Anchors, changed: list[str], outward: list[int]) -> int | None:
    """How many of the original lines `outward` (nearest first) the changed lines
    replace, or None when no count is clearly right. The kept neighbour that must
    resemble none of them is the first non-blank line beyond (blank lines prove little)."""
    solid = [x for x in changed if x.strip()]
    if not solid:
        return 0
    lines = a.doc.lines
    limit = min(len(outward), 2 * len(solid) + EXTRA)
    for k in range(limit + 1):
        if k and lines[outward[k - 1]].strip() and max(
                likeness(lines[outward[k - 1]], x) for x in solid) < SIMILAR:
            return None  # it would replace a line it does not resemble: so would any k after
        beyond = next((lines[q] for q in outward[k:k + BLANK_GAP + 1]
                       if _telling(lines[q]) or _named_like(lines[q], solid)), None)
        if beyond is None or max(likeness(beyond, x) for x in solid) < DISSIMILAR:
            replaced = sum(1 for q in outward[:k] if lines[q].strip())
            # more lines replaced than written: which of them the changed lines stand
            # for (all, or the near ones with the rest kept) is open
            return k if replaced <= len(solid) else None
    return None


def _telling(line: str) -> bool:
    """A line that can tell whether the changed lines mention it: not blank, not a
    bracket or keyword alone (`}`, `)`, `end`)."""
    text = line.strip()
    return len(text) >= 4 and any(c.isalnum() for c in text)


def _named_like(line: str, solid: list[str]) -> bool:
    """A short line that still tells whether the changed lines mention it: one that
    names something (`Pr`, `T`) and resembles a changed line (`Pr` -> `Pr,`), or a
    bracket a changed line writes again at another indentation."""
    text = line.strip()
    if any(text == x.strip() for x in solid):
        return True
    return any(c.isalnum() for c in text) and max(likeness(line, x) for x in solid) >= DISSIMILAR


def _joins(a: Anchors, changed: list[str], outward: list[int]) -> bool:
    """Whether the changed lines' far end continues the group of code beyond the blank
    lines next to the anchor (same indentation, same first word: `import` after
    `import`): then those blank lines separate the anchor from that group, not the
    changed lines from it."""
    mine = next((x for x in reversed(changed) if x.strip()), None)
    theirs = next((a.doc.lines[q] for q in outward if a.doc.lines[q].strip()), None)
    if mine is None or theirs is None:
        return False
    return lead(mine) == lead(theirs) and mine.split()[0] == theirs.split()[0]


def trim_blank(a: Anchors, start: int, run: int, *, after: bool) -> int:
    """The anchored run without blank lines at its inner end (at least one line kept)."""
    keys = a.keys
    while run > 1:
        q = start + run - 1 if after else start - run
        if keys[q].strip():
            break
        run -= 1
    return run


def reach_after(a: Anchors, seg: Segment, start: int, run: int, off: int) -> int:
    """The end of the region a segment anchored only at its top replaces: the run
    [start, start + run) holds its lines from `off` on."""
    trimmed = trim_blank(a, start, run, after=True)
    if not _joins(a, seg.lines[off + run:], list(range(start + run, len(a.keys)))):
        run = trimmed
    stop = start + run
    changed = seg.lines[off + run:]
    k = _reach(a, changed, list(range(stop, len(a.keys))))
    if k is None:
        raise _unclear(a, seg, stop, after=True)
    return stop + k


def reach_before(a: Anchors, seg: Segment, end: int, run: int, off: int) -> int:
    """The start of the region a segment anchored only at its bottom replaces: the run
    [end - run, end) holds its lines up to `off` before its end."""
    trimmed = trim_blank(a, end, run, after=False)
    if not _joins(a, seg.lines[:len(seg.lines) - off - run][::-1],
                  list(range(end - run - 1, -1, -1))):
        run = trimmed
    first = end - run
    changed = seg.lines[:len(seg.lines) - off - run]
    k = _reach(a, changed, list(range(first - 1, -1, -1)))
    if k is None:
        raise _unclear(a, seg, first - 1, after=False)
    return first - k


def _unclear(a: Anchors, seg: Segment, neighbour: int, *, after: bool) -> AmbiguousMatch:
    line = a.doc.lines[neighbour].strip() if 0 <= neighbour < len(a.doc.lines) else ""
    return AmbiguousMatch(
        f"segment {seg.index} of the lazy edit has unchanged lines only at its "
        f"{'top' if after else 'bottom'}, and its changed lines half resemble "
        f"{a.writer.describe(neighbour)}{where(a.path)} (`{line}`): replace it or insert "
        "beside it?",
        hint=f"Add an unchanged line from the file {'after' if after else 'before'} the "
             "changed lines, before the marker.", path=a.path,
        details={"candidates": [neighbour + 1], "why": "one_sided_reach"})
