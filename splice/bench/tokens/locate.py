"""Grep-driven localization, step by step, each step one model call.

The ladders (benchmarks/tokens/README.md states them in words):
- whole-file ladder (naive): grep -c for the statement's identifiers, read whole files in
  rank order, BATCH a call; then a broader grep -c of its plain words, the same; then list the files and
  read the missing gold files.
- ranged ladder (careful, and splice's fallback): grep -n, read +-RADIUS lines around each
  visible hit not yet seen, BATCH reads a call; if a gold file was never located (no hit
  or span in it), a broader grep -n, the same (splice, since tokens7: only around hits
  that define a grep term, and no broader grep: the listing finds the file; since session
  11 its names grep is piped to head, AGENT_GREP_LINES lines); then page
  through the gold files still
  missing lines, PAGE lines a read and BATCH reads a call, nearest the hits seen in them
  first (after listing the files when no grep ever showed one).
- splice's last rung (widen_then_read_rest): one call of WIDEN lines above and below the
  first span or hit in each gold file still missing lines, then the rest of those files
  in reads of at most READ_MAX_TOKENS (what splice's read tool returns verbatim).
The gold patch only says when to stop; the order of reads never comes from it, except in
the last rung (paging), which is generous: it goes straight to the right files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from splice.agent.toolset import READ_MAX_TOKENS  # what splice's read returns verbatim
from splice.bench.tokens.accounting import Conversation
from splice.bench.tokens.calls import (
    AGENT_GREP_LINES,
    BATCH,
    grep_count,
    grep_lines,
    list_files,
    range_call,
    read_ranges,
    send,
)
from splice.bench.tokens.listing import first_level, folder_levels, list_call
from splice.bench.tokens.repoview import Hit, RepoView, Seen, fallback_terms, numbered
from splice.core.tokens import count_tokens

RADIUS = 30
PAGE = 100
MAX_READS_PER_GREP = 12
WIDEN = 50              # splice's first look around a span: lines above and below
MAX_READ_LINES = 3000   # no 6,000-token read is longer (bounds the fitting search)

Pager = Callable[[Conversation, RepoView, Seen, dict[str, set[int]], list[Hit]], None]


def whole_file_ladder(conv: Conversation, view: RepoView, seen: Seen, need: dict[str, set[int]],
                      terms: list[str], problem: str) -> None:
    listed = grep_count(conv, view, terms) if terms else []
    conv.run.localized = bool(listed) and all(p in listed for p in need)
    _read_listed(conv, view, seen, need, listed)
    conv.run.lines_found = share_seen(seen, need)
    if not seen.missing(need):
        return
    conv.in_fallback = True
    broader = fallback_terms(problem, terms)
    if broader:
        _read_listed(conv, view, seen, need, grep_count(conv, view, broader))
    missing = seen.missing(need)
    if missing:
        list_files(conv, view)
        _read_listed(conv, view, seen, need, list(missing))


def _read_listed(conv: Conversation, view: RepoView, seen: Seen, need: dict[str, set[int]],
                 listed: list[str]) -> None:
    """Whole files in listed order, BATCH a call, until every gold file is read."""
    todo = [p for p in listed if p not in seen.lines][:MAX_READS_PER_GREP]
    for i in range(0, len(todo), BATCH):
        if not seen.missing(need):
            return
        calls = []
        for path in todo[i:i + BATCH]:
            calls.append(("read_file", {"path": path}, view.text(path)))
            seen.add(path, 1, max(1, len(view.lines(path))))
        conv.batch(calls)
        conv.run.files_read = len(seen.lines)


def ranged_ladder(conv: Conversation, view: RepoView, seen: Seen, need: dict[str, set[int]],
                  groups: list[list[str]], problem: str, *, primary: bool,
                  anchors: list[Hit] | None = None, pager: Pager | None = None,
                  agent: bool = False) -> None:
    """careful's whole strategy (primary=True), or splice's fallback after its search
    (`anchors`: where the search already pointed). `groups`: the grep terms of each ask of
    the statement, one grep each. A gold file the agent has located (a hit or a span in
    it) is paged near those places; one never located costs the greps. With `agent` (the
    splice agent's rules, as its prompt states them) it reads around the hits that define
    a grep term only (`defining`), nearby ones as one read, and greps once: a file that
    grep of the report's names did not show is found by listing folders, not by a second
    grep of its plain words (on the 25 dev tasks that grep: 1,961,313 tokens with it,
    1,621,462 without, 25/25 edits either way); and it pipes that grep to `head`
    (AGENT_GREP_LINES lines: on the 23 dev tasks that grep, 1,531,421 tokens at 100 lines,
    1,264,066 at 10, 23/23 edits either way; its 100 lines rode in every later call); and
    it lists the folders the search showed in the same call as that grep (`first_level`;
    the pager lists only the folders further down: on those 23 tasks, 1,264,066 -> 1,143,615
    tokens; the grep alone never spared the listing there)."""
    all_hits: list[Hit] = list(anchors or [])
    groups = [g for g in groups if g]
    used = [t for g in groups for t in g]

    def unlocated() -> list[str]:
        return [p for p in seen.missing(need) if not any(h.path == p for h in all_hits)]

    if groups and (primary or unlocated()):
        beside: list[tuple[str, dict[str, Any], str]] = []
        if agent:  # the folders search showed, listed in the same call as the grep
            conv.listed = first_level(all_hits)
            beside = [list_call(view, conv.listed)]
        hits = grep_lines(conv, view, groups, AGENT_GREP_LINES if agent else None, beside)
        all_hits += hits
        if primary:
            conv.run.localized = all(p in {h.path for h in hits} for p in need)
        _read_hits(conv, view, seen, need, defining(hits, used) if agent else hits,
                   MAX_READS_PER_GREP * len(groups[:BATCH]), merge=agent)
    if primary:
        conv.run.lines_found = share_seen(seen, need)
    if not seen.missing(need):
        return
    conv.in_fallback = True
    broader = [] if agent else fallback_terms(problem, used)
    if broader and unlocated():
        hits = grep_lines(conv, view, [broader])
        all_hits += hits
        _read_hits(conv, view, seen, need, hits, MAX_READS_PER_GREP)
    (pager or page_missing)(conv, view, seen, need, all_hits)


def defining(hits: list[Hit], terms: list[str]) -> list[Hit]:
    """The grep lines that define one of `terms` (`def T`, `class T`, `function T`): where
    the agent looks first for what a name does. Lines that only use a name, in files the
    agent cannot tell apart by one line, are not read around (since tokens7: before, up to
    12 windows a grep, in 17 of 25 dev tasks none in a file to fix)."""
    if not terms:
        return []
    pattern = re.compile(r"^\s*(?:async\s+)?(?:def|class|function)\s+(?:"
                         + "|".join(map(re.escape, terms)) + r")\b")
    return [h for h in hits if pattern.match(h.text)]


def _read_hits(conv: Conversation, view: RepoView, seen: Seen, need: dict[str, set[int]],
               hits: list[Hit], limit: int, *, merge: bool = False) -> None:
    """+-RADIUS around the visible hits not yet seen, BATCH reads a call, until done; at
    most `limit` hits read around.

    With `merge` (the splice agent's rule), a hit's window that overlaps or touches one
    already planned in the same file joins it (one read of the union, while it stays
    within what the read tool shows verbatim), and a window does not re-read lines
    already seen at its ends: nearby hits are one read, not several overlapping ones."""
    used = 0
    pending = list(hits)
    while pending and seen.missing(need) and used < limit:
        planned: list[tuple[str, int, int]] = []
        rest = []
        for hit in pending:
            if seen.covers(hit.path, hit.line) or hit.path in conv.edited or any(
                    p == hit.path and a <= hit.line <= b for p, a, b in planned):
                continue
            if used >= limit:
                rest.append(hit)
                continue
            window = _hit_window(view, seen, hit) if merge else (
                hit.path, hit.line - RADIUS, hit.line + RADIUS)
            joined = join_read(view, planned, window) if merge else False
            if joined or len(planned) < BATCH:
                if not joined:
                    planned.append(window)
                used += 1
            else:
                rest.append(hit)
        if not planned:
            return
        read_ranges(conv, view, seen, planned)
        pending = rest


def _hit_window(view: RepoView, seen: Seen, hit: Hit) -> tuple[str, int, int]:
    """+-RADIUS around a hit, clipped to the file, without the seen lines at its ends."""
    lo, hi = max(1, hit.line - RADIUS), min(len(view.lines(hit.path)), hit.line + RADIUS)
    while lo < hit.line and seen.covers(hit.path, lo):
        lo += 1
    while hi > hit.line and seen.covers(hit.path, hi):
        hi -= 1
    return hit.path, lo, hi


def join_read(view: RepoView, planned: list[tuple[str, int, int]],
          window: tuple[str, int, int]) -> bool:
    """Grow the planned read of the same file that `window` overlaps or touches to cover
    it too, if the union still fits one verbatim read; False when none can take it."""
    path, lo, hi = window
    for i, (other, a, b) in enumerate(planned):
        if other == path and lo <= b + 1 and hi >= a - 1:
            start, end = min(lo, a), max(hi, b)
            if count_tokens(numbered(view.lines(path), start, end)) <= READ_MAX_TOKENS:
                planned[i] = (path, start, end)
                return True
    return False


def page_missing(conv: Conversation, view: RepoView, seen: Seen, need: dict[str, set[int]],
                 hits: list[Hit]) -> None:
    """Last rung: page through each gold file still missing lines, nearest the hits in it."""
    missing = seen.missing(need)
    if any(path not in seen.lines and not any(h.path == path for h in hits) for path in missing):
        list_files(conv, view)
    queue: list[tuple[str, int]] = []
    for path in missing:
        total = len(view.lines(path))
        anchors = [h.line for h in hits if h.path == path] + sorted(seen.lines.get(path, ()))[:1]
        pages = list(range(1, max(total, 1) + 1, PAGE))
        pages.sort(key=lambda p: min((abs(p + PAGE // 2 - a) for a in anchors), default=p))
        queue += [(path, first) for first in pages]
    while queue and seen.missing(need):
        batch: list[tuple[str, int, int]] = []
        while queue and len(batch) < BATCH:
            path, first = queue.pop(0)
            last = min(first + PAGE - 1, len(view.lines(path)))
            if path not in seen.missing(need) or all(seen.covers(path, n)
                                                     for n in range(first, last + 1)):
                continue
            batch.append((path, first, last))
        read_ranges(conv, view, seen, batch)


def widen_then_read_rest(conv: Conversation, view: RepoView, seen: Seen,
                         need: dict[str, set[int]], hits: list[Hit]) -> None:
    """splice's last rung: one call of PAGE-line reads nearest what the search and greps
    showed in each file still missing lines (look around the hit), then the rest of those
    files in reads as large as splice's read tool returns verbatim (READ_MAX_TOKENS),
    nearest the hits first and one file's after another's in turn, BATCH a call. A file
    listing (the folders near what it found, listing.py), when a missing file was never
    located, goes in the widening call; each folder further down, a call of its own. Like
    page_missing it goes straight to the gold files; unlike it, it does not walk a big
    file 100 lines at a time, re-sending the whole conversation with every page."""
    missing = seen.missing(need)
    unlocated = [path for path in missing
                 if path not in seen.lines and not any(h.path == path for h in hits)]
    levels = folder_levels(hits, unlocated, conv.listed) if unlocated else []
    first: list[tuple[str, int, int]] = []
    for path in missing:  # above and below the first place the agent was pointed to
        total = len(view.lines(path))
        anchors = _anchors(path, seen, hits)
        if not anchors or not total:
            continue
        lo = hi = min(max(anchors[0], 1), total)
        if not seen.covers(path, lo):  # a grep hit: read around it
            first.append((path, max(1, lo - WIDEN), min(total, lo + WIDEN)))
            continue
        while lo > 1 and seen.covers(path, lo - 1):
            lo -= 1
        while hi < total and seen.covers(path, hi + 1):
            hi += 1
        if lo > 1:
            first.append((path, max(1, lo - WIDEN), lo - 1))
        if hi < total:
            first.append((path, hi + 1, min(total, hi + WIDEN)))
    if levels:  # the listing and the widening are independent: one call, BATCH calls
        send(conv, [list_call(view, levels[0])]
             + [range_call(view, seen, *r) for r in first[:BATCH - 1]])
        for dirs in levels[1:]:  # the file was not under them: one level up, a call
            send(conv, [list_call(view, dirs)])
    else:
        read_ranges(conv, view, seen, first[:BATCH])
    read_nearest_first(conv, view, seen, need, hits, unseen_chunks)


def read_nearest_first(conv: Conversation, view: RepoView, seen: Seen,
                       need: dict[str, set[int]], hits: list[Hit],
                       chunks_of: Callable[[RepoView, Seen, str], list[tuple[str, int, int]]],
                       ) -> None:
    """Read `chunks_of` each file still missing lines, nearest its hits first, BATCH a
    call, until nothing is missing."""
    per_file = []
    for path in seen.missing(need):
        anchors = _anchors(path, seen, hits) or [1]
        chunks = chunks_of(view, seen, path)
        chunks.sort(key=lambda c: min(min(abs(a - c[1]), abs(a - c[2])) for a in anchors))
        per_file.append(chunks)
    # each file's nearest unseen chunk first, then each one's next: a file is done (and
    # edited, its reads masked) sooner than when one file is read through before the next
    queue = [chunks[i] for i in range(max(map(len, per_file), default=0))
             for chunks in per_file if i < len(chunks)]
    while queue and seen.missing(need):
        batch = [c for c in queue[:BATCH] if c[0] in seen.missing(need)]
        queue = queue[BATCH:]
        read_ranges(conv, view, seen, batch)


def reread_lost(conv: Conversation, view: RepoView, seen: Seen,
                need: dict[str, set[int]]) -> None:
    """The history compactor masked results that showed lines the edit needs (the agent's
    loop does it past its trigger): read them again, +-RADIUS around each stretch of them
    (stretches closer than 2*RADIUS as one read while it fits READ_MAX_TOKENS), BATCH a
    call."""
    shown = conv.live_lines()
    ranges: list[tuple[str, int, int]] = []
    for path, lines in need.items():
        lost = sorted(n for n in lines if n not in shown.get(path, ()))
        total = len(view.lines(path))
        for n in lost:
            window = (path, max(1, n - RADIUS), min(total, n + RADIUS))
            last = ranges[-1:]
            if last and join_read(view, last, window):  # same file, near enough, fits
                ranges[-1] = last[0]
            else:
                ranges.append(window)
    read_ranges(conv, view, seen, ranges)


def _anchors(path: str, seen: Seen, hits: list[Hit]) -> list[int]:
    """Where the agent was pointed in a file: its hits and spans, else the first seen line."""
    return [h.line for h in hits if h.path == path] or sorted(seen.lines.get(path, ()))[:1]


def unseen_chunks(view: RepoView, seen: Seen, path: str) -> list[tuple[str, int, int]]:
    """The file's unseen runs of lines, each cut into the largest reads whose numbered
    body counts at most READ_MAX_TOKENS, as the read tool counts it (past that it would
    compact the read, not show it whole)."""
    lines = view.lines(path)
    runs: list[tuple[int, int]] = []
    for n in range(1, len(lines) + 1):
        if seen.covers(path, n):
            continue
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    chunks: list[tuple[str, int, int]] = []
    for start, end in runs:
        while start <= end:
            lo, hi = start, min(end, start + MAX_READ_LINES)  # one line always goes
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if count_tokens(numbered(lines, start, mid)) <= READ_MAX_TOKENS:
                    lo = mid
                else:
                    hi = mid - 1
            chunks.append((path, start, lo))
            start = lo + 1
    return chunks


def share_seen(seen: Seen, need: dict[str, set[int]]) -> float:
    total = sum(len(v) for v in need.values())
    if not total:
        return 1.0 if not seen.missing(need) else 0.0
    got = sum(1 for path, lines in need.items() for n in lines if seen.covers(path, n))
    return round(got / total, 3)
