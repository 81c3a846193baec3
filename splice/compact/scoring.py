"""How much each line of code (or prose) matters for a query.

A line scores for the query terms it holds (rarer terms weigh more), for being near such
lines, and for sitting in a definition dense with them; a definition whose signature
names a query term counts double. A faint pull toward hits orders the lines that match
nothing, so a budget left over grows the kept regions outward instead of scattering.
"""

from __future__ import annotations

import math
from itertools import accumulate

from splice.compact.structure import Scope
from splice.compact.terms import QueryTerms, term_hits

NEAR = 3            # lines either side that share a hit's score
NEAR_DECAY = 0.5
PULL = 40           # lines either side that feel the faint pull
PULL_WEIGHT = 0.01
HEADER_BASE = 0.005
PARENT_SHARE = 0.15


def line_hits(text: str, starts: list[int], terms: QueryTerms) -> list[float]:
    hit = [0.0] * len(starts)
    for _term, lines, weight in term_hits(text, starts, terms):
        for line in lines:
            hit[line] += weight
    return hit


def scope_relevance(hit: list[float], scopes: list[Scope]) -> list[float]:
    """Hit mass per definition, signature hits doubled, over sqrt of its length."""
    prefix = [0.0, *accumulate(hit)]
    rel = []
    for scope in scopes:
        mass = prefix[scope.end + 1] - prefix[scope.start]
        header = prefix[scope.header_end + 1] - prefix[scope.start]
        rel.append((mass + 2.0 * header) / math.sqrt(scope.end - scope.start + 5))
    return rel


def code_scores(hit: list[float], scopes: list[Scope], inner: list[int]) -> list[float]:
    n = len(hit)
    hot = [i for i, v in enumerate(hit) if v > 0.0] if any(hit) else []
    score = [0.0] * n
    for scope in scopes:
        score[scope.start] = HEADER_BASE
    _pull(score, hot, n)
    for i in hot:
        v = hit[i]
        for d in range(1, NEAR + 1):
            share = v * NEAR_DECAY ** d
            if i - d >= 0:
                score[i - d] += share
            if i + d < n:
                score[i + d] += share
        score[i] += 2.0 * v
    if scopes and hot:
        rel = scope_relevance(hit, scopes)
        boost = [r + PARENT_SHARE * (rel[s.parent] if s.parent >= 0 else 0.0)
                 for r, s in zip(rel, scopes, strict=True)]
        score = [v + boost[s] if s >= 0 else v for v, s in zip(score, inner, strict=True)]
    return score


def _pull(score: list[float], hot: list[int], n: int) -> None:
    """score[j] >= the faint pull of the nearest hit; each line visited at most twice."""
    step = PULL_WEIGHT / (PULL + 1)
    bounds = [-(10**9), *hot, 10**9]
    for left, right in zip(bounds, bounds[1:], strict=False):
        lo, hi = max(left, 0), min(right, n - 1)
        for j in range(lo, min(hi, left + PULL) + 1):
            pull = PULL_WEIGHT - step * (j - left)
            if pull > score[j]:
                score[j] = pull
        for j in range(max(lo, right - PULL), hi + 1):
            pull = PULL_WEIGHT - step * (right - j)
            if pull > score[j]:
                score[j] = pull
