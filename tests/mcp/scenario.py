"""One client-side walk through the MCP tools, run over stdio and over streamable HTTP."""

from __future__ import annotations

from pathlib import Path

from mcp import Client, ClientSession
from mcp_types import CallToolResult

from tests.mcp.conftest import CART_PY

EXPECTED_REQUIRED = {
    "codebase_search": ["query"],
    "compact": ["text", "query"],
    "edit_file": ["path", "code_edit", "instruction"],
}

LAZY_EDIT = '''\
# ... existing code ...
    def subtotal(self):
        """Sum of price times quantity over all items."""
        return sum(price * qty for _, price, qty in self.items)
# ... existing code ...
'''

EDITED_CART = CART_PY.replace(
    "    def subtotal(self):\n",
    '    def subtotal(self):\n        """Sum of price times quantity over all items."""\n')

# Malformed edits, each with the words its error must carry.
MALFORMED_EDITS = [
    ("*** Begin Patch\n*** Update File:\n@@\n-x\n+y\n*** End Patch\n", "names no file"),
    ("<<<<<<< SEARCH\n=======\n    pass\n>>>>>>> REPLACE\n", "no old or context lines"),
    ("<<<<<<< SEARCH\n    def total(self):\n=======\n", ">>>>>>> REPLACE"),
]

UNPLACEABLE_LAZY_EDIT = '''\
# ... existing code ...
    def checkout(self, card):
        return charge(card, self.total())
    def refund(self, card):
        return charge(card, -self.total())
# ... existing code ...
'''

TEST_LOG = "\n".join(
    [f"tests/test_cart.py::test_add_{i} PASSED" for i in range(60)]
    + ["tests/test_cart.py::test_total FAILED",
       "    def test_total():",
       ">       assert cart.total() == 12.0",
       "E       assert 11.9 == 12.0",
       "FAILED tests/test_cart.py::test_total - assert 11.9 == 12.0",
       "===== 1 failed, 60 passed in 0.31s ====="]) + "\n"


def text_of(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if block.type == "text")


async def call(session: ClientSession, name: str, **arguments: object) -> CallToolResult:
    return await session.call_tool(name, dict(arguments))


async def check_tool_list(session: ClientSession | Client, *, expect_run: bool) -> None:
    tools = {t.name: t for t in (await session.list_tools()).tools}
    expected = dict(EXPECTED_REQUIRED)
    if expect_run:
        expected["run_command"] = ["command"]
    assert set(tools) == set(expected)
    for name, required in expected.items():
        schema = tools[name].input_schema
        assert schema["type"] == "object"
        assert sorted(schema.get("required", [])) == sorted(required), name
        assert tools[name].description and len(tools[name].description) > 80
    assert {"repo_path", "max_tokens"} <= set(tools["codebase_search"].input_schema["properties"])
    assert "ratio" in tools["compact"].input_schema["properties"]
    assert "dry_run" in tools["edit_file"].input_schema["properties"]
    assert "... existing code ..." in tools["edit_file"].description
    assert tools["codebase_search"].annotations.read_only_hint is True


async def check_search(session: ClientSession) -> None:
    found = await call(session, "codebase_search", query="where is orderTotal computed")
    assert not found.is_error, text_of(found)
    assert "web/pricing.js:" in text_of(found) and "function orderTotal" in text_of(found)

    narrowed = await call(session, "codebase_search", query="subtotal total", repo_path="app")
    assert not narrowed.is_error, text_of(narrowed)
    assert "app/cart.py:" in text_of(narrowed) and "web/pricing.js" not in text_of(narrowed)

    for outside in ("..", "/etc", "../secret.txt"):
        refused = await call(session, "codebase_search", query="secret", repo_path=outside)
        assert refused.is_error, outside
        assert "outside the repository" in text_of(refused)


async def check_edits(session: ClientSession, repo: Path) -> None:
    cart = repo / "app" / "cart.py"
    dry = await call(session, "edit_file", path="app/cart.py", code_edit=LAZY_EDIT,
                     instruction="I add a docstring to subtotal.", dry_run=True)
    assert not dry.is_error, text_of(dry)
    assert '+        """Sum of price times quantity over all items."""' in text_of(dry)
    assert cart.read_text() == CART_PY  # a dry run writes nothing

    done = await call(session, "edit_file", path="app/cart.py", code_edit=LAZY_EDIT,
                      instruction="I add a docstring to subtotal.")
    assert not done.is_error, text_of(done)
    assert cart.read_text() == EDITED_CART


async def check_refusals(session: ClientSession, repo: Path) -> None:
    cart = repo / "app" / "cart.py"
    before = cart.read_text()
    secret = repo.parent / "secret.txt"
    for outside in ("../secret.txt", "/etc/passwd", str(secret)):
        refused = await call(session, "edit_file", path=outside, code_edit="x = 1\n",
                             instruction="I overwrite a file outside the repo.")
        assert refused.is_error, outside
        assert "outside the repository" in text_of(refused)
    assert secret.read_text() == "outside the repo\n"

    for code_edit, words in MALFORMED_EDITS:
        malformed = await call(session, "edit_file", path="app/cart.py", code_edit=code_edit,
                               instruction="I send a broken edit.")
        assert malformed.is_error and words in text_of(malformed), text_of(malformed)

    unplaceable = await call(session, "edit_file", path="app/cart.py",
                             code_edit=UNPLACEABLE_LAZY_EDIT, instruction="I add checkout.")
    assert unplaceable.is_error
    assert "app/cart.py" in text_of(unplaceable)
    assert cart.read_text() == before  # refused edits leave the file as it was

    no_instruction = await call(session, "edit_file", path="app/cart.py", code_edit=LAZY_EDIT)
    assert no_instruction.is_error and "instruction" in text_of(no_instruction)


async def check_compact(session: ClientSession) -> None:
    result = await call(session, "compact", text=TEST_LOG, query="why does test_total fail")
    assert not result.is_error, text_of(result)
    out = text_of(result)
    assert "E       assert 11.9 == 12.0" in out
    assert len(out) < len(TEST_LOG)

    bad = await call(session, "compact", text=TEST_LOG, query="x", ratio=3)
    assert bad.is_error and "ratio" in text_of(bad)


async def check_still_serving(session: ClientSession) -> None:
    again = await call(session, "codebase_search", query="slugify")
    assert not again.is_error and "app/util.py:" in text_of(again)


async def run_scenario(session: ClientSession, repo: Path) -> None:
    await check_tool_list(session, expect_run=False)
    await check_search(session)
    await check_edits(session, repo)
    await check_refusals(session, repo)
    await check_compact(session)
    await check_still_serving(session)
