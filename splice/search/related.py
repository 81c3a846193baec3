"""The other files of a fix that spans files. A fix to a function often changes the helper
it calls in another module as well (a parameter added to both, the caller and the callee
moving together), and that module may hold none of the report's words. When the best region
of one of the first files calls a name that exactly one other file defines, that file is
given a late slot among the first files: one definition in the whole repo is specific
evidence, a name many files define (`save`, `as_sql`) points at none of them."""

from __future__ import annotations

import re

from splice.core.errors import SpliceError
from splice.search.context import SearchContext
from splice.search.fitting import SpanCandidate
from splice.search.priors import prior
from splice.search.regions import LineHits

# `name(` or `obj.name(`, not `def name(` nor `class name(`
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_CALL = re.compile(r"(?<!def )(?<!class )\b([A-Za-z_]\w*)\s*\(")
CALLABLE_KINDS = {"function", "method", "class"}
SOURCE_FILES = 3   # the first files whose best regions are read for callees
NAMED_WORDS = 2    # words of a callee's name the report must use: one is chance (`get_size`)
RELATED_SLOT = 4   # a related file is shown from this place on (0-based): the top 4 stay


def _best_regions(cands: list[SpanCandidate], files: list[str]) -> dict[str, list[tuple[int, int]]]:
    """The line ranges of each file's first-shown (tier 0) candidates."""
    out: dict[str, list[tuple[int, int]]] = {}
    for c in cands:
        if c.tier == 0 and c.span.path in files:
            out.setdefault(c.span.path, []).append((c.span.start_line, c.span.end_line))
    return out


def words_of(name: str) -> set[str]:
    """The lowercase words of an identifier or dotted name (`year_lookup_bounds`,
    `YearLookup`, `ops.year_lookup` -> year, lookup, bounds, ops)."""
    return {w.lower() for w in _WORD.findall(name)}


def named_by(name: str, words: set[str]) -> bool:
    """Whether at least NAMED_WORDS of the words of `name` are words of the report."""
    return len(words_of(name) & words) >= NAMED_WORDS


def callee_files(ctx: SearchContext, cands: list[SpanCandidate], top: list[str],
                 terms: list[str]) -> list[tuple[str, int]]:
    """(file, definition line) of the names the best region of one of the first
    SOURCE_FILES files calls that only one file outside the first RELATED_SLOT defines
    and the report's words name (`terms`), in the order those regions are shown."""
    words = {w for t in terms for w in words_of(t)}
    regions = _best_regions(cands, top)
    sources = [p for p in top if p in regions][:SOURCE_FILES]  # the leading files' best
    called: list[tuple[str, str]] = []  # (name, file calling it), in source order
    for path in sources:
        for start, end in regions.get(path, []):
            try:
                text = ctx.engine.read(path, start, end).text
            except SpliceError:
                continue
            called += [(m.group(1).lower(), path) for m in _CALL.finditer(text)]
    if not called:
        return []
    found = ctx.index.find({name for name, _ in called})
    shown = set(top[:RELATED_SLOT])
    out: list[tuple[str, int]] = []
    for name, caller in dict.fromkeys(called):
        defs = [(p, d) for p, d in found.get(name, []) if d.kind in CALLABLE_KINDS]
        if len({p for p, _ in defs}) != 1 or not named_by(defs[0][1].name, words):
            continue
        target, d = defs[0]
        if target == caller or target in shown or prior(target) < 1.0 \
                or any(target == p for p, _ in out):
            continue
        out.append((target, d.start_line))
    return out


def place(top: list[str], related: list[tuple[str, int]], hits: LineHits) -> list[str]:
    """`top` with the first related file at RELATED_SLOT, its callee's definition a hit
    row as telling as the file's best line (so the definition is the region shown)."""
    if not related:
        return top
    path, line = related[0]
    rows = hits.rows.setdefault(path, {})
    best = max((sum(r.values()) for r in rows.values()), default=1.0)
    rows.setdefault(line, {})["<callee>"] = best
    hits.grown.pop(path, None)  # its regions are grown again with the new row
    rest = [p for p in top if p != path]
    return rest[:RELATED_SLOT] + [path] + rest[RELATED_SLOT:]
