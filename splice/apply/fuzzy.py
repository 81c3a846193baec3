"""The fuzzy rung: small typos and whitespace, on lines aligned one to one, nothing more.

A fuzzy place is a window of exactly the block's length whose every line equals the
block's line (stripped) or closely resembles it (FUZZY_LINE), and which is FUZZY_THRESHOLD
similar overall. It never pairs a block line with a different file line by skipping one,
so a merge through it cannot delete, duplicate or reorder a line the edit does not mention.
The lines whose text agrees must be indented alike (a constant shift): a block line at
another depth than its partner is another line of the file, so the window would pair
across a line the block left out. A block that lines up with a stretch of another length
(a line left out or added) is refused, with the block and the stretch shown side by side.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

from splice.apply.indent import indent_shift
from splice.apply.messages import where
from splice.core.errors import NoMatch

FUZZY_THRESHOLD = 0.92  # whole-window similarity a fuzzy match must reach
FUZZY_RIVAL = 0.85  # any second window this similar makes the fuzzy match ambiguous
FUZZY_LINE = 0.9  # a mistyped line must be this similar to the file line it stands for
MAX_FUZZY_LINES = 0.25  # at most this share of the block's lines may differ (at least 1)
MAX_FUZZY_CHARS = 2000  # longer lines must match exactly (a char diff would be quadratic)
SIDE_WIDTH = 60
SIDE_ROWS = 16
SIDE_MAX = 2000  # lines compared for showing


def line_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < FUZZY_LINE or m.quick_ratio() < FUZZY_LINE:
        return 0.0
    return m.ratio()


def aligned_score(window: list[str], block: list[str],
                  exists: Callable[[str], bool] | None = None) -> float | None:
    """The window's similarity to the block when every line pairs one to one, else None.

    Both are stripped keys of equal length. Lines differ only where a line is a close
    variant of its partner (a typo: `exists` says the block's line stands nowhere in the
    file, else the window is shifted against it); blank lines must stay blank. The score
    weighs each line's similarity by its length: one comparison per differing line."""
    differing = 0
    total = matched = 0.0
    for w, b in zip(window, block, strict=True):
        weight = len(b) + 1
        total += weight
        if w == b:
            matched += weight
            continue
        if not w or not b or max(len(w), len(b)) > MAX_FUZZY_CHARS:
            return None
        if exists is not None and exists(b):
            return None
        similarity = line_similarity(w, b)
        if similarity < FUZZY_LINE:
            return None
        differing += 1
        if differing > max(1, int(len(block) * MAX_FUZZY_LINES)):
            return None
        matched += weight * similarity
    return matched / total if total else None


def indents_agree(window: list[str], block: list[str]) -> bool:
    """Whether the lines whose text agrees are indented alike (one constant shift, or
    tabs for spaces). A block line at another depth than its partner is another line
    of the file: a closing `}` the block means is the one a level out, so the window
    pairs it across a line the block left out (`}` / `}` / `}` against `}` / `}`)."""
    pairs = [(w, b) for w, b in zip(window, block, strict=True)
             if w.strip() and w.strip() == b.strip()]
    if not pairs:
        return True
    return indent_shift([w for w, _ in pairs], [b for _, b in pairs]) is not None


def _clip(text: str) -> str:
    return text if len(text) <= SIDE_WIDTH else text[:SIDE_WIDTH - 1] + "…"


