"""Relace's REST shape over httpx; auth, size caps and health on the running server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx

from splice.serve import ServeSettings
from tests.serve.conftest import CART_EDIT, CART_MERGED, CART_PY, TWINS_EDIT, TWINS_PY


def test_relace_apply_returns_merged_code_and_usage(base: str, http: httpx.Client) -> None:
    response = http.post(f"{base}/v1/code/apply", json={
        "initial_code": CART_PY, "edit_snippet": CART_EDIT,
        "instruction": "Add a discount to total", "model": "auto", "stream": False})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["mergedCode"] == CART_MERGED
    usage = body["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert usage["completion_tokens"] > 100


def test_relace_camel_case_fields_are_accepted(base: str, http: httpx.Client) -> None:
    response = http.post(f"{base}/v1/code/apply",
                         json={"initialCode": CART_PY, "editSnippet": CART_EDIT})
    assert response.status_code == 200
    assert response.json()["mergedCode"] == CART_MERGED


def test_relace_refusal_is_422_apply_refused(base: str, http: httpx.Client) -> None:
    response = http.post(f"{base}/v1/code/apply",
                         json={"initial_code": TWINS_PY, "edit_snippet": TWINS_EDIT})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["type"] == "apply_refused" and error["code"] == "ambiguous_match"
    assert error["candidates"] == [3, 8]


def test_relace_missing_field_and_stream_are_clear_400s(base: str, http: httpx.Client) -> None:
    missing = http.post(f"{base}/v1/code/apply", json={"initial_code": CART_PY})
    assert missing.status_code == 400
    assert "edit_snippet" in missing.json()["error"]["message"]
    stream = http.post(f"{base}/v1/code/apply", json={
        "initial_code": CART_PY, "edit_snippet": CART_EDIT, "stream": True})
    assert stream.status_code == 400
    assert "stream" in stream.json()["error"]["message"]


def test_not_json_is_400(base: str, http: httpx.Client) -> None:
    response = http.post(f"{base}/v1/code/apply", content=b"{not json",
                         headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]["message"]


def test_healthz(base: str, http: httpx.Client) -> None:
    response = http.get(f"{base}/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_token_is_required_when_set(serve_url: Callable[..., Any], http: httpx.Client) -> None:
    payload = {"initial_code": CART_PY, "edit_snippet": CART_EDIT}
    with serve_url(ServeSettings(token="s3cret")) as url:
        assert http.post(f"{url}/v1/code/apply", json=payload).status_code == 401
        wrong = http.post(f"{url}/v1/code/apply", json=payload,
                          headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        assert wrong.headers["www-authenticate"] == "Bearer"
        assert "Authorization: Bearer" in wrong.json()["error"]["message"]
        assert http.get(f"{url}/v1/models").status_code == 401
        right = http.post(f"{url}/v1/code/apply", json=payload,
                          headers={"Authorization": "Bearer s3cret"})
        assert right.status_code == 200
        assert http.get(f"{url}/healthz").status_code == 200


def test_oversized_bodies_are_413(serve_url: Callable[..., Any], http: httpx.Client) -> None:
    big = {"initial_code": "x = 1\n" * 400, "edit_snippet": CART_EDIT}
    with serve_url(ServeSettings(max_body_bytes=1000)) as url:
        declared = http.post(f"{url}/v1/code/apply", json=big)
        assert declared.status_code == 413
        assert "--max-body-bytes" in declared.json()["error"]["message"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: the cap must hold while reading
            text = httpx.Request("POST", url, json=big).read()
            for i in range(0, len(text), 256):
                yield text[i:i + 256]

        streamed = http.post(f"{url}/v1/code/apply", content=chunks(),
                             headers={"content-type": "application/json"})
        assert streamed.status_code == 413
        small = http.post(f"{url}/v1/code/apply",
                          json={"initial_code": "a = 1\n", "edit_snippet": "a = 2\n"})
        assert small.status_code == 200 and small.json()["mergedCode"] == "a = 2\n"
