"""`search()`: one request in, spans best first out. Nothing else leaves the worker."""

from __future__ import annotations

import threading
import time

import anyio

from splice.core.errors import InvalidRequest
from splice.core.repo import Repo
from splice.core.tokens import encoding
from splice.search import complete, searches
from splice.search.context import SearchContext
from splice.search.deterministic import gather, rank
from splice.search.fitting import LineCache, SpanCandidate, fit
from splice.search.index import build_index, cached_index, save_if_dirty
from splice.search.models import SearchRequest, SearchResult, SearchStats
from splice.search.occurrences import usable
from splice.search.resolve import resolve
from splice.search.ripgrep import Engine
from splice.search.symbol_index import SymbolIndex
from splice.search.terms import extract_terms

# A listing younger than this is reused (files created since are still found by the term
# pass; only counts lag). Agents search in bursts; a listing is ~100 ms on a 500k-line repo.
LISTING_MAX_AGE_S = 60.0


def _check(request: SearchRequest) -> None:
    if not request.query.strip() and not (request.pattern or "").strip():
        raise InvalidRequest("the search query is empty",
                             hint="Say what to find: a symbol, an error message, a behaviour.")
    if "\x00" in (request.pattern or ""):
        raise InvalidRequest("the pattern contains a NUL byte", hint="Remove it.")


async def prepare(request: SearchRequest, engine: Engine) -> tuple[SearchContext, SearchStats, LineCache]:
    """File list and symbol index for a request (errors are typed)."""
    repo = engine.repo
    scope = engine.confine(request.paths) if request.paths else []
    started = time.perf_counter()
    cached = cached_index(repo, LISTING_MAX_AGE_S) if not scope and request.model is None else None
    if cached is not None:  # a recent listing: skip listing and checking every file
        index, state = cached
        stats = SearchStats(files_scanned=len(index.listing), index=state, listing="cached",
                            index_files=len(index.files),
                            index_ms=round((time.perf_counter() - started) * 1000, 1))
        return SearchContext(engine, index.listing, index, scope), stats, LineCache(repo)
    files = None if scope else unchanged_listing(repo)
    if files is None:
        files = await engine.files(scope)
    # lazy: only the files that can define a name the query asks about get parsed (resolve.py)
    index, report = await build_index(repo, files, complete=not scope, lazy=True)
    stats = SearchStats(files_scanned=len(files), index=report.state, index_files=report.files,
                        index_parsed=report.parsed, index_ms=round(report.ms, 1))
    return SearchContext(engine, files, index, scope), stats, LineCache(repo)


def unchanged_listing(repo: Repo) -> list[str] | None:
    """The snapshot's listing, when the word postings say no folder changed since they were
    built on it (no file added, removed or renamed): listing the repo again would give the
    same files. Every file is still checked (build_index) for changed content."""
    index = cached_index(repo, float("inf"))
    if index is None:
        return None
    p = usable(repo.root)
    return index[0].listing if p is not None and p.paths == index[0].listing else None


def query_names(query: str) -> set[str]:
    """The definition names a query's terms may ask the index about, as the planner asks
    (a term's names, else a prose word itself); one it misses is resolved when asked."""
    return {n for t in extract_terms(query).terms for n in (t.names or [t.text.lower()])}


async def _resolve_query(index: SymbolIndex, query: str, stats: SearchStats) -> None:
    """Parse the files that may define the query's names, off the event loop, before the
    planner asks (it would otherwise parse them in find(), blocking the loop)."""
    before = len(index.unparsed())
    if before:
        await anyio.to_thread.run_sync(resolve, index, query_names(query))
        stats.index_parsed += before - len(index.unparsed())


async def search(request: SearchRequest) -> SearchResult:
    """Find the line ranges that answer `request.query` within `request.max_tokens`.

    With `request.model` (and planner "auto" or "model") a model explores in its own
    context; on any failure of it the deterministic planner answers and the stats say why.
    """
    started = time.perf_counter()
    _check(request)
    engine = Engine(Repo(request.repo), timeout_s=request.timeout_s)
    engine.confine(request.paths)  # a path outside the repo fails before any work
    if request.pattern:
        await engine.check_regex(request.pattern)
    use_model = request.model is not None and request.planner in ("auto", "model")
    if request.planner == "model" and request.model is None:
        raise InvalidRequest("planner 'model' needs a model",
                             hint="Pass SearchRequest(model=...) or use planner 'deterministic'.")
    # cl100k takes about a second to load in a new process: load it while rg runs and the
    # planner ranks; fitting waits for it
    tokenizer = threading.Thread(target=encoding, daemon=True)
    tokenizer.start()
    searches.new_search()
    ctx, stats, cache = await prepare(request, engine)
    await _resolve_query(ctx.index, request.query, stats)
    note = ""
    if not ctx.files:
        note = "The repository has no searchable text files (all ignored, hidden, binary or empty)."
        return await _finish(SearchResult(stats=stats, note=note), ctx, started)
    if not ctx.index.files:
        note = ("No file is in a language splice parses (python, javascript, typescript, go, "
                "rust, java): hits are shown with nearby lines, not whole definitions.")
    ranked_at = time.perf_counter()
    candidates: list[SpanCandidate] | None = None
    missing: list[str] = []
    if use_model:
        from splice.search.model_planner import plan_with_model

        candidates = await plan_with_model(request, ctx, stats)
    if candidates is None:
        got = await gather(ctx, request.query, request.pattern)
        ranking = await rank(ctx, got)
        candidates = ranking.candidates
        stats.terms = ranking.terms
        stats.index_parsed += ranking.refreshed
        stats.files_matched = ranking.files_matched
        note = ranking.note or note
        missing = ranking.missing
    await anyio.to_thread.run_sync(tokenizer.join)
    spans, texts, used = fit(candidates, cache, request.max_tokens)
    stats.rank_ms = round((time.perf_counter() - ranked_at) * 1000, 1)
    stats.tokens_returned = used
    if candidates and not spans:
        note = f"Matches were found, but none fits in {request.max_tokens} tokens."
    return await _finish(SearchResult(spans=spans, texts=texts, stats=stats, note=note,
                                missing=missing), ctx, started)


async def _finish(result: SearchResult, ctx: SearchContext, started: float) -> SearchResult:
    await save_if_dirty(ctx.engine.repo, ctx.index)  # what was parsed is kept for the next search
    if ctx.index.root is not None and not ctx.scope and (
            ctx.index.unparsed() or complete.postings_wanted(ctx.index.root, ctx.files)):
        complete.start(ctx.index.root)  # the rest is parsed (and counted) in the background
    if result.stats.index == "cold" and ctx.index.from_store:  # content seen in another copy
        result.stats.index = "partial" if ctx.index.parsed_here else "store"
    result.stats.rg_calls = ctx.engine.calls
    result.stats.total_ms = round((time.perf_counter() - started) * 1000, 1)
    return result
