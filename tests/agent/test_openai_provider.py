"""The OpenAI-compatible provider against a fake /v1/chat/completions on loopback."""

import json
from pathlib import Path

import pytest

from splice.agent.providers.openai_compat import OpenAICompatModel, normalize_base_url
from splice.agent.providers.retry import RetryPolicy
from splice.core.errors import ModelError
from splice.core.llm import Message
from tests.agent.fake_servers import FakeAPI, Reply, completion
from tests.agent.helpers import make_agent, make_repo
from tests.agent.test_anthropic_provider import Sleeps


def local_model(api: FakeAPI, key: str | None = None, sleeps: Sleeps | None = None,
                models: list[str] | None = None) -> OpenAICompatModel:
    return OpenAICompatModel(models or ["qwen2.5-coder:7b"], base_url=api.url, api_key=key,
                             sleep=sleeps or Sleeps(), policy=RetryPolicy())


def test_base_url_gets_a_version_segment() -> None:
    assert normalize_base_url("http://localhost:11434") == "http://localhost:11434/v1"
    assert normalize_base_url("http://localhost:11434/v1/") == "http://localhost:11434/v1"
    assert normalize_base_url("https://openrouter.ai/api/v1") == "https://openrouter.ai/api/v1"


async def test_tool_round_trip_through_the_loop(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    with FakeAPI([
        completion("looking", calls=[("c1", "search", '{"query": "def add"}'),
                                     ("c2", "read", '{"path": "calc.py", "end_line": 2}')]),
        completion(calls=[("c3", "edit", '{"path": "calc.py", "edit": "a - b=>a + b"}')]),
        completion(calls=[("c4", "finish", '{"summary": "fixed"}')],
                   usage={"prompt_tokens": 500, "completion_tokens": 10,
                          "prompt_tokens_details": {"cached_tokens": 400}}),
    ]) as api:
        agent = make_agent(repo, local_model(api))
        result = await agent.run("fix add")
    assert result.status == "finished" and "+    return a + b" in result.diff
    first = api.requests[0]
    assert first.path == "/v1/chat/completions"
    assert "authorization" not in first.headers  # no key: none sent
    assert first.body["model"] == "qwen2.5-coder:7b"
    assert first.body["messages"][0]["role"] == "system"
    assert [t["function"]["name"] for t in first.body["tools"]] == [
        "search", "read", "edit", "run", "finish"]
    second = api.requests[1].body["messages"]
    assert second[2]["role"] == "assistant"
    assert [c["id"] for c in second[2]["tool_calls"]] == ["c1", "c2"]
    assert json.loads(second[2]["tool_calls"][1]["function"]["arguments"]) == {
        "path": "calc.py", "end_line": 2}
    assert [(m["role"], m["tool_call_id"]) for m in second[3:5]] == [("tool", "c1"), ("tool", "c2")]
    assert "1 | def add(a, b):" in second[4]["content"]
    steps = [s for s in agent.store.read_steps() if s.kind == "step"]
    assert steps[2].tokens_cached == 400 and steps[2].tokens_in == 100


async def test_invalid_json_arguments_are_told(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    with FakeAPI([
        completion(calls=[("c1", "search", '{"query": "add"')]),  # cut short
        completion(calls=[("c2", "finish", '{"summary": "ok"}')]),
    ]) as api:
        agent = make_agent(repo, local_model(api, key="sk-local-secret-123456789"))
        result = await agent.run("task")
    assert result.status == "finished"
    assert api.requests[0].headers["authorization"] == "Bearer sk-local-secret-123456789"
    told = api.requests[1].body["messages"][-1]
    assert told["role"] == "tool" and told["tool_call_id"] == "c1"
    assert told["content"].startswith("ERROR: search: the arguments were not valid JSON")


async def test_rate_limit_then_success_and_fallback_on_missing_model() -> None:
    sleeps = Sleeps()
    with FakeAPI([
        Reply(429, {"error": {"message": "slow down"}}, {"retry-after": "3"}),
        Reply(404, {"error": {"message": "model not found"}}),
        completion("hi from b", model="b"),
    ]) as api:
        model = local_model(api, sleeps=sleeps, models=["a", "b"])
        response = await model.complete(system="s", messages=[Message.user("hi")], tools=[])
    assert response.text == "hi from b" and response.model == "b"
    assert sleeps.waits == [3.0]
    assert [r.body["model"] for r in api.requests] == ["a", "a", "b"]


async def test_unreachable_server_is_a_model_error() -> None:
    with FakeAPI([]) as api:
        url = api.url
    model = OpenAICompatModel(["m"], base_url=url, sleep=Sleeps(),
                              policy=RetryPolicy(max_attempts=2))
    with pytest.raises(ModelError, match="every model failed"):
        await model.complete(system="s", messages=[Message.user("hi")], tools=[])
    await model.aclose()
