"""Each budget running out ends the run with budget_exhausted, the partial diff and the
last action — through the real SDK against the fake Messages API."""

from pathlib import Path

from splice.agent.tool_io import SEARCH, SearchInput, ToolText
from splice.agent.toolset import Toolset, finish_tool, read_tool
from splice.core.budget import Budget, BudgetUsage
from splice.core.llm import Usage
from splice.tools import Tool, ToolContext
from tests.agent.fake_servers import FakeAPI, Reply, message, tool_use
from tests.agent.helpers import make_agent, make_repo, replace_edit_tool, subprocess_run_tool
from tests.agent.test_anthropic_provider import model_for


def edit_then_searches(n: int) -> list[Reply]:
    replies = [message(tool_use("e1", "edit", path="calc.py", edit="a - b=>a + b"))]
    replies += [message(tool_use(f"s{i}", "search", query=f"q{i}")) for i in range(n)]
    return replies


def check_exhausted(result, repo: Path, kind: str) -> None:  # type: ignore[no-untyped-def]
    assert result.status == "budget_exhausted", result
    assert result.stop is not None and result.stop.kind == kind
    assert "+    return a + b" in result.diff  # the best partial diff comes back
    assert "a - b" in (repo / "calc.py").read_text()  # and the user's tree is untouched


async def test_iterations_run_out(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    with FakeAPI(edit_then_searches(5)) as api:
        agent = make_agent(repo, model_for(api, ["claude-sonnet-4-6"]),
                           budget=Budget(max_iterations=3))
        result = await agent.run("task")
    check_exhausted(result, repo, "iterations")
    assert len(api.requests) == 3 and result.steps == 3
    assert result.doing == "search(q1)"
    end = agent.store.read_steps()[-1]
    assert end.kind == "end" and end.status == "budget_exhausted"
    assert "max-iterations" in end.reason and "search(q1)" in end.action


async def test_tokens_run_out(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    with FakeAPI(edit_then_searches(5)) as api:  # 120 tokens a call
        agent = make_agent(repo, model_for(api, ["claude-sonnet-4-6"]),
                           budget=Budget(max_tokens=300))
        result = await agent.run("task")
    check_exhausted(result, repo, "tokens")
    assert len(api.requests) == 3 and result.usage.tokens == 360


async def test_worker_tokens_count_against_the_budget(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")

    async def costly_search(req: SearchInput, ctx: ToolContext) -> ToolText:
        ctx.report_usage(Usage(input_tokens=1000, output_tokens=50))
        return ToolText(text="calc.py:1-2")

    tools = Toolset.of([Tool(SEARCH, "s", SearchInput, ToolText, costly_search), read_tool(),
                        replace_edit_tool(), subprocess_run_tool(), finish_tool()])
    with FakeAPI(edit_then_searches(5)) as api:
        agent = make_agent(repo, model_for(api, ["claude-sonnet-4-6"]), toolset=tools,
                           budget=Budget(max_tokens=1300))
        result = await agent.run("task")
    check_exhausted(result, repo, "tokens")
    # 120 + 120 + 1050 (the worker) = 1290 < 1300, then +120 +1050 >= 1300.
    assert len(api.requests) == 3
    assert result.usage.worker_tokens == 2100 and result.usage.model_tokens == 360
    steps = [s for s in agent.store.read_steps() if s.kind == "step"]
    assert steps[1].worker_tokens == 1050


async def test_cost_runs_out(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    with FakeAPI(edit_then_searches(5)) as api:  # $0.0006 a call at 3/15 per Mtok
        agent = make_agent(repo, model_for(api, ["claude-sonnet-4-6"]),
                           budget=Budget(max_cost_usd=0.001))
        result = await agent.run("task")
    check_exhausted(result, repo, "cost")
    assert len(api.requests) == 2
    assert abs(result.usage.cost_usd - 0.0012) < 1e-9


async def test_time_runs_out_during_a_slow_call(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    replies = edit_then_searches(0)
    slow = message(tool_use("s1", "search", query="slow"))
    slow.delay_s = 3.0
    with FakeAPI([*replies, slow]) as api:
        agent = make_agent(repo, model_for(api, ["claude-sonnet-4-6"]),
                           budget=Budget(max_time_s=1.0))
        result = await agent.run("task")
    check_exhausted(result, repo, "time")
    assert result.steps == 1 and 1.0 <= result.usage.elapsed_s < 2.5
    assert result.doing == "edit(calc.py)"


def test_budget_check_order_and_messages() -> None:
    budget = Budget(max_iterations=5, max_tokens=100, max_cost_usd=1.0, max_time_s=10)
    assert budget.check(BudgetUsage(iterations=4, model_tokens=99, cost_usd=0.5,
                                    elapsed_s=9)) is None
    stop = budget.check(BudgetUsage(iterations=1, model_tokens=60, worker_tokens=40))
    assert stop is not None and stop.kind == "tokens" and "100" in stop.message
    assert budget.check(BudgetUsage(elapsed_s=10.5)).kind == "time"  # type: ignore[union-attr]
    assert Budget(max_iterations=None).check(BudgetUsage(iterations=10**6)) is None


async def test_time_runs_out_during_slow_tools(tmp_path: Path) -> None:
    from splice.core.llm import ModelResponse, ScriptedModel, tool_call
    from tests.agent.helpers import grep_search_tool

    repo = make_repo(tmp_path / "repo")
    tools = Toolset.of([grep_search_tool(delay=5.0), read_tool(), replace_edit_tool(),
                        subprocess_run_tool(), finish_tool()])
    model = ScriptedModel([ModelResponse(content=[
        tool_call("edit", id="e", path="calc.py", edit="a - b=>a + b"),
        tool_call("search", id="s", query="slow")])])
    agent = make_agent(repo, model, toolset=tools, budget=Budget(max_time_s=1.0))
    result = await agent.run("task")
    check_exhausted(result, repo, "time")
    assert result.steps == 1 and result.usage.elapsed_s < 3
    # The finished edit is in history and tree; the cut search is answered as not run.
    checkpoint = agent.store.load_checkpoint()
    assert checkpoint is not None and checkpoint.step == 1
    answers = {b.tool_use_id: b for b in checkpoint.messages[-1].content}
    assert not answers["e"].is_error
    assert answers["s"].is_error and "time budget ran out" in answers["s"].content
    agent.workspace.cleanup()
