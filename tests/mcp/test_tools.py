"""The worker tools through the bridge, in-process: schemas, confinement, concurrent edits."""

from __future__ import annotations

from pathlib import Path

import anyio
from mcp import Client

from splice.mcp_server import build_repo_server
from splice.tools import mcp_tools
from tests.mcp.conftest import CART_PY
from tests.mcp.scenario import LAZY_EDIT, text_of


async def test_published_schemas_are_the_tools_own(fixture_repo: Path) -> None:
    async with Client(build_repo_server(fixture_repo, allow_run=True)) as client:
        listed = {t.name: t for t in (await client.list_tools()).tools}
    for tool in mcp_tools(allow_run=True):
        assert listed[tool.name].input_schema == tool.input_schema()
        assert listed[tool.name].description == tool.description
    assert listed["edit_file"].annotations.read_only_hint is False


async def test_patch_envelope_and_symlink_cannot_leave_the_root(fixture_repo: Path) -> None:
    outside = fixture_repo.parent / "secret.txt"
    (fixture_repo / "link.txt").symlink_to(outside)
    patch = "*** Begin Patch\n*** Add File: ../evil.py\n+x = 2\n*** End Patch\n"
    async with Client(build_repo_server(fixture_repo)) as client:
        via_patch = await client.call_tool("edit_file", {
            "path": "app/cart.py", "code_edit": patch, "instruction": "I add a file."})
        via_link = await client.call_tool("edit_file", {
            "path": "link.txt", "code_edit": "pwned\n", "instruction": "I follow a link."})
    assert via_patch.is_error and "outside the repository" in text_of(via_patch)
    assert via_link.is_error and "outside the repository" in text_of(via_link)
    assert not (fixture_repo.parent / "evil.py").exists()
    assert outside.read_text() == "outside the repo\n"


async def test_repo_path_may_name_the_root_a_folder_or_a_file(fixture_repo: Path) -> None:
    async with Client(build_repo_server(fixture_repo)) as client:
        for where in (".", str(fixture_repo), "app", "app/util.py"):
            found = await client.call_tool("codebase_search", {"query": "slugify",
                                                               "repo_path": where})
            assert not found.is_error and "app/util.py:" in text_of(found), where
        elsewhere = await client.call_tool("codebase_search", {"query": "slugify",
                                                               "repo_path": "web"})
        assert "app/util.py" not in text_of(elsewhere)
        missing = await client.call_tool("codebase_search", {"query": "slugify",
                                                             "repo_path": "lib"})
        assert missing.is_error and "no such directory" in text_of(missing)


async def test_concurrent_edits_of_one_file_both_land(fixture_repo: Path) -> None:
    edits = [
        "# ... existing code ...\nTAX_RATE = 0.2\nCURRENCY = 'EUR'\n\n\nclass Cart:\n"
        "# ... existing code ...\n",
        "# ... existing code ...\n    def total(self):\n        \"\"\"With tax.\"\"\"\n"
        "        return self.subtotal() * (1 + TAX_RATE)\n",
    ]
    results = []
    async with Client(build_repo_server(fixture_repo)) as client:
        async def send(code_edit: str) -> None:
            results.append(await client.call_tool("edit_file", {
                "path": "app/cart.py", "code_edit": code_edit, "instruction": "I edit."}))

        async with anyio.create_task_group() as tg:
            for code_edit in edits:
                tg.start_soon(send, code_edit)
    assert all(not r.is_error for r in results), [text_of(r) for r in results]
    text = (fixture_repo / "app" / "cart.py").read_text()
    assert "CURRENCY = 'EUR'" in text and '"""With tax."""' in text
    assert text.replace("CURRENCY = 'EUR'\n", "").replace('        """With tax."""\n', "") \
        == CART_PY


async def test_morph_style_dry_run_spelling_is_honoured(fixture_repo: Path) -> None:
    async with Client(build_repo_server(fixture_repo)) as client:
        dry = await client.call_tool("edit_file", {
            "path": "app/cart.py", "code_edit": LAZY_EDIT, "instruction": "I add a docstring.",
            "dryRun": True})
    assert not dry.is_error and "+        \"\"\"Sum of price" in text_of(dry)
    assert "dry run" in text_of(dry)
    assert (fixture_repo / "app" / "cart.py").read_text() == CART_PY


def test_schemas_leave_out_pydantic_titles_but_keep_a_field_called_title() -> None:
    from pydantic import BaseModel, Field

    from splice.tools.base import Tool

    class Inner(BaseModel):
        title: str = Field(description="a field that happens to be called title")

    class Inp(BaseModel):
        path: str
        inner: Inner
        items: list[Inner] = []

    async def run(req: Inp, ctx: object) -> Inp:
        return req

    schema = Tool("t", "d", Inp, Inp, run).input_schema()
    assert "title" not in schema and "title" not in schema["properties"]["path"]
    inner = schema["$defs"]["Inner"]
    assert "title" not in inner and inner["properties"]["title"]["type"] == "string"
    assert "title" not in inner["properties"]["title"]
