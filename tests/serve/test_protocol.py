"""Parsing Morph's message: the tags as tools send them, and files that hold the tags."""

from __future__ import annotations

import pytest

from splice.core.errors import InvalidRequest
from splice.serve.protocol import parse_apply_message


def test_instruction_is_optional() -> None:
    parts = parse_apply_message("<code>a = 1\n</code>\n<update>a = 2\n</update>")
    assert (parts.instruction, parts.code, parts.update) == (None, "a = 1\n", "a = 2\n")


def test_file_that_contains_the_closing_tag_survives() -> None:
    html = "<pre><code>x</code></pre>\n<p>hi</p>\n"
    edit = "<pre><code>y</code></pre>\n<!-- ... existing code ... -->\n"
    parts = parse_apply_message(
        f"<instruction>I will change x to y</instruction>\n<code>{html}</code>\n"
        f"<update>{edit}</update>")
    assert parts.code == html
    assert parts.update == edit
    assert parts.instruction == "I will change x to y"


@pytest.mark.parametrize("text, missing", [
    ("<code>a</code>", "<update>"),
    ("<update>a</update>", "<code>"),
    ("just some words", "<update>"),
])
def test_missing_tags_name_what_to_send(text: str, missing: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        parse_apply_message(text)
    assert missing in str(caught.value)
