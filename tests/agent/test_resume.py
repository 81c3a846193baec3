"""An interrupted run resumes from its last complete step without redoing any."""

import threading
import time
from pathlib import Path

import anyio
import pytest

from splice.agent.loop import Agent
from splice.agent.trace import RunStore
from splice.agent.workspace import CopyWorkspace
from splice.core.budget import Budget
from splice.core.errors import InvalidRequest
from tests.agent.fake_servers import FakeAPI, Reply, assert_tool_ids_paired, message, tool_use
from tests.agent.helpers import make_agent, make_repo, test_toolset
from tests.agent.test_anthropic_provider import model_for


async def test_interrupted_run_resumes_without_redoing_steps(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    third_call = threading.Event()

    def hang(body: dict) -> Reply:
        third_call.set()
        time.sleep(1.5)
        return message(tool_use("never", "finish", summary="never seen"))

    with FakeAPI([
        message(tool_use("e1", "edit", path="calc.py", edit="a - b=>a + b")),
        message(tool_use("s1", "search", query="def mul")),
        hang,
    ]) as api:
        agent = make_agent(repo, model_for(api, ["claude-sonnet-4-6"]))
        async with anyio.create_task_group() as tg:
            tg.start_soon(agent.run, "fix add")
            while not third_call.is_set():
                await anyio.sleep(0.01)
            tg.cancel_scope.cancel()  # the process "dies" in the middle of step 3
    agent.workspace.cleanup()
    store = agent.store
    checkpoint = store.load_checkpoint()
    assert checkpoint is not None
    assert checkpoint.status == "interrupted" and checkpoint.step == 2
    assert [s.step for s in store.read_steps()] == [1, 2]
    used_before = checkpoint.usage

    with FakeAPI([message(tool_use("f1", "finish", summary="fixed add"))]) as api2:
        resumed = Agent(model=model_for(api2, ["claude-sonnet-4-6"]), toolset=test_toolset(),
                        workspace=CopyWorkspace.create(repo),
                        store=RunStore.open(repo, store.run_id), budget=Budget())
        result = await resumed.resume()
    # Only the unfinished step was asked for, with the whole history so far.
    assert len(api2.requests) == 1
    history = api2.requests[0].body["messages"]
    assert len(history) == 5
    assert_tool_ids_paired(history)
    assert result.status == "finished" and result.summary == "fixed add"
    # The edit made in step 1 (before the interruption) is in the resumed scratch tree.
    assert "+    return a + b" in result.diff
    steps = [s.step for s in store.read_steps() if s.kind == "step"]
    assert steps == [1, 2, 3]
    # Budget use carries over.
    assert result.usage.iterations == used_before.iterations + 1 == 3
    resumed.workspace.cleanup()


async def test_finished_run_cannot_be_resumed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    with FakeAPI([message(tool_use("f", "finish", summary="done"))]) as api:
        agent = make_agent(repo, model_for(api, ["claude-sonnet-4-6"]))
        await agent.run("task")
    again = Agent(model=agent.model, toolset=test_toolset(), workspace=agent.workspace,
                  store=RunStore.open(repo, agent.store.run_id[:12]))
    with pytest.raises(InvalidRequest, match="already finished"):
        await again.resume()
    agent.workspace.cleanup()


async def test_resume_refuses_when_the_user_edited_a_changed_file(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    with FakeAPI([message(tool_use("e1", "edit", path="calc.py", edit="a - b=>a + b"))]) as api:
        agent = make_agent(repo, model_for(api, ["claude-sonnet-4-6"]))
        result = await agent.run("fix add")  # the script runs dry: status error
    agent.workspace.cleanup()
    assert result.status == "error"
    (repo / "calc.py").write_text("the person's own fix\n")
    again = Agent(model=agent.model, toolset=test_toolset(), workspace=CopyWorkspace.create(repo),
                  store=RunStore.open(repo, agent.store.run_id))
    with pytest.raises(InvalidRequest, match="edited in your tree"):
        await again.resume()
    again.workspace.cleanup()
    assert (repo / "calc.py").read_text() == "the person's own fix\n"


async def test_retries_and_fallbacks_are_in_the_trace(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    from tests.agent.fake_servers import error

    with FakeAPI([error(429, "rate_limit_error", {"retry-after": "1"}),
                  error(529, "overloaded_error"), error(529, "overloaded_error"),
                  message(tool_use("f", "finish", summary="ok"), model="claude-haiku-4-5")]) as api:
        agent = make_agent(repo, model_for(api, ["claude-sonnet-4-6", "claude-haiku-4-5"]))
        result = await agent.run("task")
    agent.workspace.cleanup()
    assert result.status == "finished"
    step = agent.store.read_steps()[0]
    assert step.model == "claude-haiku-4-5"
    assert [(r["status"], r["action"]) for r in step.retries] == [
        (429, "retry"), (529, "retry"), (529, "next_model")]
