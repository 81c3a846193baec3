"""The symbol index: every supported file's definitions, kept in the user's cache (store.py:
a snapshot per repo folder, and definitions by file content so another checkout of the same
code starts warm) and rebuilt incrementally (a file is parsed again only when its size or
mtime changed and its content was never seen). Files are parsed in batches, in forked worker
processes for a big cold build (tree-sitter holds the GIL, so threads alone would use one
core) and in worker threads for a few changed files."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import anyio

from splice.core.errors import SpliceError
from splice.core.repo import Repo, decode_bytes
from splice.core.syntax import EXTENSIONS, language_name
from splice.search import searches
from splice.search.store import blob_key, shared_store, snapshot_path
from splice.search.symbol_index import FileEntry, SymbolIndex, pack
from splice.search.symbols import extract_definitions

CACHE_VERSION = 3
CACHE_NAME = f"symbols-v{CACHE_VERSION}.json"
MAX_PARSE_BYTES = 2 * 1024 * 1024
BATCH = 48
PROCESS_THRESHOLD = 300
# A lazy index parses everything at once when what is unparsed is this small (about a
# quarter second of parsing on one core): a small repo is answered as before.
LAZY_MIN_BYTES = 1_500_000

# cold: parsed here; store: every file's definitions known by content (another checkout);
# warm: this folder's snapshot; partial: some files parsed; memory: this process had it.
IndexState = Literal["cold", "store", "warm", "partial", "memory", "none"]


@dataclass
class IndexReport:
    state: IndexState
    files: int
    parsed: int
    ms: float


_MEMORY: dict[Path, SymbolIndex] = {}
_SUFFIXES = frozenset(ext[1:] for ext in EXTENSIONS)


def _has_grammar(rel: str) -> bool:
    name = rel.rpartition("/")[2]
    return "." in name and name.rpartition(".")[2].lower() in _SUFFIXES


def _parse_file(root: Path, rel: str) -> tuple[str, FileEntry] | None:
    full = os.path.join(root, rel)
    try:
        st = os.stat(full)
        if st.st_size > MAX_PARSE_BYTES:
            return rel, FileEntry(st.st_size, st.st_mtime_ns, "")
        with open(full, "rb") as fh:
            data = fh.read()
        text = decode_bytes(data, rel)
    except (OSError, SpliceError):
        return None  # unreadable or binary: no definitions, not indexed
    source = data if text.encoding == "utf-8" and not text.bom else text.text.encode("utf-8")
    language = language_name(rel)
    defs = extract_definitions(source, language) if language else []
    return rel, FileEntry(st.st_size, st.st_mtime_ns, pack(defs))


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


def _load(cache: Path) -> SymbolIndex | None:
    try:
        raw = json.loads(cache.read_text(encoding="utf-8"))
        if raw.get("version") != CACHE_VERSION:
            return None
        return SymbolIndex(files={p: FileEntry(*v) for p, v in raw["files"].items()},
                           listing=list(raw.get("listing", [])),
                           listed_at=float(raw.get("listed_at", 0.0)),
                           resolved=set(raw.get("resolved", [])))
    except (OSError, ValueError, TypeError, KeyError):
        return None  # missing or corrupt: rebuild


def _save(cache: Path, index: SymbolIndex) -> None:
    payload = {"version": CACHE_VERSION, "listed_at": index.listed_at, "listing": index.listing,
               "resolved": sorted(index.resolved),
               "files": {p: [e.size, e.mtime_ns, e.defs] for p, e in index.files.items()}}
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=".symbols-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, separators=(",", ":"))
        os.replace(tmp, cache)
        index.dirty = False
    except OSError:
        pass  # a read-only repo still searches; the index is just not kept


def _cache_path(repo: Repo) -> Path | None:
    return snapshot_path(repo.root, CACHE_VERSION)

def _from_store(root: Path, stale: list[str]) -> tuple[dict[str, FileEntry], dict[str, str]]:
    """Entries of `stale` files whose content the blob store knows, and the blob keys of
    the rest (to store once parsed)."""
    keys: dict[str, tuple[str, int, int]] = {}
    for rel in stale:
        full = os.path.join(root, rel)
        language = language_name(rel)
        try:
            st = os.stat(full)
            if st.st_size > MAX_PARSE_BYTES or language is None:
                continue
            with open(full, "rb") as fh:
                keys[rel] = (blob_key(fh.read(), language), st.st_size, st.st_mtime_ns)
        except OSError:
            continue
    known = shared_store().get_many(k for k, _, _ in keys.values())
    found = {rel: FileEntry(size, mtime, known[key]) for rel, (key, size, mtime) in keys.items()
             if key in known}
    missing = {rel: key for rel, (key, _, _) in keys.items() if key not in known}
    return found, missing


def _to_store(parsed: list[tuple[str, FileEntry]], keys: dict[str, str]) -> None:
    shared_store().put_many({keys[rel]: entry.defs for rel, entry in parsed
                             if rel in keys and entry.defs is not None})


async def build_index(repo: Repo, files: list[str], *, use_disk: bool = True,
                      complete: bool = True, lazy: bool = False) -> tuple[SymbolIndex, IndexReport]:
    """The index for `files` (repo-relative), reusing what is cached and still current.

    `complete=False` says `files` is only part of the repo (a search restricted to some
    paths): entries for other files are kept as they were instead of dropped. `lazy`
    parses nothing new: new or changed files are listed unparsed, and a search parses
    those it needs (resolve.py); a full build parses every file."""
    started = time.perf_counter()
    supported = [f for f in files if _has_grammar(f)]
    if not supported:
        return SymbolIndex(), IndexReport("none", 0, 0, 0.0)
    root = repo.root
    cache = _cache_path(repo) if use_disk else None
    previous = _MEMORY.get(root)
    state: IndexState = "memory"
    loaded = previous
    if loaded is None and cache is not None:
        loaded, state = _load(cache), "warm"
    known = loaded.files if loaded is not None else None
    if known is None:
        known, state = {}, "cold"
    wanted = set(supported)
    base = str(root)
    current = {} if complete else {p: e for p, e in known.items() if p not in wanted}
    stale: list[str] = []
    for rel in supported:
        entry = known.get(rel)
        try:
            st = os.stat(f"{base}/{rel}")
        except OSError:
            continue
        if entry and entry.size == st.st_size and entry.mtime_ns == st.st_mtime_ns:
            current[rel] = entry  # unparsed entries too: their stat says what was listed
            if entry.defs is None and not lazy:
                stale.append(rel)
        else:
            current[rel] = FileEntry(st.st_size, st.st_mtime_ns, None)
            stale.append(rel)
    unparsed = [p for p, e in current.items() if e.defs is None]
    if lazy and sum(current[p].size for p in unparsed) <= LAZY_MIN_BYTES:
        lazy = False  # little to parse: all of it at once costs less than finding candidates
        stale = list(dict.fromkeys([*stale, *unparsed]))
    reused: dict[str, FileEntry] = {}
    keys: dict[str, str] = {}
    parsed: list[tuple[str, FileEntry]] = []
    if stale and not lazy:
        reused, keys = await anyio.to_thread.run_sync(_from_store, root, stale)
        parsed = await _parse_all(root, [rel for rel in stale if rel not in reused])
    current.update(reused)  # keys already in place: the listing's order stays
    current.update(parsed)
    if parsed and keys:
        await anyio.to_thread.run_sync(_to_store, parsed, keys)
    changed = bool(stale) or set(current) != set(known)
    if stale and state == "cold" and reused:
        state = "partial" if parsed else "store"
    elif stale and state != "cold":
        state = "partial"
    if previous is not None and not changed:
        index = previous
    else:
        # a name resolved before stays resolved while no file was added or changed
        resolved = loaded.resolved if loaded is not None and not stale else set()
        index = SymbolIndex(files=current, resolved=set(resolved))
        _MEMORY[root] = index
    index.root = root
    if complete:
        index.stat_search = searches.current()  # each entry's size and mtime are the file's now
        listing_changed = index.listing != files
        index.listing, index.listed_at = list(files), time.time()
        changed = changed or listing_changed
    if cache is not None and changed:
        await anyio.to_thread.run_sync(_save, cache, index)
    return index, IndexReport(state, len(current), len(parsed),
                              (time.perf_counter() - started) * 1000)


def cached_index(repo: Repo, max_age_s: float) -> tuple[SymbolIndex, IndexState] | None:
    """The index in memory or on disk when its listing is younger than `max_age_s`: a
    search then skips listing and checking every file (`refresh` checks the files it
    shows; the term pass still walks the tree, so new files are found)."""
    index, state = _MEMORY.get(repo.root), "memory"
    if index is None:
        cache = _cache_path(repo)
        index, state = (_load(cache) if cache is not None else None), "warm"
        if index is not None:
            _MEMORY[repo.root] = index
    if index is None or not index.listing or time.time() - index.listed_at > max_age_s:
        return None
    index.root = repo.root
    return index, state  # type: ignore[return-value]


async def refresh(repo: Repo, index: SymbolIndex, paths: list[str]) -> int:
    """Re-parse those of `paths` whose size or mtime changed, and parse those not parsed
    yet (in one batch: the planner is about to outline them); the number parsed."""
    from splice.search.resolve import fill

    base = str(repo.root)
    filled = await anyio.to_thread.run_sync(fill, index, paths)
    stale = []
    for rel in paths:
        if not _has_grammar(rel):
            continue
        entry = index.files.get(rel)
        try:
            st = os.stat(f"{base}/{rel}")
        except OSError:
            continue
        if not entry or entry.size != st.st_size or entry.mtime_ns != st.st_mtime_ns:
            stale.append(rel)
    if not stale:
        return filled
    # kept in memory; the search writes the snapshot once it has answered (save_if_dirty)
    index.set_entries(await anyio.to_thread.run_sync(_parse_batch, repo.root, stale))
    return filled + len(stale)


async def save_if_dirty(repo: Repo, index: SymbolIndex) -> None:
    """Write the snapshot when files were parsed since it was last written."""
    from splice.search.complete import merge_disk

    cache = _cache_path(repo)
    if cache is not None and index.dirty:
        await anyio.to_thread.run_sync(merge_disk, index)  # a completer may have written
        await anyio.to_thread.run_sync(_save, cache, index)


def in_memory(root: Path) -> SymbolIndex | None:
    return _MEMORY.get(root)


def forget_memory(root: Path | None = None) -> None:
    """Drop the in-process copy (tests and benchmarks measure the disk cache this way)."""
    if root is None:
        _MEMORY.clear()
    else:
        _MEMORY.pop(root.resolve(), None)
