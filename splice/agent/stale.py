"""Reads that no longer show the file are masked from the history.

A `read` result shows lines as they were. Once an edit changes those lines, or inserts or
deletes lines above them (so their numbers moved), the result is stale: it would mislead
a model that anchors its next edit on it, and every later turn re-sends it for nothing.
A read whose lines a later, unfiltered read of the same file showed again is superseded.
Both are replaced by a one-line placeholder that says how to get the lines back. Blocks
are edited in place, never removed, so every tool_use keeps its tool_result.

Ranges come from the read tool's own header (`path:start-end (file has N lines)`) and
changes from the edit tool's unified diff, so the rule needs no state beyond the history
and survives a resume.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from splice.agent.tool_io import EDIT, SEARCH
from splice.core.llm import Block, Message, ToolResultBlock, ToolUseBlock

# Starts as the history compactor's placeholders do, so it never masks one again.
STALE_PREFIX = "[tool result masked"
FILTERED_MARK = "(filtered "   # the compact worker's marker: such a read skipped lines
READ_HEADER = re.compile(r"^(?P<path>.+):(?P<start>\d+)-(?P<end>\d+) \(file has \d+ lines\)$")
SPAN_HEADER = re.compile(r"^(?P<path>\S.*):(?P<start>\d+)-(?P<end>\d+)$")  # a search span
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@")


@dataclass(frozen=True)
class LineChange:
    """One run of changed pre-image lines: `first..last` replaced (last = first - 1: lines
    inserted before `first`), `delta` lines gained (negative: lost)."""

    first: int
    last: int
    delta: int


@dataclass(frozen=True)
class ReadRange:
    path: str
    start: int
    end: int
    filtered: bool = False


def read_range(result: str) -> ReadRange | None:
    """The file and lines a read result shows, from its header; None if it is not one."""
    head, _, body = result.partition("\n")
    match = READ_HEADER.match(head)
    if match is None:
        return None
    return ReadRange(match["path"], int(match["start"]), int(match["end"]),
                     filtered=FILTERED_MARK in body)


def diff_changes(diff: str) -> dict[str, list[LineChange]]:
    """Per file, the pre-image lines a unified diff changes (a deleted file: all of them)."""
    out: dict[str, list[LineChange]] = {}
    path: str | None = None
    old = 0
    run: list[int] = []  # [first, last, delta] of the run being read

    def close() -> None:
        if run and path is not None:
            out.setdefault(path, []).append(LineChange(*run))
        run.clear()

    minus = ""
    for line in diff.splitlines():
        if line.startswith("--- "):
            close()
            minus = _diff_path(line[4:])
            continue
        if line.startswith("+++ "):
            plus = _diff_path(line[4:])
            path = plus if plus != "/dev/null" else minus
            if minus != path and minus != "/dev/null" or plus == "/dev/null":
                # deleted, or moved away: nothing read under the old name stands
                out.setdefault(minus, []).append(LineChange(1, 10**9, -1))
            continue
        hunk = _HUNK.match(line)
        if hunk:
            close()
            old = int(hunk.group(1)) if hunk.group(2) != "0" else int(hunk.group(1)) + 1
            continue
        if path is None or not line or line[0] not in " -+":
            continue
        if line[0] == " ":
            close()
            old += 1
        elif line[0] == "-":
            if not run:
                run.extend([old, old, 0])
            run[1], run[2] = old, run[2] - 1
            old += 1
        else:  # "+"
            if not run:
                run.extend([old, old - 1, 0])
            run[2] += 1
    close()
    return out


def _diff_path(name: str) -> str:
    name = name.split("\t")[0].strip()
    return name[2:] if name[:2] in ("a/", "b/") else name


def is_stale(start: int, end: int, changes: Sequence[LineChange]) -> bool:
    """Lines start..end no longer read the same at the same numbers after `changes`."""
    for change in changes:
        if change.first > end:
            continue
        if change.last >= start or change.delta != 0:
            return True
    return False


def placeholder(rng: ReadRange, why: str) -> str:
    return (f"{STALE_PREFIX}: read {rng.path}:{rng.start}-{rng.end} {why}; "
            "read again for the current lines.]")


def _reads(messages: Sequence[Message]) -> list[tuple[ToolResultBlock, ReadRange]]:
    """Every live (unmasked, not an error) read result in order, with its range."""
    reads = {b.id for m in messages for b in m.content
             if isinstance(b, ToolUseBlock) and b.name == "read"}
    out = []
    for message in messages:
        for block in message.content:
            if (isinstance(block, ToolResultBlock) and block.tool_use_id in reads
                    and not block.is_error and not block.content.startswith(STALE_PREFIX)):
                rng = read_range(block.content)
                if rng is not None:
                    out.append((block, rng))
    return out


def mask_stale_reads(messages: Sequence[Message], path: str,
                     changes: Sequence[LineChange]) -> list[str]:
    """Mask (in place) the reads of `path` that `changes` made stale; their tool_use ids."""
    masked = []
    for block, rng in _reads(messages):
        if rng.path == path and is_stale(rng.start, rng.end, changes):
            masked += _mask(block, placeholder(
                rng, "was made before an edit changed or moved these lines"))
    return masked


def mask_superseded_reads(messages: Sequence[Message]) -> list[str]:
    """Mask (in place) each read whose lines a later unfiltered read of the file showed."""
    reads = _reads(messages)
    masked = []
    for i, (block, rng) in enumerate(reads):
        if any(later.path == rng.path and not later.filtered and later.start <= rng.start
               and rng.end <= later.end for _, later in reads[i + 1:]):
            masked += _mask(block, placeholder(rng, "was shown again by a later read"))
    return masked


def _mask(block: ToolResultBlock, text: str) -> list[str]:
    if len(text) >= len(block.content):
        return []  # a short result costs less than its placeholder
    block.content = text
    return [block.tool_use_id]


def mask_stale_spans(messages: Sequence[Message], path: str,
                     changes: Sequence[LineChange]) -> list[str]:
    """In each search result, replace (in place) the spans of `path` that `changes` made
    stale by their header and a note, keeping the other spans; the results' ids."""
    searches = {b.id for m in messages for b in m.content
                if isinstance(b, ToolUseBlock) and b.name == SEARCH}
    masked = []
    for message in messages:
        for block in message.content:
            if (isinstance(block, ToolResultBlock) and block.tool_use_id in searches
                    and not block.is_error):
                text = _without_stale_spans(block.content, path, changes)
                if len(text) < len(block.content):
                    block.content = text
                    masked.append(block.tool_use_id)
    return masked


