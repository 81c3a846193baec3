"""Plain words weighed by the repo's own statistics (words.py), and traceback frames weighed
innermost first (deterministic.py)."""

from __future__ import annotations

from pathlib import Path

from splice.core.repo import Repo
from splice.search import SearchRequest, search
from splice.search.ripgrep import Engine
from splice.search.terms import Term
from splice.search.words import (
    COMMON_SHARE,
    MIN_SAMPLE,
    WORD_BUDGET,
    WORD_LIMIT,
    forget_shares,
    keep_words,
    offer_words,
    scale_words,
    word_shares,
)


def word(text: str) -> Term:
    return Term(text=text, kind="word", weight=0.45, names=[text])


def test_a_common_word_is_not_offered_unless_it_names_a_definition() -> None:
    terms = [Term(text="get_user", kind="identifier", weight=1.0), word("the"), word("add"),
             word("sum")]
    shares = {"the": 0.9, "add": 0.6, "sum": 0.01}
    kept = [t.text for t in offer_words(terms, shares, {"add"}, sampled=MIN_SAMPLE)]
    assert kept == ["get_user", "add", "sum"]
    # a sample too small to say what is common drops nothing
    small = [t.text for t in offer_words(terms, shares, set(), sampled=MIN_SAMPLE - 1)]
    assert small == ["get_user", "the", "add", "sum"]
    assert COMMON_SHARE < 0.6


def test_the_words_in_fewest_files_are_kept_and_absent_words_dropped() -> None:
    terms = [word(f"w{i}") for i in range(WORD_LIMIT + 4)] + [word("gone")]
    files_with = [100 - i for i in range(WORD_LIMIT + 4)] + [0]
    kept = keep_words(terms, files_with, set())
    assert len(kept) == WORD_LIMIT and len(terms) - 1 not in kept  # "gone": in no file
    assert 0 not in kept and WORD_LIMIT + 3 in kept  # the most widespread go first


def test_prose_weights_share_a_budget_by_the_words_offered() -> None:
    terms = [Term(text="my_func", kind="identifier", weight=1.0)] + [word("apple")]
    scaled = scale_words(terms, offered=WORD_BUDGET * 2)
    assert scaled[0].weight == 1.0 and scaled[1].weight == 0.45 / 2


async def test_shares_come_from_the_repo_itself(tmp_path: Path) -> None:
    for i in range(10):
        (tmp_path / f"m{i}.py").write_text("# the value\n" + ("# rare\n" if i == 3 else ""))
    forget_shares()
    engine = Engine(Repo(tmp_path))
    files = await engine.files()
    shares = await word_shares(engine, files, ["the", "rare", "absent"])
    assert shares == {"the": 1.0, "rare": 0.1, "absent": 0.0}


async def test_the_innermost_frame_of_a_traceback_leads(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "api.py").write_text("def call(x):\n    return inner(x)\n")
    (tmp_path / "pkg" / "core.py").write_text("def inner(x):\n    return x['key']\n")
    tb = ('Traceback (most recent call last):\n'
          '  File "/site/pkg/api.py", line 2, in call\n'
          '  File "/site/pkg/core.py", line 2, in inner\n'
          "KeyError: 'key'\n")
    result = await search(SearchRequest(query=tb, repo=str(tmp_path)))
    assert [s.path for s in result.spans][:2] == ["pkg/core.py", "pkg/api.py"]


async def test_a_frame_of_another_version_is_found_by_its_function(tmp_path: Path) -> None:
    body = "".join(f"def helper_{i}():\n    return {i}\n\n\n" for i in range(40))
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "core.py").write_text(body + "def parse(x):\n    return x.split()\n")
    # the reporter's version had parse() at line 12 (here: helper_3's line)
    tb = ('Traceback (most recent call last):\n  File "/site/pkg/core.py", line 12, in parse\n'
          "AttributeError: 'int' object has no attribute 'split'\n")
    result = await search(SearchRequest(query=tb, repo=str(tmp_path), max_tokens=200))
    assert result.spans[0].reason == "function parse"
