"""Where the calling thread's CPU time goes, stage by stage, on the bench's code inputs.

    PYTHONPATH=. python benchmarks/compact/phases.py [--passes 30] [--kind code|tests]

Each stage is a function of the pipeline wrapped with a thread-CPU timer (time.thread_time,
so time spent waiting for the encoder thread or for a core is not counted); stages are
listed flat, and a stage's time includes the stages it calls (tree-sitter's query is
inside `outline`, `_follow_references` inside `code_scores`). The wrappers add ~1 us a
call, so the total is a little above an unwrapped run's.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import splice.compact.engine as engine
import splice.compact.scoring as scoring
import splice.compact.structure as structure
from splice.compact import CompactRequest, compact_sync

spent: dict[str, float] = defaultdict(float)

STAGES: list[tuple[Any, str, str]] = [
    (engine, "parse", "tree-sitter parse"),
    (engine, "outline", "outline (tree-sitter query + Python)"),
    (engine, "line_hits", "term and concept search"),
    (engine, "code_scores", "scoring"),
    (scoring, "_follow_references", "  of which reference following"),
    (engine, "_document", "document (enclosing-block chains)"),
    (engine, "_estimates", "per-line token estimates"),
    (engine, "LineCounts", "token offsets of the input"),
    (engine, "select", "selection"),
    (engine, "_finish", "assembly and exact count"),
    (engine, "test_output_scores", "test-output rules"),
    (engine, "split_lines", "line split"),
]


def _timed(label: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.thread_time()
        try:
            return func(*args, **kwargs)
        finally:
            spent[label] += time.thread_time() - start
    return wrapper


class _TimedCursor:
    """QueryCursor with its `captures` (the tree walk in C) timed apart."""

    def __init__(self, query: Any) -> None:
        self._cursor = _QueryCursor(query)

    def captures(self, node: Any) -> Any:
        return _timed("  of which tree-sitter query", self._cursor.captures)(node)


_QueryCursor = structure.QueryCursor


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--passes", type=int, default=30)
    ap.add_argument("--kind", default="code", choices=("code", "tests"))
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    from same_output import load_inputs

    requests = [CompactRequest(text=c["text"], query=c["query"], path=c["path"] or None)
                for c in load_inputs() if c["kind"] == args.kind]
    for module, name, label in STAGES:
        setattr(module, name, _timed(label, getattr(module, name)))
    structure.QueryCursor = _TimedCursor  # type: ignore[misc,assignment]
    tokens = sum(compact_sync(r).tokens_before for r in requests)  # warm
    spent.clear()
    total = 0.0
    for _ in range(args.passes):
        for request in requests:
            start = time.thread_time()
            compact_sync(request)
            total += time.thread_time() - start
    per_pass = total / args.passes
    print(f"{len(requests)} {args.kind} inputs, {tokens} tokens: {per_pass * 1e3:.1f} ms of "
          f"calling-thread CPU a pass ({tokens / per_pass / 1e6:.2f}M tokens per CPU-s)")
    for _module, _name, label in STAGES:
        if label in spent:
            share = spent[label] / total
            print(f"  {label:42s} {spent[label] / args.passes * 1e3:7.2f} ms  {share:6.1%}")
    quoted = "  of which tree-sitter query"
    if quoted in spent:
        print(f"  {quoted:42s} {spent[quoted] / args.passes * 1e3:7.2f} ms  "
              f"{spent[quoted] / total:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
