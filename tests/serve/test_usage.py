"""`usage` counts reuse the original file's pieces, and must equal whole-text counts."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from splice.core.tokens import count_tokens
from splice.serve.protocol import parse_apply_message
from splice.serve.usage import cut_at_or_after, cut_at_or_before, merge_usage
from tests.serve.conftest import CART_EDIT, CART_MERGED, CART_PY, morph_message


def whole(head: str, original: str, tail: str, merged: str) -> tuple[int, int]:
    return count_tokens(head + original + tail), count_tokens(merged)


def test_cart_merge_counts_as_whole_texts() -> None:
    message = morph_message(CART_PY, CART_EDIT, "add a discount")
    parts = parse_apply_message(message)
    assert parts.head + parts.code + parts.tail == message
    got = merge_usage(parts.head, parts.code, parts.tail, CART_MERGED)
    assert got == whole(parts.head, parts.code, parts.tail, CART_MERGED)


# Lines as code has them: indentation, blank runs, trailing spaces, CRLF, tabs, unicode,
# punctuation at line ends (which cl100k glues to the newline), digits, `'s` contractions.
LINE = st.one_of(
    st.sampled_from(["", " ", "    ", "\t", "def f(x):", "    return x + 1", "}", "});",
                     "  // it's done", "x = 12345", "\r", "émoji 🙂 ok", "<|endoftext|>",
                     "    ", "'s", "a  ", "...", "\"\"\"", "  - item"]),
    st.text(alphabet=" \t\nab1_{}();:'\r.é", max_size=12))
TEXT = st.lists(LINE, max_size=25).map("\n".join)


@settings(max_examples=300, deadline=None)
@example(head="", original="\n\ndef f(x):\n \n  // it's done", tail="", edit=(12, 12, " \n"))
@given(head=st.sampled_from(["", "<code>", "fix it\n", "<instruction>x</instruction>\n<code>"]),
       original=TEXT, tail=st.sampled_from(["", "</code>\n<update>y</update>", "\nsnippet"]),
       edit=st.tuples(st.integers(0, 400), st.integers(0, 400), TEXT))
def test_piecewise_counts_equal_whole_counts(head: str, original: str, tail: str,
                                              edit: tuple[int, int, str]) -> None:
    a, b, new = edit
    a, b = sorted((min(a, len(original)), min(b, len(original))))
    merged = original[:a] + new + original[b:]
    assert merge_usage(head, original, tail, merged) == whole(head, original, tail, merged)


def test_cuts_are_line_starts_after_the_last_line_break() -> None:
    text = "a\n\n  b\nc"
    assert cut_at_or_before(text, len(text)) == 7  # "c"
    assert cut_at_or_before(text, 6) == 3  # "  b": after the blank line, not inside it
    assert cut_at_or_after(text, 1) == 3
    assert cut_at_or_after("no breaks", 0) == len("no breaks")
    assert cut_at_or_before("no breaks", 5) == 0
