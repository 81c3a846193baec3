"""`splice bench compact`: token ratio, gold-line retention and throughput on real inputs.

Code: pinned PyPI patch releases. The query is the release's changelog section (written
by the maintainers, never derived from the diff); the gold lines are the lines of the
old file that the release changed (`gold_lines` of the real diff, version bumps left out
as in the search task set). With --tasks/--repos,
SWE-bench-style tasks instead: query = problem statement, gold = the patch's lines.
Test output: real runners (splice.bench.compact_test_runs): attrs 23.1.0's own suite under
pytest with a bug put in a temp copy, `cargo test` and `node --test` on small failing
projects; gold = each runner's failure lines (assertions, panics, `not ok`) and summary.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field

from splice.bench.compact_sets import (
    changelog_section,
    floor_seconds,
    release_diff,
    swebench_inputs,
    tokenizer_seconds,
    tool_inputs,
)
from splice.bench.compact_test_runs import GOLD_TEST_LINE, real_test_outputs
from splice.bench.tasks import gold_lines, load_tasks, resolve_repo
from splice.compact import CompactRequest, CompactResult, compact_sync
from splice.compact.tooloutput import clean_line
from splice.core.errors import InvalidRequest
from splice.scale.executor import Executor, ExecutorInfo

# (package, old, new, changelog file, files the release changed for its entries).
# DEV_PAIRS were looked at while the scoring was tuned; HELD_OUT_PAIRS were added after
# tuning stopped and never tuned on, so they say how the heuristics generalise.
DEV_PAIRS: list[tuple[str, str, str, str, list[str]]] = [
    ("idna", "3.6", "3.7", "HISTORY.rst", ["idna/core.py"]),
    ("werkzeug", "3.0.5", "3.0.6", "CHANGES.rst",
     ["src/werkzeug/formparser.py", "src/werkzeug/sansio/multipart.py",
      "src/werkzeug/security.py"]),
    ("click", "8.1.6", "8.1.7", "CHANGES.rst", ["src/click/shell_completion.py"]),
    ("markupsafe", "2.1.3", "2.1.4", "CHANGES.rst", ["src/markupsafe/__init__.py"]),
    ("flask", "3.0.1", "3.0.2", "CHANGES.rst", ["src/flask/cli.py", "src/flask/sansio/scaffold.py"]),
    ("urllib3", "2.2.1", "2.2.2", "CHANGES.rst",
     ["src/urllib3/util/retry.py", "src/urllib3/response.py"]),
]
HELD_OUT_PAIRS: list[tuple[str, str, str, str, list[str]]] = [
    ("click", "8.1.5", "8.1.6", "CHANGES.rst", ["src/click/decorators.py"]),
    ("werkzeug", "3.0.3", "3.0.4", "CHANGES.rst",
     ["src/werkzeug/formparser.py", "src/werkzeug/http.py", "src/werkzeug/debug/__init__.py",
      "src/werkzeug/serving.py"]),
    ("markupsafe", "2.1.4", "2.1.5", "CHANGES.rst", ["src/markupsafe/__init__.py"]),
    ("idna", "3.7", "3.8", "HISTORY.rst", ["idna/core.py"]),
    ("requests", "2.32.2", "2.32.3", "HISTORY.md", ["src/requests/adapters.py"]),
    ("flask", "3.0.2", "3.0.3", "CHANGES.rst", ["src/flask/app.py", "src/flask/sansio/scaffold.py"]),
]
CODE_PAIRS = DEV_PAIRS + HELD_OUT_PAIRS
class Case(BaseModel):
    name: str
    kind: str
    split: str = Field(default="", description="dev (tuned on), held-out, tasks or tests")
    query: str
    tokens_before: int
    tokens_after: int
    ratio: float
    gold_lines: int
    gold_kept: int
    retention: float | None
    seconds: float = Field(description="median wall time of one compaction")
    tokens_per_s: float
    cpu_seconds: float = Field(description="median CPU time of one compaction, all threads")
    tokens_per_cpu_s: float
    thread_cpu_seconds: float = Field(
        default=0.0, description="median CPU time of the calling thread (the encoder runs "
        "beside it): about the wall time when a second core is free")
    tokens_per_thread_cpu_s: float = 0.0
    tokenizer_seconds: float = Field(
        default=0.0, description="median wall time of a plain cl100k encode of the input")
    vs_tokenizer: float = Field(
        default=0.0, description="compaction's speed / the plain tokenizer's, same run")
    parse_seconds: float = Field(default=0.0, description="median tree-sitter parse (code)")
    scan_seconds: float = Field(default=0.0, description="median scan per query term (code)")


class Summary(BaseModel):
    code_cases: int
    code_tokens_before: int
    code_tokens_after: int
    code_ratio: float
    code_reduction: float
    code_gold_retention: float
    code_retention_by_split: dict[str, float] = Field(default_factory=dict)
    code_ratio_by_split: dict[str, float] = Field(default_factory=dict)
    code_macro_retention_by_split: dict[str, float] = Field(
        default_factory=dict, description="mean of per-file retention: big diffs weigh less")
    code_files_all_kept_by_split: dict[str, str] = Field(
        default_factory=dict, description="files that keep every gold line / files")
    test_cases: int
    test_ratio: float | None
    test_gold_retention: float | None
    median_tokens_per_s: float
    median_tokens_per_cpu_s: float
    median_tokens_per_thread_cpu_s: float = 0.0
    median_tokenizer_tokens_per_s: float = Field(
        default=0.0, description="a plain cl100k encode of the same inputs, same run")
    median_vs_tokenizer: float = Field(
        default=0.0, description="median over inputs of compaction speed / tokenizer speed")
    median_floor_vs_tokenizer: float = Field(
        default=0.0, description="code: median of tokenizer time / (parse + term scan) time, "
        "the most compaction's speed can be as a multiple of the tokenizer's")
    median_parse_vs_tokenizer: float = Field(
        default=0.0, description="code: median of tokenizer time / parse time")
    tool_ratio_by_kind: dict[str, float] = Field(default_factory=dict)
    tool_retention_by_kind: dict[str, float] = Field(default_factory=dict)
    tool_ratio: float | None = None
    tool_gold_retention: float | None = None
    load_average: float = Field(description="1-minute load average when the run ended")
    meets_code_target: bool = Field(description="<= half the tokens at >= 90% gold retention")
    meets_tool_target: bool = Field(
        default=False, description=">= 10 kinds, every gold line kept, <= 30% of the tokens")
    meets_speed_target: bool = Field(description="median >= 1,000,000 tokens/s")


class CompactBenchReport(BaseModel):
    created: str
    python: str
    machine: str
    ratio: float | None
    repeat: int
    cases: list[Case]
    summary: Summary
    skipped: list[str] = Field(default_factory=list, description="runners not installed")
    executor: ExecutorInfo = Field(default_factory=lambda: ExecutorInfo(kind="local"))


class BenchOptions(BaseModel):
    tasks: str | None = None
    repos: str | None = None
    code: str = Field(default="swebench", description="swebench | builtin | none")
    swebench_split: str = "all"
    ratio: float | None = None
    repeat: int = 5
    tools: bool = True
    tools_dir: str | None = None
    test_output: bool = False


def _timed(request: CompactRequest, repeat: int) -> tuple[CompactResult, float, float, float]:
    """Median wall time, median CPU time (all threads of this process) and median CPU
    time of the calling thread, of one call."""
    compact_sync(request)  # warm: grammar, tokenizer, query compiled once per process
    walls, cpus, mains = [], [], []
    result = None
    for _ in range(max(repeat, 1)):
        main, cpu, start = time.thread_time(), time.process_time(), time.perf_counter()
        result = compact_sync(request)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        mains.append(time.thread_time() - main)
    assert result is not None
    return result, statistics.median(walls), statistics.median(cpus), statistics.median(mains)


def _case(name: str, request: CompactRequest, gold: set[int], repeat: int,
          split: str = "") -> Case:
    result, seconds, cpu, main = _timed(request, repeat)
    text = request.text or ""
    plain = tokenizer_seconds(text, repeat) if text else 0.0
    parse, scan = floor_seconds(request, repeat) if result.kind == "code" else (0.0, 0.0)
    kept = {n for a, b in result.kept_ranges for n in range(a, b + 1)}
    hit = len(gold & kept)
    return Case(name=name, kind=result.kind, split=split, query=request.query[:200],
                tokens_before=result.tokens_before, tokens_after=result.tokens_after,
                ratio=round(result.ratio, 4), gold_lines=len(gold), gold_kept=hit,
                retention=round(hit / len(gold), 4) if gold else None,
                seconds=seconds, tokens_per_s=round(result.tokens_before / seconds),
                cpu_seconds=cpu,
                tokens_per_cpu_s=round(result.tokens_before / cpu) if cpu > 0 else 0,
                thread_cpu_seconds=main,
                tokens_per_thread_cpu_s=round(result.tokens_before / main) if main > 0 else 0,
                tokenizer_seconds=plain,
                vs_tokenizer=round(plain / seconds, 4) if seconds > 0 else 0.0,
                parse_seconds=parse, scan_seconds=scan)


def builtin_code_inputs() -> Iterator[tuple[str, str, str, str, str, set[int]]]:
    """(split, label, path, old text, query, gold lines) of every built-in code case."""
    from splice.bench.corpus import fetch_sdist

    held_out = {(p[0], p[1]) for p in HELD_OUT_PAIRS}
    from splice.bench.progress import track

    for name, old, new, changelog, files in track(CODE_PAIRS, "code pairs (PyPI sdists)"):
        split = "held-out" if (name, old) in held_out else "dev"
        old_dir, new_dir = fetch_sdist(name, old), fetch_sdist(name, new)
        query = changelog_section((new_dir / changelog).read_text(encoding="utf-8"), new)
        for path in files:
            before = (old_dir / path).read_text(encoding="utf-8")
            after = (new_dir / path).read_text(encoding="utf-8")
            gold = gold_lines(release_diff(before, after, path)).get(path, set())
            yield split, f"{name} {old}->{new} {path}", path, before, query, gold


class CaseJob(BaseModel):
    """One input to measure, picklable for a pool process or a Ray worker."""

    name: str
    request: CompactRequest
    gold: set[int]
    repeat: int
    split: str = ""


def case_job(job: CaseJob) -> Case:
    return _case(job.name, job.request, job.gold, job.repeat, job.split)


def measure(jobs: list[CaseJob], executor: Executor | None = None) -> list[Case]:
    """Every job's Case in job order: here, or on the executor's workers (whose timings
    then share the machine with each other: measure speed with one worker)."""
    if executor is None:
        return [case_job(job) for job in jobs]
    cases: list[Case | None] = [None] * len(jobs)
    for i, value, error in executor.run(case_job, jobs):
        if error is not None:
            raise InvalidRequest(f"compact case {jobs[i].name} failed in a worker: {error}")
        cases[i] = value
    return [c for c in cases if c is not None]


def pypi_code_cases(ratio: float | None, repeat: int,
                    executor: Executor | None = None) -> list[Case]:
    return measure([CaseJob(name=label, request=CompactRequest(text=before, query=query,
                                                               ratio=ratio, path=path),
                            gold=gold, repeat=repeat, split=split)
                    for split, label, path, before, query, gold in builtin_code_inputs()],
                   executor)


# Tasks of the search task set (splice.bench.taskset_pypi) looked at and tuned on in the
# second round of tuning; every other task that is not a built-in release is "fresh".
DEV2_TASKS = frozenset("""
flask-2.3.1 flask-2.3.2 flask-2.3.3 werkzeug-3.0.1 jinja2-3.1.1 jinja2-3.1.2 markupsafe-2.1.2
markupsafe-2.1.3 requests-2.32.2 sqlparse-0.4.4 marshmallow-3.21.1 marshmallow-3.21.3
tomlkit-0.12.4
""".split())


def task_split(instance_id: str) -> str:
    """dev / held-out when a task is one of the built-in releases (`name-newversion`),
    dev2 when tuned on in the second round, else fresh (never looked at while tuning)."""
    for split, pairs in (("dev", DEV_PAIRS), ("held-out", HELD_OUT_PAIRS)):
        if any(instance_id == f"{name}-{new}" for name, _old, new, _c, _f in pairs):
            return split
    return "dev2" if instance_id in DEV2_TASKS else "fresh"


def task_code_cases(tasks_file: str, repos: str, ratio: float | None, repeat: int,
                    executor: Executor | None = None) -> list[Case]:
    from splice.bench.progress import track

    jobs = []
    for task in track(load_tasks(tasks_file), "tasks"):
        root = resolve_repo(task, repos)
        for path, gold in gold_lines(task.patch).items():
            file = root / path
            if not file.is_file():
                continue
            text = file.read_text(encoding="utf-8", errors="replace")
            request = CompactRequest(text=text, query=task.problem_statement, ratio=ratio,
                                     path=path)
            jobs.append(CaseJob(name=f"{task.instance_id} {path}", request=request, gold=gold,
                                repeat=repeat, split=task_split(task.instance_id)))
    if not jobs:
        raise InvalidRequest(f"{tasks_file}: no task file was found under {repos}")
    return measure(jobs, executor)


def test_output_cases(repeat: int) -> tuple[list[Case], list[str]]:
    from splice.bench.corpus import fetch_sdist

    outputs, skipped = real_test_outputs(fetch_sdist("attrs", "23.1.0"))
    cases = []
    from splice.bench.progress import track

    for name, output in track(outputs, "test outputs"):
        gold = {n for n, line in enumerate(output.splitlines(), 1)
                if GOLD_TEST_LINE.search(clean_line(line, 10**9))}
        request = CompactRequest(text=output, query="")
        cases.append(_case(name, request, gold, repeat, "tests"))
    return cases, skipped


def summarize(cases: list[Case]) -> Summary:
    code = [c for c in cases if c.kind == "code"]
    tests = [c for c in cases if c.split == "tests"]
    tools = [c for c in cases if c.split == "tools"]
    before = sum(c.tokens_before for c in code)
    after = sum(c.tokens_after for c in code)
    gold = sum(c.gold_lines for c in code)
    kept = sum(c.gold_kept for c in code)
    t_before = sum(c.tokens_before for c in tests)
    t_gold = sum(c.gold_lines for c in tests)
    ratio = after / before if before else 1.0
    retention = kept / gold if gold else 1.0
    speed = statistics.median(c.tokens_per_s for c in cases) if cases else 0.0
    by_split: dict[str, list[Case]] = {}
    for c in code:
        by_split.setdefault(c.split or "code", []).append(c)
    split_retention = {k: round(sum(c.gold_kept for c in v) / max(sum(c.gold_lines for c in v), 1), 4)
                       for k, v in by_split.items()}
    split_ratio = {k: round(sum(c.tokens_after for c in v) / max(sum(c.tokens_before for c in v), 1), 4)
                   for k, v in by_split.items()}
    scored = {k: [c.retention for c in v if c.retention is not None] for k, v in by_split.items()}
    macro = {k: round(statistics.mean(v), 4) for k, v in scored.items() if v}
    whole = {k: f"{sum(1 for r in v if r >= 1.0)}/{len(v)}" for k, v in scored.items()}
    tool_before = sum(c.tokens_before for c in tools)
    tool_gold = sum(c.gold_lines for c in tools)
    tool_ratio = sum(c.tokens_after for c in tools) / tool_before if tool_before else None
    tool_retention = sum(c.gold_kept for c in tools) / tool_gold if tool_gold else None
    plain = [c.tokens_before / c.tokenizer_seconds for c in cases if c.tokenizer_seconds > 0]
    parsed = [c for c in code if c.parse_seconds > 0]
    return Summary(
        tool_ratio_by_kind={c.name: c.ratio for c in tools},
        tool_retention_by_kind={c.name: c.retention or 0.0 for c in tools},
        tool_ratio=round(tool_ratio, 4) if tool_ratio is not None else None,
        tool_gold_retention=round(tool_retention, 4) if tool_retention is not None else None,
        meets_tool_target=len(tools) >= 10 and tool_retention == 1.0
        and tool_ratio is not None and tool_ratio <= 0.3,
        median_tokenizer_tokens_per_s=round(statistics.median(plain)) if plain else 0,
        median_vs_tokenizer=round(statistics.median(c.vs_tokenizer for c in cases), 4)
        if cases else 0.0,
        median_floor_vs_tokenizer=round(statistics.median(
            c.tokenizer_seconds / (c.parse_seconds + c.scan_seconds) for c in parsed), 4)
        if parsed else 0.0,
        median_parse_vs_tokenizer=round(statistics.median(
            c.tokenizer_seconds / c.parse_seconds for c in parsed), 4) if parsed else 0.0,
        code_retention_by_split=split_retention, code_ratio_by_split=split_ratio,
        code_macro_retention_by_split=macro, code_files_all_kept_by_split=whole,
        code_cases=len(code), code_tokens_before=before, code_tokens_after=after,
        code_ratio=round(ratio, 4), code_reduction=round(1 / ratio, 2) if ratio else 0.0,
        code_gold_retention=round(retention, 4), test_cases=len(tests),
        test_ratio=round(sum(c.tokens_after for c in tests) / t_before, 4) if t_before else None,
        test_gold_retention=round(sum(c.gold_kept for c in tests) / t_gold, 4) if t_gold else None,
        median_tokens_per_s=round(speed),
        median_tokens_per_cpu_s=round(statistics.median(c.tokens_per_cpu_s for c in cases))
        if cases else 0,
        median_tokens_per_thread_cpu_s=round(
            statistics.median(c.tokens_per_thread_cpu_s for c in cases)) if cases else 0,
        load_average=round(os.getloadavg()[0], 2),
        meets_code_target=bool(code) and ratio <= 0.5 and retention >= 0.9,
        meets_speed_target=speed >= 1_000_000)


def run_bench(options: BenchOptions, progress: Callable[[str], None] | None = None,
              executor: Executor | None = None) -> CompactBenchReport:
    if options.ratio is not None and not 0 < options.ratio <= 1:
        raise InvalidRequest(f"--ratio {options.ratio} is outside (0, 1]")
    cases: list[Case] = []
    if options.tasks and options.repos:
        cases = task_code_cases(options.tasks, options.repos, options.ratio, options.repeat,
                                executor)
    elif options.code == "builtin":
        cases = pypi_code_cases(options.ratio, options.repeat, executor)
    elif options.code == "swebench":
        inputs = swebench_inputs(options.swebench_split, options.ratio)
        cases = [_case(name, request, gold, options.repeat, split)
                 for name, split, request, gold in inputs]
    elif options.code != "none":
        raise InvalidRequest(f"--code {options.code!r}: use swebench, builtin or none")
    if options.tools:
        inputs = tool_inputs(Path(options.tools_dir)) if options.tools_dir else tool_inputs()
        cases += [_case(name, request, gold, options.repeat, split)
                  for name, split, request, gold in inputs]
    skipped: list[str] = []
    if options.test_output:
        test_cases, skipped = test_output_cases(options.repeat)
        cases += test_cases
    return CompactBenchReport(
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        python=platform.python_version(), machine=f"{platform.machine()} {platform.system()}",
        ratio=options.ratio, repeat=options.repeat, cases=cases, summary=summarize(cases),
        skipped=skipped, executor=executor.info if executor else ExecutorInfo(kind="local"))
