"""Where the kept tokens go: the compacted text of each code case, its tokens split by what
each kept line is, with the gold lines each kind holds. Tuning sets only by default.

    PYTHONPATH=. python benchmarks/compact/allocation.py [--ratio R] [--splits dev,dev2]

Kinds, first that applies: blank; import (a top-level import statement); header (a line
of a definition's signature, decorators included) of a unit with or without a query term;
a doc line (comment or docstring) of a term unit; code of a term unit; any line of a unit
with no term (reference following, the pull, closed gaps); and the `(filtered N lines)`
markers (the compacted count minus the kept lines' own counts). Units and terms are the
scorer's own (scoring.units_of, terms.term_hits). Nothing here feeds the scorer.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

from splice.compact import CompactRequest, compact_sync
from splice.compact.lines import line_starts, split_lines
from splice.compact.scoring import import_lines, units_of
from splice.compact.structure import innermost, outline, statement_spans
from splice.compact.terms import query_terms, term_hits
from splice.core.syntax import language_name, parse
from splice.core.tokens import count_tokens

REPOS = "~/.cache/splice/bench/search/repos"


def kind_of(i: int, lines: list[str], imports: set[int], headers: set[int],
            term_unit: bool, doc: bool) -> str:
    if not lines[i].strip():
        return "blank"
    if i in imports:
        return "import"
    if i in headers:
        return "header, term unit" if term_unit else "header, no-term unit"
    if not term_unit:
        return "no-term unit"
    return "doc, term unit" if doc else "code, term unit"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ratio", type=float, default=None)
    ap.add_argument("--splits", default="dev,dev2")
    ap.add_argument("--tasks", default="benchmarks/compact/tasks_pypi.jsonl")
    ap.add_argument("--repos", default=REPOS)
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    from analyse_misses import builtin_cases, task_cases

    splits = set(args.splits.split(","))
    cases = list(builtin_cases()) + list(task_cases(args.tasks, os.path.expanduser(args.repos)))
    tokens: Counter[str] = Counter()
    gold_kept: Counter[str] = Counter()
    for split, _name, path, text, query, gold in cases:
        language = language_name(path)
        if split not in splits or not language:
            continue
        lines = split_lines(text)
        tree = parse(text, language)
        scopes, docs = outline(tree, language, lines)
        statements = statement_spans(tree)
        unit = units_of(innermost(scopes, len(lines)), lines, scopes, statements)
        headers = {i for s in scopes for i in range(s.start, s.header_end + 1)}
        termed = {unit[i] for _t, hit in term_hits(text, line_starts(lines), query_terms(query))
                  for i in hit}
        imports = set(import_lines(lines, statements))
        res = compact_sync(CompactRequest(text=text, query=query, ratio=args.ratio, path=path))
        own = 0
        for a, b in res.kept_ranges:
            for i in range(a - 1, b):
                kind = kind_of(i, lines, imports, headers, unit[i] in termed, bool(docs[i]))
                cost = count_tokens(lines[i])
                own += cost
                tokens[kind] += cost
                gold_kept[kind] += (i + 1) in gold
        tokens["markers"] += res.tokens_after - own
    total = sum(tokens.values())
    print(f"kept tokens ({args.splits}, ratio {args.ratio or 'default'}): {total}")
    print("| kind | tokens | share | gold lines kept | gold per 1k tokens |")
    print("|---|---:|---:|---:|---:|")
    for kind, cost in tokens.most_common():
        print(f"| {kind} | {cost} | {cost / total:.1%} | {gold_kept[kind]} | "
              f"{1000 * gold_kept[kind] / cost:.1f} |")


if __name__ == "__main__":
    main()
