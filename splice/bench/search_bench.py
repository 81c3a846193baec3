"""`splice bench search`: does the search worker find the files and lines a real fix touched?

For each SWE-bench-style task: file accuracy (all gold files among the first 1 and 5 files
of the answer, in span order), gold-line recall (share of the patch's pre-image lines the
spans cover), tokens returned, and latency with a cold index (cache deleted) and a warm one
(cache on disk, process warm). Optionally: warm latency and cold index build on a large repo.
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
from functools import partial
from pathlib import Path

import anyio
import anyio.to_thread
from pydantic import BaseModel

from splice.bench.tasks import Task, gold_files, gold_lines, load_tasks, resolve_repo
from splice.core.repo import STATE_DIR, Repo
from splice.core.spans import Span
from splice.core.syntax import EXTENSIONS
from splice.scale.executor import Executor, ExecutorInfo
from splice.search import SearchRequest, api, search
from splice.search.engine import Engine
from splice.search.index import build_index, forget_memory

LARGE_QUERIES = [
    "QuerySet.select_related() raises FieldError on a reverse one-to-one relation",
    "CSRF verification failed: CSRF token missing",
    'File "django/db/models/sql/query.py", line 1400, in build_filter',
    "migration autodetector renames a field and loses the db_column",
    "the admin changelist search_fields with a related lookup is slow",
    "ValueError: The 'image' attribute has no file associated with it.",
    "GenericForeignKey prefetch_related with a UUID primary key",
    "template filter date uses the wrong timezone when USE_TZ is set",
    "send_mail with a lazy translation string as subject fails",
    "get_or_create IntegrityError race condition in a transaction",
]


class TaskRow(BaseModel):
    instance_id: str
    gold_files: list[str]
    found_files: list[str]
    top1: bool
    top5: bool
    line_recall: float
    tokens: int
    cold_ms: float
    warm_ms: float
    index_files: int


class LargeRepo(BaseModel):
    path: str
    files: int
    lines: int  # every searched file
    code_lines: int  # files in a language the symbol index parses
    cold_index_ms: float
    warm_p50_ms: float  # index from disk, listing under a minute old (reused)
    warm_p95_ms: float
    fresh_p50_ms: float  # index from disk, repo listed and every file checked again
    fresh_p95_ms: float
    memory_p50_ms: float  # index already in memory (a long-lived agent or MCP server)
    queries: int
    load_avg_1m: float  # the machine's load while measuring: timings on a busy box run slow


class SplitFigures(BaseModel):
    """The quality figures of one half of the task set (dev or held-out)."""

    tasks: int
    acc_top1: float
    acc_top5: float
    line_recall: float


def split_figures(rows: list[TaskRow]) -> dict[str, SplitFigures]:
    """Dev and held-out figures (the fixed split of splice.bench.taskset_pypi)."""
    from splice.bench.taskset_pypi import SPLITS, split_of

    out = {}
    for name in SPLITS:
        part = [r for r in rows if split_of(r.instance_id) == name]
        if part:
            out[name] = SplitFigures(
                tasks=len(part), acc_top1=round(sum(r.top1 for r in part) / len(part), 3),
                acc_top5=round(sum(r.top5 for r in part) / len(part), 3),
                line_recall=round(statistics.mean(r.line_recall for r in part), 3))
    return out


class SearchBench(BaseModel):
    tasks: int
    max_tokens: int
    acc_top1: float
    acc_top5: float
    line_recall: float
    tokens_mean: float
    cold_p50_ms: float
    cold_p95_ms: float
    warm_p50_ms: float
    warm_p95_ms: float
    cpus: int
    load_avg_1m: float
    rows: list[TaskRow]
    splits: dict[str, SplitFigures] = {}
    large: LargeRepo | None = None
    executor: ExecutorInfo = ExecutorInfo(kind="local")


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 1)


def ordered_files(spans: list[Span]) -> list[str]:
    return list(dict.fromkeys(s.path for s in spans))


def line_recall(spans: list[Span], gold: dict[str, set[int]]) -> float:
    total = sum(len(v) for v in gold.values())
    if not total:
        return 0.0
    hit = sum(1 for path, lines in gold.items() for n in lines
              if any(s.path == path and s.start_line <= n <= s.end_line for s in spans))
    return hit / total


def drop_index(root: Path) -> None:
    shutil.rmtree(root / STATE_DIR / "cache", ignore_errors=True)
    forget_memory(root)


async def run_task(query: str, root: Path, max_tokens: int) -> tuple[list[Span], int, float, float, int]:
    drop_index(root)
    t0 = time.perf_counter()
    await search(SearchRequest(query=query, repo=str(root), max_tokens=max_tokens))
    cold = (time.perf_counter() - t0) * 1000
    forget_memory(root)  # warm = the on-disk index is current; loading it is timed
    t0 = time.perf_counter()
    result = await search(SearchRequest(query=query, repo=str(root), max_tokens=max_tokens))
    warm = (time.perf_counter() - t0) * 1000
    return result.spans, result.stats.tokens_returned, cold, warm, result.stats.index_files


async def score_task(task: Task, repos: Path, max_tokens: int) -> TaskRow:
    root = resolve_repo(task, repos).resolve()
    gold = gold_files(task.patch)
    spans, tokens, cold, warm, index_files = await run_task(task.problem_statement, root,
                                                           max_tokens)
    found = ordered_files(spans)
    return TaskRow(
        instance_id=task.instance_id, gold_files=gold, found_files=found[:5],
        top1=set(gold) <= set(found[:1]), top5=set(gold) <= set(found[:5]),
        line_recall=round(line_recall(spans, gold_lines(task.patch)), 3), tokens=tokens,
        cold_ms=round(cold, 1), warm_ms=round(warm, 1), index_files=index_files)


class SearchJob(BaseModel):
    """The tasks of one repo, for one worker: each task drops and rebuilds that repo's index
    to time a cold search, so two workers must never share a repo."""

    tasks: list[Task]
    repos: str
    max_tokens: int


def search_job(job: SearchJob) -> list[TaskRow]:
    async def rows() -> list[TaskRow]:
        return [await score_task(t, Path(job.repos), job.max_tokens) for t in job.tasks]
    return anyio.run(rows)


def _rows_on(executor: Executor, tasks: list[Task], repos: Path, max_tokens: int) -> list[TaskRow]:
    by_repo: dict[Path, list[Task]] = {}
    for task in tasks:
        by_repo.setdefault(resolve_repo(task, repos).resolve(), []).append(task)
    jobs = [SearchJob(tasks=group, repos=str(repos), max_tokens=max_tokens)
            for group in by_repo.values()]
    found: dict[str, TaskRow] = {}
    for i, value, error in executor.run(search_job, jobs):
        if error is not None:
            raise RuntimeError(f"searching {jobs[i].tasks[0].repo} failed in a worker: {error}")
        found.update({row.instance_id: row for row in value})
    return [found[t.instance_id] for t in tasks]


async def run_bench(tasks_file: Path, repos: Path, max_tokens: int = 4000,
                    large_repo: Path | None = None,
                    executor: Executor | None = None) -> SearchBench:
    tasks = load_tasks(tasks_file)
    if executor is None:
        rows = [await score_task(task, repos, max_tokens) for task in tasks]
    else:
        rows = await anyio.to_thread.run_sync(_rows_on, executor, tasks, repos, max_tokens)
    n = len(rows)
    return SearchBench(
        tasks=n, max_tokens=max_tokens,
        acc_top1=round(sum(r.top1 for r in rows) / n, 3),
        acc_top5=round(sum(r.top5 for r in rows) / n, 3),
        line_recall=round(statistics.mean(r.line_recall for r in rows), 3),
        tokens_mean=round(statistics.mean(r.tokens for r in rows), 1),
        cold_p50_ms=pct([r.cold_ms for r in rows], 0.5), cold_p95_ms=pct([r.cold_ms for r in rows], 0.95),
        warm_p50_ms=pct([r.warm_ms for r in rows], 0.5), warm_p95_ms=pct([r.warm_ms for r in rows], 0.95),
        cpus=os.cpu_count() or 1, load_avg_1m=round(os.getloadavg()[0], 2),
        rows=rows, splits=split_figures(rows), large=await measure_large(large_repo, max_tokens) if large_repo else None,
        executor=executor.info if executor else ExecutorInfo(kind="local"))


async def measure_large(root: Path, max_tokens: int, rounds: int = 3) -> LargeRepo:
    """Cold index build time, then warm and in-memory latency over LARGE_QUERIES."""
    root = root.resolve()
    repo = Repo(root)
    files = await Engine(repo).files()
    lines = code_lines = 0
    for rel in files:
        try:
            with open(root / rel, "rb") as fh:
                n = sum(block.count(b"\n") for block in iter(partial(fh.read, 1 << 20), b""))
        except OSError:
            continue
        lines += n
        code_lines += n if os.path.splitext(rel)[1] in EXTENSIONS else 0
    drop_index(root)
    t0 = time.perf_counter()
    await build_index(repo, files)
    cold_index = (time.perf_counter() - t0) * 1000
    warm: list[float] = []
    fresh: list[float] = []
    memory: list[float] = []

    async def timed(query: str) -> float:
        t0 = time.perf_counter()
        await search(SearchRequest(query=query, repo=str(root), max_tokens=max_tokens))
        return (time.perf_counter() - t0) * 1000

    keep = api.LISTING_MAX_AGE_S
    try:
        for _ in range(rounds):
            for query in LARGE_QUERIES:
                api.LISTING_MAX_AGE_S = 0.0  # list the repo and check every file again
                forget_memory(root)
                fresh.append(await timed(query))
                api.LISTING_MAX_AGE_S = keep  # the listing just made is reused
                forget_memory(root)
                warm.append(await timed(query))
                memory.append(await timed(query))
    finally:
        api.LISTING_MAX_AGE_S = keep
    return LargeRepo(path=str(root), files=len(files), lines=lines, code_lines=code_lines,
                     cold_index_ms=round(cold_index, 1), warm_p50_ms=pct(warm, 0.5),
                     warm_p95_ms=pct(warm, 0.95), memory_p50_ms=pct(memory, 0.5),
                     fresh_p50_ms=pct(fresh, 0.5), fresh_p95_ms=pct(fresh, 0.95),
                     queries=len(warm), load_avg_1m=round(os.getloadavg()[0], 2))


def table_rows(bench: SearchBench) -> list[tuple[str, str]]:
    rows = [("tasks", str(bench.tasks)), ("token budget", str(bench.max_tokens)),
            ("all gold files in top 1", f"{bench.acc_top1:.1%}"),
            ("all gold files in top 5", f"{bench.acc_top5:.1%}"),
            ("gold-line recall (mean)", f"{bench.line_recall:.1%}"),
            ("tokens returned (mean)", f"{bench.tokens_mean:.0f}"),
            ("latency cold index p50 / p95", f"{bench.cold_p50_ms:.0f} / {bench.cold_p95_ms:.0f} ms"),
            ("latency warm index p50 / p95", f"{bench.warm_p50_ms:.0f} / {bench.warm_p95_ms:.0f} ms"),
            ("machine", f"{bench.cpus} cpus, load {bench.load_avg_1m:.1f}")]
    for name, fig in bench.splits.items():
        rows.append((f"{name} ({fig.tasks} tasks): top 1 / top 5 / line recall",
                     f"{fig.acc_top1:.1%} / {fig.acc_top5:.1%} / {fig.line_recall:.1%}"))
    if bench.large:
        lg = bench.large
        rows += [("large repo", f"{Path(lg.path).name}: {lg.files} files, {lg.lines:,} lines "
                                f"({lg.code_lines:,} in parsed languages)"),
                 ("large: cold index build", f"{lg.cold_index_ms:.0f} ms"),
                 ("large: warm p50 / p95", f"{lg.warm_p50_ms:.0f} / {lg.warm_p95_ms:.0f} ms "
                                           f"({lg.queries} queries)"),
                 ("large: warm, fresh listing p50 / p95",
                  f"{lg.fresh_p50_ms:.0f} / {lg.fresh_p95_ms:.0f} ms"),
                 ("large: in-memory index p50", f"{lg.memory_p50_ms:.0f} ms"),
                 ("large: machine load", f"{lg.load_avg_1m:.1f}")]
    return rows


def plot(bench: SearchBench, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    names = ["top-1 files", "top-5 files", "line recall"]
    values = [bench.acc_top1, bench.acc_top5, bench.line_recall]
    left.bar(names, values, color=["#6a9fd4", "#2f6fb0", "#8cc084"])
    left.axhline(0.7, color="grey", linestyle="--", linewidth=1)
    left.set_ylim(0, 1)
    left.set_title(f"search quality, {bench.tasks} tasks, {bench.max_tokens} tokens")
    right.hist([[r.cold_ms for r in bench.rows], [r.warm_ms for r in bench.rows]], bins=15,
               label=["cold index", "warm index"])
    right.set_xlabel("latency (ms)")
    right.legend()
    right.set_title("latency per task")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
