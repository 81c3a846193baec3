"""`splice mcp --http PORT`: the same walk over streamable HTTP on loopback."""

from __future__ import annotations

from pathlib import Path

from tests.mcp.conftest import http_server, http_session
from tests.mcp.scenario import run_scenario


async def test_http_tools_end_to_end(fixture_repo: Path, tmp_path: Path) -> None:
    with http_server(fixture_repo, errlog=tmp_path / "server.err") as url:
        assert url.startswith("http://127.0.0.1:")
        async with http_session(url) as session:
            await run_scenario(session, fixture_repo)
