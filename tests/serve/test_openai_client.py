"""Morph's apply format through the official openai client against the running server."""

from __future__ import annotations

import openai
import pytest

from tests.serve.conftest import (
    CART_EDIT,
    CART_MERGED,
    CART_PY,
    TWINS_EDIT,
    TWINS_PY,
    morph_message,
)


def client(base: str, key: str = "unused") -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{base}/v1", api_key=key, max_retries=0, timeout=30)


@pytest.mark.parametrize("model", ["morph-v3-fast", "morph-v3-large", "auto"])
def test_plain_completion_is_the_merged_file(base: str, model: str) -> None:
    raw = client(base).chat.completions.with_raw_response.create(
        model=model, messages=[{"role": "user", "content": morph_message(
            CART_PY, CART_EDIT, "I will add a discount to total")}])
    reply = raw.parse()
    assert reply.choices[0].message.content == CART_MERGED
    assert reply.choices[0].finish_reason == "stop"
    assert reply.model == model
    assert reply.usage is not None
    assert reply.usage.prompt_tokens > reply.usage.completion_tokens > 100
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens
    assert raw.headers["x-splice-format"] == "lazy"


def test_streamed_completion_joins_to_the_merged_file(base: str) -> None:
    stream = client(base).chat.completions.create(
        model="morph-v3-fast", stream=True, stream_options={"include_usage": True},
        messages=[{"role": "user", "content": morph_message(CART_PY, CART_EDIT)}])
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == CART_MERGED
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finishes[-1] == "stop" and finishes.count("stop") == 1
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 100


def test_long_file_streams_in_several_pieces_that_join_exactly(base: str) -> None:
    code = "".join(f"def f{i}(x):\n    return x + {i}\n\n\n" for i in range(600))
    edit = ("# ... existing code ...\ndef f300(x):\n    return x * 300\n\n\n"
            "def f301(x):\n# ... existing code ...\n")
    expected = code.replace("def f300(x):\n    return x + 300\n",
                            "def f300(x):\n    return x * 300\n")
    stream = client(base).chat.completions.create(
        model="auto", stream=True,
        messages=[{"role": "user", "content": morph_message(code, edit)}])
    pieces = [c.choices[0].delta.content for c in stream if c.choices and c.choices[0].delta.content]
    assert len(pieces) > 2
    assert "".join(pieces) == expected


def test_refusal_is_422_with_the_engines_reason(base: str) -> None:
    with pytest.raises(openai.UnprocessableEntityError) as caught:
        client(base).chat.completions.create(
            model="auto", messages=[{"role": "user", "content": morph_message(TWINS_PY, TWINS_EDIT)}])
    error = caught.value.body
    assert isinstance(error, dict)
    assert error["type"] == "apply_refused"
    assert error["code"] == "ambiguous_match"
    assert error["candidates"] == [3, 8]
    assert "guess" in error["message"] or "occur" in error["message"]


def test_refused_stream_is_422_before_any_chunk(base: str) -> None:
    with pytest.raises(openai.UnprocessableEntityError):
        client(base).chat.completions.create(
            model="auto", stream=True,
            messages=[{"role": "user", "content": morph_message(TWINS_PY, TWINS_EDIT)}])


def test_message_without_update_is_400_naming_the_tag(base: str) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client(base).chat.completions.create(
            model="auto", messages=[{"role": "user", "content": f"<code>{CART_PY}</code>"}])
    assert "<update>" in str(caught.value)


def test_unknown_model_is_404(base: str) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        client(base).chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": morph_message(CART_PY, CART_EDIT)}])
    assert "morph-v3-fast" in str(caught.value)


def test_models_lists_morphs_names(base: str) -> None:
    names = {m.id for m in client(base).models.list()}
    assert {"morph-v3-fast", "morph-v3-large", "auto"} <= names
