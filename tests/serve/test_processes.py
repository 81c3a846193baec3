"""`splice serve --workers 2` as a real subprocess: settings (the token) reach every process."""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
import openai
import pytest

from splice.bench.serve_bench import server_process
from tests.serve.conftest import CART_EDIT, CART_MERGED, CART_PY, morph_message

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_two_server_processes_share_the_port_and_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT_ROOT)  # `python -m splice` must import this checkout
    monkeypatch.setenv("PYTHONPATH", str(PROJECT_ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with server_process(["--workers", "2", "--token", "t0ken"]) as url:
        client = openai.OpenAI(base_url=url, api_key="t0ken", max_retries=0, timeout=30)
        for _ in range(4):  # more requests than processes: both answer the same way
            reply = client.chat.completions.create(
                model="morph-v3-fast",
                messages=[{"role": "user", "content": morph_message(CART_PY, CART_EDIT)}])
            assert reply.choices[0].message.content == CART_MERGED
        assert httpx.get(f"{url}/models", timeout=10).status_code == 401


def test_idle_kept_alive_connection_outlives_the_clients_pool_expiry(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx (hence the openai SDK) keeps idle connections 5 s, uvicorn's default timeout:
    a client reusing one just as the server closes it gets its request reset, with no HTTP
    status (the bench's intermittent errors). The server must keep them open longer."""
    import time

    import anyio

    from splice.bench.serve_client import Connection

    monkeypatch.chdir(PROJECT_ROOT)
    monkeypatch.setenv("PYTHONPATH", str(PROJECT_ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    body = (b'{"model": "auto", "messages": [{"role": "user", "content": '
            + json.dumps(morph_message(CART_PY, CART_EDIT)).encode() + b"}]}")

    async def twice(url: str) -> tuple[int, int, bool]:
        conn = Connection(url)
        first = await conn.post("/v1/chat/completions", body)
        stream = conn.stream
        await anyio.sleep(6.5)  # longer than 5 s idle
        closed_by_server = await _closed(conn)
        second = await conn.post("/v1/chat/completions", body)
        same = conn.stream is stream
        await conn.aclose()
        assert first.error is None and second.error is None
        return first.status, second.status, same and not closed_by_server

    with server_process(["--workers", "1"]) as url:
        start = time.monotonic()
        assert anyio.run(twice, url.removesuffix("/v1")) == (200, 200, True)
        assert time.monotonic() - start > 6


async def _closed(conn: object) -> bool:
    """True when the server has closed the connection (its end reads as EOF at once)."""
    import anyio

    stream = conn.stream  # type: ignore[attr-defined]
    with anyio.move_on_after(0.2):
        try:
            await stream.receive(1)
        except (anyio.EndOfStream, anyio.BrokenResourceError):
            return True
        return True  # unexpected bytes: not a clean idle connection either
    return False
