"""What a call costs: USD per million tokens, by model name prefix.

Cache writes cost 1.25x the input price and cache reads 0.1x (Anthropic's 5-minute
cache). A model not in the table costs 0 unless SPLICE_PRICE="IN,OUT" (USD per million
input, output tokens) says otherwise; `priced()` tells the CLI to warn that --max-cost
cannot bite.
"""

from __future__ import annotations

import os

from pydantic import BaseModel

from splice.core.errors import InvalidRequest
from splice.core.llm import Usage


class Price(BaseModel):
    input: float
    output: float
    cache_write: float | None = None
    cache_read: float | None = None

    def cost(self, usage: Usage) -> float:
        write = self.cache_write if self.cache_write is not None else self.input * 1.25
        read = self.cache_read if self.cache_read is not None else self.input * 0.1
        return (usage.input_tokens * self.input + usage.output_tokens * self.output
                + usage.cache_write_tokens * write + usage.cache_read_tokens * read) / 1e6


# Longest matching prefix wins, so dated names (claude-haiku-4-5-20251001) find theirs.
# From Anthropic's pricing page (platform.claude.com/docs/en/about-claude/pricing), read
# November 2026; the 5.5 rows as published at their launch (October 2026).
PRICES: dict[str, Price] = {
    "claude-fable-5-1": Price(input=10.0, output=50.0, cache_read=0.25),
    "claude-mythos-5-1": Price(input=10.0, output=50.0, cache_read=0.25),
    "claude-fable-5": Price(input=10.0, output=50.0, cache_read=1.0),
    "claude-mythos-5": Price(input=10.0, output=50.0, cache_read=1.0),
    "claude-opus-5-5": Price(input=4.0, output=20.0, cache_read=0.20),
    "claude-opus-5": Price(input=5.0, output=25.0),
    "claude-opus-4-8": Price(input=5.0, output=25.0),
    "claude-opus-4-7": Price(input=5.0, output=25.0),
    "claude-opus-4-6": Price(input=5.0, output=25.0),
    "claude-opus-4-5": Price(input=5.0, output=25.0),
    "claude-opus-4-1": Price(input=15.0, output=75.0),
    "claude-opus-4": Price(input=15.0, output=75.0),
    "claude-sonnet-5-5": Price(input=2.0, output=10.0, cache_read=0.10),
    "claude-sonnet-5": Price(input=2.0, output=10.0),
    "claude-sonnet-4": Price(input=3.0, output=15.0),
    "claude-3-7-sonnet": Price(input=3.0, output=15.0),
    "claude-3-5-sonnet": Price(input=3.0, output=15.0),
    "claude-haiku-5-5": Price(input=0.10, output=0.50, cache_write=0.125, cache_read=0.01),
    "claude-haiku-4-5": Price(input=1.0, output=5.0),
    "claude-3-5-haiku": Price(input=0.8, output=4.0),
    "claude-3-haiku": Price(input=0.25, output=1.25),
}


def env_price() -> Price | None:
    raw = os.environ.get("SPLICE_PRICE")
    if not raw:
        return None
    try:
        inp, out = (float(x) for x in raw.split(","))
    except ValueError as exc:
        raise InvalidRequest(f"SPLICE_PRICE={raw!r}: expected 'IN,OUT' in USD per million "
                             "tokens", hint="For example SPLICE_PRICE=3,15") from exc
    return Price(input=inp, output=out)


def price_for(model: str) -> Price | None:
    override = env_price()
    if override is not None:
        return override
    name = model.split("/")[-1]  # openrouter's "anthropic/claude-..."
    for prefix in sorted(PRICES, key=len, reverse=True):
        if name.startswith(prefix):
            return PRICES[prefix]
    return None


def priced(model: str) -> bool:
    return price_for(model) is not None


def with_cost(model: str, usage: Usage) -> Usage:
    price = price_for(model)
    usage.cost_usd = price.cost(usage) if price is not None else 0.0
    return usage
