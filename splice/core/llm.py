"""The provider-neutral model vocabulary: messages, tool calls, usage, and the Model protocol.

It lives in core so that a worker (the search planner) and the agent can both drive a
model without importing each other. Providers (Anthropic, OpenAI-compatible) live in
splice.agent; ScriptedModel lives here because tests and demos of every part need it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from splice.core.errors import ModelError
from splice.core.tokens import count_tokens


class TextBlock(BaseModel):
    type: Literal["text"] = "text"
    text: str


class ToolUseBlock(BaseModel):
    """A tool call. `input` is always an object; a provider that got anything else (a JSON
    string, list or number, or text that is not JSON) keeps it in `invalid_input`, and the
    loop answers with an is_error result the model can correct instead of running the tool."""

    type: Literal["tool_use"] = "tool_use"
    id: str
    name: str
    input: dict[str, Any] = Field(default_factory=dict)
    invalid_input: str | None = None

    @classmethod
    def from_value(cls, id: str, name: str, value: object) -> ToolUseBlock:
        """A call whose input came decoded (Anthropic): an object is the input; a string,
        list or number is kept, JSON-encoded, in `invalid_input`."""
        if isinstance(value, dict):
            return cls(id=id, name=name, input=value)
        if value is None:
            return cls(id=id, name=name)
        return cls(id=id, name=name, invalid_input=json.dumps(value, default=str)[:2000])

    @classmethod
    def from_arguments(cls, id: str, name: str, text: object) -> ToolUseBlock:
        """A call whose input came as JSON text (OpenAI's `arguments`)."""
        if not isinstance(text, str):
            return cls.from_value(id, name, text)
        if not text.strip():
            return cls(id=id, name=name)
        try:
            value = json.loads(text)
        except ValueError:
            return cls(id=id, name=name, invalid_input=text[:2000])
        return cls.from_value(id, name, value)


class ToolResultBlock(BaseModel):
    type: Literal["tool_result"] = "tool_result"
    tool_use_id: str
    content: str
    is_error: bool = False


Block = Annotated[TextBlock | ToolUseBlock | ToolResultBlock, Field(discriminator="type")]


class Message(BaseModel):
    role: Literal["user", "assistant"]
    content: list[Block]

    @classmethod
    def user(cls, text: str) -> Message:
        return cls(role="user", content=[TextBlock(text=text)])

    def text(self) -> str:
        return "".join(b.text for b in self.content if isinstance(b, TextBlock))


class ToolSpec(BaseModel):
    """A tool as a model is told about it. `anthropic()` and `openai()` are the exact
    entries the providers send, so what is counted is what is sent."""

    name: str
    description: str
    input_schema: dict[str, Any]

    def anthropic(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description,
                "input_schema": self.input_schema}

    def openai(self) -> dict[str, Any]:
        return {"type": "function", "function": {"name": self.name,
                                                 "description": self.description,
                                                 "parameters": self.input_schema}}


class Usage(BaseModel):
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    cost_usd: float = 0.0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cache_read_tokens=self.cache_read_tokens + other.cache_read_tokens,
            cache_write_tokens=self.cache_write_tokens + other.cache_write_tokens,
            cost_usd=self.cost_usd + other.cost_usd,
        )

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens + self.cache_read_tokens \
            + self.cache_write_tokens


class RetryEvent(BaseModel):
    """One failed attempt of a model call and what was done about it."""

    model: str
    attempt: int
    kind: str
    status: int | None = None
    waited_s: float = 0.0
    action: Literal["retry", "next_model", "give_up"]


class ModelResponse(BaseModel):
    content: list[Block]
    stop_reason: str = "end_turn"
    usage: Usage = Field(default_factory=Usage)
    model: str = ""
    # The failed attempts this answer took (retries, fallbacks), for the trace.
    retries: list[RetryEvent] = Field(default_factory=list)

    @property
    def tool_uses(self) -> list[ToolUseBlock]:
        return [b for b in self.content if isinstance(b, ToolUseBlock)]

    @property
    def text(self) -> str:
        return "".join(b.text for b in self.content if isinstance(b, TextBlock))


class ModelCallFailed(ModelError):
    """A model call that failed for good, with the attempts it took (for the trace)."""

    def __init__(self, message: str, *, retries: Sequence[RetryEvent] = (), hint: str = "",
                 details: dict[str, Any] | None = None) -> None:
        self.retries = list(retries)
        super().__init__(message, hint=hint, details=details)


@runtime_checkable
class Model(Protocol):
    """Anything that answers a conversation with text and tool calls.

    `complete` returns a ModelResponse whose `retries` lists the failed attempts behind it,
    or raises ModelError (ModelCallFailed carries the attempts too).
    """

    name: str

    async def complete(self, *, system: str, messages: Sequence[Message],
                       tools: Sequence[ToolSpec], max_tokens: int = 4096) -> ModelResponse: ...


def request_tokens(system: str, messages: Sequence[Message], tools: Sequence[ToolSpec]) -> int:
    """cl100k estimate of what a request carries (used where a provider reports no usage)."""
    parts = [system, *(json.dumps(t.model_dump()) for t in tools)]
    parts += [m.model_dump_json() for m in messages]
    return sum(count_tokens(p) for p in parts)


ScriptStep = ModelResponse | Callable[[Sequence[Message]], ModelResponse]


class ScriptedModel:
    """Replays given responses in order: for tests and the offline demo.

    A step may be a callable that sees the conversation so far and builds the response.
    Usage not given in a step is estimated with count_tokens, so budgets still bite.
    When the script runs out, complete() raises ModelError.
    """

    def __init__(self, steps: Sequence[ScriptStep], name: str = "scripted") -> None:
        self.name = name
        self._steps = list(steps)
        self.calls: list[list[Message]] = []

    @property
    def remaining(self) -> int:
        return len(self._steps)

    async def complete(self, *, system: str, messages: Sequence[Message],
                       tools: Sequence[ToolSpec], max_tokens: int = 4096) -> ModelResponse:
        self.calls.append(list(messages))
        if not self._steps:
            raise ModelError(f"{self.name}: the script has no more responses",
                             hint="Give the ScriptedModel a response for every call.")
        step = self._steps.pop(0)
        response = step(messages) if callable(step) else step.model_copy(deep=True)
        if response.usage.total_tokens == 0:
            response.usage = Usage(
                input_tokens=request_tokens(system, messages, tools),
                output_tokens=sum(count_tokens(b.model_dump_json()) for b in response.content),
            )
        response.model = response.model or self.name
        return response


def tool_call(name: str, id: str = "", **arguments: Any) -> ToolUseBlock:
    """A tool_use block, for writing scripts by hand."""
    return ToolUseBlock(id=id or f"call_{name}_{abs(hash(json.dumps(arguments, sort_keys=True, default=str))) % 10**8}",
                        name=name, input=arguments)
