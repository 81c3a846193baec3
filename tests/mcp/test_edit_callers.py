"""edit_file names the call sites of a signature it changed, in its text and its result."""

from __future__ import annotations

from pathlib import Path

from mcp import Client

from splice.core.repo import Repo
from splice.mcp_server import build_repo_server
from splice.tools import ToolContext, mcp_tools
from tests.mcp.scenario import text_of

SIGNATURE_EDIT = ("# ... existing code ...\n    def add(self, name, price, qty=1, note=None):\n"
                  "        self.items.append((name, price, qty))\n# ... existing code ...\n")


SHOP_PY = ("from app.cart import Cart\n\n\ndef basket():\n    cart = Cart()\n"
           "    cart.add('tea', 3)\n    # cart.add(name, price) is documented elsewhere\n"
           "    return cart\n")


async def test_edit_file_lists_the_callers_of_a_changed_method(fixture_repo: Path) -> None:
    (fixture_repo / "app" / "shop.py").write_text(SHOP_PY)
    async with Client(build_repo_server(fixture_repo)) as client:
        result = await client.call_tool("edit_file", {
            "path": "app/cart.py", "code_edit": SIGNATURE_EDIT,
            "instruction": "I add a note parameter to Cart.add."})
    assert not result.is_error, text_of(result)
    assert text_of(result).rstrip().endswith(
        "signature changed: def add(self, name, price, qty=1) -> "
        "def add(self, name, price, qty=1, note=None) — 1 call site: app/shop.py:6")


async def test_edit_file_result_carries_the_callers(fixture_repo: Path) -> None:
    (fixture_repo / "app" / "shop.py").write_text(SHOP_PY)
    edit_file = {t.name: t for t in mcp_tools()}["edit_file"]
    out = await edit_file.call({"path": "app/cart.py", "code_edit": SIGNATURE_EDIT,
                                "instruction": "I add a note parameter to Cart.add."},
                               ToolContext(repo=Repo(fixture_repo)))
    assert not out.is_error and out.data is not None, out.text
    sites = out.data["callers"]["changes"][0]["sites"]
    assert [(s["path"], s["start_line"], s["symbol"]) for s in sites] == [
        ("app/shop.py", 6, "add")]


async def test_edit_file_without_a_signature_change_says_nothing_more(
        fixture_repo: Path) -> None:
    body = ("# ... existing code ...\n    def total(self):\n"
            "        return round(self.subtotal() * (1 + TAX_RATE), 2)\n")
    async with Client(build_repo_server(fixture_repo)) as client:
        result = await client.call_tool("edit_file", {
            "path": "app/cart.py", "code_edit": body, "instruction": "I round the total."})
    assert not result.is_error, text_of(result)
    assert "signature" not in text_of(result)
