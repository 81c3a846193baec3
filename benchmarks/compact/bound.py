"""How far can a query-only policy go? Retention bounds for code compaction, by split.

    PYTHONPATH=. python benchmarks/compact/bound.py --out benchmarks/compact/bound.json \
        [--tasks benchmarks/compact/tasks_pypi.jsonl --repos ~/.cache/splice/bench/search/repos]

A *unit* is what the scorer ranks (scoring.units_of): the body of the innermost small
enough function or class, or at top level a blank-line paragraph. A unit *has a term* when
one of its own lines holds a query term (terms.term_hits, the scorer's matching; concepts
not counted). Per split, on the same cases and gold as `splice bench compact`:

- `gold_in_no_term_units`: the share of gold lines in units with no query term. A policy
  that reads the query only cannot tell these units from the rest of the file, so at any
  ratio this share is kept by luck at best: 1 minus it is a ceiling for such a policy.
- `all_term_units`: keep every unit that has a term, whole, nothing else: the ratio that
  needs and the gold it keeps.
- `ranked_term_units` at 1/3, 1/2, 2/3 of the tokens: the term units best first (the
  scorer's own unit relevance: rare terms weigh more, over a mild power of the length),
  whole units while they fit, nothing else.
- `oracle_term_units` at the same targets: the term units picked by gold lines per token
  (reads the gold, so it is a bound, not a policy): the best any ranking of term units
  could do at that budget.
- `engine`: splice's compact at the same targets, for comparison.

Ratios are exact cl100k counts of the compacted text (removed runs as `# (filtered N
lines)` markers) over the input's count. Nothing here feeds the scorer.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections import defaultdict
from pathlib import Path

from splice.compact import CompactRequest, compact_sync
from splice.compact.lines import line_starts, marker_line, split_lines
from splice.compact.scoring import _unit_relevance, units_of
from splice.compact.structure import innermost, outline, statement_spans
from splice.compact.terms import query_terms, term_hits
from splice.core.syntax import language_name, parse
from splice.core.tokens import count_tokens

TARGETS = (1 / 3, 0.5, 2 / 3)


def _compacted_tokens(lines: list[str], kept: list[bool]) -> int:
    out: list[str] = []
    i, n = 0, len(lines)
    while i < n:
        j = i
        while j < n and kept[j] == kept[i]:
            j += 1
        out.append("".join(lines[i:j]) if kept[i] else marker_line(j - i, comment="#"))
        i = j
    return count_tokens("".join(out))


def _greedy(units: list[int], cost: dict[int, int], budget: float, lines_of: dict[int, list[int]],
            n: int, lines: list[str]) -> list[bool]:
    """Whole units in the given order while the compacted text stays within budget."""
    kept = [False] * n
    spent = 0
    for u in units:
        if spent + cost[u] > budget:
            continue  # a smaller unit further down may still fit
        for i in lines_of[u]:
            kept[i] = True
        spent += cost[u]
    # the estimate above ignores markers; drop the last units until the exact count fits
    chosen = [u for u in units if kept[lines_of[u][0]]]
    while chosen and _compacted_tokens(lines, kept) > budget:
        for i in lines_of[chosen.pop()]:
            kept[i] = False
    return kept


def analyse(path: str, text: str, query: str, gold: set[int]) -> dict[str, object] | None:
    language = language_name(path)
    if not language or not gold:
        return None
    lines = split_lines(text)
    n = len(lines)
    tree = parse(text, language)
    scopes, _docs = outline(tree, language, lines)
    statements = statement_spans(tree)
    inner = innermost(scopes, n)
    unit = units_of(inner, lines, scopes, statements)
    found = [(set(hit_lines), math.log(1.0 + n / len(hit_lines)) ** 2)
             for _term, hit_lines in term_hits(text, line_starts(lines), query_terms(query))]
    termed = {unit[i] for hit_lines, _w in found for i in hit_lines}
    lines_of: dict[int, list[int]] = defaultdict(list)
    for i, u in enumerate(unit):
        lines_of[u].append(i)
    gold0 = {g - 1 for g in gold if 0 < g <= n}
    before = count_tokens(text)
    cost = {u: count_tokens("".join(lines[i] for i in ls)) for u, ls in lines_of.items()}
    row: dict[str, object] = {
        "gold": len(gold0), "tokens": before,
        "gold_in_no_term_units": sum(1 for g in gold0 if unit[g] not in termed),
    }
    all_kept = [unit[i] in termed for i in range(n)]
    row["all_term_units"] = {"tokens": _compacted_tokens(lines, all_kept),
                             "gold_kept": sum(1 for g in gold0 if all_kept[g])}
    relevance = _unit_relevance(found, unit, scopes) if found else {}
    ranked = sorted(termed, key=lambda u: -relevance.get(u, 0.0))
    gold_per_unit: dict[int, int] = defaultdict(int)
    for g in gold0:
        gold_per_unit[unit[g]] += 1
    oracle = sorted(termed, key=lambda u: -gold_per_unit[u] / max(cost[u], 1))
    for name, order in (("ranked_term_units", ranked), ("oracle_term_units", oracle)):
        row[name] = {}
        for target in TARGETS:
            kept = _greedy(order, cost, target * before, lines_of, n, lines)
            row[name][f"{target:.3f}"] = {  # type: ignore[index]
                "tokens": _compacted_tokens(lines, kept),
                "gold_kept": sum(1 for g in gold0 if kept[g])}
    row["engine"] = {}
    for target in TARGETS:
        res = compact_sync(CompactRequest(text=text, query=query, ratio=target, path=path))
        kept_lines = {k for a, b in res.kept_ranges for k in range(a - 1, b)}
        row["engine"][f"{target:.3f}"] = {  # type: ignore[index]
            "tokens": res.tokens_after, "gold_kept": len(gold0 & kept_lines)}
    return row


def _cases(tasks: str | None, repos: str | None):  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(Path(__file__).parent))
    from analyse_misses import builtin_cases, task_cases

    yield from (("built-in", *c) for c in builtin_cases())
    if tasks and repos:
        yield from (("task set", *c) for c in task_cases(tasks, os.path.expanduser(repos)))


def _pct(kept: int, gold: int) -> str:
    return f"{kept / gold:.1%}" if gold else "-"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--tasks", default=None)
    ap.add_argument("--repos", default=None)
    args = ap.parse_args()
    totals: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    cases = []
    for source, split, name, path, text, query, gold in _cases(args.tasks, args.repos):
        row = analyse(path, text, query, gold)
        if row is None:
            continue
        cases.append({"source": source, "split": split, "name": name, **row})
        t = totals[(source, split)]
        t["files"] += 1
        t["gold"] += row["gold"]  # type: ignore[operator]
        t["tokens"] += row["tokens"]  # type: ignore[operator]
        t["no_term"] += row["gold_in_no_term_units"]  # type: ignore[operator]
        for key in ("tokens", "gold_kept"):
            t[f"all_{key}"] += row["all_term_units"][key]  # type: ignore[index]
        for policy in ("ranked_term_units", "oracle_term_units", "engine"):
            for target, got in row[policy].items():  # type: ignore[attr-defined]
                for key in ("tokens", "gold_kept"):
                    t[f"{policy}@{target}:{key}"] += got[key]
    summary = []
    header = ("| source | set | files | gold | in no-term units | ceiling | all term units: "
              "ratio, kept | ranked 1/3, 1/2, 2/3 | oracle over term units 1/3, 1/2, 2/3 "
              "| engine 1/3, 1/2, 2/3 |")
    print(header)
    print("|---|---|---:|---:|---:|---:|---|---|---|---|")
    for (source, split), t in sorted(totals.items()):
        gold = int(t["gold"])
        entry = {"source": source, "split": split, "files": int(t["files"]), "gold": gold,
                 "gold_in_no_term_units": int(t["no_term"]),
                 "ceiling": round(1 - t["no_term"] / gold, 4),
                 "all_term_units": {"ratio": round(t["all_tokens"] / t["tokens"], 3),
                                    "retention": round(t["all_gold_kept"] / gold, 4)}}
        cells = {}
        for policy in ("ranked_term_units", "oracle_term_units", "engine"):
            entry[policy] = {}
            parts = []
            for target in TARGETS:
                key = f"{policy}@{target:.3f}"
                ratio = t[f"{key}:tokens"] / t["tokens"]
                kept = t[f"{key}:gold_kept"] / gold
                entry[policy][f"{target:.3f}"] = {"ratio": round(ratio, 3),
                                                  "retention": round(kept, 4)}
                parts.append(f"{kept:.1%}")
            cells[policy] = ", ".join(parts)
        summary.append(entry)
        print(f"| {source} | {split} | {int(t['files'])} | {gold} | {int(t['no_term'])} "
              f"({t['no_term'] / gold:.1%}) | {entry['ceiling']:.1%} | "
              f"{entry['all_term_units']['ratio']:.2f}, "  # type: ignore[index]
              f"{_pct(int(t['all_gold_kept']), gold)} | {cells['ranked_term_units']} | "
              f"{cells['oracle_term_units']} | {cells['engine']} |")
    Path(args.out).write_text(json.dumps({"summary": summary, "cases": cases}, indent=1),
                              encoding="utf-8")


if __name__ == "__main__":
    main()
