"""splice's last rung with compaction on (`--compact auto`): read each gold file still
missing lines whole, as splice's read tool returns an oversized read (compacted to what the
task reaches, every cut stretch a `(filtered N lines: A-B)` marker), then expand markers,
then read what it cut in verbatim pages, nearest where the search and greps pointed first,
until the needed lines are seen.

Against widen_then_read_rest (compaction off: the rest of the file in verbatim reads of up
to READ_MAX_TOKENS), this trades verbatim pages for one compacted view plus targeted reads
of the stretches it cut; `splice bench tokens --compact auto` measures whether that pays.
"""

from __future__ import annotations

from typing import Any

from splice.agent.toolset import READ_MAX_TOKENS
from splice.bench.tokens.accounting import Conversation
from splice.bench.tokens.calls import BATCH, range_call, send
from splice.bench.tokens.listing import folder_levels, list_call
from splice.bench.tokens.locate import Pager, read_nearest_first, unseen_chunks
from splice.bench.tokens.repoview import Hit, RepoView, Seen, numbered
from splice.compact.reads import compact_read
from splice.core.tokens import count_tokens


def read_call(view: RepoView, seen: Seen, path: str, start: int, end: int,
              query: str) -> tuple[str, dict[str, Any], str]:
    """One read as the splice agent's read tool answers it: verbatim up to READ_MAX_TOKENS,
    past that compacted; marks the lines it shows seen."""
    lines = view.lines(path)
    end = min(end, len(lines))
    if count_tokens(numbered(lines, start, end)) <= READ_MAX_TOKENS:
        return range_call(view, seen, path, start, end)
    text = "".join(line + "\n" for line in lines[start - 1:end])
    body, kept = compact_read(text, path, start, query, READ_MAX_TOKENS)
    for a, b in kept:
        seen.add(path, a, b)
    header = f"{path}:{start}-{end} (file has {len(lines)} lines)"
    return ("read", {"path": path, "offset": start, "limit": end - start + 1},
            f"{header}\n{body}")


def _pages_not_shown(view: RepoView, seen: Seen, path: str) -> list[tuple[str, int, int]]:
    """Whole pages of the file (a compacted read leaves many small gaps: a read each would
    be a call each) that still hold a line not shown."""
    return [c for c in unseen_chunks(view, Seen(), path)
            if not all(seen.covers(path, n) for n in range(c[1], c[2] + 1))]


def compacted_pager(query: str) -> Pager:
    def pager(conv: Conversation, view: RepoView, seen: Seen, need: dict[str, set[int]],
              hits: list[Hit]) -> None:
        missing = list(seen.missing(need))
        # a file nothing pointed to is found first, as widen_then_read_rest finds it: the
        # folders near what it found (listing.py), the first listing beside the reads of
        # the files it knows, each folder further down a call of its own
        unlocated = [path for path in missing
                     if path not in seen.lines and not any(h.path == path for h in hits)]
        order = [p for p in missing if p not in unlocated] + unlocated
        levels = folder_levels(hits, unlocated, conv.listed) if unlocated else []
        first = BATCH - 1 if levels else BATCH
        known = [p for p in order[:first] if p not in unlocated]
        if levels:
            send(conv, [list_call(view, levels[0])] + [
                read_call(view, seen, path, 1, len(view.lines(path)), query) for path in known])
            for dirs in levels[1:]:
                send(conv, [list_call(view, dirs)])
            order = order[len(known):]
        for i in range(0, len(order), BATCH):  # each missing file whole, compacted
            send(conv, [read_call(view, seen, path, 1, len(view.lines(path)), query)
                        for path in order[i:i + BATCH]])
        # then what it cut, in verbatim reads of up to READ_MAX_TOKENS, nearest where the
        # search and greps pointed first, one file's after another's in turn
        read_nearest_first(conv, view, seen, need, hits, _pages_not_shown)
        conv.run.files_read = len(seen.lines)

    return pager
