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
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import anyio
import anyio.to_thread
from pydantic import BaseModel

from splice.bench.search_large import LargeRepo, large_rows, measure_large
from splice.bench.tasks import Task, gold_files, gold_lines, load_tasks, resolve_repo
from splice.core.repo import STATE_DIR
from splice.core.spans import Span
from splice.scale.executor import Executor, ExecutorInfo
from splice.search import SearchRequest, search
from splice.search.index import forget_memory
from splice.search.store import index_dir
from splice.search.words import forget_shares


class TaskRow(BaseModel):
    instance_id: str
    gold_files: list[str]
    found_files: list[str]
    top1: bool
    top5: bool
    line_recall: float
    tokens: int
    cold_ms: float | None  # first search in this folder; None: an earlier task searched it
    warm_ms: float
    index_files: int
    first_index: str = ""  # the index state of that first search: cold, store, partial


class SplitFigures(BaseModel):
    """The quality figures of one half of the task set (dev or held-out)."""

    tasks: int
    acc_top1: float
    acc_top5: float
    line_recall: float


def split_of_task(instance_id: str) -> str:
    """The fixed split a task belongs to: SWE-bench ids (`owner__repo-N`) by
    splice.bench.swebench's rule (dev / check), the PyPI changelog tasks by
    splice.bench.taskset_pypi's (dev / held-out)."""
    if "__" in instance_id:
        from splice.bench import swebench
        return swebench.split_of(instance_id)
    from splice.bench import taskset_pypi
    return taskset_pypi.split_of(instance_id)


def split_figures(rows: list[TaskRow]) -> dict[str, SplitFigures]:
    """Figures per half of the task set (dev, and held-out or check)."""
    out = {}
    for name in ("dev", "held-out", "check"):
        part = [r for r in rows if split_of_task(r.instance_id) == name]
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
    cold_p50_ms: float  # first searches in a folder never indexed anywhere
    cold_p95_ms: float
    checkout_p50_ms: float = 0.0  # first searches in a new release of an indexed project
    checkouts: int = 0
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


@contextmanager
def bench_index_dir() -> Iterator[Path]:
    """A private index folder for a bench run (store.py reads SPLICE_INDEX_DIR): cold starts
    can then be timed by emptying it, without touching the user's index."""
    folder = Path(tempfile.mkdtemp(prefix="splice-bench-index-"))
    old = os.environ.get("SPLICE_INDEX_DIR")
    os.environ["SPLICE_INDEX_DIR"] = str(folder)
    try:
        yield folder
    finally:
        if old is None:
            os.environ.pop("SPLICE_INDEX_DIR", None)
        else:
            os.environ["SPLICE_INDEX_DIR"] = old
        shutil.rmtree(folder, ignore_errors=True)


def drop_index(root: Path) -> None:
    """Forget every index of `root`: in memory, the repo snapshot and the blob store of the
    bench's own index folder (never the user's: refused outside bench_index_dir)."""
    folder = index_dir()
    if not folder.name.startswith("splice-bench-index-"):
        raise RuntimeError("drop_index runs only inside bench_index_dir()")
    wait_for_completers(folder)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(root / STATE_DIR / "cache", ignore_errors=True)  # indexes of older versions
    forget_memory(root)
    forget_shares()


def wait_for_completers(folder: Path, timeout_s: float = 600.0) -> None:
    """Wait while a background completer (splice.search.complete) still writes into the
    index folder: a cold start timed after it must find nothing there."""
    deadline = time.monotonic() + timeout_s
    while any((folder / "repos").glob("*.lock")) and time.monotonic() < deadline:
        time.sleep(0.2)


async def run_task(query: str, root: Path, max_tokens: int, cold: bool = True,
                   drop: bool = True) -> tuple[list[Span], int, float | None, float, int, str]:
    """The task's search timed warm, and its first search in `root` first when `cold`:
    with `drop` after every index is dropped (never indexed anywhere), else with what the
    run indexed before (another release of the same project: a new checkout). Tasks that
    share a release share its index, so only the first of them times a first search."""
    cold_ms: float | None = None
    first = ""
    if cold:
        if drop:
            drop_index(root)
        t0 = time.perf_counter()
        got = await search(SearchRequest(query=query, repo=str(root), max_tokens=max_tokens))
        cold_ms = (time.perf_counter() - t0) * 1000
        first = got.stats.index
    forget_memory(root)  # warm = the on-disk index is current; loading it is timed
    t0 = time.perf_counter()
    result = await search(SearchRequest(query=query, repo=str(root), max_tokens=max_tokens))
    warm = (time.perf_counter() - t0) * 1000
    return result.spans, result.stats.tokens_returned, cold_ms, warm, result.stats.index_files, first


