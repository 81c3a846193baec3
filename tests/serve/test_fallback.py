"""--fallback-url: what splice refuses goes to an OpenAI-compatible apply model (a fake one on
loopback here) and comes back marked x-splice-fallback: 1; what splice merges never leaves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import openai

from splice.serve import FallbackSettings, ServeSettings
from tests.serve.conftest import (
    CART_EDIT,
    CART_MERGED,
    CART_PY,
    TWINS_EDIT,
    TWINS_PY,
    FakeUpstream,
    morph_message,
    running,
)

UPSTREAM_ANSWER = TWINS_PY.replace("        return None\n", "        return None\n        # checked\n", 1)


def test_refused_chat_goes_upstream(serve_url: Callable[..., Any]) -> None:
    upstream = FakeUpstream(UPSTREAM_ANSWER)
    with running(upstream.app()) as up:
        settings = ServeSettings(fallback=FallbackSettings(
            url=f"{up}/v1", model="morph-v3-large", api_key="up-key"))
        with serve_url(settings) as url:
            client = openai.OpenAI(base_url=f"{url}/v1", api_key="x", max_retries=0)
            message = morph_message(TWINS_PY, TWINS_EDIT, "I will mark the method as checked")
            raw = client.chat.completions.with_raw_response.create(
                model="auto", messages=[{"role": "user", "content": message}])
            assert raw.headers["x-splice-fallback"] == "1"
            assert raw.headers["x-splice-refused"] == "ambiguous_match"
            assert raw.parse().choices[0].message.content == UPSTREAM_ANSWER
            sent = upstream.requests[-1]
            assert sent["auth"] == "Bearer up-key"
            assert sent["body"]["model"] == "morph-v3-large"
            assert sent["body"]["messages"] == [{"role": "user", "content": message}]

            stream = client.chat.completions.create(
                model="auto", stream=True, messages=[{"role": "user", "content": message}])
            text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
            assert text == UPSTREAM_ANSWER
            assert upstream.requests[-1]["body"]["stream"] is True

            merged = client.chat.completions.with_raw_response.create(
                model="auto", messages=[{"role": "user",
                                         "content": morph_message(CART_PY, CART_EDIT)}])
            assert "x-splice-fallback" not in merged.headers
            assert merged.parse().choices[0].message.content == CART_MERGED
            assert len(upstream.requests) == 2  # the merge splice could do never left


def test_refused_relace_goes_upstream_in_relaces_shape(serve_url: Callable[..., Any]) -> None:
    upstream = FakeUpstream(UPSTREAM_ANSWER)
    with running(upstream.app()) as up:
        with serve_url(ServeSettings(fallback=FallbackSettings(url=f"{up}/v1"))) as url:
            response = httpx.post(f"{url}/v1/code/apply", json={
                "initial_code": TWINS_PY, "edit_snippet": TWINS_EDIT,
                "instruction": "mark the method as checked"}, timeout=30)
    assert response.status_code == 200
    assert response.headers["x-splice-fallback"] == "1"
    assert response.json() == {"mergedCode": UPSTREAM_ANSWER,
                               "usage": {"prompt_tokens": 7, "completion_tokens": 5,
                                         "total_tokens": 12}}
    body = upstream.requests[-1]["body"]
    assert body["model"] == "auto"  # no --fallback-model: the client's model goes up
    content = body["messages"][0]["content"]
    assert content.startswith("<instruction>mark the method as checked</instruction>\n<code>")
    assert content.endswith(f"<update>{TWINS_EDIT}</update>")


def test_unreachable_upstream_is_502_with_both_reasons(serve_url: Callable[..., Any]) -> None:
    from splice.mcp_server import bind_tcp

    closed = bind_tcp("127.0.0.1", 0)  # bound, never listening: connections are refused
    port = closed.getsockname()[1]
    try:
        settings = ServeSettings(fallback=FallbackSettings(url=f"http://127.0.0.1:{port}/v1",
                                                           timeout_s=5))
        with serve_url(settings) as url:
            response = httpx.post(f"{url}/v1/code/apply", json={
                "initial_code": TWINS_PY, "edit_snippet": TWINS_EDIT}, timeout=30)
    finally:
        closed.close()
    assert response.status_code == 502
    error = response.json()["error"]
    assert error["type"] == "fallback_failed"
    assert "ambiguous_match" in error["message"] and f"127.0.0.1:{port}" in error["message"]
    assert error["candidates"] == [3, 8]
