"""The model-driven planner: a model explores the repo in its own conversation (grep, read,
glob, list, finish; at most 4 turns of at most 8 parallel calls) and answers with spans.

Only the spans leave; the transcript stays here. Its tokens are counted apart in the stats.
Any failure of the model (an error, a finish that does not validate, no finish at all)
returns None with the reason in stats.fallback_reason, and the deterministic planner answers.
Bad arguments to an exploring tool come back to the model as an error result it can fix.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from pydantic import BaseModel, Field, ValidationError

from splice.core.errors import SpliceError
from splice.core.llm import Block, Message, TextBlock, ToolResultBlock, ToolSpec, ToolUseBlock
from splice.core.spans import Span
from splice.search.context import SearchContext
from splice.search.fitting import SpanCandidate
from splice.search.models import SearchRequest, SearchStats

MAX_TURNS = 4
MAX_CALLS = 8
RESULT_LINES = 200
LINE_CHARS = 240

SYSTEM = f"""You find code for another agent. Search the repository and answer with the few \
line ranges that matter for the query, best first. You have at most {MAX_TURNS} turns; in \
each turn call up to {MAX_CALLS} tools at once (grep, read, glob, list), in parallel. Prefer \
definitions and the lines that would change. Call finish with your spans as soon as you \
know them, at the latest in turn {MAX_TURNS}. Nothing but the spans you finish with is \
returned."""


class GrepInput(BaseModel):
    pattern: str = Field(description="Rust regex (or a literal with fixed_strings).")
    fixed_strings: bool = False
    path: str | None = Field(default=None, description="File or folder to search in.")
    glob: str | None = Field(default=None, description="Only files matching, e.g. '*.py'.")
    case_insensitive: bool = True
    max_results: int = Field(default=60, ge=1, le=RESULT_LINES)


class ReadInput(BaseModel):
    path: str
    start_line: int = Field(default=1, ge=1)
    end_line: int | None = Field(default=None, ge=1)


class GlobInput(BaseModel):
    pattern: str = Field(description="A glob such as 'src/**/*.py' or '*config*'.")


class ListInput(BaseModel):
    path: str = "."


class FinishSpan(BaseModel):
    path: str
    start_line: int = Field(ge=1)
    end_line: int = Field(ge=1)
    reason: str = ""


class FinishInput(BaseModel):
    spans: list[FinishSpan] = Field(min_length=1, max_length=40)


def _spec(name: str, description: str, model: type[BaseModel]) -> ToolSpec:
    schema = model.model_json_schema()
    schema.pop("title", None)
    return ToolSpec(name=name, description=description, input_schema=schema)


TOOLS = [
    _spec("grep", "Search file contents with ripgrep; returns path:line: text.", GrepInput),
    _spec("read", "Read lines start_line..end_line of a file, numbered.", ReadInput),
    _spec("glob", "List files whose path matches a glob.", GlobInput),
    _spec("list", "List a folder's entries (folders end in '/').", ListInput),
    _spec("finish", "Answer with the line ranges that matter, best first.", FinishInput),
]


class _Tools:
    def __init__(self, ctx: SearchContext) -> None:
        self.ctx = ctx
        self.table: dict[str, tuple[type[BaseModel], Callable[[Any], Awaitable[str]]]] = {
            "grep": (GrepInput, self.grep), "read": (ReadInput, self.read),
            "glob": (GlobInput, self.glob), "list": (ListInput, self.list)}

    async def grep(self, a: GrepInput) -> str:
        eng = self.ctx.engine
        paths = [a.path] if a.path else self.ctx.scope
        if a.glob:
            paths = (await eng.files(paths, glob=a.glob))[:500] or ["__no_such_file__"]
        hits = await eng.grep([a.pattern], paths, fixed=a.fixed_strings, max_count=20,
                              ignore_case=a.case_insensitive)
        lines = [f"{m.path}:{m.line}: {m.text.strip()[:LINE_CHARS]}" for m in hits[:a.max_results]]
        more = f"\n({len(hits) - a.max_results} more hits)" if len(hits) > a.max_results else ""
        return "\n".join(lines) + more if lines else "no matches"

    async def read(self, a: ReadInput) -> str:
        end = a.end_line or a.start_line + RESULT_LINES - 1
        res = self.ctx.engine.read(a.path, a.start_line, min(end, a.start_line + RESULT_LINES - 1))
        body = res.text.split("\n")
        numbered = [f"{res.start_line + i}: {line[:LINE_CHARS]}" for i, line in enumerate(body)]
        return f"{res.path} ({res.total_lines} lines)\n" + "\n".join(numbered)

    async def glob(self, a: GlobInput) -> str:
        files = await self.ctx.engine.files(self.ctx.scope, glob=a.pattern)
        return "\n".join(files[:RESULT_LINES]) or "no files match"

    async def list(self, a: ListInput) -> str:
        return "\n".join(self.ctx.engine.list_dir(a.path)[:RESULT_LINES]) or "(empty)"

    async def call(self, use: ToolUseBlock) -> ToolResultBlock:
        entry = self.table.get(use.name)
        if entry is None:
            return ToolResultBlock(tool_use_id=use.id, is_error=True,
                                   content=f"unknown tool {use.name!r}; use grep, read, glob, "
                                           "list or finish")
        model, run = entry
        try:
            text = await run(model.model_validate(use.input))
        except ValidationError as exc:
            text, error = f"{use.name}: bad arguments: {exc.errors()[0]['msg']}", True
        except SpliceError as exc:
            text, error = str(exc), True
        else:
            error = False
        return ToolResultBlock(tool_use_id=use.id, content=text, is_error=error)


async def _run_parallel(tools: _Tools, uses: list[ToolUseBlock]) -> list[ToolResultBlock]:
    """Run a turn's calls concurrently; results keep the calls' order."""
    out: list[ToolResultBlock | None] = [None] * len(uses)

    async def run(i: int) -> None:
        out[i] = await tools.call(uses[i])

    async with anyio.create_task_group() as tg:
        for i in range(len(uses)):
            tg.start_soon(run, i)
    return [r for r in out if r is not None]


def _finish_spans(ctx: SearchContext, use: ToolUseBlock) -> list[SpanCandidate] | str:
    """Validated, confined spans from a finish call, or why there are none."""
    try:
        args = FinishInput.model_validate(use.input)
    except ValidationError as exc:
        return f"finish had bad arguments: {exc.errors()[0]['msg']}"
    out: list[SpanCandidate] = []
    for rank, s in enumerate(args.spans):
        try:
            total = ctx.engine.read(s.path).total_lines
            rel = ctx.engine.repo.relpath(s.path)
        except SpliceError:
            continue  # a path outside the repo or missing: that span is dropped
        start, end = min(s.start_line, s.end_line), max(s.start_line, s.end_line)
        if start > total:
            continue
        span = Span(path=rel, start_line=start, end_line=min(end, total),
                    score=round(1.0 - rank / 100, 3), reason=f"model: {s.reason}".strip(": "))
        out.append(SpanCandidate(span, span.start_line))
    return out or "finish named no span inside the repository"


async def plan_with_model(request: SearchRequest, ctx: SearchContext,
                          stats: SearchStats) -> list[SpanCandidate] | None:
    """Spans chosen by `request.model`, or None (with stats.fallback_reason) on failure."""
    model = request.model
    assert model is not None
    tools = _Tools(ctx)
    top = ", ".join(ctx.engine.list_dir(ctx.scope[0] if ctx.scope else ".")[:40])
    messages = [Message.user(f"Query: {request.query}\n\nRepository: {len(ctx.files)} files. "
                             f"Top level: {top}\nAnswer within about {request.max_tokens} "
                             "tokens of code.")]
    for turn in range(1, MAX_TURNS + 1):
        stats.model_turns = turn
        try:
            response = await model.complete(system=SYSTEM, messages=messages, tools=TOOLS,
                                            max_tokens=2048)
        except Exception as exc:  # any provider failure means: answer without the model
            stats.fallback_reason = f"model failed: {exc}".splitlines()[0][:300]
            return None
        stats.model_input_tokens += response.usage.input_tokens + response.usage.cache_read_tokens
        stats.model_output_tokens += response.usage.output_tokens
        messages.append(Message(role="assistant", content=response.content))
        uses = response.tool_uses
        finish = next((u for u in uses if u.name == "finish"), None)
        if finish is not None:
            stats.model_tool_calls += 1
            spans = _finish_spans(ctx, finish)
            if isinstance(spans, str):
                stats.fallback_reason = spans
                return None
            stats.planner = "model"
            return spans
        if not uses:
            stats.fallback_reason = "the model stopped without calling finish"
            return None
        results: list[ToolResultBlock] = [
            ToolResultBlock(tool_use_id=u.id, is_error=True,
                            content=f"not run: at most {MAX_CALLS} calls a turn")
            for u in uses[MAX_CALLS:]]
        stats.model_tool_calls += min(len(uses), MAX_CALLS)
        content: list[Block] = [
            *(await _run_parallel(tools, uses[:MAX_CALLS])), *results]
        if turn == MAX_TURNS - 1:
            content.append(TextBlock(text="Next turn is the last: call finish with your spans."))
        messages.append(Message(role="user", content=content))
    stats.fallback_reason = f"no finish within {MAX_TURNS} turns"
    return None
