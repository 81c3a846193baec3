"""`splice mcp --http PORT`: the same walk over streamable HTTP on loopback."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.mcp.conftest import http_server, http_session
from tests.mcp.scenario import run_scenario

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
        # A page on another site cannot drive the local server (DNS-rebinding guard).
        async with httpx.AsyncClient() as client:
            foreign_host = await client.post(url, json=INITIALIZE,
                                             headers={**HEADERS, "host": "evil.example:80"})
            foreign_origin = await client.post(url, json=INITIALIZE,
                                               headers={**HEADERS, "origin": "http://evil.example"})
        assert foreign_host.status_code == 421
        assert foreign_origin.status_code == 403
