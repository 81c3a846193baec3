"""`splice mcp` over stdio, driven by the SDK's ClientSession as a real subprocess."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import anyio

from tests.mcp.conftest import PROJECT_ROOT, server_args, stdio_session
from tests.mcp.scenario import check_tool_list, run_scenario, text_of


async def test_stdio_tools_end_to_end(fixture_repo: Path, tmp_path: Path) -> None:
    errlog = tmp_path / "server.err"
    async with stdio_session(fixture_repo, errlog=errlog) as session:
        await run_scenario(session, fixture_repo)


async def test_run_command_only_with_allow_run(fixture_repo: Path, tmp_path: Path) -> None:
    errlog = tmp_path / "server.err"
    async with stdio_session(fixture_repo, "--allow-run", errlog=errlog) as session:
        await check_tool_list(session, expect_run=True)
        ran = await session.call_tool("run_command", {"command": "ls app && echo done"})
        assert not ran.is_error, text_of(ran)
        assert "cart.py" in text_of(ran) and "done" in text_of(ran)
        failed = await session.call_tool("run_command", {"command": "exit 3"})
        assert "3" in text_of(failed)


async def test_stdout_carries_only_protocol(fixture_repo: Path) -> None:
    """Raw JSON-RPC: every stdout line parses; logs (asked for at INFO) go to stderr."""
    requests = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                    "clientInfo": {"name": "raw-test", "version": "0"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
         "params": {"name": "edit_file", "arguments": {"path": "/etc/passwd", "code_edit": "x",
                                                       "instruction": "escape"}}},
        {"jsonrpc": "2.0", "id": 3, "method": "tools/list"},
    ]
    command = [sys.executable, *server_args(fixture_repo, "--log-level", "INFO")]
    async with await anyio.open_process(command, cwd=PROJECT_ROOT) as proc:
        assert proc.stdin and proc.stdout and proc.stderr
        for request in requests:
            await proc.stdin.send((json.dumps(request) + "\n").encode())
        buffer = b""
        responses: dict[int, dict] = {}
        with anyio.fail_after(30):
            while 3 not in responses:
                buffer += await proc.stdout.receive()
                *lines, buffer = buffer.split(b"\n")
                for line in lines:
                    message = json.loads(line)  # anything but JSON-RPC here fails the test
                    assert message["jsonrpc"] == "2.0"
                    if "id" in message:
                        responses[message["id"]] = message
        await proc.stdin.aclose()
        with anyio.fail_after(10):
            await proc.wait()
        stderr = b"".join([chunk async for chunk in proc.stderr]).decode()
    assert responses[2]["result"]["isError"] is True
    assert "outside the repository" in responses[2]["result"]["content"][0]["text"]
    assert {t["name"] for t in responses[3]["result"]["tools"]} >= {"edit_file"}
    assert "edit_file" in stderr  # the INFO log of the refused call went to stderr
