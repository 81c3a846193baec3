"""`--live`: the real orchestrator (splice.agent) on each task, with the API's own usage.

Built so far: the splice tool configuration (search, read, edit, finish, run: the agent's
worker tool set). Each task runs in the agent's scratch copy; tokens are the provider's
reported usage (orchestrator + workers); pass/fail comes from the task's test_cmd, run in
that copy after the agent finishes, where the task gives one. Credentials are checked
before any work, with the exact variables to set.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

from pydantic import BaseModel

from splice.bench.tasks import Task
from splice.bench.tokens.replay import checkout
from splice.core.model import Model

LIVE_CONFIGS = ("splice",)
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


async def live_task(task: Task, repos: Path, model: Model, max_iterations: int = 30) -> LiveRow:
    from splice.agent.session import start_run
    from splice.core.budget import Budget
    from splice.core.errors import SpliceError

    row = LiveRow(instance_id=task.instance_id, config="splice")
    try:
        with checkout(task, repos) as root:
            result, workspace = await start_run(task.problem_statement, root, model,
                                                budget=Budget(max_iterations=max_iterations))
            try:
                if task.test_cmd:
                    row.tests_passed = _tests(task.test_cmd, Path(workspace.root))
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
                   on_task: Callable[[LiveRow], None] | None = None) -> list[LiveRow]:
    rows = []
    for task in tasks:  # one model, one conversation at a time: rate limits are per key
        row = await live_task(task, repos, model)
        rows.append(row)
        if on_task is not None:
            on_task(row)
    return rows
