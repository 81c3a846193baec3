"""Old-lines -> new-lines hunks: the common core of SEARCH/REPLACE, udiff and patch.

Each hunk's old side is placed with the matching ladder; hunks the file already
contains (old side absent, new side present) are skipped and counted as applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from splice.apply.formats.lazy.definitions import collect
from splice.apply.matching import AlreadyPresent, Matcher, transfer
from splice.apply.text import Doc, Replacement
from splice.core.errors import AmbiguousMatch, MalformedEdit, NoMatch
from splice.core.syntax import language_name, parse


@dataclass
class Hunk:
    old: list[str]
    new: list[str]
    label: str = "hunk"
    hint: int | None = None  # 0-based line where the edit claims the old side starts
    anchors: list[str] = field(default_factory=list)  # patch `@@ def foo` lines, in order
    at_eof: bool = False  # patch `*** End of File`: the old side ends the file


def take_line(hunk: Hunk, line: str) -> bool:
    """Add one diff body line (' ', '-', '+', or an empty context line) to `hunk`;
    False when the line has none of those shapes (each format decides what that means)."""
    tag, body = line[:1], line[1:]
    if tag == "-":
        hunk.old.append(body)
    elif tag == "+":
        hunk.new.append(body)
    elif tag == " " or line == "":
        hunk.old.append(body)
        hunk.new.append(body)
    else:
        return False
    return True


@dataclass
class HunkOutcome:
    replacements: list[Replacement]
    rungs: list[str]
    skipped: int  # hunks found already applied

    @property
    def already_applied(self) -> bool:
        return not self.replacements and self.skipped > 0


def _seek_anchors(doc: Doc, anchors: list[str], start: int, path: str | None) -> int:
    """Patch `@@ context` lines: each found (stripped) after the previous; returns the
    line after the last one."""
    keys = doc.keys("strip")
    pos = start
    for anchor in anchors:
        want = anchor.strip()
        found = next((i for i in range(pos, len(keys)) if keys[i] == want), None)
        if found is None:
            found = next((i for i in range(0, pos) if keys[i] == want), None)
        if found is None:
            raise NoMatch(f"the context line `@@ {anchor}` was not found"
                          f"{' in ' + path if path else ''}.",
                          hint="Use a line that exists in the file (e.g. the enclosing "
                               "def/class line) after @@, or leave it out.", path=path)
        pos = found + 1
    return pos


def _scope_end(doc: Doc, header: int, path: str | None) -> int | None:
    """Where the definition whose header is line `header` (0-based) ends, exclusive, when
    tree-sitter reads that line as one: a patch's `@@ def f` names the scope its chunk
    lies in."""
    language = language_name(path)
    if language is None:
        return None
    tree = parse(doc.newline.join(doc.lines), language)
    ends = [d.end for d in collect(tree.root_node) if d.header == header]
    return min(ends, default=None)


def _next_fixed_starts(matcher: Matcher, hunks: list[Hunk]) -> list[int | None]:
    """For each hunk, where the next hunk that fits exactly one place starts: in an
    ordered edit the hunk must end by then."""
    fixed: list[int | None] = []
    for hunk in hunks:
        start = None
        if hunk.old and not hunk.anchors and any(line.strip() for line in hunk.old):
            found = matcher.occurrences("exact", hunk.old)
            start = found[0] if len(found) == 1 else None
        fixed.append(start)
    out: list[int | None] = []
    nearest: int | None = None
    for start in reversed(fixed):
        out.append(nearest)
        if start is not None:
            nearest = start
    return out[::-1]


def _may_be_applied(hunk: Hunk, matcher: Matcher,
                    seen_lines: list[tuple[int, int]] | None = None) -> bool:
    """Whether the hunk could be found already applied: it brings a non-blank line its old
    side lacks (a pure deletion whose lines are absent may never have existed), and no line
    it removes still stands anywhere in the file (else its old side was miscopied, and its
    new side found elsewhere says nothing). With the writer's `seen_lines` (1-based,
    inclusive), the new side must sit inside them: found only where the writer never
    looked, it is another place's text (a SEARCH miscopied from the lines it was shown)."""
    old, new = set(hunk.old), set(hunk.new)
    if not any(line.strip() and line not in old for line in hunk.new):
        return False
    index = matcher.index("strip")
    if any(line.strip() and line not in new and line.strip() in index for line in hunk.old):
        return False
    if not seen_lines:
        return True
    n = len(hunk.new)
    return any(a - 1 <= s and s + n <= b for s in matcher.present_at(hunk.new)
               for a, b in seen_lines)


