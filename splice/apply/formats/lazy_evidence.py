"""Evidence that tells two placements of a lazy segment apart when their costs are close.

The joint placement (lazy_joint) refuses a segment when another placement costs about as
much as the chosen one. Some of those rivals leave out evidence the chosen one has:

- unique lines: a segment line that stands exactly once in the file (ignoring
  indentation) and is distinctive places the segment as firmly as its anchors do: a
  reading whose region holds it explains it, a reading elsewhere would write a second
  copy of it. A rival whose unique lines are a strict subset of the chosen placement's
  is no reading of the edit. (Where each holds one the other lacks, nothing is settled.)
"""

from __future__ import annotations

import re

# A line shorter than this (stripped), or without a letter or digit, proves little even
# when it occurs once (`}`, `pass`, `else:`).
DISTINCT_CHARS = 8


def distinctive(key: str) -> bool:
    return len(key) >= DISTINCT_CHARS and any(c.isalnum() for c in key)


class UniqueLines:
    """Where a segment's distinctive lines stand in the file, for those that stand once."""

    def __init__(self, index: dict[str, list[int]], seg: list[str]) -> None:
        self.positions: set[int] = set()
        for line in seg:
            key = line.strip()
            if not distinctive(key):
                continue
            places = index.get(key, ())
            if len(places) == 1:
                self.positions.add(places[0])

    def within(self, start: int, end: int) -> frozenset[int]:
        return frozenset(q for q in self.positions if start <= q < end)

    def outweighs(self, pick: tuple[int, int], rival: tuple[int, int]) -> bool:
        """Whether the pick's region holds every unique segment line the rival's does,
        and more."""
        mine, theirs = self.within(*pick), self.within(*rival)
        return theirs < mine


# A line that opens a named definition, in the languages splice parses: the name it binds.
_DEFINITION = re.compile(
    r"^\s*(?:(?:pub(?:\([^)]*\))?|export|default|async|static|public|private|protected|"
    r"abstract|declare|unsafe|final)\s+)*"
    r"(?:def|class|fn|function\*?|func|struct|enum|trait|interface|type|mod)\s+([A-Za-z_]\w*)")


def definition_name(line: str) -> str | None:
    found = _DEFINITION.match(line)
    return found.group(1) if found else None


def lost_definitions(keys: list[str], start: int, end: int, seg: list[str]) -> list[int]:
    """Lines of [start, end) that open a named definition the segment never names: a
    placement there deletes or renames that definition."""
    text = "\n".join(seg)
    present = {line.strip() for line in seg}
    lost = []
    for q in range(start, end):
        name = definition_name(keys[q])
        if name is None or keys[q].strip() in present:
            continue
        if not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            lost.append(q)
    return lost
