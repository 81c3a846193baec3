"""Evidence that tells two placements of a lazy segment apart when their costs are close.

The joint placement (joint) refuses a segment when another placement costs about as
much as the chosen one, or when a wider one reads the edit as also deleting a block.
What settles some of those calls, and what must keep others refused:

- unique lines (UniqueLines): a distinctive segment line that stands exactly once in the
  file, or the one file line a changed segment line is clearly an edit of (LineWords),
  places the segment as firmly as its anchors: a region holding it explains it, a region
  elsewhere would write a second copy. A close rival holding a strict subset of the
  pick's such lines is no reading; where each holds one the other lacks, nothing is
  settled.
- renamed definitions (lost_definitions, new_definitions): a placement that drops a
  definition line whose name the segment never mentions rewrites that definition away;
  when another placement keeps it, or the segment defines a new name ("add test_x_fails
  next to test_x"), both are readings, so refuse.
- attached lines (AttachedLines): a deletion that parts a comment, doc comment, decorator
  or attribute from the code it belongs to is not a block anyone deletes, so it is no
  rival reading.
"""
from __future__ import annotations

import difflib
import re

from tree_sitter import Node

from splice.apply.text import distinctive
from splice.core.syntax import parse_path

# A changed line is an edit of the file line it resembles at least this much (difflib
# ratio), when no other file line comes within EDIT_CLEAR of it.
EDIT_LIKE = 0.75
EDIT_CLEAR = 0.1
def held_once(index: dict[str, list[int]], line: str) -> int | None:
    """Where the file holds `line` (stripped), when the line is distinctive and stands
    there only: the issue's rule 3, a line the file holds once is that line."""
    key = line.strip()
    places = index.get(key, ())
    return places[0] if len(places) == 1 and distinctive(key) else None


class UniqueLines:
    """Where a segment's distinctive lines stand in the file, for those that stand once;
    and for a changed line (not in the file), the one file line it is clearly an edit of."""

    def __init__(self, index: dict[str, list[int]], seg: list[str],
                 words: LineWords | None = None) -> None:
        self.positions: set[int] = set()
        for line in seg:
            key = line.strip()
            if not distinctive(key):
                continue
            places = index.get(key, ())
            if len(places) == 1:
                self.positions.add(places[0])
            elif not places and words is not None:
                origin = words.edited_origin(key)
                if origin is not None:
                    self.positions.add(origin)

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


# Lines that belong to the code after them: comments, doc comments, decorators, attributes.
ATTACHED_NODES = frozenset({"comment", "line_comment", "block_comment", "decorator",
                            "attribute_item", "inner_attribute_item"})
_ATTACHED_PREFIXES = ("#", "//", "/*", "*", "@")  # without a grammar


class AttachedLines:
    """Which lines of a file are comments, decorators or attributes (tree-sitter, parsed
    on first use; by their first characters when the file has no grammar)."""

    def __init__(self, lines: list[str], path: str | None) -> None:
        self.lines = lines
        self.path = path
        self._root: Node | None = None
        self._parsed = False
        self._memo: dict[int, bool] = {}

    def _tree_root(self) -> Node | None:
        if not self._parsed:
            self._parsed = True
            tree = parse_path("\n".join(self.lines), self.path)
            self._root = tree.root_node if tree is not None else None
        return self._root

    def __call__(self, i: int) -> bool:
        if i not in self._memo:
            self._memo[i] = self._attached(i)
        return self._memo[i]

    def _attached(self, i: int) -> bool:
        line = self.lines[i]
        col = len(line) - len(line.lstrip())
        root = self._tree_root()
        if root is None:
            return line.lstrip().startswith(_ATTACHED_PREFIXES)
        point = (i, len(line[:col].encode("utf-8", "surrogatepass")))
        node: Node | None = root.descendant_for_point_range(point, point)
        while node is not None:
            if node.type in ATTACHED_NODES:
                return True
            node = node.parent
        return False

    def detaches(self, start: int, end: int) -> bool:
        """Whether deleting lines [start, end) would part a comment or decorator from the
        code it belongs to: the stretch ends with one and code follows, or starts with
        code right after one. Nobody deletes a definition and keeps its doc comment for
        the next one."""
        lines = self.lines
        start = max(start, 0)
        inside = [i for i in range(start, min(end, len(lines))) if lines[i].strip()]
        if not inside:
            return False
        after = next((i for i in range(end, len(lines)) if lines[i].strip()), None)
        if after is not None and self(inside[-1]) and not self(after):
            return True
        before = next((i for i in range(start - 1, -1, -1) if lines[i].strip()), None)
        return before is not None and self(before) and not self(inside[0])


def new_definitions(keys: list[str], seg: list[str]) -> list[str]:
    """Names the segment defines that no line of the file defines."""
    names = {definition_name(line) for line in seg} - {None}
    if not names:
        return []
    defined = {definition_name(k) for k in keys if k.lstrip()[:1].isalpha()}
    return sorted(n for n in names if n not in defined)  # type: ignore[misc]


_WORD = re.compile(r"\w+")


class LineWords:
    """An index of a file's lines by the words they hold, to find a changed line's
    likely origins without comparing it with every line."""

    def __init__(self, stripped: list[str]) -> None:
        self.stripped = stripped
        self.by_word: dict[str, list[int]] = {}
        for q, line in enumerate(stripped):
            for word in set(_WORD.findall(line)):
                self.by_word.setdefault(word, []).append(q)

    def edited_origin(self, key: str) -> int | None:
        """The one file line that `key` is clearly an edit of, or None: at least EDIT_LIKE
        alike (difflib ratio), every other line at least EDIT_CLEAR less. Lines sharing
        under half of its words cannot come close, so only the others are compared."""
        words = set(_WORD.findall(key))
        if not words:
            return None
        shared: dict[int, int] = {}
        for word in words:
            for q in self.by_word.get(word, ()):
                shared[q] = shared.get(q, 0) + 1
        need = len(words) / 2
        best, second, at = 0.0, 0.0, None
        for q, count in shared.items():
            if count < need:
                continue
            ratio = difflib.SequenceMatcher(None, key, self.stripped[q], autojunk=False).ratio()
            if ratio > best:
                best, second, at = ratio, best, q
            elif ratio > second:
                second = ratio
        if best >= EDIT_LIKE and best - second >= EDIT_CLEAR:
            return at
        return None
