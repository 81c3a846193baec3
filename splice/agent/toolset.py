"""The orchestrator's tool set, and the ONE place the agent binds to the workers.

A `Toolset` is what the loop is given: tools by name, plus the history compactor. Tests
build their own with the same names and inputs (tool_io.py). `worker_toolset()`
binds `search`, `edit` and `run` to the search, apply and sandbox workers and uses the
compact worker for long reads, long command output and the history; every worker is
imported inside the function that calls it, so the agent imports without them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import anyio

from splice.agent.tool_io import (
    DESCRIPTIONS,
    EDIT,
    FINISH,
    READ,
    RUN,
    SEARCH,
    EditInput,
    EditOutput,
    FinishInput,
    FinishOutput,
    ReadInput,
    RunInput,
    RunOutput,
    SearchInput,
    ToolText,
)
from splice.agent.workspace import CopyWorkspace, TrackedWorkspace, Workspace
from splice.core.errors import InvalidRequest
from splice.core.llm import Message, ToolSpec, Usage
from splice.core.spans import Span
from splice.core.tokens import count_tokens
from splice.tools import Tool, ToolContext, render_output
from splice.tools.seen import note_spans, replace_spans, seen_lines
from splice.tools.workers import (
    compact_text,
    edit_callers,
    edit_repo,
    run_in_sandbox,
    search_repo,
    text_before_edit,
)

# (messages, token target) -> a shorter history with the same meaning for the model.
HistoryCompactor = Callable[[list[Message], int], Awaitable[list[Message]]]
# (text, query, max_tokens) -> text with lines deleted, never rewritten.
TextCompactor = Callable[[str, str, int], Awaitable[str]]

READ_MAX_TOKENS = 6000
RUN_MAX_TOKENS = 3000


@dataclass
class Toolset:
    tools: dict[str, Tool[Any, Any]]
    history_compactor: HistoryCompactor | None = None

    @classmethod
    def of(cls, tools: Sequence[Tool[Any, Any]],
           history_compactor: HistoryCompactor | None = None) -> Toolset:
        return cls({t.name: t for t in tools}, history_compactor)

    def specs(self) -> list[ToolSpec]:
        """The tools as every provider is told about them (and the token bench counts)."""
        return [t.spec() for t in self.tools.values()]


_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)


def spans_from_diff(path: str, diff: str) -> list[Span]:
    """The new-side line ranges of a unified diff's hunks (the edit's evidence)."""
    spans = []
    for match in _HUNK.finditer(diff):
        start, count = int(match.group(1)), int(match.group(2) or 1)
        spans.append(Span(path=path, start_line=max(start, 1),
                          end_line=max(start, 1) + max(count, 1) - 1, reason="edited"))
    return spans


# ---- read and finish: core only ---------------------------------------------------------

def read_tool(compactor: TextCompactor | None = None,
              max_tokens: int = READ_MAX_TOKENS,
              compact_lines: bool = False) -> Tool[ReadInput, ToolText]:
    """`read`: numbered lines; past `max_tokens` compacted (or, with no compactor, cut).
    compact_lines: the compact worker compacts the file's own lines for the task (markers
    name the line range they cut, so a read of that range brings it back)."""

    async def run(req: ReadInput, ctx: ToolContext) -> ToolText:
        repo = ctx.require_repo()
        rel = repo.relpath(req.path)
        lines = repo.read_text(rel).text.splitlines()
        total = len(lines)
        if total == 0:
            return ToolText(text=f"{rel}: the file is empty")
        if req.start_line > total:
            raise InvalidRequest(f"{rel}: start_line {req.start_line} is past the end "
                                 f"({total} lines)", hint=f"Read from 1 to {total}.", path=rel)
        end = min(req.end_line or total, total)
        if end < req.start_line:
            raise InvalidRequest(f"{rel}: end_line {end} comes before start_line "
                                 f"{req.start_line}", hint="Give end_line >= start_line.",
                                 path=rel)
        width = len(str(end))
        numbered = [f"{n:>{width}} | {lines[n - 1]}" for n in range(req.start_line, end + 1)]
        body = "\n".join(numbered)
        if count_tokens(body) > max_tokens:
            if compact_lines:
                from splice.compact.reads import compact_read

                raw = "".join(line + "\n" for line in lines[req.start_line - 1:end])
                body, _ = await anyio.to_thread.run_sync(
                    compact_read, raw, rel, req.start_line, ctx.task, max_tokens)
            elif compactor is not None:
                body = await compactor(body, ctx.task, max_tokens)
            else:
                body = _cut(numbered, max_tokens, rel, req.start_line, end)
        header = f"{rel}:{req.start_line}-{end} (file has {total} lines)"
        spans = [Span(path=rel, start_line=req.start_line, end_line=end, reason="read")]
        note_spans(ctx.seen, spans)  # evidence for later edits of this file
        return ToolText(text=f"{header}\n{body}", spans=spans)

    return Tool(READ, DESCRIPTIONS[READ], ReadInput, ToolText, run)


def _cut(numbered: list[str], max_tokens: int, rel: str, start: int, end: int) -> str:
    kept: list[str] = []
    used = 0
    for line in numbered:
        cost = count_tokens(line) + 1
        if used + cost > max_tokens and kept:
            break
        kept.append(line)
        used += cost
    next_line = start + len(kept)
    if next_line <= end:
        kept.append(f"... lines {next_line}-{end} not shown; read {rel} from "
                    f"start_line={next_line}")
    return "\n".join(kept)


def finish_tool() -> Tool[FinishInput, FinishOutput]:
    async def run(req: FinishInput, ctx: ToolContext) -> FinishOutput:
        return FinishOutput(text="Finished.", summary=req.summary)

    return Tool(FINISH, DESCRIPTIONS[FINISH], FinishInput, FinishOutput, run)


# ---- worker bindings (imported lazily) --------------------------------------------------

async def worker_text_compactor(text: str, query: str, max_tokens: int) -> str:
    result = await compact_text(text, query or "relevant code", max_tokens=max_tokens)
    return result.text


async def worker_history_compactor(messages: list[Message], max_tokens: int) -> list[Message]:
    """The compact worker's history pass: old tool results masked, the newest kept whole."""
    from splice.compact import compact_history

    # The loop calls this once the history is past its trigger; mask down towards the target.
    result = await compact_history(messages, trigger_tokens=max_tokens)
    return list(result.messages)


