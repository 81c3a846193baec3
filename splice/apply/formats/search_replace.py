"""Aider-style SEARCH/REPLACE blocks.

    path/to/file.py          (optional filename line, and optional ``` fences)
    <<<<<<< SEARCH
    old lines
    =======
    new lines
    >>>>>>> REPLACE
"""

from __future__ import annotations

import re

from splice.apply.formats.hunks import Hunk
from splice.core.errors import MalformedEdit

SEARCH = re.compile(r"^\s*<{5,9}\s*SEARCH\s*$")
DIVIDER = re.compile(r"^\s*={5,9}\s*$")
REPLACE = re.compile(r"^\s*>{5,9}\s*REPLACE\s*$")


def looks_like(lines: list[str]) -> bool:
    # one SEARCH marker is enough: a half-written block should fail loudly as a
    # SEARCH/REPLACE edit, not be taken for a whole file
    return any(SEARCH.match(line) for line in lines)


def parse(lines: list[str], path: str | None = None) -> list[Hunk]:
    """The blocks, in the order written. Text outside blocks (filenames, fences) is ignored."""
    hunks: list[Hunk] = []
    i = 0
    n = len(lines)
    while i < n:
        if not SEARCH.match(lines[i]):
            if DIVIDER.match(lines[i]) or REPLACE.match(lines[i]):
                raise MalformedEdit(
                    f"line {i + 1} of the edit (`{lines[i].strip()}`) has no "
                    "<<<<<<< SEARCH before it.",
                    hint="Each block is: <<<<<<< SEARCH, the current lines, =======, the new "
                         "lines, >>>>>>> REPLACE.", path=path)
            i += 1
            continue
        start = i
        i += 1
        old: list[str] = []
        while i < n and not DIVIDER.match(lines[i]):
            if SEARCH.match(lines[i]) or REPLACE.match(lines[i]):
                break
            old.append(lines[i])
            i += 1
        if i >= n or not DIVIDER.match(lines[i]):
            raise MalformedEdit(
                f"the SEARCH block starting at line {start + 1} of the edit has no ======= "
                "divider.",
                hint="Each block is: <<<<<<< SEARCH, the current lines, =======, the new "
                     "lines, >>>>>>> REPLACE.", path=path)
        i += 1
        new: list[str] = []
        while i < n and not REPLACE.match(lines[i]):
            if SEARCH.match(lines[i]) or DIVIDER.match(lines[i]):
                raise MalformedEdit(
                    f"the block starting at line {start + 1} of the edit is not closed "
                    "with >>>>>>> REPLACE.",
                    hint="End every block with a >>>>>>> REPLACE line.", path=path)
            new.append(lines[i])
            i += 1
        if i >= n:
            raise MalformedEdit(
                f"the block starting at line {start + 1} of the edit is not closed with "
                ">>>>>>> REPLACE.", hint="End every block with a >>>>>>> REPLACE line.",
                path=path)
        i += 1
        hunks.append(Hunk(old=old, new=new, label=f"SEARCH block {len(hunks) + 1}"))
    if not hunks:
        raise MalformedEdit("the edit has no <<<<<<< SEARCH blocks.",
                            hint="Send blocks of: <<<<<<< SEARCH, the current lines, =======, "
                                 "the new lines, >>>>>>> REPLACE.", path=path)
    return hunks


FENCE = re.compile(r"^\s*(`{3,}|~{3,})[\w+.-]*\s*$")
# A file name as Aider writes it above a block: one token, maybe in backticks or bold.
_NAME = re.compile(r"^[`*]*(?P<name>[^\s`*<>=|]+\.[\w]+|[^\s`*<>=|]*/[^\s`*<>=|]+)[`*:]*$")


def _name_above(lines: list[str], i: int) -> str | None:
    """The file name written on the line above the block at `i` (or above its fence)."""
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    if j >= 0 and FENCE.match(lines[j]):
        j -= 1
        while j >= 0 and not lines[j].strip():
            j -= 1
    if j < 0:
        return None
    found = _NAME.match(lines[j].strip())
    return found.group("name") if found else None


def blocks_by_file(lines: list[str]) -> list[tuple[str | None, list[str]]]:
    """Aider's multi-file edits: the blocks grouped under the file name written above
    them, in first-seen order. A block with no name above it belongs to the name before
    it (None at the start). Text outside blocks is dropped."""
    groups: dict[str | None, list[str]] = {}
    current: str | None = None
    i = 0
    while i < len(lines):
        if not SEARCH.match(lines[i]):
            i += 1
            continue
        current = _name_above(lines, i) or current
        end = i + 1
        while end < len(lines) and not REPLACE.match(lines[end]):
            end += 1
        groups.setdefault(current, []).extend(lines[i:end + 1])
        i = end + 1
    return list(groups.items())
