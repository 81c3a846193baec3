"""Test tools with the orchestrator's exact names and inputs, and a tiny repo to work on.

These stand in for the workers (search, apply, sandbox) so the loop is tested on its own;
`read` and `finish` are the real ones from splice.agent.toolset.
"""

from __future__ import annotations

import asyncio
import difflib
import subprocess
import sys
from pathlib import Path

import anyio

from splice.agent.loop import Agent
from splice.agent.tool_io import (
    EDIT,
    RUN,
    SEARCH,
    EditInput,
    EditOutput,
    RunInput,
    RunOutput,
    SearchInput,
    ToolText,
)
from splice.agent.toolset import (
    HistoryCompactor,
    Toolset,
    finish_tool,
    read_tool,
    spans_from_diff,
)
from splice.agent.trace import RunMeta, RunStore
from splice.agent.workspace import CopyWorkspace
from splice.core.budget import Budget
from splice.core.errors import NoMatch
from splice.core.llm import Model
from splice.core.spans import Span
from splice.tools import Tool, ToolContext

CALC = '''def add(a, b):
    return a - b


def mul(a, b):
    return a * b
'''

TEST_CALC = '''from calc import add, mul


def test_add():
    assert add(2, 3) == 5


def test_mul():
    assert mul(2, 3) == 6
'''


def make_repo(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "calc.py").write_text(CALC)
    (root / "test_calc.py").write_text(TEST_CALC)
    (root / "README.md").write_text("# calc\n")
    return root


class Recorder:
    """Notes when each tool call starts and ends, to check what overlapped."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    def note(self, what: str, key: str) -> None:
        self.events.append((what, key))


def grep_search_tool(recorder: Recorder | None = None, delay: float = 0.0) -> Tool:
    async def run(req: SearchInput, ctx: ToolContext) -> ToolText:
        if recorder:
            recorder.note("start", f"search:{req.query}")
        await anyio.sleep(delay)
        root = ctx.require_repo().root
        spans = []
        for path in sorted(root.rglob("*.py")):
            for n, line in enumerate(path.read_text().splitlines(), 1):
                if req.query in line:
                    spans.append(Span(path=path.relative_to(root).as_posix(), start_line=n,
                                      end_line=n, reason="grep"))
        if recorder:
            recorder.note("end", f"search:{req.query}")
        text = "\n".join(s.label() for s in spans) or "no matches"
        return ToolText(text=text, spans=spans)

    return Tool(SEARCH, "grep", SearchInput, ToolText, run)


def replace_edit_tool(recorder: Recorder | None = None, delay: float = 0.0) -> Tool:
    """edit: `edit` is 'OLD=>NEW', replaced once; a miss is a NoMatch like apply's."""

    async def run(req: EditInput, ctx: ToolContext) -> EditOutput:
        if recorder:
            recorder.note("start", f"edit:{req.path}:{req.edit}")
        await anyio.sleep(delay)
        repo = ctx.require_repo()
        rel = repo.relpath(req.path)
        old, new = req.edit.split("=>", 1)
        text = repo.read_text(rel).text
        if old not in text:
            raise NoMatch(f"{rel}: {old!r} not found", hint="Read the file and try again.",
                          path=rel)
        after = text.replace(old, new, 1)
        (repo.root / rel).write_text(after)
        diff = "".join(difflib.unified_diff(text.splitlines(True), after.splitlines(True),
                                            f"a/{rel}", f"b/{rel}"))
        if recorder:
            recorder.note("end", f"edit:{req.path}:{req.edit}")
        return EditOutput(text=diff, path=rel, spans=spans_from_diff(rel, diff))

    return Tool(EDIT, "replace", EditInput, EditOutput, run)


def subprocess_run_tool() -> Tool:
    async def run(req: RunInput, ctx: ToolContext) -> RunOutput:
        root = ctx.require_repo().root
        proc = await asyncio.create_subprocess_shell(
            req.command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        out, _ = await asyncio.wait_for(proc.communicate(), req.timeout_s)
        text = f"exit {proc.returncode}\n{out.decode(errors='replace')[-3000:]}"
        return RunOutput(text=text, exit_code=proc.returncode)

    return Tool(RUN, "run", RunInput, RunOutput, run)


def test_toolset(recorder: Recorder | None = None, delay: float = 0.0,
                 history_compactor: HistoryCompactor | None = None) -> Toolset:
    return Toolset.of([grep_search_tool(recorder, delay), read_tool(),
                       replace_edit_tool(recorder, delay), subprocess_run_tool(), finish_tool()],
                      history_compactor=history_compactor)


test_toolset.__test__ = False  # type: ignore[attr-defined]


def make_agent(repo: Path, model: Model, *, budget: Budget | None = None,
               toolset: Toolset | None = None, task: str = "fix add",
               **kwargs: object) -> Agent:
    store = RunStore.create(repo)
    store.write_meta(RunMeta(run_id=store.run_id, task=task, repo=str(repo),
                             provider="test", models=[model.name],
                             budget=budget or Budget()))
    return Agent(model=model, toolset=toolset or test_toolset(), store=store,
                 workspace=CopyWorkspace.create(repo), budget=budget or Budget(),
                 **kwargs)  # type: ignore[arg-type]


PYTEST = f"{sys.executable} -m pytest -q -p no:cacheprovider test_calc.py"
