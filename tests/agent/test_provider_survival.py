"""The agent survives its provider: the real anthropic SDK against a fake Messages API.

529 "overloaded" answers are retried on the one model there is, within a time budget; a
tool_use whose input is a JSON string, list or number is answered with an is_error tool
result the model can correct. The run finishes and fixes the bug with the real workers.
"""

from pathlib import Path
from typing import Any

from splice.agent.providers.anthropic import AnthropicModel
from splice.agent.providers.retry import RetryPolicy
from splice.agent.toolset import worker_toolset
from tests.agent.fake_servers import FakeAPI, Reply, error, message, tool_use
from tests.agent.helpers import make_agent, make_repo

KEY = "sk-ant-test-key-0123456789abcdef"
FIX = "def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n# ... existing code ...\n"


def overloaded() -> Reply:
    # What the API sends when overloaded: 529 with a short retry-after.
    return error(529, "overloaded_error", {"retry-after-ms": "20"})


def raw_tool_use(id: str, name: str, raw: Any) -> dict[str, Any]:
    return {"type": "tool_use", "id": id, "name": name, "input": raw}


def results_of(api: FakeAPI, request: int) -> list[dict[str, Any]]:
    return [b for b in api.requests[request].body["messages"][-1]["content"]
            if b["type"] == "tool_result"]


async def test_three_529s_then_success_and_non_object_inputs(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    with FakeAPI([
        overloaded(), overloaded(), overloaded(),
        message(raw_tool_use("s", "edit", "calc.py: make add return a + b")),
        message(raw_tool_use("l", "edit", ["calc.py", FIX]), raw_tool_use("n", "read", 42)),
        message(tool_use("ok", "edit", path="calc.py", edit=FIX)),
        message(tool_use("f", "finish", summary="add returns a + b")),
    ]) as api:
        model = AnthropicModel(["claude-sonnet-4-6"], api_key=KEY, base_url=api.url)
        agent = make_agent(repo, model, toolset=worker_toolset())
        result = await agent.run("add returns the wrong sum")
    agent.workspace.cleanup()
    assert result.status == "finished", result.error
    assert "+    return a + b" in result.diff and result.changed_files == ["calc.py"]
    # one model: every attempt went to it, three 529s then the answer
    assert {r.body["model"] for r in api.requests} == {"claude-sonnet-4-6"}
    first = agent.store.read_steps()[0]
    assert [(r["status"], r["action"]) for r in first.retries] == [(529, "retry")] * 3
    # the string input: an error result naming what to send, and the run went on
    told = results_of(api, 4)
    assert told[0]["tool_use_id"] == "s" and told[0]["is_error"] is True
    assert "not a string" in told[0]["content"] and "path (a string, required)" in told[0]["content"]
    told = results_of(api, 5)
    assert [(t["tool_use_id"], t.get("is_error")) for t in told] == [("l", True), ("n", True)]
    assert "not a list" in told[0]["content"] and "not a number" in told[1]["content"]
    # what went back to the API for the bad calls is an object, as the API requires
    sent = api.requests[4].body["messages"][-2]["content"]
    assert sent[0]["type"] == "tool_use" and sent[0]["input"] == {}
    assert (repo / "calc.py").read_text().startswith("def add(a, b):\n    return a - b")


async def test_overload_past_the_retry_budget_ends_with_the_time_it_took(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    with FakeAPI([overloaded() for _ in range(200)]) as api:
        model = AnthropicModel(["claude-sonnet-4-6"], api_key=KEY, base_url=api.url,
                               policy=RetryPolicy(retry_budget_s=0.5, base_delay_s=0.05))
        agent = make_agent(repo, model)
        result = await agent.run("task")
    agent.workspace.cleanup()
    assert result.status == "error" and "every model failed" in (result.error or "")
    assert len(api.requests) >= 3
    # the summary's time is the time the retries took, not 0.0s
    assert result.usage.elapsed_s >= 0.3
    end = agent.store.read_steps()[-1]
    assert end.kind == "end" and end.retries and end.retries[-1]["action"] == "next_model"
    assert all(r["status"] == 529 for r in end.retries)
