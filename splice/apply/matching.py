"""Find where a block of lines sits in a file: a ladder of ever looser rungs.

exact -> trailing whitespace -> indentation-relative -> fuzzy. The first rung that
gives exactly one place wins; more than one place is an AmbiguousMatch, none a NoMatch
that shows the closest lines. Candidates come from an index of the file's lines, so a
search costs about the number of places the block's rarest line occurs, not the file size.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from splice.apply.fuzzy import (
    FUZZY_RIVAL,
    FUZZY_THRESHOLD,
    aligned_score,
    indents_agree,
    misaligned,
    misaligned_error,
    misindented_error,
)
from splice.apply.indent import indent_shift
from splice.apply.linediff import line_opcodes
from splice.apply.linehash import LineHashes
from splice.apply.messages import ambiguous_message, closest_window, no_match_message
from splice.apply.text import Doc, normalise
from splice.core.errors import AmbiguousMatch, MalformedEdit, NoMatch

RUNGS = ("exact", "rstrip", "indent", "fuzzy")
FUZZY_MAX_CANDIDATES = 24
VERIFY_ALL = 4  # up to this many candidate places are compared line by line
FUZZY_COMMON_LINE = 64  # lines occurring more often than this do not vote

Shift = Callable[[str], str]


class AlreadyPresent(Exception):  # noqa: N818 - a signal, not an error
    """The old side is absent and the new side present: the edit was applied before."""


@dataclass
class Match:
    start: int  # 0-based first original line
    end: int  # exclusive
    rung: str
    shift: Shift | None = None  # re-indents the model's new lines (indent rung)


class Matcher:
    """Line indexes over one original file, built lazily per rung and reused."""

    def __init__(self, doc: Doc, path: str | None = None) -> None:
        self.doc = doc
        self.path = path
        self._index: dict[str, dict[str, list[int]]] = {}
        self._hashes: dict[str, LineHashes] = {}

    def index(self, kind: str) -> dict[str, list[int]]:
        idx = self._index.get(kind)
        if idx is None:
            idx = {}
            for i, key in enumerate(self.doc.keys(kind)):
                bucket = idx.get(key)
                if bucket is None:
                    idx[key] = [i]
                else:
                    bucket.append(i)
            self._index[kind] = idx
        return idx

    def occurrences(self, kind: str, block_keys: list[str]) -> list[int]:
        """Every start where the block equals the file under `kind` keys."""
        n = len(block_keys)
        idx = self.index(kind)
        pivot, best = -1, None
        for i, key in enumerate(block_keys):
            if not key.strip():
                continue
            hits = idx.get(key)
            if hits is None:
                return []
            if best is None or len(hits) < len(best):
                pivot, best = i, hits
                if len(hits) == 1:
                    break
        if best is None:
            raise MalformedEdit(
                "the lines to find are all blank, so they could be anywhere",
                hint="Include at least one non-blank unchanged line from the file.",
                path=self.path)
        keys = self.doc.keys(kind)
        total = len(keys)
        starts = [p - pivot for p in best if 0 <= p - pivot and p - pivot + n <= total]
        if len(starts) <= VERIFY_ALL:
            return [s for s in starts if keys[s:s + n] == block_keys]
        # many candidates (repeated lines): compare hashes, O(1) each; a start that is
        # used is compared line by line in find() before anything is written
        hashes = self._hashes.get(kind)
        if hashes is None:
            hashes = self._hashes[kind] = LineHashes(keys)
        want = LineHashes.of(block_keys)
        return [s for s in starts if hashes.window(s, n) == want]

    def _verified(self, kind: str, block_keys: list[str], start: int) -> int:
        if self.doc.keys(kind)[start:start + len(block_keys)] != block_keys:
            raise NoMatch("two different stretches of lines hashed alike; splice will not "
                          "merge on a hash alone.", hint="Send the edit again with more "
                          "context lines.", path=self.path)
        return start

    def find(self, block: list[str], *, after: int | None = None, expect: int | None = None,
             what: str = "the lines to replace", present: list[str] | None = None,
             before: int | None = None) -> Match:
        """The one place `block` sits; `after`/`expect` only break ties between places.

        `after`/`before`: the block is known to lie within [after, before) (its neighbours
        in an ordered edit), which may leave one of several places.
        `present`: the edit's new side. When the old side is not found by the strict rungs
        but the new side is in the file, raise AlreadyPresent instead of trying fuzzy.
        """
        n = len(block)
        if n == 0:
            raise MalformedEdit(f"{what} are empty",
                                hint="Include the unchanged lines around the change.",
                                path=self.path)
        for kind in ("exact", "rstrip"):
            keys = normalise(block, kind)
            found = self.occurrences(kind, keys)
            if found:
                start = self._verified(kind, keys, self._pick(found, after, expect, n, what,
                                                              before))
                return Match(start, start + n, kind)
        strip_keys = normalise(block, "strip")
        found_strip = self.occurrences("strip", strip_keys)
        if len(found_strip) > VERIFY_ALL:
            # too many to re-indent each: narrow first (refuses unless the order settles
            # it), then check the one place left
            found_strip = [self._verified("strip", strip_keys, self._pick(
                found_strip, after, expect, n, what, before))]
        shifted: list[tuple[int, Shift]] = []
        for start in found_strip:
            shift = indent_shift(self.doc.lines[start:start + n], block)
            if shift is not None:
                shifted.append((start, shift))
        if shifted:
            start = self._pick([s for s, _ in shifted], after, expect, n, what, before)
            shift = next(f for s, f in shifted if s == start)
            return Match(start, start + n, "indent", shift)
        if present is not None and self.present(present):
            raise AlreadyPresent
        fuzzy = self._fuzzy(block, what)
        if fuzzy is not None:
            return fuzzy
        message, hint = no_match_message(self.doc, block, self.path, what)
        raise NoMatch(message, hint=hint, path=self.path, details=self._closest_details(block))

    def present(self, lines: list[str]) -> bool:
        """Whether `lines` already sit in the file (exact, trailing space or re-indented)."""
        return bool(self.present_at(lines))

    def present_at(self, lines: list[str]) -> list[int]:
        """Where `lines` already sit in the file (0-based starts): exact, trailing space
        or re-indented by a constant amount."""
        if not any(line.strip() for line in lines):
            return []
        for kind in ("exact", "rstrip"):
            if found := self.occurrences(kind, normalise(lines, kind)):
                return list(found)
        n = len(lines)
        return [s for s in self.occurrences("strip", normalise(lines, "strip"))
                if indent_shift(self.doc.lines[s:s + n], lines) is not None]

    def _pick(self, found: list[int], after: int | None, expect: int | None, n: int,
              what: str, before: int | None = None) -> int:
        if len(found) == 1:
            return found[0]
        later = found if after is None else [s for s in found if s >= after]
        if before is not None:
            later = [s for s in later if s + n <= before]
        if (after is not None or before is not None) and len(later) == 1:
            return later[0]
        if expect is not None and expect in later:
            return expect
        message, hint = ambiguous_message(found, n, what, self.path)
        raise AmbiguousMatch(message, hint=hint, path=self.path,
                             details={"candidates": [s + 1 for s in found]})

    def _votes(self, block_strip: list[str]) -> Counter[int]:
        idx = self.index("strip")
        votes: Counter[int] = Counter()
        for i, key in enumerate(block_strip):
            if len(key) < 4:
                continue
            hits = idx.get(key, ())
            if len(hits) > FUZZY_COMMON_LINE:
                continue
            for pos in hits:
                votes[pos - i] += 1
        return votes

    def _fuzzy(self, block: list[str], what: str) -> Match | None:
        """A unique window of the block's length whose lines pair one to one with the
        block's (equal, or close variants: fuzzy.aligned_score), or None.

        Conservative: at least half the block's lines must already match exactly
        (stripped), and no other aligned window may come close. A block that lines up
        only with a stretch of another length is refused (NoMatch, shown side by side).
        """
        n = len(block)
        block_strip = normalise(block, "strip")
        solid = sum(1 for k in block_strip if k)
        if solid < 2:
            return None
        total = len(self.doc)
        votes = self._votes(block_strip)
        need = (solid + 1) // 2
        starts = [s for s, v in votes.most_common(FUZZY_MAX_CANDIDATES)
                  if v >= need and 0 <= s and s + n <= total]
        keys = self.doc.keys("strip")
        scored = []
        misindented: list[tuple[float, int]] = []
        strip_index = self.index("strip")
        for s in starts:
            score = aligned_score(keys[s:s + n], block_strip, strip_index.__contains__)
            if score is None or score < FUZZY_RIVAL:
                continue
            if indents_agree(self.doc.lines[s:s + n], block):
                scored.append((score, s))
            else:
                misindented.append((score, s))
        scored.sort(reverse=True)
        if not scored or scored[0][0] < FUZZY_THRESHOLD:
            stretch = misaligned(keys, block_strip, self.index("strip"))
            if stretch is not None:
                raise misaligned_error(block, self.doc.lines, *stretch, self.path, what)
            if len(misindented) == 1 and misindented[0][0] >= FUZZY_THRESHOLD:
                raise misindented_error(block, self.doc.lines, misindented[0][1], self.path,
                                        what)
            return None
        if len(scored) > 1 and scored[1][0] >= FUZZY_RIVAL:
            message, hint = ambiguous_message([s for _, s in scored], n, what, self.path)
            raise AmbiguousMatch(message, hint=hint, path=self.path,
                                 details={"candidates": [s + 1 for _, s in scored]})
        start = scored[0][1]
        window = self.doc.lines[start:start + n]
        return Match(start, start + n, "fuzzy", indent_shift(window, block, loose=True))

    def _closest_details(self, block: list[str]) -> dict[str, object]:
        window = closest_window(self.doc, block)
        if window is None:
            return {}
        return {"closest_lines": [window[0] + 1, window[1]]}


def transfer(window: list[str], block: list[str], replacement: list[str],
             match: Match) -> list[str]:
    """The new lines for a matched window.

    Lines the edit keeps unchanged (equal between its old and new side) are taken from
    the file as they are, so a loose match never rewrites them; only the lines the edit
    really changes come from the model, re-indented when the match was shifted.
    """
    if match.rung == "exact":
        return list(replacement)
    shift = match.shift or (lambda line: line)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in line_opcodes(block, replacement):
        if tag == "equal":
            out.extend(window[i1:i2])
        elif tag in ("replace", "insert"):
            out.extend(shift(line) for line in replacement[j1:j2])
    return out
