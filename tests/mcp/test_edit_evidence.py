"""MCP edit_file passes its instruction, and the lines this session's codebase_search
showed, to the merge: each settles an edit that fits two places."""

from __future__ import annotations

from pathlib import Path

from mcp import Client

from splice.mcp_server import build_repo_server
from tests.mcp.scenario import text_of

TWO = ("class Alpha:\n    def get(self):\n        return 1\n\n\n"
       "class Beta:\n    def get(self):\n        return 2\n")
EDIT = "# ... existing code ...\n    def get(self):\n        return 3\n# ... existing code ...\n"


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "ab.py").write_text(TWO)
    return repo


async def test_edit_file_instruction_settles_it(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    async with Client(build_repo_server(repo)) as client:
        vague = await client.call_tool("edit_file", {
            "path": "ab.py", "code_edit": EDIT, "instruction": "Return 3."})
        named = await client.call_tool("edit_file", {
            "path": "ab.py", "code_edit": EDIT, "instruction": "Make Beta.get return 3."})
    assert vague.is_error and "Alpha.get" in text_of(vague) and "Beta.get" in text_of(vague)
    assert not named.is_error, text_of(named)
    assert (repo / "ab.py").read_text() == TWO.replace("return 2", "return 3")


async def test_edit_file_uses_the_sessions_search_spans(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    async with Client(build_repo_server(repo)) as client:
        found = await client.call_tool("codebase_search", {"query": "Alpha"})
        assert not found.is_error, text_of(found)
        done = await client.call_tool("edit_file", {
            "path": "ab.py", "code_edit": EDIT, "instruction": "Return 3."})
    assert text_of(found).startswith("ab.py:1-3")  # the search showed Alpha only
    assert not done.is_error, text_of(done)
    assert (repo / "ab.py").read_text() == TWO.replace("return 1", "return 3")
