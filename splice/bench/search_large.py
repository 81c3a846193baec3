"""Search latency on a large repo (Django's sdist by default): a cold first search in a new
process (no index anywhere), a first search in a new copy of it (blob store warm), warm
searches (index on disk, in a process that searched before) and the full index build.

Every figure is also given as a ratio to a baseline pass timed in the same run (one `rg`
pass over the repo, and reading every file once): the machine is shared and its load moves
absolute timings several-fold, a ratio much less."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from pydantic import BaseModel

from splice.core.repo import STATE_DIR, Repo
from splice.core.syntax import EXTENSIONS
from splice.search import SearchRequest, api, postings, search
from splice.search.index import build_index, forget_memory
from splice.search.ripgrep import BASE_ARGS, Engine, rg_binary

LARGE_QUERIES = [
    "QuerySet.select_related() raises FieldError on a reverse one-to-one relation",
    "CSRF verification failed: CSRF token missing",
    'File "django/db/models/sql/query.py", line 1400, in build_filter',
    "migration autodetector renames a field and loses the db_column",
    "the admin changelist search_fields with a related lookup is slow",
    "ValueError: The 'image' attribute has no file associated with it.",
    "GenericForeignKey prefetch_related with a UUID primary key",
    "template filter date uses the wrong timezone when USE_TZ is set",
    "send_mail with a lazy translation string as subject fails",
    "get_or_create IntegrityError race condition in a transaction",
]

# Run in a new process: the search as a fresh `splice search` would run it.
_CHILD = """
import json, sys, time
t0 = time.perf_counter()
import anyio
from splice.search import SearchRequest, search
t1 = time.perf_counter()
got = anyio.run(search, SearchRequest(query=sys.argv[1], repo=sys.argv[2], max_tokens=int(sys.argv[3])))
t2 = time.perf_counter()
print(json.dumps({"import_ms": (t1 - t0) * 1000, "search_ms": (t2 - t1) * 1000,
                  "index": got.stats.index, "parsed": got.stats.index_parsed,
                  "index_files": got.stats.index_files}))
"""


class FirstSearch(BaseModel):
    """One search in a new process."""

    import_ms: float  # importing splice's search (not part of the search)
    search_ms: float  # the search itself, index work included
    index: str
    parsed: int
    index_files: int


class LargeRepo(BaseModel):
    path: str
    files: int
    lines: int  # every searched file
    code_lines: int  # files in a language the symbol index parses
    rg_pass_ms: float  # baseline: one rg pass over the repo (a common word, counted)
    read_pass_ms: float  # baseline: reading every searched file once
    cold_index_ms: float  # every file parsed (what a cold search no longer waits for)
    postings_ms: float = 0.0  # the word postings built after it (as the completer does)
    cold_first_search_ms: float = 0.0  # new process, never indexed anywhere
    cold_parsed: int = 0  # files that first search parsed
    checkout_first_search_ms: float = 0.0  # new process, a new copy of an indexed repo
    checkout_index: str = ""  # the index state that first search reported
    lazy_p50_ms: float = 0.0  # later searches on what cold searches parsed (new queries)
    lazy_p95_ms: float = 0.0
    warm_p50_ms: float  # every file parsed; index from disk, listing under a minute old
    warm_p95_ms: float
    fresh_p50_ms: float  # index from disk, listing checked again (folders, or rg) and every file
    fresh_p95_ms: float
    memory_p50_ms: float  # index already in memory (a long-lived agent or MCP server)
    queries: int
    load_avg_1m: float  # the machine's load while measuring: timings on a busy box run slow

    def ratio(self, ms: float) -> float:
        """`ms` in units of the rg pass over the same repo."""
        return round(ms / self.rg_pass_ms, 2) if self.rg_pass_ms else 0.0


def first_search(query: str, root: Path, max_tokens: int) -> FirstSearch:
    """The search in a new Python process (same index folder: SPLICE_INDEX_DIR is inherited)."""
    proc = subprocess.run([sys.executable, "-c", _CHILD, query, str(root), str(max_tokens)],
                          capture_output=True, text=True, check=False, timeout=600,
                          cwd=Path(__file__).resolve().parents[2])
    if proc.returncode != 0:
        raise RuntimeError(f"the first search failed: {proc.stderr.strip()[-800:]}")
    return FirstSearch.model_validate_json(proc.stdout.strip().splitlines()[-1])


def rg_pass_ms(root: Path) -> float:
    """One rg pass over the repo with splice's filters: what any search must at least cost."""
    t0 = time.perf_counter()
    subprocess.run([rg_binary(), *BASE_ARGS, "--count-matches", "--ignore-case",
                    "--fixed-strings", "-e", "the"], cwd=root, capture_output=True, check=False,
                   stdin=subprocess.DEVNULL)
    return (time.perf_counter() - t0) * 1000


def count_lines(root: Path, files: list[str]) -> tuple[int, int, float]:
    """Lines in all files and in parsed languages, and how long reading them all took."""
    lines = code_lines = 0
    t0 = time.perf_counter()
    for rel in files:
        try:
            with open(root / rel, "rb") as fh:
                n = sum(block.count(b"\n") for block in iter(partial(fh.read, 1 << 20), b""))
        except OSError:
            continue
        lines += n
        code_lines += n if os.path.splitext(rel)[1] in EXTENSIONS else 0
    return lines, code_lines, (time.perf_counter() - t0) * 1000


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 1) if values else 0.0


