"""The replayed agents' tool calls, one model call at a time: greps, ranged reads and
listings as each policy's tools answer them, written for the splice agent with its own
tools (`as_agent_call`: `run` of rg or ls, `read` by start/end line), BATCH to a call.
The ladders that decide which calls to make are in locate.py."""

from __future__ import annotations

import shlex
from typing import Any

from splice.bench.tokens.accounting import Conversation
from splice.bench.tokens.listing import list_call
from splice.bench.tokens.repoview import Hit, RepoView, Seen, numbered

GREP_SHOWN_LINES = 100   # grep -n output is cut here, as agents' grep tools cut it
AGENT_GREP_LINES = 10   # the splice agent pipes its names grep to `head` (its prompt says so)
GREP_SHOWN_FILES = 50
BATCH = 4               # parallel ranged reads per model call


RUN_FRAME = "$ {command}\nexit code {code} in 0.1s [isolation: bwrap]\n{output}"


def as_agent_call(call: tuple[str, dict[str, Any], str]) -> tuple[str, dict[str, Any], str]:
    """A call written with the splice agent's tools: `read` takes start_line/end_line;
    grep and file listing, which it has no tool for, become `run` of rg / git ls-files,
    their output framed as the run tool frames it (CommandResult.render)."""
    tool, args, text = call
    if tool == "read":
        start = int(args["offset"])
        return tool, {"path": args["path"], "start_line": start,
                      "end_line": start + int(args["limit"]) - 1}, text
    if tool == "grep":
        flags = "-c" if args.get("mode") == "count" else "-n"
        command = f"rg {flags} -w " + " ".join(f"-e {shlex.quote(p)}" for p in args["patterns"])
        if args.get("head"):
            command += f" | head -n {args['head']}"
    elif tool == "list":
        dirs = args.get("paths")  # folders near what it found (listing.py)
        command = "ls " + " ".join(map(shlex.quote, dirs)) if dirs else "git ls-files"
    else:
        return call
    found = text != "No matches."  # rg exits 1 and prints nothing when nothing matched
    output = f"--- stdout ---\n{text}" if found else "(no output)"
    code = 0 if found or args.get("head") else 1  # a pipe exits as its last command
    return "run", {"command": command}, RUN_FRAME.format(command=command, code=code,
                                                         output=output)


def send(conv: Conversation, calls: list[tuple[str, dict[str, Any], str]]) -> None:
    """One model call of these tool calls, plus the calls the agent adds to it in the
    slots left free of BATCH (conv.ride_along: the splice agent's early edits). They never
    displace a read: that was tried, and cost an extra call on 12 of 63 tasks."""
    calls = list(calls)
    if conv.ride_along is not None and calls and len(calls) < BATCH:
        calls = conv.ride_along.take(BATCH - len(calls)) + calls
    conv.batch([as_agent_call(c) for c in calls] if conv.agent else calls)


def grep_count(conv: Conversation, view: RepoView, terms: list[str]) -> list[str]:
    ranked = view.grep(terms)
    shown = ranked[:GREP_SHOWN_FILES]
    lines = [f"{path}:{len(hits)}" for path, hits in shown]
    if len(ranked) > len(shown):
        lines.append(f"... {len(ranked) - len(shown)} more files")
    conv.call("grep", {"patterns": terms, "mode": "count"}, "\n".join(lines) or "No matches.")
    return [path for path, _ in shown]


def grep_lines_call(view: RepoView, terms: list[str], head: int | None = None,
                    ) -> tuple[tuple[str, dict[str, Any], str], list[Hit]]:
    """One grep -n: the call (tool, args, result text) and the hits it shows. `head`: its
    output piped to head, cut at that many lines with no word of what was cut."""
    ranked = view.grep(terms)
    hits = [h for _, file_hits in ranked for h in file_hits]
    shown = hits[:head or GREP_SHOWN_LINES]
    lines = [f"{h.path}:{h.line}:{h.text.strip()[:200]}" for h in shown]
    if len(hits) > len(shown) and not head:
        lines.append(f"... {len(hits) - len(shown)} more matching lines in "
                     f"{len({h.path for h in hits[len(shown):]})} files")
    args: dict[str, Any] = {"patterns": terms, "mode": "lines"}
    if head:
        args["head"] = head
    return ("grep", args, "\n".join(lines) or "No matches."), shown


def grep_lines(conv: Conversation, view: RepoView, groups: list[list[str]],
               head: int | None = None,
               beside: list[tuple[str, dict[str, Any], str]] | None = None) -> list[Hit]:
    """One grep -n per group of terms, in parallel in one model call (with the `beside`
    calls); the hits of all, interleaved (first hit of each grep, then the second...), so
    every ask gets read."""
    calls, lists = [], []
    for terms in groups[:BATCH]:
        call, hits = grep_lines_call(view, terms, head)
        calls.append(call)
        lists.append(hits)
    send(conv, calls + (beside or []))
    merged: list[Hit] = []
    for i in range(max((len(h) for h in lists), default=0)):
        merged += [hits[i] for hits in lists if i < len(hits)]
    return merged


def range_call(view: RepoView, seen: Seen, path: str, start: int,
               end: int) -> tuple[str, dict[str, int | str], str]:
    """One ranged read (numbered lines); marks the lines seen."""
    lines = view.lines(path)
    end = min(end, len(lines))
    start = max(1, min(start, end))
    header = f"{path}:{start}-{end} (file has {len(lines)} lines)"
    seen.add(path, start, end)
    return ("read", {"path": path, "offset": start, "limit": end - start + 1},
            f"{header}\n{numbered(lines, start, end)}")


def read_ranges(conv: Conversation, view: RepoView, seen: Seen,
                ranges: list[tuple[str, int, int]]) -> None:
    """Ranged reads, up to BATCH parallel calls per model call."""
    for i in range(0, len(ranges), BATCH):
        send(conv, [range_call(view, seen, *r) for r in ranges[i:i + BATCH]])
    conv.run.files_read = len(seen.lines)


def list_files(conv: Conversation, view: RepoView) -> None:
    send(conv, [list_call(view)])
