"""Why gold lines are cut: per case, each missed gold line classified (never used to tune
held-out cases or to choose lines; it reads the compaction result after the fact).

    python benchmarks/compact/analyse_misses.py [--ratio R] [--split dev|held-out]
"""

from __future__ import annotations

import argparse
from collections import Counter

from splice.bench.compact_bench import CODE_PAIRS, HELD_OUT_PAIRS, _unified, changelog_section
from splice.bench.corpus import fetch_sdist
from splice.bench.tasks import gold_lines
from splice.compact import CompactRequest, compact_sync
from splice.compact.engine import _score
from splice.compact.lines import split_lines
from splice.compact.terms import query_terms
from splice.compact.validate import Segment
from splice.core.syntax import language_name

CATEGORIES = {
    "trivial": "blank line, version string or import line",
    "doc": "inside a comment or docstring",
    "no-term-unit": "no query term anywhere in its definition (or top-level paragraph)",
    "term-unit-outranked": "its definition holds query terms but was ranked below the budget",
    "term-line-cut": "the line itself holds a query term yet was cut",
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ratio", type=float, default=None)
    ap.add_argument("--split", default=None)
    args = ap.parse_args()
    held = {(p[0], p[1]) for p in HELD_OUT_PAIRS}
    totals: dict[str, Counter[str]] = {}
    for name, old, new, changelog, files in CODE_PAIRS:
        split = "held-out" if (name, old) in held else "dev"
        if args.split and split != args.split:
            continue
        od, nd = fetch_sdist(name, old), fetch_sdist(name, new)
        query = changelog_section((nd / changelog).read_text(encoding="utf-8"), new)
        for path in files:
            before = (od / path).read_text(encoding="utf-8")
            after = (nd / path).read_text(encoding="utf-8")
            gold = gold_lines(_unified(before, after, path)).get(path, set())
            res = compact_sync(CompactRequest(text=before, query=query, ratio=args.ratio,
                                              path=path))
            kept = {n for a, b in res.kept_ranges for n in range(a, b + 1)}
            lines = split_lines(before)
            terms = query_terms(query)
            from splice.compact.scoring import line_hits
            from splice.compact.lines import line_starts
            hits, _ = line_hits(before, line_starts(lines), terms)
            score, inner, scopes = _score("code", Segment(text=before, path=path, start_line=1),
                                          lines, language_name(path), terms)
            from splice.compact.structure import outline
            from splice.core.syntax import parse
            _, docs = outline(parse(before, "python"), "python", lines)
            c: Counter[str] = Counter()
            rows = []
            for g in sorted(gold - kept):
                i = g - 1
                if i >= len(lines):
                    c["beyond-eof"] += 1
                    continue
                s = inner[i]
                lo, hi = (scopes[s].start, scopes[s].end) if s >= 0 else (max(i - 3, 0), i + 3)
                unit_term = any(hits[k] > 0 for k in range(lo, min(hi + 1, len(lines))))
                cat = classify(lines[i], docs[i], unit_term, hits[i] > 0)
                c[cat] += 1
                rows.append(f"    {g:5d} [{cat}] score={score[i]:.3f} {lines[i].rstrip()[:90]}")
            totals.setdefault(split, Counter()).update(c)
            totals.setdefault(split, Counter())["gold"] += len(gold)
            totals[split]["kept"] += len(gold & kept)
            print(f"{split:8s} {name} {old}->{new} {path}: {len(gold & kept)}/{len(gold)} kept"
                  f" ratio {res.ratio:.3f}; cut {dict(c)}")
            print("\n".join(rows))
    for split, c in totals.items():
        print(split, dict(c))


if __name__ == "__main__":
    main()
