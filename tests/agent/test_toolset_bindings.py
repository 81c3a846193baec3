"""The worker bindings in toolset.py, against stand-in modules shaped like the workers'
documented APIs (DESIGN.md). Checks the glue: arguments passed, results rendered, spans
kept as evidence, worker tokens counted, awaitable or plain returns both handled."""

import shutil
import sys
import tempfile
import types
from pathlib import Path

import pytest
from pydantic import BaseModel

from splice.agent import toolset as ts
from splice.agent.workspace import CopyWorkspace
from splice.core.model import Message, Usage
from splice.core.spans import Span
from splice.tools import ToolContext
from tests.agent.helpers import make_repo

seen: dict[str, object] = {}


class SearchRequest(BaseModel):
    query: str
    repo: str
    max_tokens: int = 2000


class SearchResult(BaseModel):
    spans: list[Span]
    usage: Usage = Usage()

    def render(self) -> str:
        return "\n".join(s.label() for s in self.spans)


async def search(req: SearchRequest) -> SearchResult:
    seen["search"] = req
    return SearchResult(spans=[Span(path="calc.py", start_line=1, end_line=2)],
                        usage=Usage(input_tokens=300, output_tokens=20))


class Edit(BaseModel):
    path: str
    edit: str
    fmt: str = "auto"


class ApplyReport(BaseModel):
    diff: str

    def render(self) -> str:
        return self.diff


def apply_edits(root: Path, edits: list[Edit], dry_run: bool = False) -> ApplyReport:
    seen["apply"] = (root, edits)
    return ApplyReport(diff="--- a/calc.py\n+++ b/calc.py\n@@ -1,2 +1,3 @@\n x\n+y\n z\n")


class CommandResult(BaseModel):
    exit_code: int
    stdout: str
    timed_out: bool = False

    def render(self) -> str:
        return f"exit {self.exit_code}\n{self.stdout}"


class Sandbox:
    def __init__(self, root: Path) -> None:
        self.root = root

    async def run(self, command: str, timeout_s: float = 120) -> CommandResult:
        seen["sandbox"] = (self.root, command, timeout_s)
        return CommandResult(exit_code=1, stdout="FAILED test_add\n" + "noise line\n" * 3000)


class ScratchTree:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.cleaned = False

    @classmethod
    def create(cls, repo: Path) -> "ScratchTree":
        root = Path(tempfile.mkdtemp(prefix="fake-scratch-"))
        shutil.copytree(repo, root, dirs_exist_ok=True)
        tree = cls(root)
        seen["tree"] = tree
        return tree

    def cleanup(self) -> None:
        self.cleaned = True
        shutil.rmtree(self.root, ignore_errors=True)


class CompactRequest(BaseModel):
    text: str
    query: str
    max_tokens: int


class CompactResult(BaseModel):
    text: str


async def compact(req: CompactRequest) -> CompactResult:
    seen["compact"] = req
    return CompactResult(text="FAILED test_add\n(filtered 3000 lines)")


async def compact_history(messages: list[Message], max_tokens: int) -> list[Message]:
    seen["history"] = max_tokens
    return messages[-1:]


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> None:
    seen.clear()
    here = sys.modules[__name__]
    for name, attrs in {
        "splice.search": ["SearchRequest", "search"],
        "splice.apply": ["Edit", "apply_edits"],
        "splice.sandbox": ["Sandbox", "ScratchTree"],
        "splice.compact": ["CompactRequest", "compact", "compact_history"],
    }.items():
        module = types.ModuleType(name)
        for attr in attrs:
            setattr(module, attr, getattr(here, attr))
        monkeypatch.setitem(sys.modules, name, module)


async def test_worker_toolset_glue(workers: None, tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    ws = CopyWorkspace.create(repo)
    spent: list[Usage] = []
    ctx = ToolContext(extras={"workspace": ws, "task": "fix add", "usage_sink": spent.append})
    tools = ts.worker_toolset()
    assert list(tools.tools) == ["search", "read", "edit", "run", "finish"]

    found = await tools.tools["search"].call({"query": "def add"}, ctx)
    assert found.text == "calc.py:1-2" and found.data["spans"][0]["path"] == "calc.py"
    assert seen["search"].repo == str(ws.root) and seen["search"].max_tokens == 2000
    assert spent == [Usage(input_tokens=300, output_tokens=20)]

    edited = await tools.tools["edit"].call({"path": "./calc.py", "edit": "x"}, ctx)
    assert not edited.is_error and "+y" in edited.text
    root, edits = seen["apply"]
    assert root == ws.root and edits[0].path == "calc.py" and edits[0].fmt == "auto"
    assert edited.data["spans"][0] == {**edited.data["spans"][0], "start_line": 1,
                                       "end_line": 3}
    escaped = await tools.tools["edit"].call({"path": "../x.py", "edit": "x"}, ctx)
    assert escaped.is_error and "outside" in escaped.text

    ran = await tools.tools["run"].call({"command": "pytest -q", "timeout_s": 30}, ctx)
    assert seen["sandbox"] == (ws.root, "pytest -q", 30)
    assert ran.text == "FAILED test_add\n(filtered 3000 lines)"  # compacted past the cap
    assert ran.data["exit_code"] == 1 and seen["compact"].query == "pytest -q"

    history = [Message.user("a"), Message.user("b")]
    assert await tools.history_compactor(history, 500) == history[-1:]
    assert seen["history"] == 500
    ws.cleanup()


def test_make_workspace_uses_the_scratch_tree(workers: None, tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    ws = ts.make_workspace(repo)
    tree = seen["tree"]
    assert ws.root == tree.root and ws.changes() == {}
    (ws.root / "calc.py").write_text("changed\n")
    assert list(ws.changes()) == ["calc.py"]
    ws.commit()
    assert (repo / "calc.py").read_text() == "changed\n"
    ws.cleanup()
    assert tree.cleaned


def test_make_workspace_without_the_sandbox_copies(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "splice.sandbox", None)  # import fails
    repo = make_repo(tmp_path / "repo")
    ws = ts.make_workspace(repo)
    assert isinstance(ws, CopyWorkspace) and (ws.root / "calc.py").exists()
    ws.cleanup()
