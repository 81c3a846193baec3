"""The model-shaped apply corpus: one case type, the per-file facts every shape reads.

A `ShapeCase` carries the edit, the writer's evidence (`instruction`, `seen_lines`) and the
right outcome, decided by the rule of its shape before splice ever sees it:
`expected` is the intended file when the evidence is passed, None when the engine must
refuse; `expected_blind` is the same verdict without the evidence.
"""

from __future__ import annotations

import difflib
import random
from dataclasses import dataclass, field

from pydantic import BaseModel

from splice.bench.apply_cases import Hunk, diff_hunks, split_lines
from splice.bench.apply_corpus import ChangedFile
from splice.core.repo import detect_newline
from splice.core.syntax import LINE_COMMENTS
from splice.search.symbols import Definition, extract_definitions

MARKER_TEXTS = ("... existing code ...", "... existing code ...", "... rest of the code ...",
                "... keep existing code ...")
SIMILAR = 0.6      # a line this similar to another says it replaces it
DISSIMILAR = 0.4   # below this a line is not mentioned by another
SEEN_MARGIN = 20   # lines shown around a change outside any definition
MAX_SEEN_DEF = 200  # a definition longer than this is shown only around the change


class ShapeCase(BaseModel):
    """One edit; merge(original, edit, fmt=, path=, instruction=, seen_lines=) is scored
    against `expected` (None: must refuse)."""

    id: str
    package: str
    path: str
    language: str
    shape: str
    fmt: str
    original: str
    edit: str
    expected: str | None
    expected_blind: str | None
    instruction: str | None = None
    seen_lines: list[tuple[int, int]] | None = None
    rule: str = ""


@dataclass
class Def:
    """A definition with its qualified name, as 0-based half-open line range [start, end)."""

    qual: str
    kind: str
    start: int
    end: int


def qualified(defs: list[Definition]) -> list[Def]:
    out: list[Def] = []
    stack: list[Def] = []
    for d in defs:
        start, end = d.start_line - 1, d.end_line
        while stack and stack[-1].end <= start:
            stack.pop()
        qual = f"{stack[-1].qual}.{d.name}" if stack else d.name
        item = Def(qual, d.kind, start, end)
        out.append(item)
        stack.append(item)
    return out


@dataclass
class FilePlan:
    """Everything the shape generators read about one changed file."""

    file: ChangedFile
    old: list[str]
    new: list[str]
    hunks: list[Hunk]
    old_defs: list[Def]
    new_defs: list[Def]
    comment: str
    nl: str
    final_nl: bool
    siblings: list[ChangedFile] = field(default_factory=list)

    def render(self, lines: list[str]) -> str:
        """Lines in the original's line endings and final newline."""
        return self.nl.join(lines) + (self.nl if self.final_nl and lines else "")

    def apply(self, hunks: list[Hunk]) -> list[str]:
        """The old lines with only `hunks` applied."""
        out: list[str] = []
        pos = 0
        for h in sorted(hunks, key=lambda h: h.i1):
            out += self.old[pos:h.i1] + self.new[h.j1:h.j2]
            pos = h.i2
        return out + self.old[pos:]

    def unique_def(self, defs: list[Def], qual: str) -> Def | None:
        found = [d for d in defs if d.qual == qual]
        return found[0] if len(found) == 1 else None

    def enclosing(self, line: int) -> Def | None:
        best = None
        for d in self.old_defs:
            if d.start <= line < d.end and (best is None or d.start >= best.start):
                best = d
        return best

    def marker(self, indent: str, rng: random.Random) -> str:
        return f"{indent}{self.comment} {rng.choice(MARKER_TEXTS)}"

    def seen(self, hunks: list[Hunk]) -> list[tuple[int, int]]:
        return self.evidence(hunks)[1]

    def evidence(self, hunks: list[Hunk]) -> tuple[str, list[tuple[int, int]]]:
        """What a writer of these changes was shown and says: the enclosing definitions
        (or the lines around a change), and an instruction naming them."""
        names: list[str] = []
        ranges: list[tuple[int, int]] = []
        for h in hunks:
            d = self.enclosing(max(h.i1 - (h.i1 == h.i2), 0))
            if d is not None and d.end - d.start <= MAX_SEEN_DEF:
                ranges.append((d.start + 1, d.end))
            else:
                ranges.append((max(h.i1 - SEEN_MARGIN, 0) + 1,
                               min(h.i2 + SEEN_MARGIN, len(self.old))))
            if d is not None and d.qual not in names:
                names.append(d.qual)
        merged: list[tuple[int, int]] = []
        for a, b in sorted(ranges):
            if merged and a <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        what = ", ".join(f"`{n}`" for n in names[:3]) or f"`{self.file.path}`"
        return f"Update {what}.", merged


def plan_file(file: ChangedFile, siblings: list[ChangedFile] | None = None) -> FilePlan | None:
    """The plan for one file, or None when its lines cannot be rendered back exactly."""
    old, new = split_lines(file.old), split_lines(file.new)
    nl = detect_newline(file.old)
    final_nl = file.old.endswith(("\n", "\r"))
    comment = LINE_COMMENTS.get(file.language, ("#",))[0]
    try:
        old_defs = qualified(extract_definitions(file.old.encode("utf-8", "surrogatepass"),
                                                 file.language))
        new_defs = qualified(extract_definitions(file.new.encode("utf-8", "surrogatepass"),
                                                 file.language))
    except (ValueError, KeyError):
        return None
    plan = FilePlan(file, old, new, diff_hunks(old, new), old_defs, new_defs, comment, nl,
                    final_nl, siblings or [])
    if plan.render(old) != file.old or plan.render(new) != file.new:
        return None  # mixed line endings: the expected texts could not be built exactly
    return plan


def ratio(a: str, b: str) -> float:
    sa, sb = a.strip(), b.strip()
    if not sa or not sb:
        return 0.0
    m = difflib.SequenceMatcher(None, sa, sb, autojunk=False)
    if m.real_quick_ratio() < DISSIMILAR or m.quick_ratio() < DISSIMILAR:
        return m.quick_ratio() if m.quick_ratio() < DISSIMILAR else m.ratio()
    return m.ratio()


def occurrences(haystack: list[str], needle: list[str]) -> list[int]:
    """Starts where `needle` sits in `haystack` (exact lines)."""
    n = len(needle)
    if not n:
        return []
    first = needle[0]
    return [i for i in range(len(haystack) - n + 1)
            if haystack[i] == first and haystack[i:i + n] == needle]


def inside(ranges: list[tuple[int, int]] | None, start: int, end: int) -> bool:
    """Whether 0-based lines [start, end) lie within the 1-based inclusive ranges."""
    return bool(ranges) and any(a - 1 <= start and end <= b for a, b in ranges or [])


def indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]
