"""The generic bridge: any splice Tool served as an MCP tool, exercised in-process."""

from __future__ import annotations

from typing import Literal

from mcp import Client
from pydantic import BaseModel, Field

from splice.core.errors import NoMatch
from splice.mcp_server import build_server
from splice.tools import Tool, ToolContext


class ShoutIn(BaseModel):
    word: str = Field(description="The word to shout.", min_length=1)
    times: int = Field(1, ge=1, le=5, description="How often.")
    style: Literal["upper", "lower"] = Field("upper", description="Letter case.")
    tags: list[str] = Field(default_factory=list, description="Labels to append.")
    note: str | None = Field(None, description="Optional note.")


class ShoutOut(BaseModel):
    text: str

    def render(self) -> str:
        return f"shouted: {self.text}"


async def _shout(req: ShoutIn, ctx: ToolContext) -> ShoutOut:
    if req.word == "nomatch":
        raise NoMatch("no place for 'nomatch'", hint="Send two unchanged lines around it.")
    if req.word == "crash":
        raise RuntimeError("worker bug")
    word = req.word.upper() if req.style == "upper" else req.word.lower()
    text = " ".join([word] * req.times + req.tags)
    if req.note:
        text += f" ({req.note}, task={ctx.task})"
    return ShoutOut(text=text)


SHOUT = Tool("shout", "Shout a word back.\nSend one word.", ShoutIn, ShoutOut, _shout)


def _server():
    return build_server([SHOUT], ToolContext(task="fixture"))


def _text(result) -> str:
    return "\n".join(block.text for block in result.content if block.type == "text")


async def test_schema_and_description_come_from_the_tool() -> None:
    async with Client(_server()) as client:
        tools = (await client.list_tools()).tools
    assert [t.name for t in tools] == ["shout"]
    (tool,) = tools
    assert tool.description == SHOUT.description
    assert tool.input_schema == SHOUT.input_schema()
    assert tool.input_schema["required"] == ["word"]
    assert tool.input_schema["properties"]["times"]["maximum"] == 5


async def test_calls_validate_like_the_model_and_apply_defaults() -> None:
    async with Client(_server()) as client:
        ok = await client.call_tool("shout", {"word": "hey", "times": 2, "tags": ["!"]})
        assert not ok.is_error and _text(ok) == "shouted: HEY HEY !"
        ctx = await client.call_tool("shout", {"word": "x", "style": "lower", "note": "n"})
        assert _text(ctx) == "shouted: x (n, task=fixture)"
        bad = await client.call_tool("shout", {"word": "hey", "times": 9})
        assert bad.is_error and "times" in _text(bad)
        missing = await client.call_tool("shout", {})
        assert missing.is_error and "word" in _text(missing)


async def test_worker_errors_and_crashes_are_error_results_and_server_survives() -> None:
    async with Client(_server()) as client:
        err = await client.call_tool("shout", {"word": "nomatch"})
        assert err.is_error
        assert "no place for 'nomatch'" in _text(err) and "two unchanged lines" in _text(err)
        crash = await client.call_tool("shout", {"word": "crash"})
        assert crash.is_error and "internal error" in _text(crash) and "worker bug" in _text(crash)
        unknown = await client.call_tool("whisper", {"word": "x"})
        assert unknown.is_error
        again = await client.call_tool("shout", {"word": "still"})
        assert not again.is_error and _text(again) == "shouted: STILL"
