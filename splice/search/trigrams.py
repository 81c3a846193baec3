"""Which words of the postings' vocabulary hold a given substring, without scanning it: the
words of each three-letter run (a trigram index over the folded words), intersected, then
checked. Built with numpy over the folded text in one pass."""

from __future__ import annotations

import numpy as np

Trigrams = tuple[np.ndarray, np.ndarray, np.ndarray]  # sorted codes, starts, word ids


def _codes(data: np.ndarray) -> np.ndarray:
    """The code of the three bytes at each position (the last two have none)."""
    d = data.astype(np.int64)
    return (d[:-2] << 16) | (d[1:-1] << 8) | d[2:]


def build(folded: str, offsets: np.ndarray) -> Trigrams:
    """Every trigram inside a word ("\\n" ends each word in `folded`) and its words."""
    data = np.frombuffer(folded.encode("ascii"), dtype=np.uint8)
    if len(data) < 3:
        empty = np.zeros(0, dtype=np.int64)
        return empty, np.zeros(1, dtype=np.int64), empty.astype(np.int32)
    codes = _codes(data)
    newline = data == ord("\n")
    inside = ~(newline[:-2] | newline[1:-1] | newline[2:])
    at = np.flatnonzero(inside)
    word = np.searchsorted(offsets, at, side="right") - 1
    pairs = np.unique(codes[at] * (len(offsets) + 1) + word)
    code, word = np.divmod(pairs, len(offsets) + 1)
    keys, first = np.unique(code, return_index=True)
    starts = np.append(first, len(code)).astype(np.int64)
    return keys, starts, word.astype(np.int32)


def candidates(index: Trigrams, part: str) -> np.ndarray:
    """Ids of the words holding every trigram of `part` (folded, at least 3 characters),
    fewest first: a superset of the words that hold `part`."""
    keys, starts, words = index
    codes = np.unique(_codes(np.frombuffer(part.encode("ascii"), dtype=np.uint8)))
    at = np.searchsorted(keys, codes)
    if (at >= len(keys)).any() or (keys[np.minimum(at, len(keys) - 1)] != codes).any():
        return np.zeros(0, dtype=np.int64)
    lists = sorted((words[starts[i]:starts[i + 1]] for i in at.tolist()), key=len)
    found = lists[0]
    for other in lists[1:]:
        found = np.intersect1d(found, other, assume_unique=True)
        if not len(found):
            break
    return found.astype(np.int64)
