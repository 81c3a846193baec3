"""`splice bench apply`: how often the apply engine merges real edits exactly, and how fast.

Cases come from apply_corpus (real version pairs) through apply_cases (edits written
the way models write them). Each case is scored:

- exact: the merged text equals the new release's file;
- refused: the engine raised an ApplyError (acceptable: the model is told and retries);
- wrong: the engine returned a different text (the worst outcome: a silent corruption);
- crash: any other exception (a bug in the engine).

Throughput is tokens of the merged file per second of merge wall time, per case.
"""

from __future__ import annotations

import contextlib
import difflib
import random
import signal
import statistics
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field

from splice.bench.apply_cases import VARIANTS, Case, make_cases, variant_format
from splice.bench.apply_corpus import ChangedFile
from splice.core.errors import ApplyError
from splice.core.tokens import count_tokens
from splice.scale.executor import Executor, ExecutorInfo

Outcome = Literal["exact", "refused", "wrong", "crash"]
# (original, edit, fmt, path) -> merged text; raises ApplyError to refuse.
MergeFn = Callable[[str, str, str, str], str]

EXAMPLES_PER_KIND = 3
EXAMPLE_CHARS = 2500
CASE_TIMEOUT_S = 10.0


class CaseTimeout(Exception):
    """A merge ran past the per-case limit (counted as a crash: the engine hung)."""


