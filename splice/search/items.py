"""A query that lists several changes (a changelog section, an issue with a bullet list)
wants a file for each of them. Ranked as one bag of words, the file matching most items
(often the biggest module) fills the top and a file that only one item names sinks: so
each item's own best file is given a place near the top."""

from __future__ import annotations

import re
from collections import Counter

from splice.search.terms import Term, extract_terms

_BULLET = re.compile(r"^\s{0,8}(?:[-*+\u2022]|\d{1,3}[.)])\s+")
MAX_ITEMS = 12
PROMOTED = 3        # at most this many files lifted by an item; the rest of the top is global
ITEM_SLOTS = 5      # lifted files land within this many first places
MARGIN = 1.5        # an item's best file must beat its second by this much: a clear pointer


def split_items(query: str) -> list[str]:
    """The bullets of a list (continuation lines join their bullet); a query without at
    least two bullets is one item."""
    items: list[list[str]] = []
    bullets = 0
    for line in query.splitlines():
        if _BULLET.match(line):
            bullets += 1
            items.append([_BULLET.sub("", line)])
        elif items and line.strip() and line[:1].isspace():
            items[-1].append(line.strip())
        elif line.strip():
            items.append([line.strip()])
    if bullets < 2:
        return [query]
    return [" ".join(parts) for parts in items][:MAX_ITEMS]


def item_terms(query: str, terms: list[Term]) -> list[list[int]]:
    """For each item of the query with a term of its own, the indices of `terms` it holds."""
    items = split_items(query)
    if len(items) < 2:
        return []
    index = {t.text.lower(): i for i, t in enumerate(terms)}
    out = []
    for item in items:
        own = [index[k] for k in (t.text.lower() for t in extract_terms(item).terms) if k in index]
        if own:
            out.append(sorted(set(own)))
    return out if len(out) >= 2 else []


def promote(order: list[str], score: Counter[str], items: list[Counter[str]],
            fixed: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """`order` (files best first) with each item's clear best file (MARGIN ahead of the
    item's second) moved up into the first ITEM_SLOTS places: at most PROMOTED of them,
    strongest first, the global best staying first. `items` holds each item's score per
    file (priors applied). A file in `fixed` (a changelog, packaging metadata) is never
    lifted: an item that wins there is the changelog quoting itself, not a pointer."""
    if not order or not items:
        return order
    winners = []
    for per_file in items:
        ranked = per_file.most_common(2)
        if not ranked or ranked[0][1] <= 0:
            continue
        best, value = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        if value >= MARGIN * second and best not in winners and best not in fixed:
            winners.append(best)
    head = order[:ITEM_SLOTS]
    lifted = [w for w in sorted(winners, key=lambda f: -score[f]) if w not in head][:PROMOTED]
    if not lifted:
        return order
    keep = ITEM_SLOTS - len(lifted)
    rest = [f for f in order if f not in lifted]
    return rest[:keep] + lifted + rest[keep:]
