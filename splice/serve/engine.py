"""One merge for the server: splice's engine, run in a worker thread, with token usage."""

from __future__ import annotations

from typing import Any

import anyio
import anyio.to_thread
from pydantic import BaseModel

from splice.apply import merge
from splice.apply.messages import where
from splice.core.errors import ApplyError
from splice.serve.language import sniff_language, stand_in_path
from splice.serve.usage import merge_usage


class Merged(BaseModel):
    text: str
    fmt: str
    language: str | None  # sniffed from the code: requests name no file
    already_applied: bool
    prompt_tokens: int
    completion_tokens: int


class Refusal(BaseModel):
    """What the engine would not do, in the shape the 422 body carries."""

    code: str
    message: str
    candidates: list[int]

    @classmethod
    def from_error(cls, exc: ApplyError, stand_in: str | None) -> Refusal:
        raw: Any = exc.details.get("candidates", [])
        candidates = [int(c) for c in raw] if isinstance(raw, list) else []
        message = str(exc)
        if stand_in:  # the client sent no file name: name none back
            message = message.replace(where(stand_in), "")
        return cls(code=exc.code, message=message, candidates=candidates)


def merge_now(code: str, update: str, instruction: str | None, head: str,
              tail: str) -> Merged | Refusal:
    """The blocking part: merge, then count tokens (the usage a hosted model would bill:
    the prompt is head + code + tail, the completion the merged file).

    The engine reads the language from a path; the request has none, so the language the
    code itself shows goes in as a stand-in path (unknown: no path, as for any file in a
    language splice has no grammar for)."""
    language = sniff_language(code)
    stand_in = stand_in_path(language)
    try:
        result = merge(code, update, fmt="auto", path=stand_in, instruction=instruction)
    except ApplyError as exc:
        return Refusal.from_error(exc, stand_in)
    prompt_tokens, completion_tokens = merge_usage(head, code, tail, result.text)
    return Merged(text=result.text, fmt=result.fmt, language=language,
                  already_applied=result.already_applied, prompt_tokens=prompt_tokens,
                  completion_tokens=completion_tokens)


async def merge_off_loop(code: str, update: str, instruction: str | None, head: str,
                         tail: str) -> Merged | Refusal:
    """Run merge_now in a worker thread so one slow merge never stalls other requests."""
    return await anyio.to_thread.run_sync(merge_now, code, update, instruction, head, tail)
