"""The installed `splice mcp`, driven by the official `mcp` client over stdio and HTTP."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from mcp import Client, ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

from tests.acceptance.installed import Installed
from tests.acceptance.realrepo import ENV_CANARY
from tests.processes import stop

LAZY_FIX = '''\
# ... existing code ...
def add(a, b):
    """Return the sum of a and b."""
    return a + b


def update(target, other):
# ... existing code ...
'''


def _text(result: object) -> str:
    return "\n".join(b.text for b in result.content if b.type == "text")  # type: ignore[attr-defined]


@asynccontextmanager
async def stdio(installed: Installed, repo: Path, *extra: str,
                errlog: Path) -> AsyncIterator[ClientSession]:
    params = StdioServerParameters(command=str(installed.splice),
                                   args=["mcp", "--repo", str(repo), *extra],
                                   env=installed.env, cwd=str(installed.folder))
    with errlog.open("w") as err:
        async with stdio_client(params, errlog=err) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                yield session


@contextmanager
def http(installed: Installed, repo: Path, errlog: Path) -> Iterator[str]:
    with errlog.open("w") as err:
        proc = subprocess.Popen([str(installed.splice), "mcp", "--repo", str(repo), "--http",
                                 "0"], env=installed.env, stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, stderr=err)
        try:
            deadline = time.monotonic() + 90  # a loaded CI machine
            while time.monotonic() < deadline:
                found = re.search(r"serving streamable HTTP on (http://\S+)", errlog.read_text())
                if found:
                    yield found.group(1)
                    break
                assert proc.poll() is None, errlog.read_text()
                time.sleep(0.05)
            else:
                raise AssertionError(errlog.read_text())
        finally:
            stop(proc)


async def test_stdio_search_edit_and_a_confined_command(installed: Installed, repo: Path,
                                                        tmp_path: Path) -> None:
    async with stdio(installed, repo, "--allow-run", errlog=tmp_path / "err") as session:
        names = {t.name for t in (await session.list_tools()).tools}
        assert {"codebase_search", "edit_file", "compact", "run_command"} <= names
        found = await session.call_tool("codebase_search", {"query": "def add"})
        assert not found.is_error and "verbs.py:" in _text(found)
        edited = await session.call_tool("edit_file", {
            "path": "verbs.py", "code_edit": LAZY_FIX, "instruction": "add adds"})
        assert not edited.is_error, _text(edited)
        assert "return a + b" in (repo / "verbs.py").read_text()
        ran = await session.call_tool("run_command", {
            "command": "cat .env; echo hook > .git/hooks/pre-commit; python -c 'import verbs;"
                       " print(verbs.add(2, 3))'"})
        out = _text(ran)
    assert ENV_CANARY.strip() not in out
    assert not (repo / ".git" / "hooks" / "pre-commit").exists()
    if "isolation: bwrap" in out:
        assert "5" in out and "policy: home-deny" in out


async def test_http_search_with_the_sdk_client(installed: Installed, repo: Path,
                                               tmp_path: Path) -> None:
    with http(installed, repo, tmp_path / "err") as url:
        async with Client(url) as client:
            found = await client.call_tool("codebase_search", {"query": "routes_command"})
    assert not found.is_error and "routes.py:" in _text(found)


async def test_a_missing_argument_says_what_to_send(installed: Installed, repo: Path,
                                                    tmp_path: Path) -> None:
    async with stdio(installed, repo, errlog=tmp_path / "err") as session:
        result = await session.call_tool("edit_file", {"path": "verbs.py"})
    text = _text(result)
    assert result.is_error and "code_edit" in text
    assert "validation error" not in text and "errors.pydantic.dev" not in text


async def test_edit_file_says_when_it_creates_folders(installed: Installed, repo: Path,
                                                      tmp_path: Path) -> None:
    async with stdio(installed, repo, errlog=tmp_path / "err") as session:
        result = await session.call_tool("edit_file", {
            "path": "newdir/sub/new.py", "code_edit": "x = 1\n", "instruction": "new module"})
    text = _text(result).lower()
    assert "newdir" in text and ("folder" in text or "director" in text), text
