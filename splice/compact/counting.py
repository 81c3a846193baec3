"""Exact cl100k counts of a text and of its compaction, the text encoded once.

cl100k splits text into pieces (its pre-tokenizer regex) before byte-pair merging, and
merges never cross a piece. A piece can run across a line break only into lines that are
blank or whitespace-only (`):\\n\\n`, `\\n   \\n`): a line holding any other character
always starts a new piece, so no token crosses the start of such a line. The input is
encoded once; the byte lengths of its tokens, summed, say how many tokens lie before any
line with content. A compacted text is the input's own lines with marker lines (which
hold content) in between, so a kept run of lines from one line with content up to the
next one (or the end) adds a known count. What is left (markers, and the blank lines at
the edges of kept runs, which merge into pieces with their new neighbours) is joined and
counted in one call: each leftover fragment starts at a line with content, so joining
them keeps the sum exact. The tests check both against counting the joined text.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from functools import cache
from itertools import accumulate
from operator import methodcaller

import numpy as np
import numpy.typing as npt

from splice.core.tokens import encoding

Ids = npt.NDArray[np.uint32]


@cache
def _encoder() -> Callable[[str], Ids]:
    """The Rust encoder itself (no Python wrapper). `encode_ordinary` releases the GIL while
    it encodes, so a second thread can run it beside the parse; its list of ids becomes a
    numpy array through `array.array`, which converts in C (~6 ns a token). (tiktoken's
    buffer output, `encode_to_tiktoken_buffer`, holds the GIL for the whole encoding.)"""
    enc = encoding()
    core = getattr(enc, "_core_bpe", None)
    ordinary = core.encode_ordinary if core is not None and hasattr(
        core, "encode_ordinary") else enc.encode_ordinary
    if array("I").itemsize == 4:
        return lambda text: np.frombuffer(array("I", ordinary(text)), dtype=np.uint32)
    return lambda text: np.asarray(ordinary(text), dtype=np.uint32)


@cache
def _token_bytes() -> npt.NDArray[np.int64]:
    """Byte length of every token, by id (built once, ~10 ms)."""
    enc = encoding()
    lengths = [0] * enc.n_vocab
    for token, rank in enc._mergeable_ranks.items():
        lengths[rank] = len(token)
    for special, rank in enc._special_tokens.items():
        lengths[rank] = len(special.encode("utf-8"))
    return np.asarray(lengths, dtype=np.int64)


_utf8 = methodcaller("encode", "utf-8", "surrogatepass")


def is_blank(line: str) -> bool:
    return not line or line.isspace()


def encode(text: str) -> Ids:
    """cl100k token ids of `text`, special-token strings as plain text. tiktoken
    releases the GIL while it encodes, so this can run beside other work."""
    return _encoder()(text)


class LineCounts:
    """Token counts of `lines` (each keeping its line ending): the total, and how many
    tokens come before any line with content. `text` is "".join(lines) and `ids` its
    encoding, when already known."""

    def __init__(self, lines: list[str], ids: Ids | None = None,
                 text: str | None = None) -> None:
        self.lines = lines
        if text is None:
            text = "".join(lines)
        if ids is None:
            ids = encode(text)
        self.total = len(ids)
        # end offset (in bytes) of every token, and the byte offset of every line
        self._ends = np.cumsum(_token_bytes()[ids])
        if text.isascii():
            self._starts = [0, *accumulate(map(len, lines))]
        else:
            self._starts = [0, *accumulate(map(len, map(_utf8, lines)))]

    def before(self, i: int) -> int:
        """Tokens before line i; exact only where a piece starts: line i holds content,
        or i is 0 or the end."""
        return int(np.searchsorted(self._ends, self._starts[i], side="right"))

    def kept_total(self, runs: list[tuple[bool, int, int]], markers: dict[int, str]) -> int:
        """Tokens of the compacted text: the runs of kept lines (lines.kept_runs) in
        order, with markers[i] (the marker replacing the removed run that starts at
        line i) in between."""
        lines = self.lines
        n = len(lines)
        spans: list[int] = []  # line numbers: head, tail, head, tail, ...
        rest: list[str] = []
        for keep, a, b in runs:
            if not keep:
                if a in markers:
                    rest.append(markers[a])
                continue
            # [head, tail) runs from a line with content to one that starts a piece
            # in both texts; the blank lines outside it go to `rest`
            head = a
            if a > 0:
                while head < b and is_blank(lines[head]):
                    head += 1
            tail = b
            if b < n and is_blank(lines[b]):  # no piece starts at b: from the last line
                tail = b - 1                  # with content on, count with the marker
                while tail > head and is_blank(lines[tail]):
                    tail -= 1
            if head < tail:
                rest.extend(lines[a:head])
                spans += (head, tail)
                rest.extend(lines[tail:b])
            else:
                rest.extend(lines[a:b])
        total = 0
        if spans:  # every span's count in one search: tokens before tail - before head
            before = np.searchsorted(self._ends, [self._starts[i] for i in spans],
                                     side="right")
            total = int(before[1::2].sum() - before[0::2].sum())
        return total + (len(_encoder()("".join(rest))) if rest else 0)
