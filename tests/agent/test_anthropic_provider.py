"""The real anthropic SDK against a fake Messages API on loopback."""

from pathlib import Path

import pytest

from splice.agent.providers.anthropic import AnthropicModel
from splice.agent.providers.retry import RetryPolicy
from splice.core.errors import ModelError
from splice.core.llm import Message
from tests.agent.fake_servers import (
    FakeAPI,
    assert_tool_ids_paired,
    error,
    message,
    text,
    tool_use,
)
from tests.agent.helpers import Recorder, make_agent, make_repo, test_toolset


class Sleeps:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def model_for(api: FakeAPI, models: list[str], sleeps: Sleeps | None = None,
              **policy: object) -> AnthropicModel:
    return AnthropicModel(models, api_key="sk-ant-test-key-0123456789abcdef",
                          base_url=api.url, sleep=sleeps or Sleeps(),
                          policy=RetryPolicy(**policy))  # type: ignore[arg-type]


async def test_tool_use_round_trip_pairs_ids_and_caches(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    with FakeAPI([
        message(text("searching"), tool_use("toolu_1", "search", query="def add")),
        message(tool_use("toolu_2", "read", path="calc.py", start_line=1, end_line=2)),
        message(tool_use("toolu_3", "edit", path="calc.py", edit="a - b=>a + b")),
        message(tool_use("toolu_4", "finish", summary="fixed"),
                usage={"input_tokens": 10, "output_tokens": 5,
                       "cache_creation_input_tokens": 0, "cache_read_input_tokens": 900}),
    ]) as api:
        agent = make_agent(repo, model_for(api, ["claude-sonnet-4-6"]))
        result = await agent.run("fix add")
    assert result.status == "finished" and "+    return a + b" in result.diff
    assert len(api.requests) == 4
    first = api.requests[0]
    assert first.path == "/v1/messages"
    # The SDK carries the key (as x-api-key or a bearer token, by SDK version).
    sent = first.headers.get("x-api-key", "") + first.headers.get("authorization", "")
    assert "sk-ant-test-key-0123456789abcdef" in sent
    assert first.body["model"] == "claude-sonnet-4-6"
    # Prompt caching: the system prompt, the last tool and the newest message.
    assert first.body["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert first.body["tools"][-1]["cache_control"] == {"type": "ephemeral"}
    assert "cache_control" not in first.body["tools"][0]
    assert [t["name"] for t in first.body["tools"]] == ["search", "read", "edit", "run", "finish"]
    last = api.requests[-1].body["messages"]
    assert last[-1]["content"][-1]["cache_control"] == {"type": "ephemeral"}
    assert_tool_ids_paired(last)
    assert last[4]["content"][0]["tool_use_id"] == "toolu_2"
    assert "1 | def add(a, b):" in last[4]["content"][0]["content"]
    # Usage and cost per call, cache reads included.
    steps = [s for s in agent.store.read_steps() if s.kind == "step"]
    assert steps[3].tokens_cached == 900
    assert steps[0].cost_usd == pytest.approx((100 * 3 + 20 * 15) / 1e6)
    assert result.usage.cost_usd == pytest.approx(
        3 * (100 * 3 + 20 * 15) / 1e6 + (10 * 3 + 5 * 15 + 900 * 0.3) / 1e6)
    # The key never reaches the trace.
    run_dir = Path(result.run_dir)
    for name in ("trace.jsonl", "checkpoint.json", "meta.json"):
        assert "sk-ant-test-key" not in (run_dir / name).read_text()


async def test_parallel_tool_calls_run_concurrently(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    recorder = Recorder()
    with FakeAPI([
        message(tool_use("a", "search", query="def add"), tool_use("b", "search", query="def mul"),
                tool_use("c", "edit", path="calc.py", edit="a - b=>a + b"),
                tool_use("d", "edit", path="calc.py", edit="a * b=>b * a")),
        message(tool_use("e", "finish", summary="done")),
    ]) as api:
        agent = make_agent(repo, model_for(api, ["claude-sonnet-4-6"]),
                           toolset=test_toolset(recorder, delay=0.05))
        result = await agent.run("task")
    assert result.status == "finished"
    ev = recorder.events
    # Both searches started before either ended: they overlapped.
    assert ev.index(("start", "search:def mul")) < ev.index(("end", "search:def add"))
    # The two edits of calc.py ran one after the other, in the model's order,
    # and after the searches that look at the whole tree.
    first_edit = ev.index(("start", "edit:calc.py:a - b=>a + b"))
    assert ev.index(("end", "edit:calc.py:a - b=>a + b")) < ev.index(("start", "edit:calc.py:a * b=>b * a"))
    assert first_edit > ev.index(("end", "search:def add"))
    results = api.requests[1].body["messages"][-1]["content"]
    assert [r["tool_use_id"] for r in results] == ["a", "b", "c", "d"]
    assert "+    return b * a" in result.diff and "+    return a + b" in result.diff


async def test_429_with_retry_after_then_success() -> None:
    sleeps = Sleeps()
    with FakeAPI([error(429, "rate_limit_error", {"retry-after": "7"}),
                  message(text("hello"))]) as api:
        model = model_for(api, ["claude-sonnet-4-6"], sleeps)
        response = await model.complete(system="s", messages=[Message.user("hi")], tools=[])
    assert response.text == "hello"
    assert sleeps.waits == [7.0]
    assert len(api.requests) == 2
    assert [e.action for e in response.retries] == ["retry"]


async def test_5xx_backs_off_and_retries() -> None:
    sleeps = Sleeps()
    with FakeAPI([error(500, "api_error"), error(503, "api_error"),
                  message(text("ok"))]) as api:
        model = model_for(api, ["claude-sonnet-4-6"], sleeps, base_delay_s=1.0)
        response = await model.complete(system="s", messages=[Message.user("hi")], tools=[])
    assert response.text == "ok" and len(sleeps.waits) == 2
    assert 0.75 <= sleeps.waits[0] <= 1.0 and 1.5 <= sleeps.waits[1] <= 2.0


async def test_529_storm_falls_back_to_next_model() -> None:
    sleeps = Sleeps()
    with FakeAPI([error(529, "overloaded_error"), error(529, "overloaded_error"),
                  message(text("from the fallback"), model="claude-haiku-4-5"),
                  message(text("again"), model="claude-haiku-4-5")]) as api:
        model = model_for(api, ["claude-sonnet-4-6", "claude-haiku-4-5"], sleeps,
                          overload_switch_after=2)
        first = await model.complete(system="s", messages=[Message.user("hi")], tools=[])
        second = await model.complete(system="s", messages=[Message.user("hi")], tools=[])
    assert [r.body["model"] for r in api.requests] == [
        "claude-sonnet-4-6", "claude-sonnet-4-6", "claude-haiku-4-5",
        # the overloaded model cools down: the next call goes to the fallback first
        "claude-haiku-4-5"]
    assert first.text == "from the fallback" and first.model == "claude-haiku-4-5"
    assert second.text == "again"
    assert first.usage.cost_usd == pytest.approx((100 * 1 + 20 * 5) / 1e6)


async def test_every_model_failing_is_a_model_error() -> None:
    with FakeAPI([error(529, "overloaded_error")] * 4) as api:
        model = model_for(api, ["m1", "m2"], overload_switch_after=2, retry_budget_s=2)
        with pytest.raises(ModelError, match="every model failed"):
            await model.complete(system="s", messages=[Message.user("hi")], tools=[])
    assert len(api.requests) == 4


async def test_bad_request_fails_at_once() -> None:
    with FakeAPI([error(400, "invalid_request_error"), message(text("never"))]) as api:
        model = model_for(api, ["m1", "m2"])
        with pytest.raises(ModelError, match="invalid_request_error"):
            await model.complete(system="s", messages=[Message.user("hi")], tools=[])
    assert len(api.requests) == 1


async def test_malformed_tool_input_is_told_and_the_loop_goes_on(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    with FakeAPI([
        message(tool_use("bad1", "read", start_line="ten")),  # no path, bad type
        message(tool_use("bad2", "nosuchtool", x=1)),
        message(tool_use("ok", "finish", summary="gave up politely")),
    ]) as api:
        agent = make_agent(repo, model_for(api, ["claude-sonnet-4-6"]))
        result = await agent.run("task")
    assert result.status == "finished"
    told = api.requests[1].body["messages"][-1]["content"][0]
    assert told["tool_use_id"] == "bad1" and told["is_error"] is True
    assert "path" in told["content"] and "start_line" in told["content"]
    told2 = api.requests[2].body["messages"][-1]["content"][0]
    assert told2["is_error"] and "no tool named 'nosuchtool'" in told2["content"]