def _without_stale_spans(text: str, path: str, changes: Sequence[LineChange]) -> str:
    """The search tool's answer (spans headed `path:start-end`, each in a code fence) with
    the stale spans of `path` cut to one line each."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        match = SPAN_HEADER.match(lines[i])
        fence = lines[i + 1] if i + 1 < len(lines) else ""
        if match and fence.startswith("```") and fence.strip("`") == "":
            close = next((j for j in range(i + 2, len(lines)) if lines[j] == fence), None)
            if close is not None:
                start, end = int(match["start"]), int(match["end"])
                note = (f"{lines[i]} [masked: an edit changed or moved these lines; "
                        "read again for the current lines.]")
                whole = lines[i:close + 1]
                stale = match["path"] == path and is_stale(start, end, changes)
                # a span shorter than the note stays, as a short read does
                out += [note] if stale and len(note) < len("\n".join(whole)) else whole
                i = close + 1
                continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


def mask_stale_by_edits(history: Sequence[Message], calls: Sequence[ToolUseBlock],
                        results: Sequence[Block]) -> int:
    """Mask the earlier reads, and search spans, that this turn's successful edits changed
    under them; how many results were masked (wholly or in part)."""
    masked = 0
    for call, result in zip(calls, results, strict=True):
        if call.name != EDIT or not isinstance(result, ToolResultBlock) or result.is_error:
            continue
        for path, changes in diff_changes(result.content).items():
            masked += len(mask_stale_reads(history, path, changes))
            masked += len(mask_stale_spans(history, path, changes))
    return masked
