"""Blocks made of lines the file repeats thousands of times: found by hashed windows, the
same places a line-by-line scan finds, and a refusal (never a guess) when they are many."""

from __future__ import annotations

import pytest

from splice.apply import merge
from splice.apply.matching import Matcher
from splice.apply.text import split_doc
from splice.core.errors import AmbiguousMatch, NoMatch

UNIT = ["    }", "    return x;", ""]


def test_hashed_occurrences_equal_a_line_by_line_scan() -> None:
    lines = UNIT * 400 + ["    return y;"] + UNIT * 50
    doc = split_doc("\n".join(lines) + "\n")
    block = UNIT * 3
    want = [s for s in range(len(lines) - len(block) + 1) if lines[s:s + len(block)] == block]
    assert len(want) > 100
    assert Matcher(doc).occurrences("exact", block) == want


def test_a_block_of_repeated_lines_is_ambiguous_not_guessed() -> None:
    original = "\n".join(UNIT * 3000) + "\n"
    search = "\n".join(UNIT * 200)
    edit = f"<<<<<<< SEARCH\n{search}\n=======\n{search.replace('x;', 'y;', 1)}\n>>>>>>> REPLACE\n"
    with pytest.raises(AmbiguousMatch):
        merge(original, edit, path="f.java")


def test_a_mistyped_block_of_repeated_lines_is_refused() -> None:
    original = "\n".join(UNIT * 3000) + "\n"
    search = "\n".join(UNIT * 200).replace("return", "retrun", 1)
    edit = f"<<<<<<< SEARCH\n{search}\n=======\n{search}\n>>>>>>> REPLACE\n"
    with pytest.raises(NoMatch):
        merge(original, edit, path="f.java")


def test_a_hash_match_is_checked_line_by_line_before_it_is_used() -> None:
    doc = split_doc("a\nb\nc\n")
    matcher = Matcher(doc)
    with pytest.raises(NoMatch):
        matcher._verified("exact", ["a", "x"], 0)  # what a hash collision would hand it
    assert matcher._verified("exact", ["b", "c"], 1) == 1