@contextlib.contextmanager
def _deadline(seconds: float | None) -> Iterator[None]:
    """Interrupt the block after `seconds` (SIGALRM; only on the main thread, else no limit)."""
    usable = (hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not seconds or not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise CaseTimeout(f"merge took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def engine_merge(force_auto: bool = False) -> MergeFn:
    """The real engine, splice.apply.merge (imported here: the harness works without it)."""
    from splice.apply import merge

    def run(original: str, edit: str, fmt: str, path: str) -> str:
        return merge(original, edit, fmt="auto" if force_auto else fmt, path=path).text

    return run


class CaseResult(BaseModel):
    id: str
    package: str
    path: str
    language: str
    variant: str
    fmt: str
    outcome: Outcome
    seconds: float  # fastest of the timed runs
    first_seconds: float | None = None  # the first run alone (what one real edit costs)
    tokens: int = 0
    error: str | None = None
    message: str | None = None

    @property
    def tokens_per_second(self) -> float | None:
        if self.outcome not in ("exact", "wrong") or self.seconds <= 0:
            return None
        return self.tokens / self.seconds

    @property
    def first_run_tokens_per_second(self) -> float | None:
        if self.tokens_per_second is None or not self.first_seconds:
            return None
        return self.tokens / self.first_seconds


class Example(BaseModel):
    """A failing case kept for debugging: the edit and what went wrong."""

    id: str
    outcome: Outcome
    error: str | None
    message: str | None
    edit: str
    diff_expected_vs_got: str | None = None


def _clip(text: str, limit: int = EXAMPLE_CHARS) -> str:
    return text if len(text) <= limit else text[:limit] + f"\n[... {len(text) - limit} more chars]"


def score_case(case: Case, merge_fn: MergeFn, timeout: float | None = CASE_TIMEOUT_S,
               repeat: int = 1) -> tuple[CaseResult, str | None]:
    """Run one case; the result plus the merged text (None when there was none).

    A successful merge is timed `repeat` times and the fastest run kept (as timeit does):
    the other helpers' load on a shared machine only ever slows a run down.
    """
    base: dict[str, Any] = dict(id=case.id, package=case.package, path=case.path,
                                language=case.language, variant=case.variant, fmt=case.fmt)
    start = time.perf_counter()
    try:
        with _deadline(timeout):
            text = merge_fn(case.original, case.edit, case.fmt, case.path)
    except ApplyError as exc:
        return CaseResult(**base, outcome="refused", seconds=time.perf_counter() - start,
                          error=type(exc).__name__, message=str(exc)[:500]), None
    except Exception as exc:  # noqa: BLE001 - any other exception is an engine bug: count it
        return CaseResult(**base, outcome="crash", seconds=time.perf_counter() - start,
                          error=type(exc).__name__, message=repr(exc)[:500]), None
    seconds = first = time.perf_counter() - start
    for _ in range(repeat - 1):
        again = time.perf_counter()
        merge_fn(case.original, case.edit, case.fmt, case.path)
        seconds = min(seconds, time.perf_counter() - again)
    outcome: Outcome = "exact" if text == case.expected else "wrong"
    return CaseResult(**base, outcome=outcome, seconds=seconds, first_seconds=first,
                      tokens=count_tokens(text)), text


def example_for(case: Case, result: CaseResult, got: str | None) -> Example:
    diff = None
    if got is not None:
        diff = "".join(difflib.unified_diff(case.expected.splitlines(keepends=True),
                                            got.splitlines(keepends=True),
                                            "expected", "got", n=2))
        diff = _clip(diff)
    return Example(id=case.id, outcome=result.outcome, error=result.error,
                   message=result.message, edit=_clip(case.edit), diff_expected_vs_got=diff)


def select_variants(formats: Iterable[str] | None) -> tuple[str, ...]:
    """Variants for the given formats or variant names (all when None)."""
    if not formats:
        return VARIANTS
    wanted = {f.strip() for f in formats if f.strip()}
    unknown = wanted - set(VARIANTS) - {variant_format(v) for v in VARIANTS}
    if unknown:
        raise ValueError(f"unknown format(s): {', '.join(sorted(unknown))}; known: "
                         f"lazy, search_replace, udiff, patch, whole, {', '.join(VARIANTS[:4])}")
    return tuple(v for v in VARIANTS if v in wanted or variant_format(v) in wanted)


def build_cases(files: Sequence[ChangedFile], *, seed: int, variants: tuple[str, ...],
                max_cases: int | None = None) -> list[Case]:
    """All variants of each file; with max_cases, whole files in a seeded order until full."""
    order = list(files)
    if max_cases is not None:
        random.Random(seed).shuffle(order)
    cases: list[Case] = []
    for file in order:
        if max_cases is not None and len(cases) >= max_cases:
            break
        cases.extend(make_cases(file, seed, variants))
    return cases if max_cases is None else cases[:max_cases]


class Stats(BaseModel):
    """Outcome rates and throughput for one slice of the cases (a variant, format, language)."""

    name: str
    cases: int
    exact: int
    refused: int
    wrong: int
    crash: int
    exact_pct: float
    refused_pct: float
    wrong_pct: float
    crash_pct: float
    median_tokens_per_s: float | None
    p10_tokens_per_s: float | None
    median_first_run_tokens_per_s: float | None = None


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def stats(name: str, results: Sequence[CaseResult]) -> Stats:
    n = len(results)
    counts = {k: sum(1 for r in results if r.outcome == k)
              for k in ("exact", "refused", "wrong", "crash")}
    speeds = [s for r in results if (s := r.tokens_per_second) is not None]
    firsts = [s for r in results if (s := r.first_run_tokens_per_second) is not None]

    def pct(k: str) -> float:
        return 100.0 * counts[k] / n if n else 0.0

    return Stats(name=name, cases=n, **counts, exact_pct=pct("exact"),
                 refused_pct=pct("refused"), wrong_pct=pct("wrong"), crash_pct=pct("crash"),
                 median_tokens_per_s=statistics.median(speeds) if speeds else None,
                 p10_tokens_per_s=_percentile(speeds, 0.10) if speeds else None,
                 median_first_run_tokens_per_s=statistics.median(firsts) if firsts else None)


def grouped(results: Sequence[CaseResult], key: Callable[[CaseResult], str],
            order: Sequence[str] | None = None) -> list[Stats]:
    groups: dict[str, list[CaseResult]] = {}
    for r in results:
        groups.setdefault(key(r), []).append(r)
    names = [n for n in order if n in groups] if order else sorted(groups)
    return [stats(name, groups[name]) for name in names]


class Target(BaseModel):
    name: str
    goal: str
    measured: str
    met: bool | None  # None: not measured in this run


def _rate_target(name: str, results: Sequence[CaseResult], variants: set[str],
                 goal_pct: float) -> Target:
    subset = [r for r in results if r.variant in variants]
    if not subset:
        return Target(name=name, goal=f">= {goal_pct}% exact", measured="not run", met=None)
    exact = stats(name, subset).exact_pct
    return Target(name=name, goal=f">= {goal_pct}% exact",
                  measured=f"{exact:.2f}% of {len(subset)}", met=exact >= goal_pct)


def targets(results: Sequence[CaseResult]) -> list[Target]:
    """The issue's targets, checked against this run."""
    out = [
        _rate_target("lazy, >= 2 context lines", results, {"lazy-2", "lazy-3"}, 99.0),
        _rate_target("search_replace", results, {"search_replace"}, 99.5),
        _rate_target("udiff", results, {"udiff"}, 99.5),
        _rate_target("patch", results, {"patch"}, 99.5),
    ]
    overall = stats("all", results)
    out.append(Target(name="wrong merges, all cases", goal="< 0.1%",
                      measured=f"{overall.wrong_pct:.3f}% ({overall.wrong} of {overall.cases})",
                      met=overall.wrong_pct < 0.1 if results else None))
    # Judged on the first run of each merge (one real edit), the slower of the two figures.
    first, best = overall.median_first_run_tokens_per_s, overall.median_tokens_per_s
    measured = ("no merges" if first is None or best is None else
                f"{first:,.0f} tokens/s first run ({best:,.0f} best of repeats)")
    out.append(Target(name="median throughput", goal=">= 1,000,000 tokens/s",
                      measured=measured, met=None if first is None else first >= 1_000_000))
    return out


class ApplyBenchReport(BaseModel):
    """Everything one run measured; written as results.json."""

    command: str
    seed: int
    auto_format: bool
    repeat: int
    packages: list[str]
    files: int
    cases: int
    seconds: float
    overall: Stats
    by_variant: list[Stats]
    by_format: list[Stats]
    by_language: list[Stats]
    targets: list[Target]
    examples: list[Example]
    results: list[CaseResult]
    executor: ExecutorInfo = Field(default_factory=lambda: ExecutorInfo(kind="local"))


class ScoreJob(BaseModel):
    """A slice of the cases for one worker (a pool process or a Ray task)."""

    cases: list[Case]
    auto_format: bool
    timeout: float | None
    repeat: int


def score_job(job: ScoreJob) -> list[tuple[CaseResult, str | None]]:
    merge_fn = engine_merge(force_auto=job.auto_format)
    return [score_case(c, merge_fn, job.timeout, job.repeat) for c in job.cases]


def _score_all(cases: Sequence[Case], merge_fn: MergeFn, timeout: float | None, repeat: int,
               auto_format: bool, executor: Executor | None,
               on_case: Callable[[], None] | None) -> list[tuple[CaseResult, str | None]]:
    """Every case scored, in case order: here with merge_fn, or by the executor's workers
    with the engine (in slices of about 25 cases, so a task's overhead stays small)."""
    if executor is None:
        out = []
        for case in cases:
            out.append(score_case(case, merge_fn, timeout, repeat))
            if on_case:
                on_case()
        return out
    size = 25
    jobs = [ScoreJob(cases=list(cases[i:i + size]), auto_format=auto_format, timeout=timeout,
                     repeat=repeat) for i in range(0, len(cases), size)]
    slices: list[list[tuple[CaseResult, str | None]]] = [[] for _ in jobs]
    for i, value, error in executor.run(score_job, jobs):
        if error is not None:
            raise RuntimeError(f"scoring cases {i * size + 1}-{i * size + len(jobs[i].cases)} "
                               f"failed in a worker: {error}")
        slices[i] = value
        for _ in jobs[i].cases:
            if on_case:
                on_case()
    return [pair for part in slices for pair in part]


def run_bench(cases: Sequence[Case], merge_fn: MergeFn, *, command: str, seed: int,
              packages: list[str], files: int, auto_format: bool = False,
              timeout: float | None = CASE_TIMEOUT_S, repeat: int = 1,
              on_case: Callable[[], None] | None = None,
              executor: Executor | None = None) -> ApplyBenchReport:
    """Score every case and aggregate. `on_case` is called after each (progress).
    With an executor, the engine scores the cases in its workers (merge_fn is not used)."""
    started = time.perf_counter()
    results: list[CaseResult] = []
    # A seeded reservoir per (variant, outcome), so examples spread over the corpus
    # instead of all coming from its first package.
    reservoirs: dict[tuple[str, str], list[Example]] = {}
    seen: dict[tuple[str, str], int] = {}
    rng = random.Random(seed)
    scored = _score_all(cases, merge_fn, timeout, repeat, auto_format, executor, on_case)
    for case, (result, got) in zip(cases, scored, strict=True):
        results.append(result)
        if result.outcome != "exact":
            key = (result.variant, result.outcome)
            seen[key] = seen.get(key, 0) + 1
            kept = reservoirs.setdefault(key, [])
            if len(kept) < EXAMPLES_PER_KIND:
                kept.append(example_for(case, result, got))
            elif (slot := rng.randrange(seen[key])) < EXAMPLES_PER_KIND:
                kept[slot] = example_for(case, result, got)
    formats = list(dict.fromkeys(variant_format(v) for v in VARIANTS))
    return ApplyBenchReport(
        command=command, seed=seed, auto_format=auto_format, repeat=repeat, packages=packages,
        files=files,
        cases=len(results), seconds=time.perf_counter() - started,
        overall=stats("all", results),
        by_variant=grouped(results, lambda r: r.variant, VARIANTS),
        by_format=grouped(results, lambda r: r.fmt, formats),
        by_language=grouped(results, lambda r: r.language),
        targets=targets(results),
        examples=[e for v in VARIANTS for (kv, _), kept in reservoirs.items() if kv == v
                  for e in kept],
        results=results,
        executor=executor.info if executor else ExecutorInfo(kind="local"))
