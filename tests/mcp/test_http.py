"""`splice mcp --http PORT`: the same walk over streamable HTTP on loopback."""

from __future__ import annotations

from pathlib import Path

import httpx
from mcp import Client

from tests.mcp.conftest import http_server, http_session
from tests.mcp.scenario import check_tool_list, run_scenario, text_of

INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                         "clientInfo": {"name": "t", "version": "0"}}}
HEADERS = {"accept": "application/json, text/event-stream",
           "content-type": "application/json"}


async def test_http_tools_end_to_end(fixture_repo: Path, tmp_path: Path) -> None:
    with http_server(fixture_repo, errlog=tmp_path / "server.err") as url:
        assert url.startswith("http://127.0.0.1:")
        async with http_session(url) as session:
            await run_scenario(session, fixture_repo)
        # The SDK's high-level Client negotiates the newest protocol revision itself.
        async with Client(url) as client:
            assert client.protocol_version >= "2025-06-18"
            await check_tool_list(client, expect_run=False)
            found = await client.call_tool("codebase_search", {"query": "lineTotal"})
            assert not found.is_error and "web/pricing.js:" in text_of(found)
        # A page on another site cannot drive the local server (DNS-rebinding guard).
        async with httpx.AsyncClient() as client:
            foreign_host = await client.post(url, json=INITIALIZE,
                                             headers={**HEADERS, "host": "evil.example:80"})
            foreign_origin = await client.post(url, json=INITIALIZE,
                                               headers={**HEADERS, "origin": "http://evil.example"})
        assert foreign_host.status_code == 421
        assert foreign_origin.status_code == 403
