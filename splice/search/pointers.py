"""The places the answer had no room for: the best candidates not shown, one line each.

On bug reports the planner often builds the region that holds the fix but ranks it just
below what fills the budget (benchmarks/search, search8). Naming those regions costs a line
each, so an agent whose shown code is not enough reads them before it greps. Their tokens
come out of the same budget as the code blocks: the answer never exceeds max_tokens.
"""

from __future__ import annotations

from splice.core.spans import Span
from splice.core.tokens import count_tokens
from splice.search.fitting import SEPARATOR_TOKENS, LineCache, SpanCandidate
from splice.search.models import pointers_text

# Places are listed from budgets of POINTERS_FROM up, with RESERVE_TOKENS kept from the code
# blocks for them. Measured (benchmarks/search and benchmarks/tokens, "Round pointers"): on
# SWE-bench dev at 4,000 tokens 150 kept cost no fix line of the spans on either half (200
# did); at 2,000 (the agent's default) even 60 did (a span there is a fifth of the budget),
# and places read cost the replayed agent more than they found (on dev, and on the changelog
# set even those that fit in what the code left: one read call more, never the fix).
POINTERS_FROM = 4000
RESERVE_TOKENS = 150
MAX_POINTERS = 8


def reserve(max_tokens: int) -> int:
    """Tokens the fit leaves for the pointer section (none when no places are listed)."""
    return RESERVE_TOKENS if max_tokens >= POINTERS_FROM else 0


def section_tokens(more: list[Span]) -> int:
    return count_tokens(pointers_text(more)) + SEPARATOR_TOKENS if more else 0


def in_fit_order(candidates: list[SpanCandidate]) -> list[SpanCandidate]:
    """The order `fit` offers candidates the budget: the leading files' first regions
    (tier 0) as ranked, then the rest by worth."""
    first = [c for c in candidates if c.tier == 0]
    rest = sorted((c for c in candidates if c.tier != 0), key=lambda c: -c.worth())
    return first + rest


def pick(candidates: list[SpanCandidate], shown: list[Span], cache: LineCache,
         budget: int, limit: int | None = None) -> list[Span]:
    """The best candidates no shown span or earlier pointer overlaps, clipped to their
    file, while the section fits `budget` tokens: at most `limit`."""
    more: list[Span] = []
    limit = MAX_POINTERS if limit is None else limit
    if budget <= 0 or limit <= 0:
        return more
    for cand in in_fit_order(candidates):
        if len(more) >= limit:
            break
        lines = cache.lines(cand.span.path)
        if not lines or cand.span.start_line > len(lines):
            continue  # unreadable or past the end: nothing to point at
        span = cand.span.model_copy(update={"end_line": min(cand.span.end_line, len(lines))})
        if any(span.overlaps(s) for s in shown) or any(span.overlaps(s) for s in more):
            continue
        if section_tokens([*more, span]) > budget:
            break
        more.append(span)
    return more
