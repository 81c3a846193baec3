"""The Tool: a worker call with a pydantic input and output model.

From a Tool come the Anthropic tool schema, the OpenAI-compatible tool schema (both exactly
as the providers send them: `ToolSpec.anthropic()` / `.openai()`) and the MCP tool, so
nothing is described twice. A failing call becomes a ToolOutcome with is_error=True,
never an exception that kills a loop or a server; bad arguments are explained by
`splice.tools.arguments`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import anyio
from pydantic import BaseModel, ValidationError

from splice.core.errors import InvalidRequest, SpliceError
from splice.core.llm import ToolSpec, Usage
from splice.core.repo import Repo
from splice.tools.arguments import explain_invalid

if TYPE_CHECKING:
    from splice.sandbox import Sandbox

In = TypeVar("In", bound=BaseModel)
Out = TypeVar("Out", bound=BaseModel)


@dataclass
class ToolContext:
    """What a tool call may use besides its arguments.

    repo: the tree the call works on (the MCP server's root; the agent's scratch tree).
    task: the run's task, the query a long read is compacted for.
    usage_sink: where a worker that ran a model reports its tokens (the run's budget).
    write_lock: writers take turns, so two concurrent edits of a file lose neither.
    sandbox: the sandbox commands run in, made on first use and then reused.
    seen: per file, the line ranges this run or session showed (evidence for edits).
    """

    repo: Repo | None = None
    task: str = ""
    usage_sink: Callable[[Usage], None] | None = None
    write_lock: anyio.Lock = field(default_factory=anyio.Lock)
    sandbox: Sandbox | None = None
    seen: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def require_repo(self) -> Repo:
        if self.repo is None:
            raise InvalidRequest("no repository is open for this tool",
                                 hint="Start the server with --repo DIR.")
        return self.repo

    def report_usage(self, usage: Usage) -> None:
        """Count tokens a worker spent in its own context against the run's budget."""
        if self.usage_sink is not None and usage.total_tokens:
            self.usage_sink(usage)


class ToolOutcome(BaseModel):
    """A tool call's result as a model (or an MCP client) sees it."""

    text: str
    is_error: bool = False
    data: dict[str, Any] | None = None


def drop_titles(node: Any, *, names: bool = False) -> Any:
    """`node` with every schema's "title" removed (in place). `names`: node is a
    `properties` map, whose keys are field names (a field may be called "title")."""
    if isinstance(node, dict):
        if not names and isinstance(node.get("title"), str):
            del node["title"]
        for key, value in node.items():
            drop_titles(value, names=not names and key in ("properties", "$defs"))
    elif isinstance(node, list):
        for item in node:
            drop_titles(item)
    return node


def render_output(output: BaseModel) -> str:
    """Text for a model: the output's own `render()` when it has one, else its JSON."""
    render = getattr(output, "render", None)
    if callable(render):
        return str(render())
    return output.model_dump_json(indent=1)


@dataclass
class Tool(Generic[In, Out]):
    name: str
    description: str
    input_model: type[In]
    output_model: type[Out]
    run: Callable[[In, ToolContext], Awaitable[Out]]

    def input_schema(self) -> dict[str, Any]:
        """The input model's JSON schema without pydantic's generated titles ("title":
        "Path" for `path`): they say nothing the name does not, and a model is sent the
        schema with every call."""
        return drop_titles(self.input_model.model_json_schema())

    def spec(self) -> ToolSpec:
        return ToolSpec(name=self.name, description=self.description,
                        input_schema=self.input_schema())

    def anthropic_schema(self) -> dict[str, Any]:
        """The tool as the Anthropic provider sends it (less the cache marker)."""
        return self.spec().anthropic()

    def openai_schema(self) -> dict[str, Any]:
        """The tool as the OpenAI-compatible provider sends it."""
        return self.spec().openai()

    async def call(self, arguments: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
        """Validate, run, render. Errors come back as is_error outcomes."""
        try:
            request = self.input_model.model_validate(arguments)
        except ValidationError as exc:
            return ToolOutcome(text=explain_invalid(self.name, self.input_model, exc),
                               is_error=True)
        try:
            output = await self.run(request, ctx)
        except SpliceError as exc:
            return ToolOutcome(text=str(exc), is_error=True, data=exc.to_dict())
        return ToolOutcome(text=render_output(output), data=output.model_dump(mode="json"))
