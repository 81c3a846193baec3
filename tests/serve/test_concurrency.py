"""Merges run off the event loop, and the instruction reaches the engine as evidence."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest

import splice.serve.engine as engine
from tests.serve.conftest import CART_EDIT, CART_MERGED, CART_PY


def test_a_stuck_merge_does_not_hold_up_other_requests(base: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    real = engine.merge
    release = threading.Event()

    def merge(original: str, edit: str, **kwargs: Any) -> Any:
        if "STUCK" in edit:
            assert release.wait(30), "the other request never finished"
        return real(original, edit, **kwargs)

    monkeypatch.setattr(engine, "merge", merge)
    outcome: dict[str, int] = {}

    def slow() -> None:
        response = httpx.post(f"{base}/v1/code/apply", timeout=60, json={
            "initial_code": "a = 1\n", "edit_snippet": "a = 2  # STUCK\n"})
        outcome["slow"] = response.status_code

    thread = threading.Thread(target=slow)
    thread.start()
    try:  # answered while the first merge still waits
        fast = httpx.post(f"{base}/v1/code/apply", timeout=20,
                          json={"initial_code": CART_PY, "edit_snippet": CART_EDIT})
        assert fast.json()["mergedCode"] == CART_MERGED
        assert "slow" not in outcome
    finally:
        release.set()
        thread.join(30)
    assert outcome["slow"] == 200


def test_instruction_is_passed_to_merge(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    real = engine.merge
    seen: list[str | None] = []

    def merge(original: str, edit: str, **kwargs: Any) -> Any:
        seen.append(kwargs.get("instruction"))
        return real(original, edit, **kwargs)

    monkeypatch.setattr(engine, "merge", merge)
    httpx.post(f"{base}/v1/chat/completions", timeout=20, json={
        "model": "auto", "messages": [{"role": "user", "content":
            f"<instruction>I will add a discount</instruction>\n<code>{CART_PY}</code>\n"
            f"<update>{CART_EDIT}</update>"}]})
    httpx.post(f"{base}/v1/code/apply", timeout=20, json={
        "initial_code": CART_PY, "edit_snippet": CART_EDIT, "instruction": "Add a discount"})
    assert seen == ["I will add a discount", "Add a discount"]
