"""Where a segment of whole definitions meets the rest of the file: readings of its edges
that the definitions alone do not settle (lazy.structure asks these).

- the body goes on past the last statement the segment writes: a head, maybe;
- blank lines written right above a definition whose original has comments there;
- a new definition cut by the marker on a line the replaced definition holds mid-way;
- the comment heading the next definition, written after a new one: the file's own.
"""

from __future__ import annotations

from splice.apply.formats.lazy.definitions import Definition, Unit
from splice.apply.formats.lazy.reach import SIMILAR, likeness
from splice.apply.formats.lazy.segments import Segment
from splice.apply.formats.lazy.writer import Writer
from splice.apply.messages import where
from splice.core.errors import AmbiguousMatch

TAIL_LOOK = 60  # original body lines looked at, from its end, for the last one written


def bracket_depth(line: str) -> int:
    """Brackets a line leaves open (negative: closes)."""
    return sum(line.count(c) for c in "([{") - sum(line.count(c) for c in ")]}")


def _telling(line: str) -> bool:
    text = line.strip()
    return len(text) >= 4 and any(c.isalnum() for c in text)


def tail_unwritten(orig: list[str], mine_def: Definition, orig_def: Definition,
                   seg_lines: list[str]) -> bool:
    """Whether the original body goes on, past the last statement the segment's body
    writes (a line it holds or resembles, with the lines its brackets hold open), with
    code the segment never mentions: then the segment may be its head."""
    mine = [x for x in seg_lines[mine_def.header + 1:mine_def.end] if x.strip()]
    body = orig[orig_def.header + 1:orig_def.end]
    if not mine or not body:
        return False
    written = {x.strip() for x in mine}
    last = None
    for i in range(len(body) - 1, max(len(body) - TAIL_LOOK, 0) - 1, -1):
        line = body[i]
        if line.strip() and (line.strip() in written or any(
                likeness(line, x) >= SIMILAR for x in mine)):
            last = i
            break
    if last is None:
        return False  # nothing near the end is written: a rewrite, not a head
    depth = sum(bracket_depth(x) for x in body[:last + 1])
    while depth > 0 and last + 1 < len(body):
        last += 1
        depth += bracket_depth(body[last])
    return any(_telling(x) for x in body[last + 1:])


def attached_open(orig: Definition, path: str | None) -> AmbiguousMatch:
    """The segment writes blank lines right above the definition, the file has comments
    or decorators there: read by its lines the segment drops them, read as a whole
    definition it keeps them."""
    return AmbiguousMatch(
        f"the lazy edit writes `{orig.name}` right under blank lines, but the file has "
        f"comments or decorators between them (lines {orig.attached + 1}-"
        f"{orig.header}{where(path)}): drop them or keep them?",
        hint="To keep them, put the marker line right above the definition; to change or "
             "drop them, write them (or their replacement) in the segment.",
        path=path, details={"candidates": [orig.attached + 1], "why": "attached_open",
                            "settled": True})


def decorated_open(orig: Definition, path: str | None) -> AmbiguousMatch:
    """The segment is the definition as the file has it, from its header on, right under
    a marker, with decorators above that header: read by the format (the marker stands
    for them) the edit changes nothing; read as the whole new version it drops them."""
    return AmbiguousMatch(
        f"the lazy edit writes `{orig.name}` unchanged from its header, right under a "
        f"marker, and the file has decorators above it (lines {orig.start + 1}-"
        f"{orig.header}{where(path)}): is the edit a no-op (the marker stands for them) or "
        "does it drop them?",
        hint="To drop them, start the segment with the unchanged line above them; to "
             "change them, write their new version in the segment.",
        path=path, details={"candidates": [orig.start + 1], "why": "decorated_open",
                            "settled": True})


def check_cut_new(orig: list[str], writer: Writer, seg: Segment, last: str, start: int,
                  end: int) -> None:
    """A new definition last in the segment, cut by the marker on a line the replaced
    definitions hold with more code after it: the segment may as well end inside the old
    definition there (its tail kept), not replace it whole: refuse."""
    key = last.strip()
    hits = [q for q in range(start, end) if orig[q].strip() == key]
    if not key or not hits or not any(x.strip() for x in orig[hits[-1] + 1:end]):
        return
    raise AmbiguousMatch(
        f"segment {seg.index} of the lazy edit ends on a new definition cut by the marker, "
        f"on `{key}`, which {writer.describe(hits[-1])}{where(writer.path)} holds with "
        "more code after it: does the segment end there (keep that code) or replace the "
        "definition whole?",
        hint="End the segment with the last unchanged lines after the change, or write the "
             "new definitions whole and end on the replaced one's last line.",
        path=writer.path, details={"candidates": [hits[-1] + 1], "why": "cut_new"})


def kept_tail(orig: list[str], units: list[Unit], seg_to: int, seg_lines: list[str],
              end: int) -> int:
    """How many original lines after `end` the segment's lines after its last new
    definition repeat (the comment heading the next definition, cut by the marker): those
    lines are the file's, not new ones."""
    last = max((u.end for u in units if u.definition is not None and u.start >= seg_to),
               default=seg_to)
    tail = [x.strip() for x in seg_lines[last:]]
    if not any(tail) or end + len(tail) > len(orig):
        return 0
    return len(tail) if [x.strip() for x in orig[end:end + len(tail)]] == tail else 0
