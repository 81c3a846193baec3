"""Lines in, lines out: splitting, removal markers, kept ranges and numbered views.

Lines split on '\\n' only (as editors and tree-sitter count them), each keeping its own
ending, so joining kept lines gives back the input's bytes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate, compress, islice
from operator import ne

from splice.core.tokens import count_tokens

# The marker's wording, said once: docstrings, tool descriptions and help text use these.
MARKER_SHAPE = "(filtered N lines: A-B)"
TOOL_MARKER_SHAPE = "(filtered N lines)"
MARKER_GUIDE = (
    f"each removed stretch becomes one marker line `{MARKER_SHAPE}`: the N lines numbered A "
    "to B in the original were left out (in code the marker is a comment in the file's "
    "syntax, indented like the lines it replaces, e.g. `# (filtered 12 lines: 40-51)`); read "
    f"lines A-B to get them back. Tool output, with no file to read back, gets "
    f"`{TOOL_MARKER_SHAPE}`")
MARKER_RE = re.compile(r"\(filtered (\d+) lines?(?:: (\d+)-(\d+))?\)")


# str.splitlines also breaks at these; where none occurs (and every \r is part of a
# \r\n), it splits exactly at '\n', in one C call
_OTHER_BREAKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def split_lines(text: str) -> list[str]:
    if not any(map(text.__contains__, _OTHER_BREAKS)) and (
            "\r" not in text or text.count("\r") == text.count("\r\n")):
        return text.splitlines(keepends=True)
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def line_starts(lines: list[str]) -> list[int]:
    """Offset of each line's first character in the joined text."""
    return [0, *accumulate(map(len, lines))][:-1]


def marker_line(count: int, *, comment: str = "", indent: str = "", note: str = "",
                newline: str = "\n", first: int | None = None) -> str:
    """One removal marker; given `first` (the first removed line's number) it names the
    range, so a reader can ask for exactly those lines."""
    prefix = f"{comment} " if comment else ""
    noun = "line" if count == 1 else "lines"
    where = f": {first}-{first + count - 1}" if first is not None else ""
    tail = f" {note}" if note else ""
    return f"{indent}{prefix}(filtered {count} {noun}{where}){tail}{newline}"


@lru_cache(maxsize=64)
def marker_tokens(comment: str, digits: int = 0) -> int:
    """Tokens one marker costs (a typical count, with some indentation); `digits`: the
    width of the line numbers a ranged marker names (0: a marker without a range)."""
    first = 10 ** (digits - 1) + 1 if digits else None
    return count_tokens(marker_line(12, comment=comment, indent="    ", first=first))


def kept_runs(kept: list[bool]) -> list[tuple[bool, int, int]]:
    """Maximal runs of equal flags as (flag, first, one past last): the places where a
    flag differs from the next are found in C, so the Python work is per run, not per
    line."""
    n = len(kept)
    if not n:
        return []
    cuts = [0, *compress(range(1, n), map(ne, kept, islice(kept, 1, None))), n]
    return [(kept[a], a, b) for a, b in zip(cuts, islice(cuts, 1, None), strict=False)]


def kept_ranges(kept: list[bool], first_line: int) -> list[tuple[int, int]]:
    return [(first_line + a, first_line + b - 1) for flag, a, b in kept_runs(kept) if flag]


def numbered(text: str, ranges: list[tuple[int, int]], start_line: int, end_line: int) -> str:
    """`  42 | line` for kept lines and `     | # (filtered N lines: A-B)` for markers, from a
    compacted text and its kept ranges (the markers sit exactly in the gaps)."""
    lines = split_lines(text)
    width = len(str(end_line))
    blank = " " * width
    out: list[str] = []
    pos = 0
    expected = start_line

    def take_marker() -> None:
        nonlocal pos
        if pos < len(lines):
            out.append(f"{blank} | {lines[pos].lstrip()}")
            pos += 1

    for a, b in ranges:
        if a > expected:
            take_marker()
        for number in range(a, b + 1):
            if pos >= len(lines):
                break
            out.append(f"{number:>{width}} | {lines[pos]}")
            pos += 1
        expected = b + 1
    if expected <= end_line:
        take_marker()
    result = "".join(line if line.endswith("\n") else line + "\n" for line in out)
    return result if text.endswith("\n") else result.rstrip("\n")