async def score_task(task: Task, repos: Path, max_tokens: int, cold: bool = True,
                     drop: bool = True) -> TaskRow:
    root = resolve_repo(task, repos).resolve()
    gold = gold_files(task.patch)
    spans, tokens, cold_ms, warm, index_files, first = await run_task(
        task.problem_statement, root, max_tokens, cold=cold, drop=drop)
    found = ordered_files(spans)
    return TaskRow(
        instance_id=task.instance_id, gold_files=gold, found_files=found[:5],
        top1=set(gold) <= set(found[:1]), top5=set(gold) <= set(found[:5]),
        line_recall=round(line_recall(spans, gold_lines(task.patch)), 3), tokens=tokens,
        cold_ms=None if cold_ms is None else round(cold_ms, 1), warm_ms=round(warm, 1),
        index_files=index_files, first_index=first)


class SearchJob(BaseModel):
    """The tasks of one repo, for one worker, in a private index folder of its own: the
    first task times a cold search, so two workers must never share a repo."""

    tasks: list[Task]
    repos: str
    max_tokens: int


def search_job(job: SearchJob) -> list[TaskRow]:
    async def rows() -> list[TaskRow]:
        with bench_index_dir():
            return [await score_task(t, Path(job.repos), job.max_tokens, cold=i == 0)
                    for i, t in enumerate(job.tasks)]
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
    with bench_index_dir():
        return await _run_bench(tasks_file, repos, max_tokens, large_repo, executor)


async def _run_bench(tasks_file: Path, repos: Path, max_tokens: int,
                     large_repo: Path | None, executor: Executor | None) -> SearchBench:
    tasks = load_tasks(tasks_file)
    rows: list[TaskRow] = []
    if executor is not None:
        rows = await anyio.to_thread.run_sync(_rows_on, executor, tasks, repos, max_tokens)
    seen: set[Path] = set()
    projects: set[str] = set()
    for task in tasks if executor is None else []:
        root = resolve_repo(task, repos).resolve()
        project = task.repo.split("@")[0]  # SWE-bench tasks name `owner/repo@version`
        rows.append(await score_task(task, repos, max_tokens, cold=root not in seen,
                                     drop=project not in projects))
        seen.add(root)
        projects.add(project)
    n = len(rows)
    colds = [r.cold_ms for r in rows if r.cold_ms is not None and r.first_index == "cold"]
    checkouts = [r.cold_ms for r in rows if r.cold_ms is not None and r.first_index != "cold"]
    return SearchBench(
        tasks=n, max_tokens=max_tokens,
        acc_top1=round(sum(r.top1 for r in rows) / n, 3),
        acc_top5=round(sum(r.top5 for r in rows) / n, 3),
        line_recall=round(statistics.mean(r.line_recall for r in rows), 3),
        tokens_mean=round(statistics.mean(r.tokens for r in rows), 1),
        cold_p50_ms=pct(colds, 0.5), cold_p95_ms=pct(colds, 0.95),
        checkout_p50_ms=pct(checkouts, 0.5), checkouts=len(checkouts),
        warm_p50_ms=pct([r.warm_ms for r in rows], 0.5), warm_p95_ms=pct([r.warm_ms for r in rows], 0.95),
        cpus=os.cpu_count() or 1, load_avg_1m=round(os.getloadavg()[0], 2),
        rows=rows, splits=split_figures(rows), large=await measure_large(large_repo, max_tokens, drop_index) if large_repo else None,
        executor=executor.info if executor else ExecutorInfo(kind="local"))


def table_rows(bench: SearchBench) -> list[tuple[str, str]]:
    rows = [("tasks", str(bench.tasks)), ("token budget", str(bench.max_tokens)),
            ("all gold files in top 1", f"{bench.acc_top1:.1%}"),
            ("all gold files in top 5", f"{bench.acc_top5:.1%}"),
            ("gold-line recall (mean)", f"{bench.line_recall:.1%}"),
            ("tokens returned (mean)", f"{bench.tokens_mean:.0f}"),
            ("latency cold index p50 / p95", f"{bench.cold_p50_ms:.0f} / {bench.cold_p95_ms:.0f} ms"),
            ("first search in another release (blob store) p50",
             f"{bench.checkout_p50_ms:.0f} ms ({bench.checkouts} releases)"),
            ("latency warm index p50 / p95", f"{bench.warm_p50_ms:.0f} / {bench.warm_p95_ms:.0f} ms"),
            ("machine", f"{bench.cpus} cpus, load {bench.load_avg_1m:.1f}")]
    for name, fig in bench.splits.items():
        rows.append((f"{name} ({fig.tasks} tasks): top 1 / top 5 / line recall",
                     f"{fig.acc_top1:.1%} / {fig.acc_top5:.1%} / {fig.line_recall:.1%}"))
    if bench.large:
        rows += large_rows(bench.large)
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
    right.hist([[r.cold_ms for r in bench.rows if r.cold_ms is not None],
                [r.warm_ms for r in bench.rows]], bins=15,
               label=["cold index", "warm index"])
    right.set_xlabel("latency (ms)")
    right.legend()
    right.set_title("latency per task")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
