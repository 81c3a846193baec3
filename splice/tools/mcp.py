"""MCP tools: the workers under the names and parameters an MCP user already knows
(Morph's `edit_file(path, code_edit, instruction)`, a `codebase_search`), served by
splice/mcp_server.py. Built on demand by `mcp_tools()` so importing this module does not
pull in every worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import anyio
from pydantic import BaseModel, Field

from splice.core.callsites import CallersReport
from splice.core.errors import SpliceError
from splice.core.repo import Repo
from splice.tools.base import Tool, ToolContext
from splice.tools.calls import CallView, CompactCall, EditCall, RunCall, SearchCall, field_of
from splice.tools.guides import lazy_marker_guide
from splice.tools.seen import note_spans, seen_lines
from splice.tools.workers import (
    compact_text,
    edit_callers,
    edit_repo,
    run_in_sandbox,
    scope_paths,
    search_repo,
    text_before_edit,
)

if TYPE_CHECKING:
    from splice.apply import ApplyReport

# Morph's names, as views of the one definition of each call (splice.tools.calls).

class CodebaseSearchInput(CallView):
    call = SearchCall
    renamed = {"repo_path": "scope"}
    query: str = field_of(SearchCall, "query")
    repo_path: str | None = field_of(SearchCall, "scope")
    max_tokens: int = field_of(SearchCall, "max_tokens")


class CompactInput(CallView):
    call = CompactCall
    text: str = field_of(CompactCall, "text")
    query: str = field_of(CompactCall, "query")
    ratio: float | None = field_of(CompactCall, "ratio")


class EditFileInput(CallView):
    call = EditCall
    renamed = {"code_edit": "edit"}
    path: str = field_of(EditCall, "path")
    code_edit: str = field_of(EditCall, "edit")
    instruction: str = field_of(EditCall, "instruction", required=True)
    dry_run: bool = field_of(EditCall, "dry_run")
    force: bool = field_of(EditCall, "force")


class RunCommandInput(CallView):
    call = RunCall
    command: str = field_of(RunCall, "command")
    timeout_s: int = field_of(RunCall, "timeout_s")


class EditFileResult(BaseModel):
    """edit_file's answer: apply's report (per-file diffs) and how to take it back.
    `new_folders`: folders the edit had to create for a new file, said first."""

    instruction: str
    report: ApplyReport
    new_folders: list[str] = Field(default_factory=list)
    # the signatures the edit changed and their call sites (None: no signature changed)
    callers: CallersReport | None = None

    def render(self) -> str:
        created = [f.path for f in self.report.files if f.action == "added"]
        verb = "would create" if self.report.dry_run else "created"
        notes = [f"{verb} new folder {d}/" for d in self.new_folders]
        notes += [f"{verb} new file {p} (it did not exist)" for p in created]
        text = "\n".join([*notes, self.report.render()])
        if self.report.undo_id:
            text += f"\n(undo with: splice undo --repo {self.report.root})"
        if self.callers is not None:
            text += "\n" + self.callers.render()
        return text


CODEBASE_SEARCH_DESCRIPTION = """\
Search this repository's code and get back only the line ranges that matter, instead of \
reading whole files. Each result is headed `path:start-end` (1-based, inclusive) followed by \
the code, best match first; a hit inside a function or class grows to cover it. Send a \
`query` in plain words and code (symbols, error messages, tracebacks, paths, quoted strings). \
Search before you read or edit: it costs a fraction of the tokens. Local and deterministic: \
ripgrep plus a tree-sitter symbol index, no model, nothing leaves the machine.\
"""

def compact_description() -> str:
    """The compact tool's description; the marker wording comes from the compact worker
    (imported here, not at the top, so importing this module pulls in no worker)."""
    from splice.compact.lines import MARKER_GUIDE

    return (
        "Shrink long text (a file, logs, test output) to the lines that bear on your `query`, "
        "by deleting lines, never rewriting them. Kept lines come back byte-identical and "
        f"enclosing signatures stay so the structure reads; {MARKER_GUIDE}. Returns the "
        "compacted text and the token counts before and after. Use it before putting a long tool output or file into your context.")

