"""The three replayed agents: naive, careful and splice. No model; real repo, real workers.

Each policy turns a task into a sequence of model calls (see accounting.Conversation),
localizes with its own tools until it has seen every gold line (the oracle stop), edits
every gold file in its own format until the file equals the gold post-image, and finishes.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from splice.bench.tokens.accounting import Conversation, PolicyRun
from splice.bench.tokens.bound import Bound, oracle_fallback
from splice.bench.tokens.calls import BATCH, read_ranges
from splice.bench.tokens.compacted_reads import compacted_pager
from splice.bench.tokens.edits import EditState, edit_files
from splice.bench.tokens.gold import GoldFile
from splice.bench.tokens.locate import (
    ranged_ladder,
    reread_lost,
    share_seen,
    whole_file_ladder,
    widen_then_read_rest,
)
from splice.bench.tokens.prompts import prefix_tokens, task_message
from splice.bench.tokens.repoview import Hit, RepoView, Seen, query_terms
from splice.core.spans import Span

POLICIES = ("naive", "careful", "splice")
MAX_SPAN_REREADS = 8


class SpliceSettings(BaseModel):
    """The splice policy's fixed knobs (the same for every task)."""

    search_tokens: int = Field(default=2000, ge=100,
                               description="max_tokens of the one search call")
    # 1.0: the orchestrator's search tool returns the worker's spans as they are (compaction
    # is for long reads, command output and history), so the replay does not compact them
    # either; below 1 the answer is compacted first (see ablation.md).
    compact_ratio: float = Field(default=1.0, gt=0, le=1,
                                 description="compact keeps this share of the search's tokens")
    # auto (since tokens6): the agent's read tool compacts a read past its cap
    # (splice.agent.toolset.worker_toolset), so a whole-file read comes compacted
    compact_auto: bool = Field(default=True, description="reads past the read tool's cap "
                               "come compacted (auto) and the last rung reads files whole")
    # agent: the replayed agent's own fallback; oracle-*: the floor of any fallback (bound.py)
    fallback: Literal["agent"] | Bound = Field(
        default="agent", description="what follows a search that missed lines: the agent's "
        "fallback, or an oracle's minimum reads (a bound, not a policy)")


def term_groups(problem: str, view: RepoView) -> list[list[str]]:
    """The grep terms: one group, one grep. (One grep per changelog item was tried: it
    cost careful 38% and splice 8% more on the default task set, so both use one.)"""
    return [query_terms(problem, view.package_names())]


def _need(golds: list[GoldFile]) -> dict[str, set[int]]:
    return {g.path: set(g.lines) for g in golds if not g.added}


def _edit_and_finish(conv: Conversation, policy: str, golds: list[GoldFile],
                     state: EditState | None = None) -> PolicyRun:
    conv.in_fallback, conv.editing = False, True
    conv.ride_along = None
    conv.run.edit_ok = edit_files(conv, policy, golds, BATCH, state)
    changed = ", ".join(g.path for g in golds)
    conv.call("finish", {"summary": f"Changed {changed} as the task asks."}, None)
    return conv.run


def naive(problem: str, view: RepoView, golds: list[GoldFile]) -> PolicyRun:
    """grep for the statement's identifiers, read whole files in hit order until every
    gold file is read, write each gold file back whole."""
    conv = Conversation("naive", prefix_tokens("naive"), task_message(problem))
    seen = Seen()
    whole_file_ladder(conv, view, seen, _need(golds), query_terms(problem, view.package_names()),
                      problem)
    return _edit_and_finish(conv, "naive", golds)


def careful(problem: str, view: RepoView, golds: list[GoldFile]) -> PolicyRun:
    """grep -n, ranged reads around hits until every gold line is seen, SEARCH/REPLACE."""
    conv = Conversation("careful", prefix_tokens("careful"), task_message(problem))
    seen = Seen()
    ranged_ladder(conv, view, seen, _need(golds), term_groups(problem, view), problem,
                  primary=True)
    return _edit_and_finish(conv, "careful", golds)


