"""`splice mcp` over stdio, driven by the SDK's ClientSession as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

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


def test_stdout_carries_only_protocol(fixture_repo: Path) -> None:
    """Raw JSON-RPC over real pipes (as Node and Rust clients spawn servers): every stdout
    line parses, a search still finds code (children never read the protocol pipe), and
    logs (asked for at INFO) go to stderr."""
    requests = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                    "clientInfo": {"name": "raw-test", "version": "0"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
         "params": {"name": "edit_file", "arguments": {"path": "/etc/passwd", "code_edit": "x",
                                                       "instruction": "escape"}}},
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call",
         "params": {"name": "codebase_search", "arguments": {"query": "orderTotal"}}},
        {"jsonrpc": "2.0", "id": 4, "method": "tools/list"},
    ]
    command = [sys.executable, *server_args(fixture_repo, "--log-level", "INFO")]
    proc = subprocess.Popen(command, cwd=PROJECT_ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin and proc.stdout
    responses: dict[int, dict] = {}
    killer = threading.Timer(30, proc.kill)  # a hung server fails the test, not the run
    killer.start()
    try:
        for request in requests:
            proc.stdin.write((json.dumps(request) + "\n").encode())
        proc.stdin.flush()
        while not {1, 2, 3, 4} <= responses.keys():
            line = proc.stdout.readline()
            assert line, "the server closed stdout early"
            message = json.loads(line)  # anything but JSON-RPC here fails the test
            assert message["jsonrpc"] == "2.0"
            if "id" in message:
                responses[message["id"]] = message
        _, stderr = proc.communicate(timeout=10)  # closes stdin: the server exits
    finally:
        killer.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    assert responses[2]["result"]["isError"] is True
    assert "outside the repository" in responses[2]["result"]["content"][0]["text"]
    assert "web/pricing.js:" in responses[3]["result"]["content"][0]["text"]
    assert {t["name"] for t in responses[4]["result"]["tools"]} >= {"edit_file"}
    assert "edit_file refused" in stderr.decode()  # the INFO log went to stderr