def search_tool() -> Tool[SearchInput, ToolText]:
    async def run(req: SearchInput, ctx: ToolContext) -> ToolText:
        result = await search_repo(ctx.require_repo().root, req.query, req.max_tokens)
        stats = result.stats
        ctx.report_usage(Usage(input_tokens=stats.model_input_tokens,
                               output_tokens=stats.model_output_tokens))
        note_spans(ctx.seen, result.spans)  # evidence for later edits
        return ToolText(text=render_output(result), spans=list(result.spans))

    return Tool(SEARCH, DESCRIPTIONS[SEARCH], SearchInput, ToolText, run)


def edit_tool() -> Tool[EditInput, EditOutput]:
    async def run(req: EditInput, ctx: ToolContext) -> EditOutput:
        repo = ctx.require_repo()
        rel = repo.relpath(req.path)
        before = await anyio.to_thread.run_sync(text_before_edit, repo.root, rel)
        report = await edit_repo(repo.root, rel, req.edit, force=req.force,
                                 instruction=req.instruction or None,
                                 seen_lines=seen_lines(ctx.seen, rel))
        text = render_output(report)
        spans = spans_from_diff(rel, text)
        replace_spans(ctx.seen, rel, spans)  # older line numbers are stale now
        callers = await edit_callers(repo.root, rel, before, report)
        if callers is not None:  # the call sites the writer must update next
            text += "\n" + callers.render()
        return EditOutput(text=text, path=rel, spans=spans, callers=callers)

    return Tool(EDIT, DESCRIPTIONS[EDIT], EditInput, EditOutput, run)


def run_tool(compactor: TextCompactor | None = None,
             max_tokens: int = RUN_MAX_TOKENS) -> Tool[RunInput, RunOutput]:
    async def run(req: RunInput, ctx: ToolContext) -> RunOutput:
        result = await run_in_sandbox(ctx.require_repo().root, req.command, req.timeout_s)
        text = render_output(result)
        if compactor is not None and count_tokens(text) > max_tokens:
            text = await compactor(text, req.command, max_tokens)
        return RunOutput(text=text, exit_code=result.exit_code, timed_out=result.timed_out)

    return Tool(RUN, DESCRIPTIONS[RUN], RunInput, RunOutput, run)


def worker_toolset() -> Toolset:
    """The real thing: search, read, edit, run, finish on the workers."""
    return Toolset.of(
        [search_tool(), read_tool(compact_lines=True), edit_tool(),
         run_tool(worker_text_compactor), finish_tool()],
        history_compactor=worker_history_compactor,
    )


def make_workspace(repo: str | os.PathLike[str]) -> Workspace:
    """The sandbox's scratch tree (a git worktree where it can) when present, else a copy."""
    try:
        from splice.sandbox import ScratchTree
    except ImportError:
        return CopyWorkspace.create(repo)
    tree = ScratchTree.create(repo)
    return TrackedWorkspace.around(repo, tree.path, on_cleanup=tree.cleanup)
