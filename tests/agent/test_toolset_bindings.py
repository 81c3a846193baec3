"""The orchestrator's tools bound to the real workers, in a real scratch workspace."""

import sys
from pathlib import Path

import pytest

from splice.agent import toolset as ts
from splice.agent.workspace import CopyWorkspace
from splice.core.llm import Message, TextBlock, ToolResultBlock, ToolUseBlock, Usage
from splice.core.repo import Repo
from splice.tools import ToolContext
from tests.agent.helpers import make_repo


async def test_worker_toolset_on_real_workers(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    ws = CopyWorkspace.create(repo)
    spent: list[Usage] = []
    ctx = ToolContext(repo=Repo(ws.root), task="fix add", usage_sink=spent.append)
    tools = ts.worker_toolset()
    assert list(tools.tools) == ["search", "read", "edit", "run", "finish"]
    assert "... existing code ..." in tools.tools["edit"].description

    found = await tools.tools["search"].call({"query": "def add"}, ctx)
    assert not found.is_error and found.text.startswith("calc.py:1-")
    assert found.data["spans"][0]["path"] == "calc.py"
    assert spent == []  # the deterministic planner spends no model tokens

    edit = "def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n# ... existing code ...\n"
    edited = await tools.tools["edit"].call({"path": "./calc.py", "edit": edit}, ctx)
    assert not edited.is_error and "+    return a + b" in edited.text
    assert edited.data["spans"][0]["path"] == "calc.py"
    assert "return a + b" in (ws.root / "calc.py").read_text()
    assert "return a - b" in (repo / "calc.py").read_text()  # the user's tree is untouched

    escaped = await tools.tools["edit"].call({"path": "../x.py", "edit": "x"}, ctx)
    assert escaped.is_error and "outside" in escaped.text
    missing = await tools.tools["edit"].call(
        {"path": "calc.py", "edit": "<<<<<<< SEARCH\nnot there\n=======\nx\n>>>>>>> REPLACE\n"},
        ctx)
    assert missing.is_error and "calc.py" in missing.text

    ran = await tools.tools["run"].call(
        {"command": f"{sys.executable} -c \"print('x' * 100000)\"", "timeout_s": 60}, ctx)
    assert not ran.is_error and ran.data["exit_code"] == 0
    assert len(ran.text) < 100000  # long output comes back compacted
    ws.cleanup()


async def test_history_compactor_masks_old_tool_results() -> None:
    big = "line of tool output\n" * 2000
    history: list[Message] = [Message.user("task")]
    for i in range(6):
        history.append(Message(role="assistant", content=[
            ToolUseBlock(id=f"t{i}", name="read", input={"path": f"f{i}.py"})]))
        history.append(Message(role="user", content=[
            ToolResultBlock(tool_use_id=f"t{i}", content=big)]))
    history.append(Message(role="assistant", content=[TextBlock(text="done")]))
    compacted = await ts.worker_history_compactor(history, 5000)
    results = [b for m in compacted for b in m.content if isinstance(b, ToolResultBlock)]
    assert len(results) == 6  # pairing kept
    assert sum(r.content == big for r in results) < 6  # old ones masked
    assert results[-1].content == big  # the newest stays whole


def test_make_workspace_uses_the_scratch_tree(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    ws = ts.make_workspace(repo)
    assert ws.root != repo and ws.changes() == {}
    (ws.root / "calc.py").write_text("changed\n")
    assert list(ws.changes()) == ["calc.py"]
    ws.commit()
    assert (repo / "calc.py").read_text() == "changed\n"
    root = ws.root
    ws.cleanup()
    assert not root.exists()


def test_make_workspace_without_the_sandbox_copies(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "splice.sandbox", None)  # import fails
    repo = make_repo(tmp_path / "repo")
    ws = ts.make_workspace(repo)
    assert isinstance(ws, CopyWorkspace) and (ws.root / "calc.py").exists()
    ws.cleanup()


async def test_edit_can_force_a_deletion_the_guard_refused(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    body = "".join(f"    total_{i} = compute_{i}(value)\n" for i in range(40))
    (repo / "m.py").write_text(f"def keep():\n    return 1\n\n\ndef old(value):\n{body}"
                               "    return value\n\n\ndef tail():\n    return 2\n")
    ws = CopyWorkspace.create(repo)
    ctx = ToolContext(repo=Repo(ws.root), task="drop old()")
    edit = "def keep():\n    return 1\n\n\ndef tail():\n    return 2\n"
    tool = ts.worker_toolset().tools["edit"]
    refused = await tool.call({"path": "m.py", "edit": edit}, ctx)
    assert refused.is_error and "force" in refused.text
    assert "def old" in (ws.root / "m.py").read_text()
    forced = await tool.call({"path": "m.py", "edit": edit, "force": True}, ctx)
    assert not forced.is_error, forced.text
    assert (ws.root / "m.py").read_text() == edit
    ws.cleanup()
