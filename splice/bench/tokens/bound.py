"""The fallback's floor: what splice's fallback would cost if it made only the reads that
show the fix lines (an oracle bound, not a policy: it goes straight to the gold lines).

`--fallback oracle-defs`: after the search, each gold line still unseen is read once inside
its innermost enclosing definition (function, method or class, from the search worker's
tree-sitter definitions), or, when none holds it or that definition is larger than one
verbatim read (READ_MAX_TOKENS), within +-RADIUS lines of it; reads that overlap or touch
are one read while it fits; BATCH reads a call. `--fallback oracle-lines`: the needed lines
alone, +-LINES_CONTEXT (no agent could pick these without the patch: the lowest floor).
`--fallback oracle-files`: the agent is handed the gold files' paths, not their lines, and
reads each file still missing lines as it reads a located file (compacted_reads): whole, as
the read tool compacts it, then the pages compaction cut, nearest the search's spans in it
(else the file's start). Against the agent's fallback it removes *finding the file* (greps,
reads around hits in the wrong files, listings); against oracle-defs it keeps *finding the
lines in it*, so the two split the gap.

If the fallback share measured with these is still above the target, no cheaper fallback
reaches it: only the search showing the lines in more tasks does.
"""

from __future__ import annotations

from typing import Literal, get_args

from splice.agent.toolset import READ_MAX_TOKENS
from splice.bench.tokens.accounting import Conversation
from splice.bench.tokens.calls import read_ranges
from splice.bench.tokens.compacted_reads import compacted_pager
from splice.bench.tokens.locate import RADIUS, Pager, join_read
from splice.bench.tokens.repoview import Hit, RepoView, Seen, numbered
from splice.core.syntax import language_name
from splice.core.tokens import count_tokens

LINES_CONTEXT = 2
Bound = Literal["oracle-defs", "oracle-lines", "oracle-files"]
BOUNDS: tuple[str, ...] = get_args(Bound)  # the one list: settings and the CLI are views of it


def _definition_window(view: RepoView, path: str, line: int) -> tuple[str, int, int]:
    """The innermost definition holding `line` that one verbatim read shows, else a
    +-RADIUS window around it."""
    from splice.search.symbols import extract_definitions

    lines = view.lines(path)
    language = language_name(path)
    defs = extract_definitions("\n".join(lines).encode("utf-8", "surrogateescape"),
                               language) if language else []
    holders = sorted((d for d in defs if d.start_line <= line <= d.end_line),
                     key=lambda d: d.end_line - d.start_line)
    for d in holders:  # innermost first
        if count_tokens(numbered(lines, d.start_line, d.end_line)) <= READ_MAX_TOKENS:
            return path, d.start_line, d.end_line
    return path, max(1, line - RADIUS), min(len(lines), line + RADIUS)


def minimal_reads(view: RepoView, seen: Seen, need: dict[str, set[int]],
                  kind: str) -> list[tuple[str, int, int]]:
    """The reads the bound makes: one window per unseen needed line not already inside an
    earlier window, windows of one file that overlap or touch joined while they fit."""
    ranges: list[tuple[str, int, int]] = []
    for path, lines in seen.missing(need).items():
        total = len(view.lines(path))
        planned: list[tuple[str, int, int]] = []
        for n in sorted(lines):
            if any(a <= n <= b for _, a, b in planned):
                continue
            window = _definition_window(view, path, n) if kind == "oracle-defs" else (
                path, max(1, n - LINES_CONTEXT), min(total, n + LINES_CONTEXT))
            if not join_read(view, planned, window):
                planned.append(window)
        ranges += planned
    return ranges


def handed_files(query: str) -> Pager:
    """oracle-files: every gold file still missing lines is known (no grep, no listing):
    the agent's own last rung (compacted_pager) on those files as if each were located,
    at its start when nothing pointed into it."""
    pager = compacted_pager(query)

    def handed(conv: Conversation, view: RepoView, seen: Seen, need: dict[str, set[int]],
               hits: list[Hit]) -> None:
        pointed = {h.path for h in hits}
        pager(conv, view, seen, need,
              hits + [Hit(path, 1, "") for path in seen.missing(need) if path not in pointed])

    return handed


def oracle_fallback(kind: str, query: str = "") -> Pager:
    """A pager (locate.Pager): oracle-defs and oracle-lines read only `minimal_reads`,
    BATCH a call; oracle-files reads the handed gold files as a located file is read."""
    if kind not in BOUNDS:
        raise ValueError(f"unknown bound {kind!r}: use one of {', '.join(BOUNDS)}")
    if kind == "oracle-files":
        return handed_files(query)

    def pager(conv: Conversation, view: RepoView, seen: Seen, need: dict[str, set[int]],
              hits: list[Hit]) -> None:
        read_ranges(conv, view, seen, minimal_reads(view, seen, need, kind))

    return pager