async def measure_large(root: Path, max_tokens: int, drop_index: Callable[[Path], None],
                        rounds: int = 3) -> LargeRepo:
    """Cold first search (new process), a new copy's first search, the full index build,
    then warm, fresh-listing and in-memory latency over LARGE_QUERIES. `drop_index(root)`
    empties the bench's index folder."""
    root = root.resolve()
    repo = Repo(root)
    files = await Engine(repo).files()
    count_lines(root, files)  # once to warm the page cache: the baselines time cached reads
    lines, code_lines, read_ms = count_lines(root, files)
    rg_ms = min(rg_pass_ms(root) for _ in range(3))
    drop_index(root)
    cold = first_search(LARGE_QUERIES[0], root, max_tokens)
    copy = Path(tempfile.mkdtemp(prefix="splice-bench-checkout-")) / root.name
    try:
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(STATE_DIR))
        checkout = first_search(LARGE_QUERIES[0], copy, max_tokens)
    finally:
        shutil.rmtree(copy.parent, ignore_errors=True)
    async def timed(query: str) -> float:
        t0 = time.perf_counter()
        await search(SearchRequest(query=query, repo=str(root), max_tokens=max_tokens))
        return (time.perf_counter() - t0) * 1000

    lazy: list[float] = []  # after the cold search: the index holds only what it parsed
    for query in LARGE_QUERIES[1:]:
        forget_memory(root)
        lazy.append(await timed(query))
    drop_index(root)
    t0 = time.perf_counter()
    await build_index(repo, files)
    cold_index = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    postings.refresh(root, files)  # the completer's second job
    postings_ms = (time.perf_counter() - t0) * 1000
    warm: list[float] = []
    fresh: list[float] = []
    memory: list[float] = []

    keep = api.LISTING_MAX_AGE_S
    try:
        for _ in range(rounds):
            for query in LARGE_QUERIES:
                api.LISTING_MAX_AGE_S = 0.0  # check the listing and every file again
                forget_memory(root)
                postings.forget_memory()
                fresh.append(await timed(query))
                api.LISTING_MAX_AGE_S = keep  # the listing just made is reused
                forget_memory(root)
                postings.forget_memory()
                warm.append(await timed(query))
                memory.append(await timed(query))
    finally:
        api.LISTING_MAX_AGE_S = keep
    return LargeRepo(path=str(root), files=len(files), lines=lines, code_lines=code_lines,
                     rg_pass_ms=round(rg_ms, 1), read_pass_ms=round(read_ms, 1),
                     cold_index_ms=round(cold_index, 1), postings_ms=round(postings_ms, 1),
                     cold_first_search_ms=round(cold.search_ms, 1), cold_parsed=cold.parsed,
                     checkout_first_search_ms=round(checkout.search_ms, 1),
                     checkout_index=checkout.index, lazy_p50_ms=_pct(lazy, 0.5),
                     lazy_p95_ms=_pct(lazy, 0.95), warm_p50_ms=_pct(warm, 0.5),
                     warm_p95_ms=_pct(warm, 0.95), memory_p50_ms=_pct(memory, 0.5),
                     fresh_p50_ms=_pct(fresh, 0.5), fresh_p95_ms=_pct(fresh, 0.95),
                     queries=len(warm), load_avg_1m=round(os.getloadavg()[0], 2))


def large_rows(lg: LargeRepo) -> list[tuple[str, str]]:
    """Table rows: each timing with its ratio to the rg pass of the same run."""
    def fig(ms: float) -> str:
        return f"{ms:.0f} ms ({lg.ratio(ms)}x rg)"

    return [("large repo", f"{Path(lg.path).name}: {lg.files} files, {lg.lines:,} lines "
                           f"({lg.code_lines:,} in parsed languages)"),
            ("large: baseline rg pass / read every file",
             f"{lg.rg_pass_ms:.0f} / {lg.read_pass_ms:.0f} ms"),
            ("large: first search, new process, never indexed",
             f"{fig(lg.cold_first_search_ms)}, {lg.cold_parsed} files parsed"),
            ("large: first search, new process, new copy",
             f"{fig(lg.checkout_first_search_ms)} (index {lg.checkout_index})"),
            ("large: next searches on the lazy index p50 / p95",
             f"{fig(lg.lazy_p50_ms)} / {lg.lazy_p95_ms:.0f} ms"),
            ("large: full index build (not waited for)", fig(lg.cold_index_ms)),
            ("large: word postings build (not waited for)", fig(lg.postings_ms)),
            ("large: warm (full index) p50 / p95", f"{fig(lg.warm_p50_ms)} / {lg.warm_p95_ms:.0f} ms "
                                      f"({lg.queries} queries)"),
            ("large: warm, listing and files checked again p50 / p95",
             f"{fig(lg.fresh_p50_ms)} / {lg.fresh_p95_ms:.0f} ms"),
            ("large: in-memory index p50", fig(lg.memory_p50_ms)),
            ("large: machine load", f"{lg.load_avg_1m:.1f}")]
