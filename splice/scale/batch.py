"""`splice batch`: the agent once per task, each in its own scratch copy, sandbox and budget.

One JSONL row per task is appended to OUT/results.jsonl as the task finishes, so an
interrupted batch keeps what it did and a rerun skips the tasks that have a row. A task that
raises, or whose worker dies, is a row with its error; the batch goes on.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from splice.agent.providers.factory import ProviderChoice
from splice.bench.tasks import Task
from splice.core.budget import Budget, BudgetUsage
from splice.scale.executor import Executor, ExecutorInfo

RESULTS = "results.jsonl"
SUMMARY = "summary.json"


class BatchJob(BaseModel):
    """Everything one task needs, picklable, so any worker (a process, a Ray node) can run it."""

    task: Task
    repos: str
    out: str
    model: ProviderChoice
    budget: Budget = Field(default_factory=Budget)


class BatchRow(BaseModel):
    instance_id: str
    repo: str
    status: str  # the run's status (finished, budget_exhausted, error, ...)
    diff: str = ""
    changed_files: list[str] = Field(default_factory=list)
    usage: BudgetUsage = Field(default_factory=BudgetUsage)
    cost_usd: float = 0.0
    trace: str | None = None
    error: str | None = None
    seconds: float = 0.0
    executor: ExecutorInfo | None = None


def _safe_name(instance_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", instance_id)[:120] or "task"


def run_job(job: BatchJob) -> BatchRow:
    """Run one task to the end (in whatever process calls it) and return its row."""
    import anyio

    from splice.agent.providers.factory import build_model
    from splice.agent.session import start_run
    from splice.bench.tokens.replay import checkout

    started = time.perf_counter()
    with checkout(job.task, Path(job.repos)) as root:
        model = build_model(job.model, os.environ)

        async def main() -> Any:
            try:
                return await start_run(job.task.problem_statement, root, model,
                                       budget=job.budget, provider=job.model.provider or "",
                                       models=list(job.model.models))
            finally:
                close = getattr(model, "aclose", None)
                if close is not None:
                    await close()

        result, workspace = anyio.run(main)
        workspace.cleanup()
        trace = _keep_trace(Path(result.run_dir), Path(job.out), job.task.instance_id)
    return BatchRow(instance_id=job.task.instance_id, repo=job.task.repo,
                    status=result.status, diff=result.diff,
                    changed_files=list(result.changed_files), usage=result.usage,
                    cost_usd=result.usage.cost_usd, trace=trace, error=result.error,
                    seconds=round(time.perf_counter() - started, 3))


def _keep_trace(run_dir: Path, out: Path, instance_id: str) -> str | None:
    """Move the run's trace out of the checkout into OUT/traces/<task>/."""
    if not run_dir.is_dir():
        return None
    target = out / "traces" / _safe_name(instance_id)
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(run_dir, target)
    shutil.rmtree(run_dir, ignore_errors=True)
    return str(target)


def done_ids(out: Path) -> set[str]:
    """Tasks that already have a row (a torn last line from a hard kill is ignored)."""
    path = out / RESULTS
    if not path.exists():
        return set()
    seen: set[str] = set()
    for line in path.read_text("utf-8").splitlines():
        try:
            seen.add(str(json.loads(line)["instance_id"]))
        except (ValueError, KeyError, TypeError):
            continue
    return seen


def read_rows(out: Path) -> list[BatchRow]:
    path = out / RESULTS
    if not path.exists():
        return []
    rows: dict[str, BatchRow] = {}
    for line in path.read_text("utf-8").splitlines():
        try:
            row = BatchRow.model_validate_json(line)
        except ValueError:
            continue
        rows[row.instance_id] = row
    return list(rows.values())


def _append(out: Path, row: BatchRow) -> None:
    with (out / RESULTS).open("a", encoding="utf-8") as fh:
        fh.write(row.model_dump_json() + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def error_row(job: BatchJob, error: str, info: ExecutorInfo) -> BatchRow:
    return BatchRow(instance_id=job.task.instance_id, repo=job.task.repo, status="error",
                    error=error, executor=info)


def run_batch(jobs: Sequence[BatchJob], executor: Executor, out: Path,
              on_row: Callable[[BatchRow], None] | None = None) -> Iterator[BatchRow]:
    """Run `jobs` (already filtered to the ones not done) and append each row as it lands."""
    out.mkdir(parents=True, exist_ok=True)
    for i, value, error in executor.run(run_job, jobs):
        if error is not None or value is None:
            row = error_row(jobs[i], error or "the task returned nothing", executor.info)
        else:
            row = value.model_copy(update={"executor": executor.info})
        _append(out, row)
        if on_row is not None:
            on_row(row)
        yield row


class BatchSummary(BaseModel):
    tasks: int
    ran_now: int
    skipped: int
    by_status: dict[str, int]
    tokens: int
    cost_usd: float
    wall_s: float
    executor: ExecutorInfo
    results: str


def summarize(rows: Sequence[BatchRow], *, ran_now: int, skipped: int, wall_s: float,
              info: ExecutorInfo, out: Path) -> BatchSummary:
    by_status: dict[str, int] = {}
    for row in rows:
        by_status[row.status] = by_status.get(row.status, 0) + 1
    return BatchSummary(tasks=len(rows), ran_now=ran_now, skipped=skipped,
                        by_status=dict(sorted(by_status.items())),
                        tokens=sum(r.usage.tokens for r in rows),
                        cost_usd=round(sum(r.cost_usd for r in rows), 6),
                        wall_s=round(wall_s, 3), executor=info, results=str(out / RESULTS))
