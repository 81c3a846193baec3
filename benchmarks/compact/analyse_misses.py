"""Why gold lines are cut: every missed gold line of a case, classified after the fact.

It reads the compaction result and the gold only to explain misses; nothing here feeds
back into the scoring. Run from the repository root:

    PYTHONPATH=. python benchmarks/compact/analyse_misses.py [--ratio R] [--split dev]
    PYTHONPATH=. python benchmarks/compact/analyse_misses.py --tasks T.jsonl --repos DIR
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterator

from splice.bench.compact_bench import (
    builtin_code_inputs,
    task_split,
)
from splice.bench.tasks import gold_lines, load_tasks, resolve_repo
from splice.compact import CompactRequest, compact_sync
from splice.compact.engine import _score
from splice.compact.lines import line_starts, split_lines
from splice.compact.scoring import line_hits
from splice.compact.structure import outline
from splice.compact.terms import query_terms
from splice.compact.validate import Segment
from splice.core.syntax import language_name, parse

CATEGORIES = {
    "trivial": "blank line, version string or import line",
    "doc": "inside a comment or docstring (and holding no query term)",
    "no-term-unit": "no query term anywhere in its definition (or within 3 lines at top level)",
    "term-unit-outranked": "its definition holds query terms but ranked below the budget",
    "term-line-cut": "the line itself holds a query term, yet ranked below the budget",
}


def classify(line: str, in_doc: bool, unit_has_term: bool, line_has_term: bool) -> str:
    s = line.strip()
    if not s or "__version__" in s or s.startswith(("import ", "from ")):
        return "trivial"
    if line_has_term:
        return "term-line-cut"
    if in_doc:
        return "doc"
    return "term-unit-outranked" if unit_has_term else "no-term-unit"


def builtin_cases() -> Iterator[tuple[str, str, str, str, str, set[int]]]:
    return builtin_code_inputs()


def task_cases(tasks: str, repos: str) -> Iterator[tuple[str, str, str, str, str, set[int]]]:
    for task in load_tasks(tasks):
        root = resolve_repo(task, repos)
        for path, gold in gold_lines(task.patch).items():
            if (root / path).is_file():
                text = (root / path).read_text(encoding="utf-8", errors="replace")
                yield (task_split(task.instance_id), f"{task.instance_id} {path}", path, text,
                       task.problem_statement, gold)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ratio", type=float, default=None)
    ap.add_argument("--split", default=None, help="only this split (dev, held-out, dev2, ...)")
    ap.add_argument("--tasks", default=None)
    ap.add_argument("--repos", default=None)
    ap.add_argument("--quiet", action="store_true", help="counts only, no missed lines")
    args = ap.parse_args()
    cases = task_cases(args.tasks, args.repos) if args.tasks else builtin_cases()
    totals: dict[str, Counter[str]] = {}
    for split, name, path, text, query, gold in cases:
        if args.split and split != args.split:
            continue
        res = compact_sync(CompactRequest(text=text, query=query, ratio=args.ratio, path=path))
        kept = {n for a, b in res.kept_ranges for n in range(a, b + 1)}
        lines = split_lines(text)
        terms = query_terms(query)
        hits, _ = line_hits(text, line_starts(lines), terms)
        language = language_name(path)
        score, inner, scopes = _score("code", Segment(text=text, path=path, start_line=1),
                                      lines, language, terms)
        docs = outline(parse(text, language), language, lines)[1] if language else \
            [False] * len(lines)
        c: Counter[str] = Counter()
        rows = []
        for g in sorted(gold - kept):
            i = g - 1
            if i >= len(lines):
                continue
            s = inner[i]
            lo, hi = (scopes[s].start, scopes[s].end) if s >= 0 else (max(i - 3, 0), i + 3)
            unit_term = any(hits[k] > 0 for k in range(lo, min(hi + 1, len(lines))))
            cat = classify(lines[i], docs[i], unit_term, hits[i] > 0)
            c[cat] += 1
            rows.append(f"    {g:5d} [{cat}] score={score[i]:.3f} {lines[i].rstrip()[:90]}")
        total = totals.setdefault(split, Counter())
        total.update(c)
        total["gold"] += len(gold)
        total["kept"] += len(gold & kept)
        print(f"{split:8s} {name}: {len(gold & kept)}/{len(gold)} kept, ratio {res.ratio:.3f};"
              f" cut {dict(c)}")
        if not args.quiet and rows:
            print("\n".join(rows))
    for split, c in totals.items():
        print(f"{split}: kept {c['kept']}/{c['gold']} ({c['kept'] / max(c['gold'], 1):.1%}); "
              + ", ".join(f"{k} {c[k]}" for k in CATEGORIES if c[k]))


if __name__ == "__main__":
    main()
