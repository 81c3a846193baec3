"""Gold lines kept by the working tree's compactor, per split, at 1/3, 1/2 and 0.7 of the
tokens: the quick check of a retention candidate (a few seconds, no timing).

    PYTHONPATH=. python benchmarks/compact/candidates.py            # tuning sets only
    PYTHONPATH=. python benchmarks/compact/candidates.py --unseen \\
        --extra new16=benchmarks/compact/tasks_pypi_new16.jsonl \\
        --extra check=~/.cache/splice/bench/search/tasks-check-v3.jsonl

Without --unseen only the tuning sets are read (built-in dev, task-set dev and dev2): tune
on those. --unseen adds the built-in and task-set held-out halves and fresh, and each
--extra NAME=FILE task file as a split of its own (the default task set's 16 tasks that
`tasks_pypi.jsonl` predates, and the search check set: never used to tune compaction).
Read those in totals only, once per candidate. Same cases and gold as `splice bench
compact` and `bound.py` (analyse_misses.py's case lists); --per-file prints the tuning
files' counts too.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

from splice.compact import CompactRequest, compact_sync

TARGETS = (1 / 3, 0.5, 0.7)
TUNING = ("dev", "dev2")
REPOS = "~/.cache/splice/bench/search/repos"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", default="benchmarks/compact/tasks_pypi.jsonl")
    ap.add_argument("--repos", default=REPOS)
    ap.add_argument("--unseen", action="store_true", help="also held-out, fresh and --extra")
    ap.add_argument("--extra", action="append", default=[], metavar="NAME=FILE")
    ap.add_argument("--per-file", action="store_true", help="tuning files one by one")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    from analyse_misses import builtin_cases, task_cases

    repos = os.path.expanduser(args.repos)
    cases = [("built-in", *c) for c in builtin_cases()]
    cases += [("task set", *c) for c in task_cases(args.tasks, repos)]
    if args.unseen:
        for spec in args.extra:
            name, _, path = spec.partition("=")
            cases += [(name, name, *c[1:]) for c in task_cases(os.path.expanduser(path), repos)]
    else:
        cases = [c for c in cases if c[1] in TUNING]
    print("| source | set | files | gold | kept at 1/3 | at 1/2 | at 0.7 |")
    print("|---|---|---:|---:|---:|---:|---:|")
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for source, split, name, path, text, query, gold in cases:
        n = text.count("\n") + (not text.endswith("\n"))
        gold = {g for g in gold if 0 < g <= n}
        row = totals[source, split]
        row[0] += 1
        row[1] += len(gold)
        kept_counts = []
        for k, ratio in enumerate(TARGETS):
            res = compact_sync(CompactRequest(text=text, query=query, ratio=ratio, path=path))
            kept = sum(1 for g in gold if any(a <= g <= b for a, b in res.kept_ranges))
            row[2 + k] += kept
            kept_counts.append(kept)
        if args.per_file and split in TUNING:
            print(f"|   {name} | {split} | 1 | {len(gold)} | "
                  + " | ".join(map(str, kept_counts)) + " |")
    for (source, split), (files, gold, *kept) in sorted(totals.items()):
        print(f"| {source} | {split} | {files} | {gold} | "
              + " | ".join(f"{k} ({k / gold:.1%})" for k in kept) + " |")
    tuning = [r for (_s, split), r in totals.items() if split in TUNING]
    print("tuning sets, gold lines kept at 1/3 / 1/2 / 0.7: "
          + " / ".join(str(sum(r[2 + k] for r in tuning)) for k in range(3))
          + f" of {sum(r[1] for r in tuning)}")


if __name__ == "__main__":
    main()