async def _search_call(query: str, view: RepoView, settings: SpliceSettings, seen: Seen,
                       conv: Conversation) -> tuple[tuple[str, dict[str, Any], str],
                                                     list[Span], list[tuple[str, int, int]]]:
    """One `search` tool call: the worker's spans, compacted; marks the kept lines seen.
    Returns the call, the spans and the compacted sections that lost lines."""
    from splice.compact import CompactRequest, compact
    from splice.core.spans import Chunk
    from splice.search import SearchRequest, search

    result = await search(SearchRequest(query=query, repo=str(view.root),
                                        max_tokens=settings.search_tokens,
                                        planner="deterministic"))
    conv.worker(result.stats.model_input_tokens + result.stats.model_output_tokens)
    filtered: list[tuple[str, int, int]] = []  # cut stretches, in span order
    shown = result.render()
    if result.spans and settings.compact_ratio >= 1:  # shown as the search tool returns it
        # (auto compacts reads only: on the search's own spans it kept 99% of the tokens,
        # see benchmarks/compact/README.md)
        for span in result.spans:
            seen.add(span.path, span.start_line, span.end_line)
    elif result.spans:
        chunks = [Chunk(text=text, path=span.path, start_line=span.start_line)
                  for span, text in zip(result.spans, result.texts, strict=True)]
        compacted = await compact(CompactRequest(chunks=chunks, query=query,
                                                 ratio=settings.compact_ratio, kind="code"))
        shown = compacted.render()
        for section in compacted.sections:
            path = section.path or ""
            for start, end in section.kept_ranges:
                seen.add(path, start, end)
            cursor = section.start_line  # the stretches compaction cut, from its markers
            for start, end in [*section.kept_ranges, (section.end_line + 1, 0)]:
                if start > cursor:
                    filtered.append((path, cursor, start - 1))
                cursor = max(cursor, end + 1)
    call = ("search", {"query": query, "max_tokens": settings.search_tokens}, shown)
    return call, list(result.spans), filtered


async def splice(problem: str, view: RepoView, golds: list[GoldFile],
                 settings: SpliceSettings | None = None) -> PolicyRun:
    """A search of the statement (compacted only when compact_ratio < 1, then re-reads of
    what compaction cut); for whatever is still missing, greps for files never located and
    the widen-then-read-rest rung; then lazy edits through the apply engine."""
    settings = settings or SpliceSettings()
    conv = Conversation("splice", prefix_tokens("splice"), task_message(problem, "splice"),
                        agent=True)
    seen = Seen()
    need = _need(golds)
    state = EditState("splice", golds)
    conv.ride_along = EarlyEdits(conv, state, seen, need)
    items = [problem]  # the whole statement is the query (see term_groups)
    spans: list[Span] = []
    filtered: list[tuple[str, int, int]] = []
    for i in range(0, len(items), BATCH):
        calls = []
        for item in items[i:i + BATCH]:
            call, found, cut = await _search_call(item, view, settings, seen, conv)
            calls.append(call)
            spans += found
            filtered += cut
        conv.batch(calls)
    conv.run.files_read = len(seen.lines)
    conv.run.localized = all(p in {s.path for s in spans} for p in need)
    conv.run.lines_found = share_seen(seen, need)
    if seen.missing(need) and settings.fallback != "agent":
        conv.in_fallback = True
        oracle_fallback(settings.fallback, problem)(
            conv, view, seen, need, [Hit(s.path, s.start_line, "") for s in spans])
    if seen.missing(need):
        conv.in_fallback = True
        for i in range(0, min(len(filtered), MAX_SPAN_REREADS), BATCH):
            if not seen.missing(need):
                break
            read_ranges(conv, view, seen, filtered[i:min(i + BATCH, MAX_SPAN_REREADS)])
        if seen.missing(need):
            anchors = [Hit(s.path, s.start_line, "") for s in spans]
            pager = compacted_pager(problem) if settings.compact_auto else widen_then_read_rest
            ranged_ladder(conv, view, seen, need, term_groups(problem, view),
                          problem, primary=False, anchors=anchors, pager=pager, agent=True)
    if conv.run.history_compactions:  # what the edits still need may have been masked
        reread_lost(conv, view, seen, {g.path: need[g.path] for g in golds
                                       if g.path in need and not state.started(g)})
    return _edit_and_finish(conv, "splice", golds, state)


class EarlyEdits:
    """The splice agent edits a gold file as soon as it has seen every line the file's
    change needs, in a free slot of the next call it makes anyway (its reads of the other
    files): the first attempt only; a refused or wrong one waits for the edit phase. Its
    reads of the edited file then go stale and are masked from every later call
    (splice.agent.stale)."""

    def __init__(self, conv: Conversation, state: EditState, seen: Seen,
                 need: dict[str, set[int]]) -> None:
        self.conv, self.state, self.seen, self.need = conv, state, seen, need
        self._ready: list[GoldFile] = []

    def after_call(self) -> None:
        """Files the results so far showed every needed line of, not edited yet. (Reads
        mark lines seen when they are planned: this runs before the next call's are.)"""
        shown = self.seen
        if self.conv.run.history_compactions:  # it edits from what its history still shows
            shown = Seen()
            shown.lines = self.conv.live_lines()
        self._ready = [g for g in self.state.golds if not self.state.started(g)
                       and not shown.missing({g.path: self.need[g.path]}
                                             if g.path in self.need else {})]

    def take(self, slots: int) -> list[tuple[str, dict[str, Any], str]]:
        calls = []
        taken, self._ready = self._ready[:slots], self._ready[slots:]
        for gold in taken:
            call, _ = self.state.next_call(gold)
            if self.state.current[gold.path] != gold.before:  # it changed the file
                self.conv.edited.add(gold.path)
            calls.append(call)
        return calls
