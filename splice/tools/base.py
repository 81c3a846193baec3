"""The Tool: a worker call with a pydantic input and output model.

From a Tool come the Anthropic tool schema, the OpenAI-compatible tool schema and the MCP
tool, so nothing is described twice. A failing call becomes a ToolOutcome with
is_error=True, never an exception that kills a loop or a server.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from splice.core.errors import SpliceError
from splice.core.repo import Repo

In = TypeVar("In", bound=BaseModel)
Out = TypeVar("Out", bound=BaseModel)


@dataclass
class ToolContext:
    """What a tool call may use besides its arguments."""

    repo: Repo | None = None
    extras: dict[str, Any] = field(default_factory=dict)


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


def render_validation_error(tool_name: str, exc: ValidationError) -> str:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or 'input'}: {err['msg']}" for err in exc.errors()
    )
    return f"{tool_name}: bad arguments: {problems}. Fix them and call again."


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

    def anthropic_schema(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description,
                "input_schema": self.input_schema()}

    def openai_schema(self) -> dict[str, Any]:
        return {"type": "function", "function": {"name": self.name,
                                                 "description": self.description,
                                                 "parameters": self.input_schema()}}

    async def call(self, arguments: dict[str, Any], ctx: ToolContext) -> ToolOutcome:
        """Validate, run, render. Errors come back as is_error outcomes."""
        try:
            request = self.input_model.model_validate(arguments)
        except ValidationError as exc:
            return ToolOutcome(text=render_validation_error(self.name, exc), is_error=True)
        try:
            output = await self.run(request, ctx)
        except SpliceError as exc:
            return ToolOutcome(text=str(exc), is_error=True, data=exc.to_dict())
        return ToolOutcome(text=render_output(output), data=output.model_dump(mode="json"))
