"""One slow merge holds no other edit_file call back: the lock covers only the write."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

import splice.apply.edits as edits_module
from splice.mcp_server import build_repo_server

SLOW_S = 1.5


async def test_a_slow_merge_does_not_block_an_edit_of_another_file(
        fixture_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = edits_module.merge

    def slow_merge(original: str, edit: str, **kw: Any) -> Any:
        if "SLOW" in edit:
            time.sleep(SLOW_S)  # a merge thread busy this long (the engine at its worst)
        return real(original, edit, **kw)

    monkeypatch.setattr(edits_module, "merge", slow_merge)
    done: list[str] = []
    async with Client(build_repo_server(fixture_repo)) as client:
        async def send(path: str, code_edit: str, name: str) -> None:
            result = await client.call_tool("edit_file", {
                "path": path, "code_edit": code_edit, "instruction": "I edit."})
            assert not result.is_error
            done.append(name)

        async with anyio.create_task_group() as tg:
            tg.start_soon(send, "app/cart.py",
                          "# ... existing code ...\nTAX_RATE = 0.2\nSPEED = 'SLOW'\n\n\n"
                          "class Cart:\n# ... existing code ...\n", "slow")
            await anyio.sleep(0.3)
            tg.start_soon(send, "README.md", "# Shop\n\nA cart and web pricing, fast.\n",
                          "fast")
    assert done == ["fast", "slow"]
    assert "SPEED = 'SLOW'" in (fixture_repo / "app" / "cart.py").read_text()


async def test_a_file_changed_during_a_merge_is_merged_again(
        fixture_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two edits of one file, the first slow: the second lands while the first merges;
    the first is merged again on the new text under the lock, and both survive."""
    real = edits_module.merge

    def slow_merge(original: str, edit: str, **kw: Any) -> Any:
        if "SLOW" in edit and "CURRENCY" not in original:
            time.sleep(SLOW_S)
        return real(original, edit, **kw)

    monkeypatch.setattr(edits_module, "merge", slow_merge)
    async with Client(build_repo_server(fixture_repo)) as client:
        async def send(code_edit: str) -> None:
            result = await client.call_tool("edit_file", {
                "path": "app/cart.py", "code_edit": code_edit, "instruction": "I edit."})
            assert not result.is_error

        async with anyio.create_task_group() as tg:
            tg.start_soon(send, "# ... existing code ...\n    def total(self):\n"
                                "        # SLOW\n        return self.subtotal() * (1 + TAX_RATE)\n")
            await anyio.sleep(0.3)
            tg.start_soon(send, "# ... existing code ...\nTAX_RATE = 0.2\nCURRENCY = 'EUR'\n"
                                "\n\nclass Cart:\n# ... existing code ...\n")
    text = (fixture_repo / "app" / "cart.py").read_text()
    assert "CURRENCY = 'EUR'" in text and "# SLOW" in text
