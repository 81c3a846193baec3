"""The retention / ratio curve: code cases at several targets, by split, as JSON and markdown.

    PYTHONPATH=. python benchmarks/compact/curve.py --out benchmarks/compact/curve_after.json \
        [--tasks benchmarks/compact/tasks_pypi.jsonl --repos ~/.cache/splice/bench/search/repos]

Retention only (one timed run per case): throughput comes from `splice bench compact`.
"""

from __future__ import annotations

import argparse
import json
import os

from splice.bench.compact_bench import BenchOptions, run_bench

TARGETS = (None, 0.5, 0.7)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--tasks", default=None)
    ap.add_argument("--repos", default=None)
    args = ap.parse_args()
    rows = []
    sources = [("built-in", None, None)]
    if args.tasks:
        sources.append(("task set", args.tasks, os.path.expanduser(args.repos)))
    for source, tasks, repos in sources:
        for ratio in TARGETS:
            report = run_bench(BenchOptions(tasks=tasks, repos=repos, ratio=ratio, repeat=1,
                                            test_output=False))
            s = report.summary
            for split, kept in sorted(s.code_retention_by_split.items()):
                rows.append({"source": source, "target": ratio or "1/3", "split": split,
                             "ratio": s.code_ratio_by_split[split], "retention": kept,
                             "mean_per_file": s.code_macro_retention_by_split.get(split),
                             "files_all_kept": s.code_files_all_kept_by_split.get(split)})
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(rows, fh, indent=1)
    print("| source | target | set | tokens after/before | gold lines kept | mean per file |"
          " files keeping all |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['source']} | {r['target']} | {r['split']} | {r['ratio']:.3f} | "
              f"{r['retention']:.1%} | {r['mean_per_file']:.1%} | {r['files_all_kept']} |")


if __name__ == "__main__":
    main()
