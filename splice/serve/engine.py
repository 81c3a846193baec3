"""One merge for the server: splice's engine, run in a worker thread, with token usage."""

from __future__ import annotations

from typing import Any

import anyio
import anyio.to_thread
from pydantic import BaseModel

from splice.apply import merge
from splice.core.errors import ApplyError
from splice.core.tokens import count_tokens


class Merged(BaseModel):
    text: str
    fmt: str
    already_applied: bool
    prompt_tokens: int
    completion_tokens: int


class Refusal(BaseModel):
    """What the engine would not do, in the shape the 422 body carries."""

    code: str
    message: str
    candidates: list[int]

    @classmethod
    def from_error(cls, exc: ApplyError) -> Refusal:
        raw: Any = exc.details.get("candidates", [])
        candidates = [int(c) for c in raw] if isinstance(raw, list) else []
        return cls(code=exc.code, message=str(exc), candidates=candidates)


def merge_now(code: str, update: str, instruction: str | None,
              prompt_text: str) -> Merged | Refusal:
    """The blocking part: merge, then count tokens (the usage a hosted model would bill)."""
    try:
        result = merge(code, update, fmt="auto", instruction=instruction)
    except ApplyError as exc:
        return Refusal.from_error(exc)
    return Merged(text=result.text, fmt=result.fmt, already_applied=result.already_applied,
                  prompt_tokens=count_tokens(prompt_text),
                  completion_tokens=count_tokens(result.text))


async def merge_off_loop(code: str, update: str, instruction: str | None,
                         prompt_text: str) -> Merged | Refusal:
    """Run merge_now in a worker thread so one slow merge never stalls other requests."""
    return await anyio.to_thread.run_sync(merge_now, code, update, instruction, prompt_text)
