"""Replay every task with the three policies and total the figures.

A repo under --repos is used as it is, or, when it is a git repo and the task names a
base_commit, through a temporary detached worktree at that commit (removed afterwards).
"""

from __future__ import annotations

import contextlib
import statistics
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import anyio
from pydantic import BaseModel, Field

from splice.bench.tasks import Task, resolve_repo
from splice.bench.tokens import policies
from splice.bench.tokens.gold import read_gold
from splice.bench.tokens.policies import POLICIES, SpliceSettings
from splice.bench.tokens.repoview import RepoView
from splice.core.errors import InvalidRequest, SpliceError
from splice.scale.executor import Executor, ExecutorInfo


class TaskRow(BaseModel):
    instance_id: str
    repo: str
    gold_files: list[str] = Field(default_factory=list)
    policies: dict[str, dict[str, object]] = Field(default_factory=dict)
    error: str = ""


class PolicyTotals(BaseModel):
    total_tokens: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    worker_tokens: int = 0
    model_calls: int = 0
    localized: int = 0
    edit_ok: int = 0
    fallback_tasks: int = 0
    tokens_by_phase: dict[str, int] = Field(default_factory=dict)
    usd_estimate: float = 0.0  # at PRICE_IN / PRICE_OUT USD per million tokens, no caching


# Claude Sonnet list prices (USD per million tokens): output costs 5x input, which the
# token total alone hides.
PRICE_IN, PRICE_OUT = 3.0, 15.0


class TokenBench(BaseModel):
    command: str = ""
    mode: str = "replay"
    tasks: int = 0
    tasks_scored: int = 0
    settings: SpliceSettings = Field(default_factory=SpliceSettings)
    totals: dict[str, PolicyTotals] = Field(default_factory=dict)
    savings: dict[str, float] = Field(default_factory=dict)
    targets: dict[str, bool] = Field(default_factory=dict)
    rows: list[TaskRow] = Field(default_factory=list)
    # per half of the default set (dev / held-out): tasks, each policy's tokens, savings
    splits: dict[str, dict[str, float]] = Field(default_factory=dict)
    executor: ExecutorInfo = Field(default_factory=lambda: ExecutorInfo(kind="local"))


def split_totals(rows: list[TaskRow]) -> dict[str, dict[str, float]]:
    """Tokens per policy and splice's savings in each half of the fixed dev / held-out split
    (splice.bench.taskset_pypi); empty when no row belongs to the default set's projects."""
    from splice.bench.taskset_pypi import SPLITS, split_of

    out: dict[str, dict[str, float]] = {}
    for name in SPLITS:
        part = [r for r in rows if split_of(r.instance_id) == name]
        if not part:
            continue
        fig: dict[str, float] = {"tasks": len(part)}
        for policy in POLICIES:
            fig[policy] = sum(int(r.policies[policy]["total_tokens"])  # type: ignore[call-overload]
                              for r in part)
        for base in ("naive", "careful"):
            fig[f"splice_vs_{base}"] = round(1 - fig["splice"] / max(1.0, fig[base]), 4)
        out[name] = fig
    return out


def _is_git(path: Path) -> bool:
    done = subprocess.run(["git", "-C", str(path), "rev-parse", "--is-inside-work-tree"],
                          capture_output=True, text=True)
    return done.returncode == 0 and done.stdout.strip() == "true"


@contextlib.contextmanager
def checkout(task: Task, repos: Path) -> Iterator[Path]:
    """The task's repo at its base_commit: the directory itself, or a temp git worktree."""
    root = resolve_repo(task, repos).resolve()
    if not task.base_commit or not _is_git(root):
        yield root
        return
    with tempfile.TemporaryDirectory(prefix="splice-tokens-") as tmp:
        tree = Path(tmp) / "tree"
        done = subprocess.run(["git", "-C", str(root), "worktree", "add", "--detach", "-q",
                               str(tree), task.base_commit], capture_output=True, text=True)
        if done.returncode != 0:
            raise InvalidRequest(f"task {task.instance_id}: cannot check out {task.base_commit} "
                                 f"in {root}: {done.stderr.strip()}",
                                 hint="Fetch that commit into the checkout, or fix base_commit.")
        try:
            yield tree
        finally:
            subprocess.run(["git", "-C", str(root), "worktree", "remove", "--force", str(tree)],
                           capture_output=True)


async def replay_task(task: Task, repos: Path, settings: SpliceSettings) -> TaskRow:
    row = TaskRow(instance_id=task.instance_id, repo=task.repo)
    try:
        with checkout(task, repos) as root:
            golds = read_gold(task.patch, root)
            row.gold_files = [g.path for g in golds]
            view = await anyio.to_thread.run_sync(RepoView.scan, root)
            problem = task.problem_statement
            runs = [await anyio.to_thread.run_sync(policies.naive, problem, view, golds),
                    await anyio.to_thread.run_sync(policies.careful, problem, view, golds),
                    await policies.splice(problem, view, golds, settings)]
    except SpliceError as exc:
        row.error = str(exc)
        return row
    row.policies = {run.policy: run.summary() for run in runs}
    return row


