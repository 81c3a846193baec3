"""The symbol index: every supported file's definitions, cached on disk under
`.splice/cache/` and rebuilt incrementally (a file is parsed again only when its size or
mtime changed). Files are parsed in batches, in forked worker processes for a big cold build
(tree-sitter holds the GIL, so threads alone would use one core) and in worker threads
for a few changed files."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import anyio

from splice.core.errors import SpliceError
from splice.core.repo import Repo, decode_bytes
from splice.core.syntax import EXTENSIONS, language_name
from splice.search.symbols import Definition, extract_definitions

CACHE_VERSION = 1
CACHE_NAME = f"symbols-v{CACHE_VERSION}.json"
MAX_PARSE_BYTES = 2 * 1024 * 1024
BATCH = 48
PROCESS_THRESHOLD = 300

IndexState = Literal["cold", "warm", "partial", "memory", "none"]


@dataclass
class FileEntry:
    size: int
    mtime_ns: int
    defs: list[list[str | int]]  # Definition rows, compact on disk


@dataclass
class SymbolIndex:
    files: dict[str, FileEntry] = field(default_factory=dict)
    _defs: dict[str, list[Definition]] = field(default_factory=dict)

    def definitions(self, path: str) -> list[Definition]:
        if path not in self._defs:
            entry = self.files.get(path)
            self._defs[path] = [Definition.from_row(r) for r in entry.defs] if entry else []
        return self._defs[path]

    def find(self, names: set[str]) -> dict[str, list[tuple[str, Definition]]]:
        """Where each of `names` (lowercase) is defined. A scan of the compact rows: cheaper
        than keeping a name table that a freshly loaded index would have to build first."""
        table: dict[str, list[tuple[str, Definition]]] = defaultdict(list)
        if not names:
            return table
        for path, entry in self.files.items():
            for row in entry.defs:
                low = str(row[0]).lower()
                if low in names:
                    table[low].append((path, Definition.from_row(row)))
        return table


@dataclass
class IndexReport:
    state: IndexState
    files: int
    parsed: int
    ms: float


_MEMORY: dict[Path, SymbolIndex] = {}


def _parse_file(root: Path, rel: str) -> tuple[str, FileEntry] | None:
    full = root / rel
    try:
        st = full.stat()
        if st.st_size > MAX_PARSE_BYTES:
            return rel, FileEntry(st.st_size, st.st_mtime_ns, [])
        data = full.read_bytes()
        text = decode_bytes(data, rel)
    except (OSError, SpliceError):
        return None  # unreadable or binary: no definitions, not indexed
    source = data if text.encoding == "utf-8" and not text.bom else text.text.encode("utf-8")
    language = language_name(rel)
    defs = extract_definitions(source, language) if language else []
    return rel, FileEntry(st.st_size, st.st_mtime_ns, [d.as_row() for d in defs])


def _parse_batch(root: Path, batch: list[str]) -> list[tuple[str, FileEntry]]:
    return [r for r in (_parse_file(root, rel) for rel in batch) if r is not None]


async def _parse_all(root: Path, stale: list[str]) -> list[tuple[str, FileEntry]]:
    """Parse `stale` in batches: in forked worker processes when there are many (tree-sitter
    holds the GIL, so threads do not add cores), else in worker threads."""
    batches = [stale[i:i + BATCH] for i in range(0, len(stale), BATCH)]
    workers = max(1, os.cpu_count() or 1)
    results: list[tuple[str, FileEntry]] = []
    if len(stale) >= PROCESS_THRESHOLD and workers > 1 and "fork" in mp.get_all_start_methods():
        # fork, not spawn: spawn would re-run the caller's __main__ in every worker.
        pool = ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"))
        try:
            futures = [pool.submit(_parse_batch, root, batch) for batch in batches]
            for future in futures:
                results.extend(await anyio.to_thread.run_sync(future.result))
        finally:
            await anyio.to_thread.run_sync(pool.shutdown)
        return results
    limiter = anyio.CapacityLimiter(workers)

    async def parse(batch: list[str]) -> None:
        results.extend(await anyio.to_thread.run_sync(_parse_batch, root, batch, limiter=limiter))

    async with anyio.create_task_group() as tg:
        for batch in batches:
            tg.start_soon(parse, batch)
    return results


def _load(cache: Path) -> dict[str, FileEntry] | None:
    try:
        raw = json.loads(cache.read_text(encoding="utf-8"))
        if raw.get("version") != CACHE_VERSION:
            return None
        return {p: FileEntry(*v) for p, v in raw["files"].items()}
    except (OSError, ValueError, TypeError, KeyError):
        return None  # missing or corrupt: rebuild


def _save(cache: Path, files: dict[str, FileEntry]) -> None:
    payload = {"version": CACHE_VERSION,
               "files": {p: [e.size, e.mtime_ns, e.defs] for p, e in files.items()}}
    try:
        fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=".symbols-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, separators=(",", ":"))
        os.replace(tmp, cache)
    except OSError:
        pass  # a read-only repo still searches; the index is just not kept


def _cache_path(repo: Repo) -> Path | None:
    try:
        return repo.state_dir("cache") / CACHE_NAME
    except OSError:
        return None


async def build_index(repo: Repo, files: list[str], *, use_disk: bool = True,
                      complete: bool = True) -> tuple[SymbolIndex, IndexReport]:
    """The index for `files` (repo-relative), reusing what is cached and still current.

    `complete=False` says `files` is only part of the repo (a search restricted to some
    paths): entries for other files are kept as they were instead of dropped."""
    started = time.perf_counter()
    supported = [f for f in files if os.path.splitext(f)[1].lower() in EXTENSIONS]
    if not supported:
        return SymbolIndex(), IndexReport("none", 0, 0, 0.0)
    root = repo.root
    cache = _cache_path(repo) if use_disk else None
    previous = _MEMORY.get(root)
    state: IndexState = "memory"
    known = previous.files if previous else None
    if known is None and cache is not None:
        known, state = _load(cache), "warm"
    if known is None:
        known, state = {}, "cold"
    wanted = set(supported)
    current = {} if complete else {p: e for p, e in known.items() if p not in wanted}
    stale: list[str] = []
    for rel in supported:
        entry = known.get(rel)
        try:
            st = os.stat(root / rel)
        except OSError:
            continue
        if entry and entry.size == st.st_size and entry.mtime_ns == st.st_mtime_ns:
            current[rel] = entry
        else:
            stale.append(rel)
    current.update(await _parse_all(root, stale))
    changed = bool(stale) or set(current) != set(known)
    if stale and state != "cold":
        state = "partial"
    if previous is not None and not changed:
        index = previous
    else:
        index = SymbolIndex(files=current)
        _MEMORY[root] = index
        if cache is not None and changed:
            await anyio.to_thread.run_sync(_save, cache, current)
    return index, IndexReport(state, len(current), len(stale), (time.perf_counter() - started) * 1000)


def forget_memory(root: Path | None = None) -> None:
    """Drop the in-process copy (tests and benchmarks measure the disk cache this way)."""
    if root is None:
        _MEMORY.clear()
    else:
        _MEMORY.pop(root.resolve(), None)
