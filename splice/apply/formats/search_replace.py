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
