"""Retries and the fallback chain, shared by every HTTP provider.

A provider turns its transport's errors into `ProviderFailure(kind, ...)`; `FallbackCaller`
decides. Rate limits, overloads (529), server errors and dropped connections are retried on
the same model with the server's retry-after or an exponential backoff, for at most
`retry_budget_s` seconds per model; then the next model in the chain takes over. With a
fallback left, a model that answers 529 `overload_switch_after` times in a row is set aside
at once (tried last for `cooldown_s`). A missing model moves on at once; anything else (bad
request, bad key) fails now. Every failed attempt is a RetryEvent, returned with the answer
or carried by the ModelCallFailed that ends the call.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Literal, TypeVar

import anyio
from pydantic import BaseModel, Field

from splice.core.bounds import RETRY_BUDGET_S
from splice.core.errors import ModelError
from splice.core.llm import ModelCallFailed, RetryEvent

T = TypeVar("T")
FailureKind = Literal["rate_limited", "overloaded", "server", "connection", "not_found", "fatal"]
Action = Literal["retry", "next_model", "give_up"]


class RetryPolicy(BaseModel):
    retry_budget_s: float = Field(
        default=RETRY_BUDGET_S, ge=0, description="Seconds of retrying one model (waits included) before the "
                                "next model in the chain, or failing when it is the last.")
    max_attempts: int | None = Field(default=None, ge=1, description="Attempts per model at most "
                                                             "(None: the time budget decides).")
    base_delay_s: float = 1.0
    max_delay_s: float = 30.0
    max_retry_after_s: float = 120.0  # a server asking for longer: try the next model
    overload_switch_after: int = 2  # consecutive 529s before a fallback takes over
    cooldown_s: float = 60.0  # how long an overloaded model is tried last


class ProviderFailure(Exception):
    def __init__(self, kind: FailureKind, message: str, *, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.retry_after = retry_after


def classify_status(status: int) -> FailureKind:
    if status == 429:
        return "rate_limited"
    if status == 529:
        return "overloaded"
    if status in (408, 409) or status >= 500:
        return "server"
    if status == 404:
        return "not_found"
    return "fatal"


def parse_retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds to wait from `retry-after-ms`, `retry-after` (seconds or an HTTP date)."""
    if not headers:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class FallbackCaller:
    def __init__(self, models: Sequence[str], policy: RetryPolicy | None = None, *,
                 sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not models:
            raise ModelError("no model given", hint="Pass --model NAME.")
        self.models = list(models)
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        self.clock = clock
        self._cooling: dict[str, float] = {}

    def _order(self) -> list[str]:
        now = self.clock()
        fresh = [m for m in self.models if self._cooling.get(m, 0.0) <= now]
        return fresh + [m for m in self.models if m not in fresh]

    def _backoff(self, attempt: int) -> float:
        delay = min(self.policy.max_delay_s, self.policy.base_delay_s * 2 ** (attempt - 1))
        return delay * random.uniform(0.75, 1.0)

    async def call(self, attempt: Callable[[str], Awaitable[T]]) -> tuple[T, list[RetryEvent]]:
        """attempt(model) with retries: the first model that answers wins. Returns the
        answer and the failed attempts before it; raises ModelCallFailed with them."""
        events: list[RetryEvent] = []
        failures: list[str] = []
        order = self._order()
        for index, model in enumerate(order):
            last = index == len(order) - 1
            started, waited, overloads = self.clock(), 0.0, 0
            for n in range(1, (self.policy.max_attempts or 10**9) + 1):
                try:
                    return await attempt(model), events
                except ProviderFailure as failure:
                    failures.append(f"{model}: {failure.status or failure.kind}: {failure}")
                    overloads = overloads + 1 if failure.kind == "overloaded" else 0
                    wait = failure.retry_after if failure.retry_after is not None \
                        else self._backoff(n)
                    spent = max(self.clock() - started, waited)
                    action = self._decide(model, n, failure, overloads, spent + wait, last)
                    event = RetryEvent(model=model, attempt=n, kind=failure.kind,
                                       status=failure.status, action=action,
                                       waited_s=wait if action == "retry" else 0.0)
                    events.append(event)
                    if action == "give_up":
                        raise ModelCallFailed(f"{model}: {failure}", retries=events,
                                              hint=_hint(failure),
                                              details={"status": failure.status}) from failure
                    if action == "next_model":
                        break
                    await self.sleep(wait)
                    waited += wait
        raise ModelCallFailed(
            f"every model failed ({', '.join(self.models)}); last: {failures[-1]}",
            retries=events,
            hint="Wait and resume the run (`splice run --resume RUN`), give retries more time "
                 "(--retry-budget), or add a fallback with another --model.",
            details={"failures": failures[-10:]})

    def _decide(self, model: str, n: int, failure: ProviderFailure, overloads: int,
                spent_after_wait: float, last: bool) -> Action:
        if failure.kind == "fatal":
            return "give_up"
        if failure.kind == "not_found":
            return "next_model"
        if failure.retry_after is not None and failure.retry_after > self.policy.max_retry_after_s:
            return "next_model"
        switch = not last and overloads >= self.policy.overload_switch_after
        capped = self.policy.max_attempts is not None and n >= self.policy.max_attempts
        if switch or capped or spent_after_wait > self.policy.retry_budget_s:
            if failure.kind == "overloaded":
                self._cooling[model] = self.clock() + self.policy.cooldown_s
            return "next_model"
        return "retry"


def _hint(failure: ProviderFailure) -> str:
    if failure.status in (401, 403):
        return "Check the API key (ANTHROPIC_API_KEY / OPENAI_API_KEY) and its permissions."
    if failure.status == 400:
        return "The provider refused the request; the message above says why."
    return "See the provider's message above."
