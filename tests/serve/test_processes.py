"""`splice serve --workers 2` as a real subprocess: settings (the token) reach every process."""

from __future__ import annotations

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
