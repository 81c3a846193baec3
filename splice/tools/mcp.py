"""MCP tools: the workers under the names and parameters an MCP user already knows
(Morph's `edit_file(path, code_edit, instruction)`, a `codebase_search`), served by
splice/mcp_server.py. Built on demand by `mcp_tools()` so importing this module does not
pull in every worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import AliasChoices, BaseModel, Field

from splice.core.errors import InvalidRequest
from splice.core.repo import Repo
from splice.tools.base import Tool, ToolContext
from splice.tools.guides import lazy_marker_guide
from splice.tools.seen import note_spans, seen_lines
from splice.tools.workers import compact_text, edit_repo, run_in_sandbox, scope_paths, search_repo

if TYPE_CHECKING:
    from splice.apply import ApplyReport

class CodebaseSearchInput(BaseModel):
    query: str = Field(
        min_length=1,
        description="What you are looking for, in plain words and code: a symbol or dotted "
                    "name (`Session.request`), an error message or a whole traceback, a file "
                    "path fragment, a quoted string, or a behaviour ('where retries are "
                    "configured'). Identifiers, paths and quoted strings weigh most.")
    repo_path: str | None = Field(
        None,
        description="Where to search: the repository root (the default) or a directory "
                    "(or file) inside it, relative to the root or absolute. Nothing outside "
                    "the root can be searched.")
    max_tokens: int = Field(
        2000, ge=100, le=50_000,
        description="Most tokens the answer may take; the best spans are kept.")


class CompactInput(BaseModel):
    text: str = Field(
        min_length=1,
        description="The text to shrink: a file, a log, test or build output, a diff.")
    query: str = Field(
        min_length=1,
        description="What you need from the text, e.g. 'why does test_login fail' or "
                    "'the functions that touch the cache'. Lines that bear on it are kept.")
    ratio: float | None = Field(
        None, gt=0, le=1,
        description="Fraction of the text's tokens to keep, e.g. 0.3. Leave it out to let "
                    "the compactor keep what the query needs.")


class EditFileInput(BaseModel):
    path: str = Field(
        min_length=1,
        description="The file to edit, relative to the repository root (an absolute path "
                    "must lie inside the root).")
    code_edit: str = Field(
        min_length=1,
        description="The edit: only the changed lines with a few unchanged lines around each "
                    "change and `... existing code ...` marker comments for everything "
                    "skipped. Also accepted (detected automatically): SEARCH/REPLACE blocks, a "
                    "unified diff, a `*** Begin Patch` envelope, or the complete new file.")
    instruction: str = Field(
        description="One short sentence saying what the edit does, e.g. 'I add a timeout "
                    "parameter to fetch()'. Morph's edit_file takes it too; splice's merge is "
                    "deterministic and does not need it, so keep it brief.")
    # Morph's clients may send `dryRun`; an ignored dry run would write the file.
    dry_run: bool = Field(
        False, validation_alias=AliasChoices("dry_run", "dryRun"),
        description="True: show the diff the edit would make and write nothing.")
    force: bool = Field(
        False, description="True: apply even when the safety guards refuse (the result no "
                           "longer parses, or a large stretch would be deleted). Only after "
                           "such a refusal, when that is what you mean. Matching is never "
                           "forced.")


class EditFileResult(BaseModel):
    """edit_file's answer: apply's report (per-file diffs) and how to take it back."""

    instruction: str
    report: ApplyReport

    def render(self) -> str:
        text = self.report.render()
        if self.report.undo_id:
            text += f"\n(undo with: splice undo --repo {self.report.root})"
        return text


class RunCommandInput(BaseModel):
    command: str = Field(
        min_length=1,
        description="A shell command as you would type it in bash, run from the repository "
                    "root, e.g. `python -m pytest tests/test_api.py -x -q`.")
    timeout_s: int = Field(
        120, ge=1, le=3600, description="Seconds before the command is stopped.")


CODEBASE_SEARCH_DESCRIPTION = """\
Search this repository's code and get back only the line ranges that matter, instead of \
reading whole files. Each result is headed `path:start-end` (1-based, inclusive) followed by \
the code, best match first; a hit inside a function or class grows to cover it. Send a \
`query` in plain words and code (symbols, error messages, tracebacks, paths, quoted strings). \
Search before you read or edit: it costs a fraction of the tokens. Local and deterministic: \
ripgrep plus a tree-sitter symbol index, no model, nothing leaves the machine.\
"""

COMPACT_DESCRIPTION = """\
Shrink long text (a file, logs, test output) to the lines that bear on your `query`, by \
deleting lines, never rewriting them. Kept lines come back byte-identical; each removed \
stretch becomes one `(filtered N lines)` marker, so line numbers stay recoverable and \
enclosing signatures stay so the structure reads. Returns the compacted text and the token \
counts before and after. Use it before putting a long tool output or file into your context.\
"""

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


def _repo_of(ctx: ToolContext) -> Repo:
    if ctx.repo is None:
        raise InvalidRequest("no repository is open for this tool",
                             hint="Start the server with --repo DIR.")
    return ctx.repo


async def _run_codebase_search(req: CodebaseSearchInput, ctx: ToolContext) -> BaseModel:
    repo = _repo_of(ctx)
    # spans stay root-relative, so edit_file takes their paths as they are
    result = await search_repo(repo.root, req.query, req.max_tokens,
                               scope_paths(repo, req.repo_path))
    note_spans(ctx.extras, result.spans)  # evidence for this session's edit_file
    return result


async def _run_compact(req: CompactInput, ctx: ToolContext) -> BaseModel:
    return await compact_text(req.text, req.query, ratio=req.ratio)


async def _run_edit_file(req: EditFileInput, ctx: ToolContext) -> BaseModel:
    import anyio

    repo = _repo_of(ctx)
    lock = ctx.extras.setdefault("write_lock", anyio.Lock())
    rel = repo.relpath(req.path)
    report = await edit_repo(repo.root, req.path, req.code_edit, dry_run=req.dry_run,
                             force=req.force, lock=lock, instruction=req.instruction or None,
                             seen_lines=seen_lines(ctx.extras, rel))
    return EditFileResult(instruction=req.instruction, report=report)


async def _run_command(req: RunCommandInput, ctx: ToolContext) -> BaseModel:
    from splice.sandbox import Sandbox

    repo = _repo_of(ctx)
    sandbox = ctx.extras.get("sandbox")
    if sandbox is None:
        sandbox = ctx.extras["sandbox"] = Sandbox(repo.root)
    return await run_in_sandbox(repo.root, req.command, req.timeout_s, sandbox)


def mcp_tools(*, allow_run: bool = False) -> list[Tool[Any, Any]]:
    """The MCP tools, in the order a client lists them; run_command only when allowed."""
    from splice.apply import ApplyReport
    from splice.compact import CompactResult
    from splice.search import SearchResult

    EditFileResult.model_rebuild(_types_namespace={"ApplyReport": ApplyReport})

    tools: list[Tool[Any, Any]] = [
        Tool("codebase_search", CODEBASE_SEARCH_DESCRIPTION, CodebaseSearchInput,
             SearchResult, _run_codebase_search),
        Tool("compact", COMPACT_DESCRIPTION, CompactInput, CompactResult, _run_compact),
        Tool("edit_file", EDIT_FILE_DESCRIPTION, EditFileInput, EditFileResult,
             _run_edit_file),
    ]
    if allow_run:
        from splice.sandbox import CommandResult

        tools.append(Tool("run_command", RUN_COMMAND_DESCRIPTION, RunCommandInput,
                          CommandResult, _run_command))
    return tools
