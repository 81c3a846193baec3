"""Concepts a query names in prose reach the code lines that embody them."""

from splice.compact import CompactRequest, compact_sync
from splice.compact.concepts import concept_hits, triggered
from splice.compact.lines import line_starts, split_lines

CACHE = '''import os


def unrelated_helper(items):
    total = 0
    total += len(items)
    total += sum(items)
    return total


def other_helper(text):
    words = text.split()
    words = [w.upper() for w in words]
    return " ".join(words)


def load_bytecode(filename):
    if os.path.exists(filename):
        with open(filename, "rb") as f:
            return f.read()
    return None


def another_helper(values):
    best = max(values)
    worst = min(values)
    return best - worst
'''


def names(query: str) -> set[str]:
    return {c.name for c in triggered(query)}


def test_triggers_read_prose() -> None:
    assert names("Handle race condition in the cache") == {"concurrency"}
    assert names("Don't use regular expressions, avoiding a performance issue") == \
        {"regex", "slow"}
    assert names("Fix static typing for str methods") == {"typing"}
    assert names("Restore deprecated import") == {"deprecation"}
    assert names("Support | and |= operators for tables") == {"operators"}
    assert names("Add a button to the page") == set()


def test_concept_lines_need_the_code_shape() -> None:
    text = ("for x in y:\n    informal = 1\nwhile True:\n    before = 2\n"
            "    pattern = re.compile('a')\nstep = prepare.compile(x)\n")
    lines = split_lines(text)
    starts = line_starts(lines)
    [loops] = concept_hits(text, starts, triggered("slow parsing"))
    [regexes] = concept_hits(text, starts, triggered("a regex"))
    assert loops == {0, 2}          # 'informal' and 'before' hold the words, not loops
    assert regexes == {4}         # prepare.compile( is no regex


def test_a_race_condition_query_keeps_the_existence_check() -> None:
    # (0.45, not 0.35: markers now name their line range, a few tokens each on 27 lines)
    result = compact_sync(CompactRequest(text=CACHE, query="Handle race condition.",
                                         ratio=0.45, path="cache.py"))
    assert "    if os.path.exists(filename):\n" in result.text
    without = compact_sync(CompactRequest(text=CACHE, query="Handle it.", ratio=0.45,
                                          path="cache.py"))
    assert "os.path.exists" not in without.text
