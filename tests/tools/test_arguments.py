"""One wording for bad arguments on every surface: the MCP server, the agent's tools, the CLI.

Each names the argument that was wrong, says what was wrong with it, and lists what to
send; none is a pydantic dump ("validation error for ...", errors.pydantic.dev).
"""

import subprocess
import sys
from pathlib import Path

from mcp import Client

from splice.agent.toolset import worker_toolset
from splice.core.repo import Repo
from splice.mcp_server import build_repo_server
from splice.tools import ToolContext
from tests.mcp.conftest import PROJECT_ROOT
from tests.mcp.scenario import text_of

DUMP_WORDS = ("validation error", "pydantic", "Arguments", "input_value", "type=")


def assert_explained(text: str, *needles: str) -> None:
    for word in DUMP_WORDS:
        assert word not in text, (word, text)
    assert "Send:" in text
    for needle in needles:
        assert needle in text, (needle, text)


async def test_mcp_names_the_missing_and_mistyped_arguments(fixture_repo: Path) -> None:
    async with Client(build_repo_server(fixture_repo)) as client:
        missing = await client.call_tool("edit_file", {"path": "app/cart.py"})
        mistyped = await client.call_tool("codebase_search", {"query": "cart",
                                                               "max_tokens": "lots"})
        too_small = await client.call_tool("codebase_search", {"query": "cart",
                                                                "max_tokens": 3})
    assert missing.is_error and mistyped.is_error and too_small.is_error
    assert_explained(text_of(missing), "edit_file:", "`code_edit` is missing",
                     "`instruction` is missing", "- code_edit (a string, required)")
    assert_explained(text_of(mistyped), "`max_tokens` = 'lots'", "an integer")
    assert_explained(text_of(too_small), "`max_tokens` = 3", "50 to 200000")
    assert (fixture_repo / "app" / "cart.py").exists()


async def test_the_agents_tools_use_the_same_wording(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    tools = worker_toolset().tools
    ctx = ToolContext(repo=Repo(tmp_path))
    edit = await tools["edit"].call({"path": "a.py"}, ctx)
    search = await tools["search"].call({"query": "x", "max_tokens": 3}, ctx)
    assert edit.is_error and search.is_error
    assert_explained(edit.text, "edit:", "`edit` is missing", "- edit (a string, required)")
    assert_explained(search.text, "`max_tokens` = 3", "50 to 200000")


def test_the_cli_uses_the_same_wording_with_its_flag_names(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "splice", "search", "x", "--repo",
                           str(tmp_path), "--max-tokens", "3"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=60,
                          env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    assert done.returncode != 0 and done.stdout == ""
    assert_explained(done.stderr, "splice search:", "`--max-tokens` = 3", "50 to 200000",
                     "- --max-tokens (an integer")
    assert "scope" not in done.stderr  # only what the command takes


async def test_edit_file_says_what_it_created(fixture_repo: Path) -> None:
    async with Client(build_repo_server(fixture_repo)) as client:
        dry = await client.call_tool("edit_file", {
            "path": "pkg/util/strings.py", "code_edit": "def shout(s):\n    return s.upper()\n",
            "instruction": "I add a helper.", "dryRun": True})
        assert not (fixture_repo / "pkg").exists()
        made = await client.call_tool("edit_file", {
            "path": "pkg/util/strings.py", "code_edit": "def shout(s):\n    return s.upper()\n",
            "instruction": "I add a helper."})
        again = await client.call_tool("edit_file", {
            "path": "pkg/util/strings.py", "code_edit": "def shout(s):\n    return s.lower()\n",
            "instruction": "I change it."})
    assert not dry.is_error and not made.is_error and not again.is_error
    assert text_of(dry).startswith("would create new folder pkg/\nwould create new folder "
                                   "pkg/util/\nwould create new file pkg/util/strings.py")
    assert text_of(made).startswith("created new folder pkg/\ncreated new folder pkg/util/\n"
                                    "created new file pkg/util/strings.py (it did not exist)")
    assert (fixture_repo / "pkg" / "util" / "strings.py").read_text().endswith("lower()\n")
    assert "created" not in text_of(again)  # an existing file: nothing new to say
