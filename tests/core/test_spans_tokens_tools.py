import pytest
from pydantic import BaseModel, ValidationError

from splice.core.errors import NoMatch
from splice.core.llm import Message, ModelResponse, ScriptedModel, TextBlock, tool_call
from splice.core.spans import Span, merge_spans
from splice.core.tokens import count_tokens
from splice.tools import Tool, ToolContext


def test_span_validation_and_merge() -> None:
    with pytest.raises(ValidationError):
        Span(path="a", start_line=5, end_line=2)
    with pytest.raises(ValidationError):
        Span(path="a", start_line=0, end_line=2)
    merged = merge_spans([
        Span(path="a", start_line=10, end_line=20, score=1, reason="x"),
        Span(path="a", start_line=1, end_line=5, score=3),
        Span(path="a", start_line=6, end_line=8, score=2, reason="y"),
        Span(path="b", start_line=1, end_line=2),
    ])
    assert [(s.path, s.start_line, s.end_line) for s in merged] == [
        ("a", 1, 8), ("a", 10, 20), ("b", 1, 2)]
    assert merged[0].score == 3


def test_count_tokens_offline() -> None:
    assert count_tokens("") == 0
    assert count_tokens("hello world") == 2
    assert count_tokens("<|endoftext|>") > 1  # counted as text, never refused


class EchoIn(BaseModel):
    word: str


class EchoOut(BaseModel):
    word: str

    def render(self) -> str:
        return f"echo {self.word}"


async def _echo(req: EchoIn, ctx: ToolContext) -> EchoOut:
    if req.word == "boom":
        raise NoMatch("no such place", hint="send more context")
    return EchoOut(word=req.word)


async def test_tool_schemas_and_error_outcomes() -> None:
    tool = Tool("echo", "Echo a word.", EchoIn, EchoOut, _echo)
    assert tool.anthropic_schema()["input_schema"]["required"] == ["word"]
    assert tool.openai_schema()["function"]["parameters"]["properties"]["word"]["type"] == "string"
    ok = await tool.call({"word": "hi"}, ToolContext())
    assert ok.text == "echo hi" and not ok.is_error
    bad = await tool.call({}, ToolContext())
    assert bad.is_error and "word" in bad.text
    err = await tool.call({"word": "boom"}, ToolContext())
    assert err.is_error and "send more context" in err.text and err.data["error"] == "no_match"


async def test_scripted_model_replays_and_counts() -> None:
    model = ScriptedModel([
        ModelResponse(content=[tool_call("grep", pattern="x")], stop_reason="tool_use"),
        lambda msgs: ModelResponse(content=[TextBlock(text=f"{len(msgs)} messages")]),
    ])
    r1 = await model.complete(system="s", messages=[Message.user("hi")], tools=[])
    assert r1.tool_uses[0].input == {"pattern": "x"} and r1.usage.input_tokens > 0
    r2 = await model.complete(system="s", messages=[Message.user("a"), Message.user("b")], tools=[])
    assert r2.text == "2 messages"
    with pytest.raises(Exception, match="no more responses"):
        await model.complete(system="s", messages=[], tools=[])
