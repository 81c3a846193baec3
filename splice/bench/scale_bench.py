"""`splice bench scale`: what fanning tasks out costs and gains, measured here.

Three measurements, each against a baseline taken in the same run (the machine is shared,
so ratios travel better than seconds):
- the token replay over a task set, in this process one task at a time versus the local
  pool with 2 (or --workers) processes: the speedup, and that the totals are identical;
- a batch of scripted agent runs on the demo repo (the real loop, workers and sandbox; only
  the model is replayed): seconds of splice-side work per task, serial and pooled;
- with --executor ray: Ray's overhead per task (no-op tasks one at a time, and the same
  batch on Ray with one worker against the serial batch).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from splice.scale.executor import ExecutorInfo, SerialExecutor, open_executor
from splice.scale.options import ExecutorSpec


class Phase(BaseModel):
    name: str
    executor: ExecutorInfo
    tasks: int
    wall_s: float
    per_task_s: float


class ScaleReport(BaseModel):
    command: str
    cpus: int
    load_avg_1m: float
    phases: list[Phase]
    replay_speedup: float
    replay_identical: bool
    batch_identical: bool
    ray_overhead_per_task_s: float | None = None
    ray_batch_overhead_per_task_s: float | None = None
    targets: dict[str, bool]


def _noop(x: int) -> int:
    return x


def _timed(fn: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def _replay(tasks: list[Any], repos: Path, spec: ExecutorSpec) -> tuple[Any, float]:
    from splice.bench.tokens.policies import SpliceSettings
    from splice.bench.tokens.replay import run_on

    runner = SerialExecutor() if spec.kind == "local" and (spec.workers or 1) == 1 \
        else open_executor(spec)
    try:  # the pool's start-up is part of what a user waits for, so it is timed
        return _timed(lambda: run_on(runner, tasks, repos, SpliceSettings()))
    finally:
        runner.close()


def _batch(root: Path, count: int, spec: ExecutorSpec, name: str) -> tuple[list[Any], float]:
    from splice.agent.providers.factory import ProviderChoice
    from splice.bench.tasks import Task
    from splice.commands.display.demo_repo import TASK, write_demo_repo
    from splice.scale.batch import BatchJob, run_batch

    repos = root / "repos"
    if not (repos / "shop").exists():
        write_demo_repo(repos / "shop")
        (root / "script.json").write_text(json.dumps(SCRIPTED_FIX), encoding="utf-8")
    choice = ProviderChoice(provider="scripted", script=root / "script.json")
    jobs = [BatchJob(task=Task(instance_id=f"shop-{i}", repo="shop", problem_statement=TASK,
                               patch=""), repos=str(repos), out=str(root / name), model=choice)
            for i in range(count)]
    runner = open_executor(spec)
    try:
        return _timed(lambda: list(run_batch(jobs, runner, root / name)))
    finally:
        runner.close()


def _same_rows(a: list[Any], b: list[Any]) -> bool:
    def key(rows: list[Any]) -> list[tuple[Any, ...]]:
        return sorted((r.instance_id, r.status, r.diff, r.usage.model_tokens,
                       r.usage.worker_tokens) for r in rows)
    return key(a) == key(b)


def run(tasks: list[Any], repos: Path, *, workers: int, batch_tasks: int,
        ray: ExecutorSpec | None, command: str) -> ScaleReport:
    phases: list[Phase] = []

    def add(name: str, info: ExecutorInfo, count: int, wall: float) -> None:
        phases.append(Phase(name=name, executor=info, tasks=count, wall_s=round(wall, 3),
                            per_task_s=round(wall / max(1, count), 4)))

    serial_bench, serial_s = _replay(tasks, repos, ExecutorSpec(kind="local", workers=1))
    add("token replay, serial", serial_bench.executor, len(tasks), serial_s)
    pool_bench, pool_s = _replay(tasks, repos, ExecutorSpec(kind="local", workers=workers))
    add(f"token replay, local pool of {workers}", pool_bench.executor, len(tasks), pool_s)
    identical = serial_bench.totals == pool_bench.totals

    with tempfile.TemporaryDirectory(prefix="splice-scale-") as tmp:
        root = Path(tmp)
        serial_rows, batch_serial_s = _batch(root, batch_tasks, ExecutorSpec(), "serial")
        add("scripted batch, serial", ExecutorInfo(kind="local"), batch_tasks, batch_serial_s)
        pool_rows, batch_pool_s = _batch(root, batch_tasks,
                                         ExecutorSpec(kind="local", workers=workers), "pool")
        add(f"scripted batch, local pool of {workers}",
            ExecutorInfo(kind="local", workers=workers), batch_tasks, batch_pool_s)
        batch_same = _same_rows(serial_rows, pool_rows)
        ray_noop = ray_batch = None
        if ray is not None:
            one = ray.model_copy(update={"workers": 1})
            runner = open_executor(one)
            try:
                list(runner.run(_noop, [0]))  # the first task starts a worker process
                _, noop_s = _timed(lambda: list(runner.run(_noop, list(range(50)))))
                info = runner.info
            finally:
                runner.close()
            add("ray, 50 no-op tasks one at a time", info, 50, noop_s)
            ray_noop = round(noop_s / 50, 4)
            ray_rows, ray_s = _batch(root, batch_tasks, one, "ray")
            add("scripted batch, ray with 1 worker", info, batch_tasks, ray_s)
            ray_batch = round((ray_s - batch_serial_s) / batch_tasks, 4)
            batch_same = batch_same and _same_rows(serial_rows, ray_rows)

    speedup = round(serial_s / pool_s, 3) if pool_s else 0.0
    targets = {f"local pool of {workers} >= 1.7x serial on the token replay": speedup >= 1.7,
               "identical results on every executor": identical and batch_same}
    if ray_noop is not None:
        targets["ray overhead per task <= 0.5 s"] = max(ray_noop, ray_batch or 0) <= 0.5
    return ScaleReport(command=command, cpus=os.cpu_count() or 0,
                       load_avg_1m=round(os.getloadavg()[0], 2), phases=phases,
                       replay_speedup=speedup, replay_identical=identical,
                       batch_identical=batch_same, ray_overhead_per_task_s=ray_noop,
                       ray_batch_overhead_per_task_s=ray_batch, targets=targets)


# The demo's fix without running the tests: search, a lazy edit, finish.
SCRIPTED_FIX: list[dict[str, Any]] = [
    {"content": [{"type": "tool_use", "name": "search",
                  "input": {"query": "Cart.total discount", "max_tokens": 800}}]},
    {"content": [{"type": "tool_use", "name": "edit", "input": {
        "path": "shop/cart.py", "instruction": "subtract the discount in total()",
        "edit": "# ... existing code ...\n    def total(self) -> int:\n"
                "        return self.subtotal() - self.discount()\n\n"
                "    def receipt(self) -> str:\n# ... existing code ...\n"}}]},
    {"content": [{"type": "tool_use", "name": "finish", "input": {"summary": "fixed"}}]},
]
