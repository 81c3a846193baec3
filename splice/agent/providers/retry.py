"""Retries and the fallback chain, shared by every HTTP provider.

A provider turns its transport's errors into `ProviderFailure(kind, ...)`; `FallbackCaller`
decides: rate limits and server errors are retried on the same model after the server's
retry-after (or an exponential backoff), an overloaded model (529) that keeps failing is
set aside for a while and the next model in the chain takes over, a missing model moves
on at once, and anything else (bad request, bad key) fails now with a ModelError.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Literal, TypeVar

import anyio
from pydantic import BaseModel

from splice.core.errors import ModelError

T = TypeVar("T")
FailureKind = Literal["rate_limited", "overloaded", "server", "connection", "not_found", "fatal"]


class RetryPolicy(BaseModel):
    max_attempts: int = 4  # per model in the chain
    base_delay_s: float = 1.0
    max_delay_s: float = 30.0
    max_retry_after_s: float = 120.0  # a server asking for longer: try the next model
    overload_switch_after: int = 2  # consecutive 529s before the next model takes over
    cooldown_s: float = 60.0  # how long an overloaded model is tried last


class ProviderFailure(Exception):
    def __init__(self, kind: FailureKind, message: str, *, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.retry_after = retry_after


class RetryEvent(BaseModel):
    model: str
    attempt: int
    kind: str
    status: int | None = None
    waited_s: float = 0.0
    action: Literal["retry", "next_model", "give_up"]


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
        self.events: list[RetryEvent] = []
        self._cooling: dict[str, float] = {}

    def _order(self) -> list[str]:
        now = self.clock()
        fresh = [m for m in self.models if self._cooling.get(m, 0.0) <= now]
        return fresh + [m for m in self.models if m not in fresh]

    def _backoff(self, attempt: int) -> float:
        delay = min(self.policy.max_delay_s, self.policy.base_delay_s * 2 ** (attempt - 1))
        return delay * random.uniform(0.75, 1.0)

    async def call(self, attempt: Callable[[str], Awaitable[T]]) -> T:
        """attempt(model) with retries; the first model that answers wins."""
        failures: list[str] = []
        for model in self._order():
            overloads = 0
            for n in range(1, self.policy.max_attempts + 1):
                try:
                    return await attempt(model)
                except ProviderFailure as failure:
                    failures.append(f"{model}: {failure.status or failure.kind}: {failure}")
                    action = self._decide(model, n, failure, overloads)
                    if failure.kind == "overloaded":
                        overloads += 1
                    if action == "give_up":
                        self.events.append(RetryEvent(model=model, attempt=n, kind=failure.kind,
                                                      status=failure.status, action=action))
                        raise ModelError(f"{model}: {failure}",
                                         hint=_hint(failure),
                                         details={"status": failure.status}) from failure
                    if action == "next_model":
                        self.events.append(RetryEvent(model=model, attempt=n, kind=failure.kind,
                                                      status=failure.status, action=action))
                        break
                    wait = failure.retry_after if failure.retry_after is not None \
                        else self._backoff(n)
                    self.events.append(RetryEvent(model=model, attempt=n, kind=failure.kind,
                                                  status=failure.status, waited_s=wait,
                                                  action="retry"))
                    await self.sleep(wait)
        raise ModelError(
            f"every model failed ({', '.join(self.models)}); last: {failures[-1]}",
            hint="Wait and resume the run (`splice run --resume RUN`), or add a fallback "
                 "with another --model.",
            details={"failures": failures[-10:]})

    def _decide(self, model: str, n: int, failure: ProviderFailure,
                overloads: int) -> Literal["retry", "next_model", "give_up"]:
        if failure.kind == "fatal":
            return "give_up"
        if failure.kind == "not_found":
            return "next_model"
        if failure.kind == "overloaded" and overloads + 1 >= self.policy.overload_switch_after:
            self._cooling[model] = self.clock() + self.policy.cooldown_s
            return "next_model"
        if n >= self.policy.max_attempts:
            return "next_model"
        if failure.retry_after is not None and failure.retry_after > self.policy.max_retry_after_s:
            return "next_model"
        return "retry"


def _hint(failure: ProviderFailure) -> str:
    if failure.status in (401, 403):
        return "Check the API key (ANTHROPIC_API_KEY / OPENAI_API_KEY) and its permissions."
    if failure.status == 400:
        return "The provider refused the request; the message above says why."
    return "See the provider's message above."