EDIT_FILE_DESCRIPTION = f"""\
Edit one file in the repository by sending only what changes; splice merges it into the file \
(a drop-in for Morph's edit_file, but local, deterministic and free). Whitespace, line \
endings, encoding and the final newline of the file are kept; an edit that would break the \
file's syntax or delete a large stretch by mistake is refused.

{lazy_marker_guide("code_edit")}

Returns a unified diff of what changed (or would change, with dry_run). When the edit cannot \
be placed, the result is an error that names the file, says which lines did not match and \
shows the closest ones or the candidates, with what to send instead; the file is then left \
untouched. Fix the edit and call again.\
"""

RUN_COMMAND_DESCRIPTION = """\
Run a shell command (bash) from the repository root inside splice's sandbox: no network, an \
environment without secrets, time, CPU, memory and process limits; with bubblewrap, writes \
stay inside the repository. Use it to run tests, linters or scripts. Returns the exit code, \
the isolation used, and stdout and stderr (long output keeps its head and tail).\
"""


async def _run_codebase_search(req: CodebaseSearchInput, ctx: ToolContext) -> BaseModel:
    call: SearchCall = req.to_call()
    repo = ctx.require_repo()
    # spans stay root-relative, so edit_file takes their paths as they are
    result = await search_repo(repo.root, call.query, call.max_tokens,
                               scope_paths(repo, call.scope))
    note_spans(ctx.seen, result.spans)  # evidence for this session's edit_file
    return result


async def _run_compact(req: CompactInput, ctx: ToolContext) -> BaseModel:
    call: CompactCall = req.to_call()
    return await compact_text(call.text, call.query, ratio=call.ratio)


def _missing_folders(repo: Repo, path: str) -> list[str]:
    """The folders above `path` that do not exist yet (a new file creates them)."""
    try:
        rel = repo.relpath(path)
    except SpliceError:  # the edit itself reports a bad path
        return []
    parts = rel.split("/")[:-1]
    folders = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    return [d for d in folders if not (repo.root / d).exists()]


async def _run_edit_file(req: EditFileInput, ctx: ToolContext) -> BaseModel:
    call: EditCall = req.to_call()
    repo = ctx.require_repo()
    missing = _missing_folders(repo, call.path)
    before = await anyio.to_thread.run_sync(text_before_edit, repo.root, call.path)
    report = await edit_repo(repo.root, call.path, call.edit, dry_run=call.dry_run,
                             force=call.force, lock=ctx.write_lock,
                             instruction=call.instruction or None,
                             seen_lines=seen_lines(ctx.seen, repo.relpath(call.path)))
    callers = await edit_callers(repo.root, call.path, before, report)
    return EditFileResult(instruction=call.instruction, report=report, new_folders=missing,
                          callers=callers)


async def _run_command(req: RunCommandInput, ctx: ToolContext) -> BaseModel:
    from splice.sandbox import Sandbox

    call: RunCall = req.to_call()
    repo = ctx.require_repo()
    if ctx.sandbox is None:
        ctx.sandbox = Sandbox(repo.root)
    return await run_in_sandbox(repo.root, call.command, call.timeout_s, ctx.sandbox)


def mcp_tools(*, allow_run: bool = False) -> list[Tool[Any, Any]]:
    """The MCP tools, in the order a client lists them; run_command only when allowed."""
    from splice.apply import ApplyReport
    from splice.compact import CompactResult
    from splice.search import SearchResult

    EditFileResult.model_rebuild(_types_namespace={"ApplyReport": ApplyReport})

    tools: list[Tool[Any, Any]] = [
        Tool("codebase_search", CODEBASE_SEARCH_DESCRIPTION, CodebaseSearchInput,
             SearchResult, _run_codebase_search),
        Tool("compact", compact_description(), CompactInput, CompactResult, _run_compact),
        Tool("edit_file", EDIT_FILE_DESCRIPTION, EditFileInput, EditFileResult,
             _run_edit_file),
    ]
    if allow_run:
        from splice.sandbox import CommandResult

        tools.append(Tool("run_command", RUN_COMMAND_DESCRIPTION, RunCommandInput,
                          CommandResult, _run_command))
    return tools
