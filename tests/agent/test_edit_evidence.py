"""The agent's `edit` passes the lines this run showed of the file, and the instruction, to
the merge: an edit that fits two places is settled by the one the model read."""

from __future__ import annotations

from pathlib import Path

from splice.agent.toolset import edit_tool, read_tool
from splice.agent.workspace import CopyWorkspace
from splice.core.repo import Repo
from splice.tools import ToolContext
from splice.tools.seen import seen_lines

TWO = ("class A:\n    def get(self):\n        return 1\n\n\n"
       "class B:\n    def get(self):\n        return 2\n")
EDIT = "# ... existing code ...\n    def get(self):\n        return 3\n# ... existing code ...\n"


def _ws(tmp_path: Path) -> CopyWorkspace:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "ab.py").write_text(TWO)
    return CopyWorkspace.create(repo)


async def test_edit_without_evidence_is_refused_naming_both(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    out = await edit_tool().call({"path": "ab.py", "edit": EDIT}, ToolContext(repo=Repo(ws.root)))
    assert out.is_error and "A.get" in out.text and "B.get" in out.text
    ws.cleanup()


async def test_lines_read_settle_the_edit(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    ctx = ToolContext(repo=Repo(ws.root))
    await read_tool().call({"path": "ab.py", "start_line": 6, "end_line": 8}, ctx)
    assert seen_lines(ctx.seen, "ab.py") == [(6, 8)]
    out = await edit_tool().call({"path": "ab.py", "edit": EDIT}, ctx)
    assert not out.is_error, out.text
    assert (ws.root / "ab.py").read_text() == TWO.replace("return 2", "return 3")
    # the edit's diff (the lines it wrote, with context) replaces the stale ranges
    shown = out.data["spans"] if out.data else []
    assert seen_lines(ctx.seen, "ab.py") == [(s["start_line"], s["end_line"]) for s in shown]
    assert any(a <= 8 <= b for a, b in seen_lines(ctx.seen, "ab.py") or [])
    ws.cleanup()


async def test_instruction_settles_the_edit(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    out = await edit_tool().call({"path": "ab.py", "edit": EDIT,
                                  "instruction": "A.get returns 3"},
                                 ToolContext(repo=Repo(ws.root)))
    assert not out.is_error, out.text
    assert (ws.root / "ab.py").read_text() == TWO.replace("return 1", "return 3")
    ws.cleanup()
