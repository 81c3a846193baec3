"""Budgets: how far a run may go (iterations, tokens, cost, wall time) and how far it went.

The orchestrator checks the budget before every model call. Running out is an answer
(`BudgetStop`), never an exception: the caller ends the run with what it has.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from splice.core.llm import Usage

BudgetKind = Literal["iterations", "tokens", "cost", "time"]


class BudgetUsage(BaseModel):
    """What a run has spent so far; persisted with every step so a resumed run keeps counting."""

    iterations: int = 0
    model_tokens: int = 0
    worker_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    elapsed_s: float = 0.0

    @property
    def tokens(self) -> int:
        """Orchestrator and workers together: what --max-tokens caps."""
        return self.model_tokens + self.worker_tokens

    def add_model_call(self, usage: Usage) -> None:
        self.iterations += 1
        self.add_model_usage(usage)

    def add_model_usage(self, usage: Usage) -> None:
        self.model_tokens += usage.total_tokens
        self.input_tokens += usage.input_tokens
        self.output_tokens += usage.output_tokens
        self.cache_read_tokens += usage.cache_read_tokens
        self.cache_write_tokens += usage.cache_write_tokens
        self.cost_usd += usage.cost_usd

    def add_worker_usage(self, usage: Usage) -> None:
        """Tokens a worker spent in its own context (a model-driven search, a summary)."""
        self.worker_tokens += usage.total_tokens
        self.cost_usd += usage.cost_usd


class BudgetStop(BaseModel):
    """Which limit ran out, and a sentence a person can read."""

    kind: BudgetKind
    limit: float
    used: float
    message: str


class Budget(BaseModel):
    """Caps for one run. None means no cap on that axis."""

    max_iterations: int | None = Field(default=30, ge=1)
    max_tokens: int | None = Field(default=None, ge=1)
    max_cost_usd: float | None = Field(default=None, gt=0)
    max_time_s: float | None = Field(default=None, gt=0)

    def check(self, used: BudgetUsage) -> BudgetStop | None:
        """The first exhausted limit, or None when another model call is allowed."""
        if self.max_iterations is not None and used.iterations >= self.max_iterations:
            return BudgetStop(kind="iterations", limit=self.max_iterations, used=used.iterations,
                              message=f"used {used.iterations} of {self.max_iterations} "
                                      "model calls (--max-iterations)")
        if self.max_tokens is not None and used.tokens >= self.max_tokens:
            return BudgetStop(kind="tokens", limit=self.max_tokens, used=used.tokens,
                              message=f"used {used.tokens:,} of {self.max_tokens:,} tokens, "
                                      "orchestrator and workers together (--max-tokens)")
        if self.max_cost_usd is not None and used.cost_usd >= self.max_cost_usd:
            return BudgetStop(kind="cost", limit=self.max_cost_usd, used=used.cost_usd,
                              message=f"spent ${used.cost_usd:.4f} of ${self.max_cost_usd:.4f} "
                                      "(--max-cost)")
        if self.max_time_s is not None and used.elapsed_s >= self.max_time_s:
            return BudgetStop(kind="time", limit=self.max_time_s, used=used.elapsed_s,
                              message=f"ran {used.elapsed_s:.1f}s of {self.max_time_s:.1f}s "
                                      "(--max-time)")
        return None

    def time_left(self, used: BudgetUsage) -> float | None:
        if self.max_time_s is None:
            return None
        return max(0.0, self.max_time_s - used.elapsed_s)

    def time_stop(self, used: BudgetUsage) -> BudgetStop:
        """The stop to report when the wall clock ran out in the middle of a step."""
        assert self.max_time_s is not None
        return BudgetStop(kind="time", limit=self.max_time_s, used=used.elapsed_s,
                          message=f"ran out of time during a step after {used.elapsed_s:.1f}s "
                                  f"of {self.max_time_s:.1f}s (--max-time)")
