from collections.abc import Sequence
from pathlib import Path

from splice.core.errors import ModelError
from splice.core.llm import (
    Message,
    ModelResponse,
    ScriptedModel,
    TextBlock,
    ToolResultBlock,
    tool_call,
)
from splice.search import SearchRequest, search
from splice.search.model_planner import MAX_CALLS, TOOLS


def reply(*calls, text: str = "") -> ModelResponse:
    blocks = ([TextBlock(text=text)] if text else []) + list(calls)
    return ModelResponse(content=blocks, stop_reason="tool_use" if calls else "end_turn")


def results_of(messages: Sequence[Message]) -> list[ToolResultBlock]:
    return [b for b in messages[-1].content if isinstance(b, ToolResultBlock)]


async def run(repo: Path, model, query: str = "where are tokens verified?"):
    return await search(SearchRequest(query=query, repo=str(repo), model=model, max_tokens=2000))


async def test_model_explores_in_parallel_and_only_spans_leave(sample_repo: Path) -> None:
    seen: list[list[ToolResultBlock]] = []

    def after_first(messages: Sequence[Message]) -> ModelResponse:
        seen.append(results_of(messages))
        return reply(tool_call("read", id="r1", path="pkg/auth.py", start_line=18, end_line=24))

    def after_read(messages: Sequence[Message]) -> ModelResponse:
        seen.append(results_of(messages))
        return reply(tool_call("finish", id="f1", spans=[
            {"path": "pkg/auth.py", "start_line": 18, "end_line": 24, "reason": "the check"},
            {"path": "pkg/auth.py", "start_line": 6, "end_line": 16}]))

    model = ScriptedModel([
        reply(tool_call("grep", id="g1", pattern="verify_token"),
              tool_call("glob", id="g2", pattern="*.py"),
              tool_call("list", id="g3", path="pkg")),
        after_first, after_read])
    result = await run(sample_repo, model)
    assert result.stats.planner == "model" and not result.stats.fallback_reason
    assert [s.label() for s in result.spans] == ["pkg/auth.py:18-24", "pkg/auth.py:6-16"]
    assert result.spans[0].reason == "model: the check"
    assert result.texts[0].startswith("def verify_token")
    grep, glob, listing = seen[0]
    assert "pkg/auth.py:18: def verify_token" in grep.content
    assert "pkg/util.py" in glob.content and "auth.py" in listing.content
    assert seen[1][0].content.startswith("pkg/auth.py (24 lines)\n18: def verify_token")
    stats = result.stats
    assert stats.model_turns == 3 and stats.model_tool_calls == 5
    assert stats.model_input_tokens > 0 and stats.model_output_tokens > 0
    # the transcript stays inside: the result holds the spans' code, not the grep output
    assert "tests/test_auth.py:1" not in result.model_dump_json()


async def test_more_than_eight_calls_run_eight(sample_repo: Path) -> None:
    seen: list[list[ToolResultBlock]] = []

    def finish(messages: Sequence[Message]) -> ModelResponse:
        seen.append(results_of(messages))
        return reply(tool_call("finish", spans=[{"path": "lib.rs", "start_line": 3, "end_line": 7}]))

    calls = [tool_call("grep", id=f"c{i}", pattern=f"term{i}") for i in range(MAX_CALLS + 2)]
    result = await run(sample_repo, ScriptedModel([reply(*calls), finish]))
    errors = [r for r in seen[0] if r.is_error]
    assert len(seen[0]) == MAX_CALLS + 2 and len(errors) == 2
    assert "at most 8" in errors[0].content
    assert result.stats.planner == "model"


async def test_bad_tool_input_is_returned_to_the_model(sample_repo: Path) -> None:
    seen: list[list[ToolResultBlock]] = []

    def finish(messages: Sequence[Message]) -> ModelResponse:
        seen.append(results_of(messages))
        return reply(tool_call("finish", spans=[{"path": "pkg/util.py", "start_line": 1, "end_line": 4}]))

    model = ScriptedModel([reply(tool_call("read", id="a"),  # no path
                                 tool_call("grep", id="b", pattern="(bad"),
                                 tool_call("read", id="c", path="../../etc/passwd"),
                                 tool_call("teleport", id="d")), finish])
    result = await run(sample_repo, model)
    assert all(r.is_error for r in seen[0])
    assert "bad arguments" in seen[0][0].content and "does not compile" in seen[0][1].content
    assert "outside" in seen[0][2].content and "unknown tool" in seen[0][3].content
    assert result.stats.planner == "model" and result.spans[0].path == "pkg/util.py"


async def test_model_error_falls_back(sample_repo: Path) -> None:
    class Broken:
        name = "broken"

        async def complete(self, **kw):
            raise ModelError("provider down")

    result = await run(sample_repo, Broken(), "verify_token")
    assert result.stats.planner == "deterministic"
    assert "provider down" in result.stats.fallback_reason
    assert result.spans[0].path == "pkg/auth.py"


async def test_no_finish_in_four_turns_falls_back(sample_repo: Path) -> None:
    model = ScriptedModel([reply(tool_call("list", path=".")) for _ in range(4)])
    result = await run(sample_repo, model, "verify_token")
    assert result.stats.fallback_reason == "no finish within 4 turns"
    assert result.stats.model_turns == 4 and model.remaining == 0
    assert result.spans and result.stats.planner == "deterministic"


async def test_last_turn_is_announced(sample_repo: Path) -> None:
    model = ScriptedModel([reply(tool_call("list", path=".")) for _ in range(4)])
    await run(sample_repo, model, "verify_token")
    fourth_request = model.calls[3]
    assert "last" in fourth_request[-1].content[-1].text


async def test_text_answer_without_finish_falls_back(sample_repo: Path) -> None:
    result = await run(sample_repo, ScriptedModel([reply(text="It is in auth.py")]), "verify_token")
    assert "without calling finish" in result.stats.fallback_reason
    assert result.spans[0].path == "pkg/auth.py"


async def test_bad_finish_falls_back(sample_repo: Path) -> None:
    bad = ScriptedModel([reply(tool_call("finish", spans=[]))])
    result = await run(sample_repo, bad, "verify_token")
    assert "finish had bad arguments" in result.stats.fallback_reason
    outside = ScriptedModel([reply(tool_call("finish", spans=[
        {"path": "../secret.py", "start_line": 1, "end_line": 2}]))])
    result = await run(sample_repo, outside, "verify_token")
    assert "no span inside" in result.stats.fallback_reason
    assert result.stats.planner == "deterministic" and result.spans


async def test_finish_spans_are_clipped_and_confined(sample_repo: Path) -> None:
    model = ScriptedModel([reply(tool_call("finish", spans=[
        {"path": "pkg/util.py", "start_line": 5, "end_line": 500},
        {"path": "/etc/passwd", "start_line": 1, "end_line": 1}]))])
    result = await run(sample_repo, model)
    assert [s.label() for s in result.spans] == ["pkg/util.py:5-8"]


def test_tool_specs_are_the_five_tools() -> None:
    assert [t.name for t in TOOLS] == ["grep", "read", "glob", "list", "finish"]
    assert TOOLS[4].input_schema["required"] == ["spans"]
