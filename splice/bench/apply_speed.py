"""Merge speed on the model-shaped corpus by CPU time, in one process (issue 13: median
>= 1M tokens/s). The shapes run times merges by wall clock in 3 worker processes, which a
loaded 2-core machine halves; CPU time is what a merge costs. Each merge is also set
against tokenizing its own output in the same process (the baseline), so the figure can
be compared across machines and loads.

    python -m splice.bench.apply_speed benchmarks/apply/shapes.json [--every 3] [--out x.json]

Only cases the recorded run merged exactly are timed (a refusal's speed says nothing of
merging); `--every N` times every Nth of them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel

from splice.bench.apply_corpus import load_corpus, select_pairs
from splice.bench.apply_shapes import SHAPE_PAIRS, build_shape_cases
from splice.bench.apply_shapes_model import ShapeCase
from splice.bench.apply_shapes_run import ShapeMergeFn, engine_merge
from splice.bench.apply_shapes_swe import swebench_files
from splice.core.tokens import count_tokens


class SpeedReport(BaseModel):
    recorded: str
    merges: int
    median_tokens_per_cpu_s: float
    p10_tokens_per_cpu_s: float
    median_merge_over_tokenize: float  # merge CPU time / tokenizing its output, same process


def time_merges(cases: Iterable[ShapeCase], exact: set[str], every: int,
                merge: ShapeMergeFn, recorded: str = "") -> SpeedReport:
    """Every `every`-th case of `exact`, merged and timed by CPU, beside tokenizing its
    output in the same process."""
    rates: list[float] = []
    ratios: list[float] = []
    timed = 0
    for case in cases:
        if case.id not in exact:
            continue
        timed += 1
        if timed % every:
            continue
        t0 = time.process_time()
        out = merge(case.original, case.edit, case.path, case.instruction, case.seen_lines)
        t1 = time.process_time()
        tokens = count_tokens(out)
        t2 = time.process_time()
        rates.append(tokens / max(t1 - t0, 1e-6))
        ratios.append((t1 - t0) / max(t2 - t1, 1e-6))
    if not rates:
        raise ValueError(f"{recorded or 'the cases'}: no exact merge to time "
                         "(is it a `--shapes` results file?)")
    return SpeedReport(recorded=recorded, merges=len(rates),
                       median_tokens_per_cpu_s=statistics.median(rates),
                       p10_tokens_per_cpu_s=sorted(rates)[len(rates) // 10],
                       median_merge_over_tokenize=statistics.median(ratios))


def measure(recorded: Path, every: int) -> SpeedReport:
    """The recorded run's exact cases, rebuilt from the cached corpus and timed."""
    exact = {r["id"] for r in json.loads(recorded.read_text())["results"]
             if r["outcome"] == "exact"}
    files = load_corpus(select_pairs(None, SHAPE_PAIRS)) + swebench_files("dev")
    return time_merges(build_shape_cases(files, seed=0), exact, every, engine_merge(),
                       str(recorded))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("recorded", type=Path, help="a `--shapes` results file (shapes.json)")
    parser.add_argument("--every", type=int, default=3, help="time every Nth exact merge")
    parser.add_argument("--out", type=Path, help="write the report as JSON here")
    args = parser.parse_args()
    if not args.recorded.is_file():
        parser.error(f"{args.recorded}: no such file; run `splice bench apply --shapes` first")
    try:
        report = measure(args.recorded, max(1, args.every))
    except (ValueError, KeyError, json.JSONDecodeError) as exc:
        parser.error(f"{args.recorded}: {exc}")
    print(f"{report.merges} merges: median {report.median_tokens_per_cpu_s / 1e6:.2f}M tokens/s "
          f"of CPU, p10 {report.p10_tokens_per_cpu_s / 1e6:.2f}M; a merge takes "
          f"{report.median_merge_over_tokenize:.2f}x the time of tokenizing its output (median)")
    if args.out:
        args.out.write_text(report.model_dump_json(indent=2) + "\n")


if __name__ == "__main__":
    main()
