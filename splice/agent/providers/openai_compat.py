"""Any OpenAI-compatible /v1/chat/completions server over httpx.

Ollama, vLLM, llama.cpp's server, LM Studio, OpenRouter, OpenAI itself: pass the base
URL (`http://localhost:11434/v1`; a URL without a version segment gets `/v1`). The API
key is optional (local servers need none). Tool results become `role: tool` messages;
arguments that are not a JSON object reach the loop marked, so the model is told.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import anyio
import httpx

from splice.agent.providers.pricing import with_cost
from splice.agent.providers.retry import (
    FallbackCaller,
    ProviderFailure,
    RetryPolicy,
    classify_status,
    parse_retry_after,
)
from splice.core.llm import (
    Block,
    Message,
    ModelResponse,
    TextBlock,
    ToolResultBlock,
    ToolSpec,
    ToolUseBlock,
    Usage,
    request_tokens,
)

STOP_REASONS = {"tool_calls": "tool_use", "stop": "end_turn", "length": "max_tokens",
                "function_call": "tool_use"}


def normalize_base_url(url: str) -> str:
    url = url.rstrip("/")
    return url if re.search(r"/v\d+[a-z0-9]*$", url) else url + "/v1"


def chat_messages(system: str, messages: Sequence[Message]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [{"role": "system", "content": system}] if system else []
    for message in messages:
        texts = [b.text for b in message.content if isinstance(b, TextBlock) and b.text]
        if message.role == "assistant":
            calls = [{"id": b.id, "type": "function",
                      "function": {"name": b.name, "arguments": json.dumps(b.input)}}
                     for b in message.content if isinstance(b, ToolUseBlock)]
            entry: dict[str, Any] = {"role": "assistant", "content": "\n".join(texts) or None}
            if calls:
                entry["tool_calls"] = calls
            out.append(entry)
            continue
        for b in message.content:
            if isinstance(b, ToolResultBlock):
                body = f"ERROR: {b.content}" if b.is_error else b.content
                out.append({"role": "tool", "tool_call_id": b.tool_use_id, "content": body})
        if texts:
            out.append({"role": "user", "content": "\n".join(texts)})
    return out


def parse_completion(data: dict[str, Any], model: str, estimate: int) -> ModelResponse:
    try:
        choice = data["choices"][0]
        message = choice["message"]
    except (KeyError, IndexError, TypeError) as exc:
        raise ProviderFailure("server", f"malformed completion: {str(data)[:200]}") from exc
    content: list[Block] = []
    if message.get("content"):
        content.append(TextBlock(text=str(message["content"])))
    for call in message.get("tool_calls") or []:
        fn = call.get("function") or {}
        content.append(ToolUseBlock.from_arguments(call.get("id") or f"call_{uuid.uuid4().hex[:12]}",
                                           str(fn.get("name", "")), fn.get("arguments")))
    raw_usage = data.get("usage") or {}
    cached = int(((raw_usage.get("prompt_tokens_details") or {}).get("cached_tokens")) or 0)
    prompt = int(raw_usage.get("prompt_tokens") or estimate)
    usage = Usage(input_tokens=max(prompt - cached, 0),
                  output_tokens=int(raw_usage.get("completion_tokens") or 0),
                  cache_read_tokens=cached)
    answered_by = str(data.get("model") or model)
    reason = STOP_REASONS.get(str(choice.get("finish_reason")), "end_turn")
    return ModelResponse(content=content, stop_reason=reason,
                         usage=with_cost(answered_by, usage), model=answered_by)


class OpenAICompatModel:
    def __init__(self, models: Sequence[str], *, base_url: str, api_key: str | None = None,
                 client: httpx.AsyncClient | None = None, policy: RetryPolicy | None = None,
                 sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
                 timeout_s: float = 600.0) -> None:
        self.models = list(models)
        self.name = self.models[0] if self.models else ""
        self.base_url = normalize_base_url(base_url)
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.client = client or httpx.AsyncClient(timeout=timeout_s, headers=headers)
        self.caller = FallbackCaller(self.models, policy, sleep=sleep)

    async def complete(self, *, system: str, messages: Sequence[Message],
                       tools: Sequence[ToolSpec], max_tokens: int = 4096) -> ModelResponse:
        body: dict[str, Any] = {"messages": chat_messages(system, messages),
                                "max_tokens": max_tokens}
        if tools:
            body["tools"] = [t.openai() for t in tools]
            body["tool_choice"] = "auto"
        estimate = request_tokens(system, messages, tools)

        async def attempt(model: str) -> ModelResponse:
            try:
                reply = await self.client.post(f"{self.base_url}/chat/completions",
                                               json={"model": model, **body})
            except httpx.TransportError as exc:
                raise ProviderFailure("connection", f"{type(exc).__name__}: {exc}") from exc
            if reply.status_code != 200:
                raise ProviderFailure(classify_status(reply.status_code), reply.text[:300],
                                      status=reply.status_code,
                                      retry_after=parse_retry_after(reply.headers))
            try:
                data = reply.json()
            except ValueError as exc:
                raise ProviderFailure("server", f"not JSON: {reply.text[:200]}") from exc
            return parse_completion(data, model, estimate)

        response, retries = await self.caller.call(attempt)
        response.retries = retries
        return response

    async def aclose(self) -> None:
        await self.client.aclose()