def side_by_side(block: list[str], lines: list[str], start: int, *,
                 keep_indent: bool = False) -> str:
    """The edit's lines beside the file's lines [start, start + len(lines)), paired by a
    line diff, around where they differ; a gap on one side is a line only the other has.
    `keep_indent`: lines pair only at the same indentation."""
    rows: list[tuple[bool, str]] = []
    key = str.rstrip if keep_indent else str.strip
    # autojunk: this is only for showing, and it keeps repeated lines from going quadratic
    ops = difflib.SequenceMatcher(None, [key(b) for b in block[:SIDE_MAX]],
                                  [key(x) for x in lines[:SIDE_MAX]]).get_opcodes()
    for tag, i1, i2, j1, j2 in ops:
        for k in range(max(i2 - i1, j2 - j1)):
            left = _clip(block[i1 + k].rstrip()) if i1 + k < i2 else ""
            right = f"{start + j1 + k + 1:>5} | {lines[j1 + k]}" if j1 + k < j2 else "      |"
            mark = " " if tag == "equal" else ("<" if j1 + k >= j2 else
                                                ">" if i1 + k >= i2 else "~")
            rows.append((tag != "equal", f"{left:<{SIDE_WIDTH}} {mark} {right}"))
    differ = [i for i, (d, _) in enumerate(rows) if d]
    keep = {i for d in differ for i in range(d - 2, d + 3)} if differ else set(range(len(rows)))
    out = [f"{'edit':<{SIDE_WIDTH}}   file"]
    skipped = False
    for i, (_, row) in enumerate(rows):
        if i in keep and len(out) <= SIDE_ROWS:
            out.append(row)
            skipped = False
        elif not skipped:
            out.append("...")
            skipped = True
    return "\n".join(out)


def misaligned(keys: list[str], block_keys: list[str], index: dict[str, list[int]]
               ) -> tuple[int, int] | None:
    """A stretch [start, end) of another length than the block, between the file's places
    of the block's first and last line found once in the file (in order, the lines between
    mostly there too): a line left out of the block, or one added. Else None."""
    n = len(block_keys)
    seen: dict[str, int] = {}
    for key in block_keys:
        seen[key] = seen.get(key, 0) + 1
    unique = [(i, index[k][0]) for i, k in enumerate(block_keys)
              if k and seen[k] == 1 and len(index.get(k, ())) == 1]
    if len(unique) < 2:
        return None
    (i1, p1), (i2, p2) = unique[0], unique[-1]
    if p2 <= p1 or (p2 - p1) == (i2 - i1):
        return None
    in_order = sum(1 for (_, a), (_, b) in zip(unique, unique[1:], strict=False) if b > a)
    if in_order + 1 < max(2, (len(unique) * 3 + 3) // 4):
        return None
    start, end = p1 - i1, p2 + (n - i2)
    if start < 0 or end > len(keys) or abs((end - start) - n) > max(2, n // 10):
        return None
    return start, end


def misaligned_error(block: list[str], lines: list[str], start: int, end: int,
                     path: str | None, what: str) -> NoMatch:
    n, m = len(block), end - start
    gap = "leaves out" if m > n else "adds"
    message = (f"{what} line up with lines {start + 1}-{end}{where(path)}, but they have "
               f"{n} lines and the file has {m} there: the edit {gap} "
               f"{abs(m - n)} line{'s' if abs(m - n) != 1 else ''}. splice will not guess "
               f"which lines to drop or keep:\n{side_by_side(block, lines[start:end], start)}")
    return NoMatch(message, path=path,
                   hint="Copy those lines from the file exactly, every one of them, and send "
                        "the edit again.",
                   details={"closest_lines": [start + 1, end]})


def misindented_error(block: list[str], lines: list[str], start: int, path: str | None,
                      what: str) -> NoMatch:
    """A window whose lines agree with the block's but for one's depth: the block left
    out a line (or added one), shown beside the file with one line more on either side."""
    n = len(block)
    odd = next(k for k, (w, b) in enumerate(zip(lines[start:start + n], block, strict=True))
               if w.strip() and w.strip() == b.strip() and not indents_agree(
                   [x for x, y in zip(lines[start:start + k + 1], block, strict=False)
                    if x.strip() and x.strip() == y.strip()],
                   [y for x, y in zip(lines[start:start + k + 1], block, strict=False)
                    if x.strip() and x.strip() == y.strip()]))
    lo, hi = max(start - 1, 0), min(start + n + 1, len(lines))
    message = (f"{what} match lines {start + 1}-{start + n}{where(path)} only if line "
               f"{odd + 1} of them (`{block[odd].strip()}`) stands for line {start + odd + 1}, "
               "which is indented differently: it is another line of the file, so the "
               "edit leaves out a line there (or adds one). splice will not guess which "
               f"lines to drop or keep:\n{side_by_side(block, lines[lo:hi], lo, keep_indent=True)}")
    return NoMatch(message, path=path,
                   hint="Copy those lines from the file exactly, every one of them, with "
                        "their indentation, and send the edit again.",
                   details={"closest_lines": [start + 1, start + n]})