class ReplayJob(BaseModel):
    """One task's replay, picklable for a process pool or a Ray worker."""

    task: Task
    repos: str
    settings: SpliceSettings


def replay_job(job: ReplayJob) -> TaskRow:
    return anyio.run(replay_task, job.task, Path(job.repos), job.settings)


def run_on(executor: Executor, tasks: list[Task], repos: Path, settings: SpliceSettings,
           on_task: Callable[[TaskRow], None] | None = None, command: str = "") -> TokenBench:
    """The same replay fanned out by an executor (local pool or Ray); rows keep task order."""
    jobs = [ReplayJob(task=t, repos=str(repos), settings=settings) for t in tasks]
    rows: list[TaskRow | None] = [None] * len(tasks)
    for i, value, error in executor.run(replay_job, jobs):
        rows[i] = value if error is None else TaskRow(
            instance_id=tasks[i].instance_id, repo=tasks[i].repo, error=error)
        if on_task is not None:
            on_task(rows[i])  # type: ignore[arg-type]
    bench = summarize([r for r in rows if r is not None], settings, command)
    bench.executor = executor.info
    return bench


async def run_bench(tasks: list[Task], repos: Path, settings: SpliceSettings, workers: int = 1,
                    on_task: Callable[[TaskRow], None] | None = None,
                    command: str = "") -> TokenBench:
    rows: list[TaskRow | None] = [None] * len(tasks)
    limiter = anyio.CapacityLimiter(max(1, workers))

    from splice.bench.progress import bar

    async def one(i: int, task: Task, advance: Callable[[], None]) -> None:
        async with limiter:
            rows[i] = await replay_task(task, repos, settings)
        advance()
        if on_task is not None:
            on_task(rows[i])  # type: ignore[arg-type]

    with bar("tasks replayed", len(tasks)) as advance:
        async with anyio.create_task_group() as tg:
            for i, task in enumerate(tasks):
                tg.start_soon(one, i, task, advance)
    return summarize([r for r in rows if r is not None], settings, command)


def summarize(rows: list[TaskRow], settings: SpliceSettings, command: str = "",
              mode: str = "replay") -> TokenBench:
    scored = [r for r in rows if not r.error and all(p in r.policies for p in POLICIES)]
    totals = {p: PolicyTotals() for p in POLICIES}
    for row in scored:
        for name, data in row.policies.items():
            t = totals[name]
            t.total_tokens += int(data["total_tokens"])  # type: ignore[call-overload]
            t.input_tokens += int(data["input_tokens"])  # type: ignore[call-overload]
            t.output_tokens += int(data["output_tokens"])  # type: ignore[call-overload]
            t.worker_tokens += int(data["worker_tokens"])  # type: ignore[call-overload]
            t.model_calls += int(data["model_calls"])  # type: ignore[call-overload]
            t.localized += bool(data["localized"])
            t.edit_ok += bool(data["edit_ok"])
            t.fallback_tasks += int(data["fallback_turns"]) > 0  # type: ignore[call-overload]
            for phase, n in dict(data.get("tokens_by_phase", {})).items():  # type: ignore[call-overload]
                t.tokens_by_phase[phase] = t.tokens_by_phase.get(phase, 0) + int(n)
    for t in totals.values():
        t.usd_estimate = round(((t.input_tokens + t.worker_tokens) * PRICE_IN
                                + t.output_tokens * PRICE_OUT) / 1e6, 2)
    savings = {}
    for base in ("naive", "careful"):
        if totals[base].total_tokens:
            savings[f"splice_vs_{base}"] = round(
                1 - totals["splice"].total_tokens / totals[base].total_tokens, 4)
    for base in ("naive", "careful"):
        per_task = [1 - int(r.policies["splice"]["total_tokens"])  # type: ignore[call-overload]
                    / max(1, int(r.policies[base]["total_tokens"]))  # type: ignore[call-overload]
                    for r in scored]
        if per_task:
            savings[f"median_task_splice_vs_{base}"] = round(statistics.median(per_task), 4)
            savings[f"tasks_splice_cheaper_than_{base}"] = sum(v > 0 for v in per_task)
    if totals["naive"].total_tokens:
        savings["careful_vs_naive"] = round(
            1 - totals["careful"].total_tokens / totals["naive"].total_tokens, 4)
    same_edits = totals["splice"].edit_ok >= max(totals["naive"].edit_ok,
                                                 totals["careful"].edit_ok)
    targets = {
        "splice >= 60% fewer tokens than naive": savings.get("splice_vs_naive", 0) >= 0.6,
        "splice >= 40% fewer tokens than careful": savings.get("splice_vs_careful", 0) >= 0.4,
        "splice edit success equal to the baselines'": bool(scored) and same_edits,
    }
    return TokenBench(command=command, mode=mode, tasks=len(rows), tasks_scored=len(scored),
                      settings=settings, totals=totals, savings=savings, targets=targets,
                      rows=rows, splits=split_totals(scored))
