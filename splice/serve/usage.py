"""Exact cl100k token counts for a merge's `usage`, without tokenizing the file twice.

The prompt holds the original file and the completion is the merged file, which is the
original with one changed stretch. cl100k's pre-tokenizer ends a pre-token at the last of a
run of line breaks, so token counts add up across the starts of non-blank lines ("cuts"):
the file is
counted once in pieces cut around the changed stretch, and the merged file's count reuses
every piece it shares with the original. Only the new stretch (and the short first and last
pieces, which the prompt glues to its tags) is tokenized again. Same numbers as
count_tokens on the whole texts, at about half the cost.
"""

from __future__ import annotations

from splice.core.tokens import count_tokens


def _line_content(text: str, i: int) -> int:
    """Where the line starting at i has its first character past spaces and tabs: the
    last character whether i is a cut depends on."""
    while i < len(text) and text[i] in " \t":
        i += 1
    return i


def _is_cut(text: str, i: int) -> bool:
    """True when no cl100k pre-token spans position i: the start of a line with something
    on it. (A run of white space holding line breaks is one pre-token up to its last break,
    so the start of a blank line is no cut.)"""
    if not 0 < i < len(text) or text[i - 1] != "\n":
        return False
    j = _line_content(text, i)
    return j < len(text) and not text[j].isspace()


def cut_at_or_before(text: str, limit: int) -> int:
    """The last cut at or before `limit` (0 when there is none)."""
    i = min(limit, len(text) - 1)
    while i > 0:
        if _is_cut(text, i):
            return i
        i = text.rfind("\n", 0, i - 1) + 1  # the start of the line before
    return 0


def cut_at_or_after(text: str, start: int) -> int:
    """The first cut at or after `start` (len(text) when there is none)."""
    i = max(start, 1)
    while i < len(text):
        if _is_cut(text, i):
            return i
        newline = text.find("\n", i)
        if newline < 0:
            break
        i = newline + 1
    return len(text)


def common_prefix(a: str, b: str) -> int:
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:  # binary search: each probe is one C-level compare
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def common_suffix(a: str, b: str, limit: int) -> int:
    lo, hi = 0, min(len(a), len(b), limit)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid:] == b[len(b) - mid:]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def merge_usage(head: str, original: str, tail: str, merged: str) -> tuple[int, int]:
    """(prompt tokens of head + original + tail, completion tokens of merged)."""
    n = len(original)
    same_head = common_prefix(original, merged)
    same_tail = common_suffix(original, merged, min(n, len(merged)) - same_head)
    # The changed stretch, original[start:stop]: its cuts lie where both texts agree on the
    # characters either side, so they are cuts in the merged text too.
    start = cut_at_or_before(original, same_head - 1)
    # ...and a cut's lookahead (the indentation up to the line's first character) must lie
    # in the shared head too: "  x" may have become " \n  x" (a blank line: no cut).
    while start > 0 and _line_content(original, start) >= same_head:
        start = cut_at_or_before(original, start - 1)
    stop = cut_at_or_after(original, n - same_tail + 1)
    first, last = cut_at_or_after(original, 1), cut_at_or_before(original, n - 1)
    cuts = sorted({c for c in (first, start, stop, last) if 0 < c < n})
    if not cuts:
        return count_tokens(head + original + tail), count_tokens(merged)
    bounds = [0, *cuts, n]
    pieces = [original[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    counts = [count_tokens(p) for p in pieces[1:-1]]
    prompt = count_tokens(head + pieces[0]) + sum(counts) + count_tokens(pieces[-1] + tail)
    counts = [count_tokens(pieces[0]), *counts, count_tokens(pieces[-1])]
    # merged = original[:start] + new stretch + original[stop:]
    kept = sum(k for k, a, b in zip(counts, bounds, bounds[1:], strict=False)
               if b <= start or a >= stop)
    new = merged[start:len(merged) - (n - stop)]
    return prompt, kept + count_tokens(new)
