"""Anthropic's Messages API through the official SDK (anthropic.AsyncAnthropic).

ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL are read by the SDK itself when not passed.
The SDK's own retries are off (max_retries=0): FallbackCaller retries 429/5xx/529 with the
server's retry-after or a backoff, within a time budget per model, then moves down the
model chain, so the behaviour is ours and tested.
Prompt caching: cache_control on the system prompt, the last tool and the newest message,
so each turn reads the previous turn's prefix from the cache.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import anyio

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
    ToolSpec,
    ToolUseBlock,
    Usage,
)

DEFAULT_MODELS = ["claude-sonnet-5-5"]
EPHEMERAL = {"type": "ephemeral"}


def block_param(block: Block) -> dict[str, Any]:
    if isinstance(block, TextBlock):
        return {"type": "text", "text": block.text}
    if isinstance(block, ToolUseBlock):
        # A call whose input was not an object goes back with an empty one; its result
        # (is_error) quotes what was sent.
        return {"type": "tool_use", "id": block.id, "name": block.name, "input": block.input}
    param: dict[str, Any] = {"type": "tool_result", "tool_use_id": block.tool_use_id,
                             "content": block.content or "(no output)"}
    if block.is_error:
        param["is_error"] = True
    return param


def messages_param(messages: Sequence[Message], cache: bool = True) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for message in messages:
        # The API refuses empty text blocks.
        blocks = [block_param(b) for b in message.content
                  if not (isinstance(b, TextBlock) and not b.text.strip())]
        out.append({"role": message.role,
                    "content": blocks or [{"type": "text", "text": "(empty)"}]})
    if cache and out:
        last: dict[str, Any] = out[-1]["content"][-1]
        if last["type"] in ("text", "tool_result"):
            last["cache_control"] = EPHEMERAL
    return out


def tools_param(tools: Sequence[ToolSpec], cache: bool = True) -> list[dict[str, Any]]:
    out = [t.anthropic() for t in tools]
    if cache and out:
        out[-1]["cache_control"] = EPHEMERAL
    return out


def parse_message(message: Any, model: str) -> ModelResponse:
    content: list[Block] = []
    for block in message.content:
        if block.type == "text":
            content.append(TextBlock(text=block.text))
        elif block.type == "tool_use":
            # The API promises an object; a string, list or number is told to the model.
            content.append(ToolUseBlock.from_value(block.id, block.name, block.input))
    u = message.usage
    usage = Usage(input_tokens=u.input_tokens or 0, output_tokens=u.output_tokens or 0,
                  cache_read_tokens=getattr(u, "cache_read_input_tokens", None) or 0,
                  cache_write_tokens=getattr(u, "cache_creation_input_tokens", None) or 0)
    answered_by = getattr(message, "model", None) or model
    return ModelResponse(content=content, stop_reason=message.stop_reason or "end_turn",
                         usage=with_cost(answered_by, usage), model=answered_by)


class AnthropicModel:
    """A Model over a chain of Anthropic models (the first is preferred)."""

    def __init__(self, models: Sequence[str] | None = None, *, api_key: str | None = None,
                 base_url: str | None = None, client: Any = None,
                 policy: RetryPolicy | None = None,
                 sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
                 timeout_s: float = 600.0, cache: bool = True) -> None:
        import anthropic

        self._anthropic = anthropic
        self.models = list(models or DEFAULT_MODELS)
        self.name = self.models[0]
        self.cache = cache
        self.caller = FallbackCaller(self.models, policy, sleep=sleep)
        self.client = client or anthropic.AsyncAnthropic(
            api_key=api_key, base_url=base_url, max_retries=0, timeout=timeout_s)

    async def complete(self, *, system: str, messages: Sequence[Message],
                       tools: Sequence[ToolSpec], max_tokens: int = 4096) -> ModelResponse:
        params: dict[str, Any] = {
            "max_tokens": max_tokens,
            "messages": messages_param(messages, self.cache),
        }
        if system:
            block: dict[str, Any] = {"type": "text", "text": system}
            if self.cache:
                block["cache_control"] = EPHEMERAL
            params["system"] = [block]
        if tools:
            params["tools"] = tools_param(tools, self.cache)

        async def attempt(model: str) -> ModelResponse:
            api = self._anthropic
            try:
                message = await self.client.messages.create(model=model, **params)
            except api.APIStatusError as exc:
                raise ProviderFailure(classify_status(exc.status_code),
                                      exc.api_message or str(exc), status=exc.status_code,
                                      retry_after=parse_retry_after(exc.response.headers)) from exc
            except api.APIConnectionError as exc:  # includes timeouts
                raise ProviderFailure("connection", str(exc) or "connection failed") from exc
            except api.APIError as exc:  # a reply the SDK could not read
                raise ProviderFailure("fatal", f"{type(exc).__name__}: {exc}") from exc
            return parse_message(message, model)

        response, retries = await self.caller.call(attempt)
        response.retries = retries
        return response

    async def aclose(self) -> None:
        await self.client.close()
