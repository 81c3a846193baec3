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
import os
import statistics
import sys
import time
from pathlib import Path

import anyio

from splice.bench.corpus import fetch_sdist
from splice.bench.search_large import LARGE_QUERIES, rg_pass_ms
from splice.bench.swebench import checkout, load_tasks
from splice.core.repo import Repo
from splice.search import SearchRequest, postings, search
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


async def _timed(request: SearchRequest, profile: cProfile.Profile | None) -> tuple[list, float]:
    """The spans one search returned ([path, start, end, score] each) and its milliseconds."""
    if profile:
        profile.enable()
    t0 = time.perf_counter()
    got = await search(request)
    ms = (time.perf_counter() - t0) * 1000
    if profile:
        profile.disable()
    return [[s.path, s.start_line, s.end_line, s.score] for s in got.spans], ms


async def _run(profile: cProfile.Profile | None) -> dict:
    """Each case searched warm (index reloaded from disk) then again in memory; the
    profile, if any, covers the in-memory searches."""
    spans: dict[str, list] = {}
    warm_ms: list[float] = []
    memory_ms: list[float] = []
    ratio_warm: list[float] = []
    ratio_memory: list[float] = []
    rg: dict[str, float] = {}
    for name, root, query in cases():
        key = str(root)
        if key not in rg:
            repo = Repo(root)
            files = await Engine(repo).files()
            await build_index(repo, files)
            postings.refresh(root, files)  # what the background completer does
            rg[key] = min(rg_pass_ms(root) for _ in range(3))
        request = SearchRequest(query=query, repo=key, max_tokens=MAX_TOKENS)
        await search(request)  # the process and the listing are warm
        forget_memory(root)
        postings.forget_memory()
        spans[name], ms = await _timed(request, None)
        warm_ms.append(ms)
        again, ms = await _timed(request, profile)
        memory_ms.append(ms)
        assert again == spans[name], f"{name}: a second search answered differently"
        ratio_warm.append(warm_ms[-1] / rg[key])
        ratio_memory.append(memory_ms[-1] / rg[key])
        print(f"{name}: warm {ratio_warm[-1]:.2f}x rg, memory {ratio_memory[-1]:.2f}x rg "
              f"(rg pass {rg[key]:.0f} ms)", file=sys.stderr)
    med = statistics.median
    return {"spans": spans, "rg_ms": rg, "warm_ms": warm_ms, "memory_ms": memory_ms,
            "warm_x_rg": ratio_warm, "memory_x_rg": ratio_memory,
            "warm_p50_ms": med(warm_ms), "memory_p50_ms": med(memory_ms),
            "warm_p50_x_rg": med(ratio_warm), "memory_p50_x_rg": med(ratio_memory),
            "load_avg_1m": os.getloadavg()[0]}


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
    print(f"warm p50 {result['warm_p50_ms']:.0f} ms ({result['warm_p50_x_rg']:.2f}x rg), "
          f"in memory p50 {result['memory_p50_ms']:.0f} ms ({result['memory_p50_x_rg']:.2f}x rg), "
          f"load {result['load_avg_1m']:.1f}")
    if args.compare:
        old = json.loads(args.compare.read_text())["spans"]
        changed = [k for k in old if old[k] != result["spans"].get(k)]
        print("spans identical" if not changed else f"spans CHANGED: {changed}")
        sys.exit(1 if changed else 0)


if __name__ == "__main__":
    main()
