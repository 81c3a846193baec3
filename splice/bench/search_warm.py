"""Warm search on real bug reports (issue 17, speed): five Django SWE-bench dev reports and
the large-repo queries, each searched with the full index on disk and in memory. Writes the
spans each query returned (so a speed change can be checked to change no answer) and the
warm timings, each also as a ratio to one `rg` pass over the same repo timed in this run.

    python -m splice.bench.search_warm --out spans.json [--profile prof.out] [--compare old.json]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import statistics
import sys
import time
from pathlib import Path

import anyio

from splice.bench.corpus import fetch_sdist
from splice.bench.search_large import LARGE_QUERIES, rg_pass_ms
from splice.bench.swebench import checkout, load_tasks
from splice.core.repo import Repo
from splice.search import SearchRequest, search
from splice.search.index import build_index, forget_memory
from splice.search.ripgrep import Engine

TASKS = 5
MAX_TOKENS = 4000


def cases() -> list[tuple[str, Path, str]]:
    """(name, repo, query): the first Django dev reports, then the large-repo queries."""
    django = [t for t in load_tasks("dev") if t.repo == "django/django"][:TASKS]
    out = [(t.instance_id, checkout(t), t.problem_statement) for t in django]
    root = fetch_sdist("django", "5.0.6")
    return out + [(f"large-{i}", root, q) for i, q in enumerate(LARGE_QUERIES)]


async def _run(profile: cProfile.Profile | None) -> dict:
    spans: dict[str, list] = {}
    warm: list[float] = []
    memory: list[float] = []
    rg: dict[str, float] = {}
    for name, root, query in cases():
        key = str(root)
        if key not in rg:
            repo = Repo(root)
            await build_index(repo, await Engine(repo).files())
            rg[key] = min(rg_pass_ms(root) for _ in range(3))
        request = SearchRequest(query=query, repo=key, max_tokens=MAX_TOKENS)
        await search(request)  # the process and the listing are warm
        forget_memory(root)
        t0 = time.perf_counter()
        got = await search(request)
        warm.append((time.perf_counter() - t0) * 1000 / rg[key])
        if profile:
            profile.enable()
        t0 = time.perf_counter()
        again = await search(request)
        memory.append((time.perf_counter() - t0) * 1000 / rg[key])
        if profile:
            profile.disable()
        spans[name] = [[s.path, s.start_line, s.end_line, s.score] for s in got.spans]
        assert spans[name] == [[s.path, s.start_line, s.end_line, s.score] for s in again.spans]
        print(f"{name}: warm {warm[-1]:.2f}x rg, memory {memory[-1]:.2f}x rg "
              f"(rg pass {rg[key]:.0f} ms)", file=sys.stderr)
    return {"spans": spans, "warm_x_rg": warm, "memory_x_rg": memory, "rg_ms": rg,
            "warm_p50_x_rg": statistics.median(warm), "memory_p50_x_rg": statistics.median(memory)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--compare", type=Path)
    args = parser.parse_args()
    profile = cProfile.Profile() if args.profile else None
    result = anyio.run(_run, profile)
    if profile and args.profile:
        profile.dump_stats(args.profile)
    args.out.write_text(json.dumps(result, indent=1))
    print(f"warm p50 {result['warm_p50_x_rg']:.2f}x rg, in memory p50 "
          f"{result['memory_p50_x_rg']:.2f}x rg")
    if args.compare:
        old = json.loads(args.compare.read_text())["spans"]
        changed = [k for k in old if old[k] != result["spans"].get(k)]
        print("spans identical" if not changed else f"spans CHANGED: {changed}")
        sys.exit(1 if changed else 0)


if __name__ == "__main__":
    main()
