"""The wire shapes `splice serve` speaks: Morph's apply chat completion and Relace's REST apply.

Morph (and Relace's OpenAI-compatible endpoint) put one user message in a chat completion:
`<instruction>…</instruction>\\n<code>…</code>\\n<update>…</update>`, instruction optional.
The merged file comes back as choices[0].message.content. Relace's REST endpoint takes
`initial_code`, `edit_snippet`, optional `instruction` and answers `{"mergedCode", "usage"}`.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from splice.core.errors import InvalidRequest

# Streamed content goes out in pieces of about this many characters, cut at line ends.
STREAM_PIECE_CHARS = 4096


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: str
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        """The message's text; OpenAI's list-of-parts form joins its text parts."""
        if isinstance(self.content, list):
            return "".join(str(p.get("text", "")) for p in self.content
                           if p.get("type") == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    """An OpenAI chat completion request; fields splice has no use for are kept for the
    fallback and otherwise ignored (temperature, max_tokens, ...)."""

    model_config = ConfigDict(extra="allow")
    model: str
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    stream_options: dict[str, Any] | None = None

    def wants_usage_chunk(self) -> bool:
        return bool(self.stream_options and self.stream_options.get("include_usage"))


class RelaceRequest(BaseModel):
    """Relace's POST /v1/code/apply body (snake_case as documented; the older camelCase
    spelling is accepted too)."""

    model_config = ConfigDict(extra="ignore")
    initial_code: str = Field(validation_alias=AliasChoices("initial_code", "initialCode"))
    edit_snippet: str = Field(validation_alias=AliasChoices("edit_snippet", "editSnippet"))
    instruction: str | None = None
    model: str = "auto"
    stream: bool = False
    relace_metadata: dict[str, Any] | None = None


class ApplyParts(BaseModel):
    instruction: str | None
    code: str
    update: str
    head: str  # the message before the code and after it: message == head + code + tail
    tail: str


def _between(text: str, start: int, open_tag: str, close_tag: str,
             *, last_close: bool) -> tuple[str, int] | None:
    """Text between open_tag (first at or after start) and close_tag, and the index past it.
    last_close takes the last close tag, so a file that itself holds `</code>` survives."""
    i = text.find(open_tag, start)
    if i < 0:
        return None
    body_start = i + len(open_tag)
    j = text.rfind(close_tag, body_start) if last_close else text.find(close_tag, body_start)
    if j < 0:
        return None
    return text[body_start:j], j + len(close_tag)


def parse_apply_message(text: str) -> ApplyParts:
    """Split Morph's message into instruction, code and update, or say what is missing."""
    update_open = text.rfind("<update>")
    if update_open < 0 or text.find("</update>", update_open) < 0:
        raise InvalidRequest(
            "the last user message has no <update>…</update> block.",
            hint="Send <instruction>…</instruction>\\n<code>ORIGINAL FILE</code>\\n"
                 "<update>EDIT SNIPPET</update> (instruction optional).")
    code_part = _between(text[:update_open], 0, "<code>", "</code>", last_close=True)
    if code_part is None:
        raise InvalidRequest(
            "the last user message has no <code>…</code> block before <update>.",
            hint="Put the whole original file between <code> and </code>, then the edit "
                 "between <update> and </update>.")
    code, code_end = code_part
    update, _ = _between(text, update_open, "<update>", "</update>", last_close=True) or ("", 0)
    instruction = None
    head = text[:text.find("<code>")]
    found = _between(head, 0, "<instruction>", "</instruction>", last_close=False)
    if found is not None:
        instruction = found[0].strip() or None
    code_start = code_end - len("</code>") - len(code)
    return ApplyParts(instruction=instruction, code=code, update=update,
                      head=text[:code_start], tail=text[code_start + len(code):])


def last_user_text(request: ChatRequest) -> str:
    for message in reversed(request.messages):
        if message.role == "user":
            return message.text()
    raise InvalidRequest("the request has no user message.",
                         hint="Send one user message holding <code> and <update> blocks.")


def usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    return {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens}


def completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex}"


def chat_completion(model: str, content: str, tokens: dict[str, int]) -> dict[str, Any]:
    return {"id": completion_id(), "object": "chat.completion", "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                         "finish_reason": "stop", "logprobs": None}],
            "usage": tokens}


def _pieces(content: str) -> list[str]:
    """Cut at line ends into pieces of about STREAM_PIECE_CHARS (joined, they are content)."""
    pieces: list[str] = []
    start = 0
    while start < len(content):
        stop = start + STREAM_PIECE_CHARS
        if stop < len(content):
            newline = content.find("\n", stop)
            stop = len(content) if newline < 0 else newline + 1
        pieces.append(content[start:stop])
        start = stop
    return pieces


def chat_chunks(model: str, content: str, tokens: dict[str, int],
                *, include_usage: bool) -> list[bytes]:
    """The server-sent events of a streamed completion, ending in `data: [DONE]`."""
    cid, created = completion_id(), int(time.time())

    def event(delta: dict[str, Any], finish: str | None,
              extra: dict[str, Any] | None = None) -> bytes:
        chunk: dict[str, Any] = {"id": cid, "object": "chat.completion.chunk",
                                 "created": created, "model": model,
                                 "choices": [{"index": 0, "delta": delta,
                                              "finish_reason": finish, "logprobs": None}]}
        if include_usage:
            chunk["usage"] = None
        if extra:
            chunk.update(extra)
        return f"data: {json.dumps(chunk)}\n\n".encode()

    events = [event({"role": "assistant", "content": ""}, None)]
    events += [event({"content": piece}, None) for piece in _pieces(content)]
    events.append(event({}, "stop"))
    if include_usage:  # OpenAI's closing chunk: no choices, the usage
        events.append(event({}, None, {"choices": [], "usage": tokens}))
    events.append(b"data: [DONE]\n\n")
    return events


def relace_result(merged: str, tokens: dict[str, int]) -> dict[str, Any]:
    return {"mergedCode": merged, "usage": tokens}


def error_body(kind: str, code: str, message: str, **extra: Any) -> dict[str, Any]:
    """OpenAI's error envelope, which both SDKs and Relace's clients read."""
    return {"error": {"type": kind, "code": code, "message": message, **extra}}


def models_list(models: tuple[str, ...]) -> dict[str, Any]:
    return {"object": "list",
            "data": [{"id": m, "object": "model", "created": 0, "owned_by": "splice"}
                     for m in models]}