def apply_hunks(doc: Doc, hunks: list[Hunk], *, path: str | None = None,
                matcher: Matcher | None = None, ordered: bool = True,
                seen_lines: list[tuple[int, int]] | None = None) -> HunkOutcome:
    """Place every hunk. `ordered` (hunks follow file order: diffs and patches by
    definition, SEARCH/REPLACE blocks as models write them) lets a hunk that fits several
    places take the only one after the previous hunk, or the one its line number points
    at once an earlier hunk has shown how far the numbers are off.
    Unlike OpenAI's reference apply_patch tool, a chunk that fits several places after
    the previous one is refused, not put at the first: real diffs show that guess wrong.
    `seen_lines`: the writer's evidence, for hunks found already applied.
    """
    matcher = matcher or Matcher(doc, path)
    reps: list[Replacement] = []
    rungs: list[str] = []
    skipped = 0
    cursor = 0
    drift: int | None = None
    bounds = _next_fixed_starts(matcher, hunks) if ordered else [None] * len(hunks)
    for hunk, before in zip(hunks, bounds, strict=True):
        if not hunk.old:
            if not doc.lines or hunk.at_eof:
                at = len(doc)
                reps.append(Replacement(at, at, list(hunk.new)))
                rungs.append("exact")
                continue
            raise MalformedEdit(
                f"{hunk.label} has no old or context lines, so there is no place to put it"
                f"{' in ' + path if path else ''}.",
                hint="Include a few unchanged lines around the change.", path=path)
        after = cursor if ordered else None
        header = None  # the line of the last `@@` anchor
        if hunk.anchors:
            header = _seek_anchors(doc, hunk.anchors, cursor, path) - 1
            after = max(cursor, header + 1)
        expect = None
        if hunk.at_eof:
            expect = len(doc) - len(hunk.old)
        elif hunk.hint is not None and drift is not None and ordered:
            expect = hunk.hint + drift
        present = hunk.new if _may_be_applied(hunk, matcher, seen_lines) else None
        what = f"the old lines of {hunk.label}"
        try:
            try:
                match = matcher.find(hunk.old, after=after, expect=expect, before=before,
                                     what=what, present=present)
            except AmbiguousMatch:
                # several places after the `@@` line: the one inside the definition it
                # opens, if that settles it (the scope is what the line says)
                end = _scope_end(doc, header, path) if header is not None else None
                if end is None or (before is not None and end >= before):
                    raise
                match = matcher.find(hunk.old, after=after, expect=expect, before=end,
                                     what=what, present=present)
        except AlreadyPresent:
            skipped += 1
            continue
        if hunk.hint is not None:
            drift = match.start - hunk.hint
        window = doc.lines[match.start:match.end]
        reps.append(Replacement(match.start, match.end,
                                transfer(window, hunk.old, hunk.new, match)))
        rungs.append(match.rung)
        cursor = match.end
    reps.sort(key=lambda r: (r.start, r.end))
    for prev, cur in zip(reps, reps[1:], strict=False):
        if cur.start < prev.end:
            raise MalformedEdit(
                f"two hunks of the edit overlap at lines {cur.start + 1}-{prev.end}"
                f"{' in ' + path if path else ''}.",
                hint="Merge the overlapping blocks into one.", path=path)
    return HunkOutcome(reps, rungs, skipped)
