"""A run from start to end: store, workspace, agent; and resuming one.

The CLI and tests call `start_run` / `resume_run`; they get back the RunResult and the
live workspace, and decide whether its changes reach the user's tree (`Workspace.commit`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from splice.agent.loop import Agent, Progress, RunResult
from splice.agent.redact import Redactor
from splice.agent.toolset import Toolset, make_workspace, worker_toolset
from splice.agent.trace import RunMeta, RunStore
from splice.agent.workspace import Workspace
from splice.core.budget import Budget
from splice.core.llm import Model
from splice.core.repo import Repo

WorkspaceFactory = Callable[[Path], Workspace]


async def start_run(task: str, repo: str | os.PathLike[str], model: Model, *,
                    budget: Budget | None = None, toolset: Toolset | None = None,
                    workspace_factory: WorkspaceFactory = make_workspace,
                    provider: str = "", models: list[str] | None = None,
                    base_url: str | None = None, redactor: Redactor | None = None,
                    on_progress: Callable[[Progress], None] | None = None,
                    on_start: Callable[[RunStore], None] | None = None,
                    ) -> tuple[RunResult, Workspace]:
    root = Repo(repo).root
    budget = budget or Budget()
    store = RunStore.create(root, redactor=redactor or Redactor.from_env())
    store.write_meta(RunMeta(run_id=store.run_id, task=task, repo=str(root), provider=provider,
                             models=models or [model.name], base_url=base_url, budget=budget))
    if on_start is not None:
        on_start(store)
    workspace = workspace_factory(root)
    agent = Agent(model=model, toolset=toolset or worker_toolset(), workspace=workspace,
                  store=store, budget=budget, on_progress=on_progress)
    try:
        result = await agent.run(task)
    except BaseException:
        workspace.cleanup()
        raise
    return result, workspace


async def resume_run(repo: str | os.PathLike[str], run_id: str, model: Model, *,
                     budget: Budget | None = None, toolset: Toolset | None = None,
                     workspace_factory: WorkspaceFactory = make_workspace,
                     redactor: Redactor | None = None,
                     on_progress: Callable[[Progress], None] | None = None,
                     ) -> tuple[RunResult, Workspace]:
    """Continue `run_id` from its last complete step, in a fresh scratch tree."""
    root = Repo(repo).root
    store = RunStore.open(root, run_id, redactor=redactor or Redactor.from_env())
    meta = store.read_meta()
    workspace = workspace_factory(root)
    agent = Agent(model=model, toolset=toolset or worker_toolset(), workspace=workspace,
                  store=store, budget=budget or meta.budget, on_progress=on_progress)
    try:
        result = await agent.resume()
    except BaseException:
        workspace.cleanup()
        raise
    return result, workspace
