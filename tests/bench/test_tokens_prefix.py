"""The token benchmark counts exactly the tools (and system prompt) the providers send.

Each policy's live tool set runs through the real orchestrator and the real anthropic SDK
against a fake Messages API; what reached the wire is compared with what the replay counts.
"""

from pathlib import Path
from typing import Any

import pytest

from splice.agent.providers.anthropic import AnthropicModel
from splice.agent.providers.openai_compat import OpenAICompatModel
from splice.bench.tokens.live_tools import live_config
from splice.bench.tokens.prompts import prefix_for
from tests.agent.fake_servers import FakeAPI, completion, message, tool_use
from tests.agent.helpers import make_agent, make_repo


def _uncached(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in t.items() if k != "cache_control"} for t in tools]


@pytest.mark.parametrize("policy", ["naive", "careful", "splice"])
async def test_the_replay_counts_the_tools_the_anthropic_provider_sends(
        tmp_path: Path, policy: str) -> None:
    system, toolset = live_config(policy)
    repo = make_repo(tmp_path / "repo")
    with FakeAPI([message(tool_use("f", "finish", summary="done"))]) as api:
        model = AnthropicModel(["claude-sonnet-4-6"], api_key="sk-ant-test-0123456789",
                               base_url=api.url)
        kwargs = {"system_prompt": system} if system else {}
        agent = make_agent(repo, model, toolset=toolset, **kwargs)
        await agent.run("task")
    agent.workspace.cleanup()
    sent = api.requests[0].body
    counted_system, counted_tools = prefix_for(policy)
    assert _uncached(sent["tools"]) == counted_tools
    assert [b["text"] for b in sent["system"]] == [counted_system]


async def test_the_openai_provider_sends_the_same_tools(tmp_path: Path) -> None:
    _, toolset = live_config("splice")
    repo = make_repo(tmp_path / "repo")
    with FakeAPI([completion(calls=[("f", "finish", '{"summary": "done"}')])]) as api:
        model = OpenAICompatModel(["local"], base_url=api.url)
        agent = make_agent(repo, model, toolset=toolset)
        await agent.run("task")
    agent.workspace.cleanup()
    sent = api.requests[0].body["tools"]
    assert [t["function"] for t in sent] == [
        {"name": t["name"], "description": t["description"], "parameters": t["input_schema"]}
        for t in prefix_for("splice")[1]]
