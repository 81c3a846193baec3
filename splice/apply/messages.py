"""Error messages written to be sent back to a model: where, what was closest, what to send."""

from __future__ import annotations

import difflib
from collections import Counter

from splice.apply.text import Doc

SHOW_LINES = 12
MAX_CANDIDATES_SHOWN = 8
VOTERS = 64


def where(path: str | None) -> str:
    return f" in {path}" if path else ""


def numbered(doc: Doc, start: int, end: int) -> str:
    """Lines [start, end) with 1-based numbers, at most SHOW_LINES of them."""
    end = min(end, start + SHOW_LINES, len(doc))
    width = len(str(end))
    return "\n".join(f"{i + 1:>{width}} | {doc.lines[i]}" for i in range(start, end))


def closest_window(doc: Doc, block: list[str]) -> tuple[int, int] | None:
    """The original window most like `block` (0-based start, exclusive end), if any."""
    if not doc.lines:
        return None
    n = max(len(block), 1)
    keys = doc.keys("strip")
    wanted = [(i, k.strip()) for i, k in enumerate(block) if k.strip()]
    if not wanted:
        return None
    positions: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        positions.setdefault(key, []).append(i)
    # the rarest lines vote (at most VOTERS of them): a long block of common lines would
    # otherwise cost its length times their counts
    wanted.sort(key=lambda item: len(positions.get(item[1], ())) or 1 << 30)
    votes: Counter[int] = Counter()
    for i, key in wanted[:VOTERS]:
        for pos in positions.get(key, ())[:200]:
            votes[pos - i] += 1
    if not votes:
        pool = list(positions)[:20000]
        for i, key in wanted[:4]:
            for close in difflib.get_close_matches(key, pool, n=3, cutoff=0.5):
                for pos in positions[close][:20]:
                    votes[pos - i] += 1
    if not votes:
        return None
    target = [k.strip() for k in block]
    best, best_score = None, -1.0
    for start, _ in votes.most_common(6):
        s = max(0, min(start, len(doc) - 1))
        e = min(len(doc), s + n)
        # lines agreeing in place: linear (a diff of repeated lines is quadratic)
        score = sum(1 for a, b in zip(keys[s:e], target, strict=False) if a == b) / n
        if score > best_score:
            best, best_score = (s, e), score
    return best


def no_match_message(doc: Doc, block: list[str], path: str | None,
                     what: str) -> tuple[str, str]:
    message = f"{what} were not found{where(path)}."
    window = closest_window(doc, block)
    if window is not None:
        s, e = window
        s, e = max(0, s - 2), min(len(doc), e + 2)  # a little surrounding context
        message += (f" The closest lines are {s + 1}-{min(e, s + SHOW_LINES)}:\n"
                    f"{numbered(doc, s, e)}")
    hint = ("Copy the current lines from the file exactly (same text and indentation) and "
            "send the edit again; re-read the file if it may have changed.")
    return message, hint


def ambiguous_message(found: list[int], n: int, what: str, path: str | None) -> tuple[str, str]:
    shown = ", ".join(f"{s + 1}-{s + n}" if n > 1 else str(s + 1)
                      for s in found[:MAX_CANDIDATES_SHOWN])
    more = f" and {len(found) - MAX_CANDIDATES_SHOWN} more" if len(found) > MAX_CANDIDATES_SHOWN else ""
    message = (f"{what} occur {len(found)} times{where(path)}: at lines {shown}{more}. "
               "splice will not guess which one you meant.")
    hint = ("Include more unchanged lines before or after the change (for example the "
            "enclosing def/function line) so they match exactly one place.")
    return message, hint
