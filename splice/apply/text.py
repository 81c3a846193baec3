"""A file as lines with their own endings, so a merge rewrites only what it must.

Merges work on line lists; `render` puts the original's line endings, BOM and
final-newline state back, so untouched lines come out byte-identical.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BOM = "\ufeff"
# A line shorter than this (stripped), or without a letter or digit, proves little even
# when it occurs once (`}`, `pass`, `else:`): too common to tell places apart.
DISTINCT_CHARS = 8
_LINE = re.compile(r"([^\r\n]*)(\r\n|\n|\r|$)")


def distinctive(key: str) -> bool:
    """Whether a stripped line is worth telling places apart by."""
    return len(key) >= DISTINCT_CHARS and any(c.isalnum() for c in key)


@dataclass
class Doc:
    """An original file split into lines (without endings) plus how to write it back."""

    lines: list[str]
    ends: list[str]
    newline: str = "\n"
    bom: bool = False
    final_newline: bool = True
    _keys: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.lines)

    def keys(self, kind: str) -> list[str]:
        """Lines normalised for a ladder rung: exact, rstrip (trailing space), strip."""
        if kind == "exact":
            return self.lines
        cached = self._keys.get(kind)
        if cached is None:
            cached = normalise(self.lines, kind)
            self._keys[kind] = cached
        return cached


def normalise(lines: list[str], kind: str) -> list[str]:
    if kind == "exact":
        return lines
    if kind == "rstrip":
        return [line.rstrip() for line in lines]
    if kind == "strip":
        return [line.strip() for line in lines]
    raise ValueError(f"unknown key kind {kind!r}")


def split_doc(text: str) -> Doc:
    """Split an original file, remembering each line's ending and the BOM."""
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    if not text:
        return Doc(lines=[], ends=[], bom=bom, final_newline=False)
    lines: list[str] = []
    ends: list[str] = []
    if "\r" not in text:
        lines = text.split("\n")
        ends = ["\n"] * len(lines)
        if lines[-1] == "":
            lines.pop()
            ends.pop()
        else:
            ends[-1] = ""
        newline = "\n"
    else:
        for match in _LINE.finditer(text):
            body, end = match.group(1), match.group(2)
            if not body and not end:
                break
            lines.append(body)
            ends.append(end)
        crlf = ends.count("\r\n")
        cr = ends.count("\r")
        lf = ends.count("\n")
        newline = "\r\n" if crlf > lf and crlf >= cr else ("\r" if cr > lf and cr > crlf else "\n")
    return Doc(lines=lines, ends=ends, newline=newline, bom=bom,
               final_newline=bool(ends) and ends[-1] != "")


def split_edit(text: str) -> list[str]:
    """An edit's lines without endings (any of \\r\\n, \\n, \\r); no trailing empty line."""
    if text.startswith(BOM):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text:
        return []
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


@dataclass
class Replacement:
    """Original lines [start, end) become `lines` (0-based, end exclusive)."""

    start: int
    end: int
    lines: list[str]


def common_ends(a: list[str], b: list[str]) -> tuple[int, int]:
    """How many leading and trailing lines `a` and `b` share (never overlapping)."""
    head = 0
    limit = min(len(a), len(b))
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail


def _changed_range(old: list[str], new: list[str], base: int) -> tuple[int, int]:
    """1-based lines of `new` (placed after `base` output lines) that differ from `old`,
    ignoring the shared head and tail; a pure deletion marks the line after it."""
    head, tail = common_ends(old, new)
    first, last = base + head + 1, base + len(new) - tail
    if last < first:
        at = max(min(first, base + len(new)), 1)
        return at, at
    return first, last


@dataclass
class Rendered:
    text: str
    changed: list[tuple[int, int]]  # 1-based inclusive line ranges in the new text
    first_changed: int  # 0-based original line of the first change, -1 when none
    unchanged_tail: int  # original lines after the last change


def render(doc: Doc, reps: list[Replacement], *, edit_final_newline: bool | None = None) -> Rendered:
    """Apply sorted, non-overlapping replacements and write the file back in its own style.

    Kept lines keep their own endings; new lines take the file's dominant ending. The
    final newline follows the original (or the edit's, when the original was empty).
    """
    out_lines: list[str] = []
    out_ends: list[str] = []
    changed: list[tuple[int, int]] = []
    cursor = 0
    nl = doc.newline
    for rep in reps:
        if rep.start < cursor or rep.end < rep.start:
            raise ValueError("replacements overlap or are out of order")
        out_lines.extend(doc.lines[cursor:rep.start])
        out_ends.extend(doc.ends[cursor:rep.start])
        real = rep.lines != doc.lines[rep.start:rep.end]
        if not real:
            out_lines.extend(doc.lines[rep.start:rep.end])
            out_ends.extend(doc.ends[rep.start:rep.end])
        else:
            base = len(out_lines)
            out_lines.extend(rep.lines)
            out_ends.extend([nl] * len(rep.lines))
            changed.append(_changed_range(doc.lines[rep.start:rep.end], rep.lines, base))
        cursor = rep.end
    out_lines.extend(doc.lines[cursor:])
    out_ends.extend(doc.ends[cursor:])
    if out_ends:
        # a line that used to be the unterminated last line may now sit mid-file
        for i in range(len(out_ends) - 1):
            if not out_ends[i]:
                out_ends[i] = nl
        final = doc.final_newline if doc.lines else bool(edit_final_newline)
        if final and not out_ends[-1]:
            out_ends[-1] = nl
        elif not final:
            out_ends[-1] = ""
    body = "".join(line + end for line, end in zip(out_lines, out_ends, strict=True))
    effective = [r for r in reps if r.lines != doc.lines[r.start:r.end]]
    first_changed = effective[0].start if effective else -1
    tail = len(doc.lines) - effective[-1].end if effective else len(doc.lines)
    return Rendered(text=(BOM + body) if doc.bom else body, changed=changed,
                    first_changed=first_changed, unchanged_tail=tail)
