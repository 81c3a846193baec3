"""Scoring the model-shaped corpus: per shape, exact / refused / wrong / crash.

exact: the merge gave the intended file; refused: an ApplyError (right on a must-refuse
case, a miss elsewhere, never a corruption); wrong: a merge on a must-refuse case, or any
other text; crash: any other exception, or a merge past the per-case time limit.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from pydantic import BaseModel

from splice.bench.apply_bench import (
    CASE_TIMEOUT_S,
    CaseResult,
    CaseTimeout,
    Example,
    Stats,
    _clip,
    _deadline,
    grouped,
    stats,
)
from splice.bench.apply_shapes import SHAPES
from splice.bench.apply_shapes_model import ShapeCase
from splice.core.errors import ApplyError
from splice.core.tokens import count_tokens

# (original, edit, path, instruction, seen_lines) -> merged text; raises ApplyError to refuse
ShapeMergeFn = Callable[[str, str, str, str | None, list[tuple[int, int]] | None], str]
EXAMPLES_PER_SHAPE = 2


def engine_merge() -> ShapeMergeFn:
    from splice.apply import merge

    def run(original: str, edit: str, path: str, instruction: str | None,
            seen: list[tuple[int, int]] | None) -> str:
        return merge(original, edit, fmt="auto", path=path, instruction=instruction,
                     seen_lines=seen).text

    return run


class ShapeResult(CaseResult):
    must_refuse: bool


class ShapeStats(Stats):
    must_refuse: int = 0


class ShapesReport(BaseModel):
    command: str
    seed: int
    evidence: bool
    packages: list[str]
    files: int
    cases: int
    seconds: float
    overall: ShapeStats
    by_shape: list[ShapeStats]
    by_language: list[ShapeStats]
    by_rule: list[ShapeStats]
    examples: list[Example]
    results: list[ShapeResult]


def score(case: ShapeCase, merge_fn: ShapeMergeFn, *, evidence: bool = True,
          timeout: float | None = CASE_TIMEOUT_S) -> tuple[ShapeResult, str | None]:
    expected = case.expected if evidence else case.expected_blind
    base = dict(id=case.id, package=case.package, path=case.path, language=case.language,
                variant=case.shape, fmt=case.fmt, must_refuse=expected is None)
    args = (case.instruction, case.seen_lines) if evidence else (None, None)
    start = time.perf_counter()
    try:
        with _deadline(timeout, cpu=True):
            text = merge_fn(case.original, case.edit, case.path, *args)
    except ApplyError as exc:
        return ShapeResult(**base, outcome="refused", seconds=time.perf_counter() - start,
                           error=type(exc).__name__, message=str(exc)[:300]), None
    except (Exception, CaseTimeout) as exc:  # noqa: BLE001 - an engine bug: count it
        return ShapeResult(**base, outcome="crash", seconds=time.perf_counter() - start,
                           error=type(exc).__name__, message=repr(exc)[:300]), None
    seconds = time.perf_counter() - start
    outcome = "exact" if expected is not None and text == expected else "wrong"
    return ShapeResult(**base, outcome=outcome, seconds=seconds, first_seconds=seconds,
                       tokens=count_tokens(text)), text


def _shape_stats(name: str, results: Sequence[ShapeResult]) -> ShapeStats:
    s = stats(name, results)
    return ShapeStats(**s.model_dump(), must_refuse=sum(1 for r in results if r.must_refuse))


def _grouped(results: Sequence[ShapeResult], key: Callable[[ShapeResult], str],
             order: Sequence[str] | None = None) -> list[ShapeStats]:
    return [_shape_stats(s.name, [r for r in results if key(r) == s.name])
            for s in grouped(results, key, order)]  # type: ignore[arg-type]


def _example(case: ShapeCase, result: ShapeResult, got: str | None) -> Example:
    import difflib

    expected = case.expected or case.original
    diff = None
    if got is not None:
        diff = _clip("".join(difflib.unified_diff(
            expected.splitlines(keepends=True), got.splitlines(keepends=True),
            "expected" if case.expected is not None else "original (must refuse)", "got",
            n=2)))
    return Example(id=case.id, outcome=result.outcome, error=result.error,
                   message=result.message, edit=_clip(case.edit), diff_expected_vs_got=diff)


_ENGINE: list[ShapeMergeFn] = []


def _score_in_worker(case: ShapeCase, evidence: bool, timeout: float | None
                     ) -> tuple[ShapeResult, str | None]:
    if not _ENGINE:
        _ENGINE.append(engine_merge())
    result, got = score(case, _ENGINE[0], evidence=evidence, timeout=timeout)
    return result, got if result.outcome == "wrong" else None


def _scored(cases: Sequence[ShapeCase], merge_fn: ShapeMergeFn | None, evidence: bool,
            timeout: float | None, workers: int) -> Iterator[tuple[ShapeResult, str | None]]:
    """Each case's result, in order; with workers > 1 the real engine in worker processes."""
    if workers <= 1 or merge_fn is not None:
        assert merge_fn is not None
        for case in cases:
            yield score(case, merge_fn, evidence=evidence, timeout=timeout)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_score_in_worker, cases, [evidence] * len(cases),
                            [timeout] * len(cases), chunksize=16)


def run_shapes(cases: Sequence[ShapeCase], merge_fn: ShapeMergeFn | None, *, command: str,
               seed: int, packages: list[str], evidence: bool = True,
               timeout: float | None = CASE_TIMEOUT_S, workers: int = 1,
               on_case: Callable[[], None] | None = None) -> ShapesReport:
    started = time.perf_counter()
    results: list[ShapeResult] = []
    examples: dict[tuple[str, str], list[Example]] = {}
    rules = {c.id: c.rule for c in cases}
    rng = random.Random(seed)
    seen: dict[tuple[str, str], int] = {}
    for case, (result, got) in zip(cases, _scored(cases, merge_fn, evidence, timeout, workers),
                                   strict=True):
        results.append(result)
        if result.outcome in ("wrong", "crash"):
            key = (case.shape, result.outcome)
            seen[key] = seen.get(key, 0) + 1
            kept = examples.setdefault(key, [])
            if len(kept) < EXAMPLES_PER_SHAPE:
                kept.append(_example(case, result, got))
            elif (slot := rng.randrange(seen[key])) < EXAMPLES_PER_SHAPE:
                kept[slot] = _example(case, result, got)
        if on_case:
            on_case()
    return ShapesReport(
        command=command, seed=seed, evidence=evidence, packages=packages,
        files=len({(c.package, c.path) for c in cases}), cases=len(results),
        seconds=time.perf_counter() - started,
        overall=_shape_stats("all", results),
        by_shape=_grouped(results, lambda r: r.variant, SHAPES),
        by_language=_grouped(results, lambda r: r.language),
        by_rule=_grouped(results, lambda r: rules[r.id]),
        examples=[e for kept in examples.values() for e in kept], results=results)
