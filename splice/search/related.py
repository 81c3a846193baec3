"""The other file of a fix that spans files. A function that hands its work to a namesake in
another module (`YearLookup.year_lookup_bounds` calling `ops.year_lookup_bounds_for_date_field`,
a method calling the backend's version of itself) is usually changed together with it: a
parameter or a case added to both. That module may hold none of the report's words. When the
best region of a leading file calls such a namesake, and exactly one file defines it, that file
is given a late slot among the first files (the first RELATED_SLOT stay as ranked)."""

from __future__ import annotations

import re

from splice.core.errors import SpliceError
from splice.search.context import SearchContext
from splice.search.fitting import SpanCandidate
from splice.search.priors import prior
from splice.search.regions import LineHits, enclosing_each

# `name(` or `obj.name(`, not `def name(` nor `class name(`
_CALL = re.compile(r"(?<!def )(?<!class )\b([A-Za-z_]\w*)\s*\(")
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
CALLABLE_KINDS = {"function", "method"}  # a class called is built, not a helper changed with its caller
SHARED_WORDS = 2   # words a caller's and a callee's names share to be namesakes: one is chance (`get`)
RELATED_SLOT = 4   # a related file is placed here (0-based) in the file order: the first 4 stay


def words_of(name: str) -> set[str]:
    """The lowercase words of an identifier (`year_lookup_bounds` and `YearLookupBounds`
    -> year, lookup, bounds)."""
    return {w.lower() for w in _WORD.findall(name)}


def namesakes(caller: str, callee: str) -> bool:
    """Whether `callee` is a version of `caller` (they share SHARED_WORDS words or more)."""
    return len(words_of(caller) & words_of(callee)) >= SHARED_WORDS


def _calls(ctx: SearchContext, cands: list[SpanCandidate]) -> list[tuple[str, str, str]]:
    """(name called, file, function calling it) in the leading files' best (tier 0) regions,
    in the order they are shown."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for c in cands:
        if c.tier == 0:
            spans.setdefault(c.span.path, []).append((c.span.start_line, c.span.end_line))
    out: list[tuple[str, str, str]] = []
    for path, ranges in spans.items():
        try:
            lines = ctx.engine.read(path).text.split("\n")  # once a file: a region may be in pieces
        except SpliceError:
            continue
        found = [(k, m.group(1).lower()) for start, end in ranges
                 for k in range(start, min(end, len(lines)) + 1)
                 for m in _CALL.finditer(lines[k - 1])]
        found.sort()
        fns = enclosing_each(ctx.index.definitions(path), [k for k, _ in found])
        out += [(name, path, fn.name) for (_, name), fn in zip(found, fns, strict=True) if fn]
    return out


def callee_files(ctx: SearchContext, cands: list[SpanCandidate],
                 top: list[str]) -> list[tuple[str, int]]:
    """(file, definition line) of the namesakes the leading files' best regions call that
    one file alone defines (a stub `.pyi` aside), outside the first RELATED_SLOT files."""
    calls = [c for c in _calls(ctx, cands) if namesakes(c[2], c[0])]
    if not calls:
        return []
    found = ctx.index.find({name for name, _, _ in calls})
    shown = set(top[:RELATED_SLOT])
    out: list[tuple[str, int]] = []
    for name, caller, _ in dict.fromkeys(calls):
        defs = [(p, d) for p, d in found.get(name, [])
                if d.kind in CALLABLE_KINDS and not p.endswith(".pyi")]
        if len({p for p, _ in defs}) != 1:
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
