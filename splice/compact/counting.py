"""Exact cl100k counts of a text and of its compaction, most of the text counted once.

cl100k splits text into pieces (its pre-tokenizer regex) before byte-pair merging, and
merges never cross a piece. A piece can run across a line break only into lines that are
blank or whitespace-only (`):\\n\\n`, `\\n   \\n`): a line holding any other character
always starts a new piece. So a text's count is the sum of the counts of any split of it
made just before such lines, exactly (the tests check it against counting the joined
text). The input is counted in chunks of about CHUNK_LINES lines cut there. A compacted
text is the input's own lines with marker lines in between, so every chunk it keeps
whole adds its known count; what is left (markers, chunks kept in part) is joined and
counted in one call: each leftover fragment starts at a line with content, so joining
them keeps the sum exact.
"""

from __future__ import annotations

from collections.abc import Callable

from splice.core.tokens import encoding

CHUNK_LINES = 12  # smaller chunks: more reuse in the result, more calls into the tokenizer


def _counter() -> Callable[[str], int]:
    enc = encoding()
    core = getattr(enc, "_core_bpe", None)  # the Rust encoder itself: no Python wrapper
    encode = core.encode_ordinary if core is not None and hasattr(core, "encode_ordinary") \
        else enc.encode_ordinary
    return lambda text: len(encode(text))


def is_blank(line: str) -> bool:
    return not line or line.isspace()


class ChunkCounts:
    """Token counts of `lines` (each keeping its line ending) by chunk."""

    def __init__(self, lines: list[str], chunk_lines: int | None = None) -> None:
        count = _counter()
        chunk_lines = chunk_lines or CHUNK_LINES
        self.lines = lines
        n = len(lines)
        self.chunk_end = [0] * n   # at a chunk's first line: one past its last line
        self.count = [0] * n       # at a chunk's first line: the chunk's tokens
        a = 0
        while a < n:
            b = min(a + chunk_lines, n)
            while b < n and is_blank(lines[b]):
                b += 1
            self.chunk_end[a] = b
            self.count[a] = count("".join(lines[a:b]))
            a = b
        self.total = sum(self.count)

    def kept_total(self, kept: list[bool], markers: dict[int, str]) -> int:
        """Tokens of the compacted text: the kept lines in order, with markers[i] (the
        marker replacing the removed stretch that starts at line i) in between."""
        lines, chunk_end, counts = self.lines, self.chunk_end, self.count
        n = len(lines)
        total = 0
        rest: list[str] = []
        a = 0
        while a < n:
            b = chunk_end[a]
            if all(kept[a:b]):
                total += counts[a]
            else:
                for i in range(a, b):
                    if kept[i]:
                        rest.append(lines[i])
                    elif i in markers:
                        rest.append(markers[i])
            a = b
        return total + (_counter()("".join(rest)) if rest else 0)
