"""`--live`: the real orchestrator (splice.agent) on each task, with the API's own usage.

Three tool configurations, as in the replay (live_tools.py): naive (grep, whole reads,
whole writes), careful (grep, ranged reads, SEARCH/REPLACE through the apply engine) and
splice (the orchestrator's worker tool set and system prompt). Each run works in the
agent's scratch copy; tokens are the provider's reported usage (orchestrator + workers);
pass/fail comes from the task's test_cmd, run in that copy after the agent finishes,
where the task gives one. Credentials are checked before any work, with the exact
variables to set.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import anyio
from pydantic import BaseModel

from splice.bench.tasks import Task
from splice.bench.tokens.replay import checkout
from splice.core.llm import Model

LIVE_CONFIGS = ("naive", "careful", "splice")
TEST_TIMEOUT_S = 600


class LiveRow(BaseModel):
    instance_id: str
    config: str
    status: str = ""
    tokens: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    worker_tokens: int = 0
    cache_read_tokens: int = 0
    cost_usd: float = 0.0
    steps: int = 0
    changed_files: list[str] = []
    tests_passed: bool | None = None
    error: str = ""


def build_live_model(provider: str | None, models: list[str], base_url: str | None,
                     env: Mapping[str, str] | None = None) -> Model:
    """The model for --live; raises MissingCredentials naming what to set."""
    from splice.agent.providers.factory import ProviderChoice, build_model

    choice = ProviderChoice(provider=provider, models=models, base_url=base_url)  # type: ignore[arg-type]
    return build_model(choice, os.environ if env is None else env)


def _tests(test_cmd: str, root: Path) -> bool:
    try:
        done = subprocess.run(test_cmd, shell=True, cwd=root, capture_output=True,
                              timeout=TEST_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0


async def live_task(task: Task, repos: Path, model: Model, config: str,
                    max_iterations: int = 30) -> LiveRow:
    from splice.agent.loop import Agent
    from splice.agent.prompts import SYSTEM_PROMPT
    from splice.agent.redact import Redactor
    from splice.agent.toolset import make_workspace
    from splice.agent.trace import RunMeta, RunStore
    from splice.bench.tokens.live_tools import live_config
    from splice.core.budget import Budget
    from splice.core.errors import SpliceError

    row = LiveRow(instance_id=task.instance_id, config=config)
    system, toolset = live_config(config)
    budget = Budget(max_iterations=max_iterations)
    try:
        with checkout(task, repos) as root:
            store = RunStore.create(root, redactor=Redactor.from_env())
            store.write_meta(RunMeta(run_id=store.run_id, task=task.problem_statement,
                                     repo=str(root), models=[model.name], budget=budget))
            workspace = make_workspace(root)
            try:
                # masking stale reads is the splice agent's rule, not the baselines'
                agent = Agent(model=model, toolset=toolset, workspace=workspace, store=store,
                              budget=budget, mask_stale=config == "splice",
                              system_prompt=system or SYSTEM_PROMPT)
                result = await agent.run(task.problem_statement)
                if task.test_cmd:
                    row.tests_passed = await anyio.to_thread.run_sync(
                        _tests, task.test_cmd, Path(workspace.root))
            finally:
                workspace.cleanup()
    except SpliceError as exc:
        row.error = str(exc)
        return row
    u = result.usage
    row.status, row.steps, row.changed_files = result.status, result.steps, result.changed_files
    row.tokens, row.input_tokens, row.output_tokens = u.tokens, u.input_tokens, u.output_tokens
    row.worker_tokens, row.cache_read_tokens, row.cost_usd = (u.worker_tokens,
                                                              u.cache_read_tokens, u.cost_usd)
    row.error = result.error or ""
    return row


async def run_live(tasks: list[Task], repos: Path, model: Model,
                   configs: tuple[str, ...] = LIVE_CONFIGS,
                   on_task: Callable[[LiveRow], None] | None = None) -> list[LiveRow]:
    rows = []
    from splice.bench.progress import track

    for task in track(tasks, "live tasks"):  # one conversation at a time: rate limits are per key
        for config in configs:
            row = await live_task(task, repos, model, config)
            rows.append(row)
            if on_task is not None:
                on_task(row)
    return rows


def live_totals(rows: list[LiveRow]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for row in rows:
        t = out.setdefault(row.config, {"tokens": 0, "input_tokens": 0, "output_tokens": 0,
                                        "worker_tokens": 0, "cost_usd": 0.0, "finished": 0,
                                        "tests_passed": 0, "runs": 0})
        t["runs"] += 1
        t["tokens"] += row.tokens
        t["input_tokens"] += row.input_tokens
        t["output_tokens"] += row.output_tokens
        t["worker_tokens"] += row.worker_tokens
        t["cost_usd"] += row.cost_usd
        t["finished"] += row.status == "finished"
        t["tests_passed"] += bool(row.tests_passed)
    return out
