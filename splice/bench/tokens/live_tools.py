"""The baselines' tool sets for `--live`: the same tools the replay's naive and careful
agents use (prompts.py), served to the real orchestrator loop over the scratch tree.

naive: grep, read_file (whole), write_file (whole), finish.
careful: grep, read (offset/limit, numbered), edit (the apply engine, described as
SEARCH/REPLACE), finish. The replay counts these same tools as its prefix (prompts.py).
splice: the orchestrator's own worker tool set (splice.agent.toolset.worker_toolset).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from splice.agent.tool_io import EDIT, EditInput, EditOutput, ToolText
from splice.agent.toolset import Toolset, edit_tool, finish_tool, worker_toolset
from splice.bench.tokens.calls import GREP_SHOWN_FILES, GREP_SHOWN_LINES
from splice.bench.tokens.prompts import (
    CAREFUL_EDIT_DESCRIPTION,
    CAREFUL_SYSTEM,
    GREP_DESCRIPTION,
    NAIVE_SYSTEM,
)
from splice.bench.tokens.repoview import RepoView, numbered
from splice.core.errors import InvalidRequest
from splice.core.repo import Repo
from splice.tools import Tool, ToolContext
from splice.tools.calls import CallView, EditCall, field_of


# careful's edit: the apply engine, told about SEARCH/REPLACE only (its prompt's way). No
# docstring: a model's docstring would be sent as the schema's description.
class CarefulEditInput(CallView):
    call = EditCall
    path: str = field_of(EditCall, "path")
    edit: str = field_of(EditCall, "edit")


class GrepInput(BaseModel):
    patterns: list[str] = Field(min_length=1, description="Fixed strings, matched as words.")
    mode: Literal["count", "lines"] = "lines"


class ReadFileInput(BaseModel):
    path: str


class WriteFileInput(BaseModel):
    path: str
    content: str


class RangedReadInput(BaseModel):
    path: str
    offset: int = Field(default=1, ge=1)
    limit: int = Field(default=2000, ge=1)


def _root(ctx: ToolContext) -> Repo:
    return ctx.require_repo()


def grep_tool() -> Tool[GrepInput, ToolText]:
    async def run(req: GrepInput, ctx: ToolContext) -> ToolText:
        view = RepoView.scan(_root(ctx).root)
        ranked = view.grep(req.patterns)
        if req.mode == "count":
            lines = [f"{p}:{len(h)}" for p, h in ranked[:GREP_SHOWN_FILES]]
        else:
            hits = [h for _, hs in ranked for h in hs]
            lines = [f"{h.path}:{h.line}:{h.text.strip()[:200]}"
                     for h in hits[:GREP_SHOWN_LINES]]
        return ToolText(text="\n".join(lines) or "No matches.")

    return Tool("grep", GREP_DESCRIPTION, GrepInput, ToolText, run)


def read_file_tool() -> Tool[ReadFileInput, ToolText]:
    async def run(req: ReadFileInput, ctx: ToolContext) -> ToolText:
        repo = _root(ctx)
        return ToolText(text=repo.read_text(repo.relpath(req.path)).text)

    return Tool("read_file", "Read a whole file.", ReadFileInput, ToolText, run)


def write_file_tool() -> Tool[WriteFileInput, ToolText]:
    async def run(req: WriteFileInput, ctx: ToolContext) -> ToolText:
        from splice.apply import Edit, apply_edits

        repo = _root(ctx)
        rel = repo.relpath(req.path)
        apply_edits(repo.root, [Edit(path=rel, edit=req.content, fmt="whole", force=True)])
        return ToolText(text=f"Wrote {rel} ({len(req.content.splitlines())} lines).")

    return Tool("write_file", "Write a whole file (its complete new content).",
                WriteFileInput, ToolText, run)


def ranged_read_tool() -> Tool[RangedReadInput, ToolText]:
    async def run(req: RangedReadInput, ctx: ToolContext) -> ToolText:
        repo = _root(ctx)
        rel = repo.relpath(req.path)
        lines = repo.read_text(rel).text.splitlines()
        if req.offset > max(len(lines), 1):
            raise InvalidRequest(f"{rel}: offset {req.offset} is past the end "
                                 f"({len(lines)} lines)", path=rel)
        end = min(len(lines), req.offset + req.limit - 1)
        header = f"{rel}:{req.offset}-{end} (file has {len(lines)} lines)"
        return ToolText(text=f"{header}\n{numbered(lines, req.offset, end)}")

    return Tool("read", "Read lines of a file, numbered. `offset` is the first line "
                        "(1-based), `limit` the number of lines.",
                RangedReadInput, ToolText, run)


def careful_edit_tool() -> Tool[CarefulEditInput, EditOutput]:
    engine = edit_tool()

    async def run(req: CarefulEditInput, ctx: ToolContext) -> EditOutput:
        return await engine.run(EditInput(path=req.path, edit=req.edit), ctx)

    return Tool(EDIT, CAREFUL_EDIT_DESCRIPTION, CarefulEditInput, EditOutput, run)


def live_config(name: str) -> tuple[str | None, Toolset]:
    """(system prompt or None for the orchestrator's own, tool set) for a configuration."""
    if name == "naive":
        return NAIVE_SYSTEM, Toolset.of([grep_tool(), read_file_tool(), write_file_tool(),
                                         finish_tool()])
    if name == "careful":
        return CAREFUL_SYSTEM, Toolset.of([grep_tool(), ranged_read_tool(), careful_edit_tool(),
                                           finish_tool()])
    if name == "splice":
        return None, worker_toolset()
    raise InvalidRequest(f"unknown live configuration {name!r}",
                         hint="Use naive, careful or splice.")
