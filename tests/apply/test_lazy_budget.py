"""The lazy merge's work budget: a file of a few lines repeated thousands of times, edited
by a lazy snippet made of the same lines, is refused inside the engine (typed, with the
reason), not compared line by line for seconds."""

from __future__ import annotations

import pytest

from splice.apply import AmbiguousMatch, merge
from splice.apply.formats.lazy.budget import Budget

UNIT = ["    }\n", "    return x;\n", "\n"]


def test_repeated_lines_are_refused_by_the_budget() -> None:
    # right outcome: refuse (the snippet's lines fit thousands of places)
    original = "".join(UNIT * 4000)
    chunk = "".join(UNIT * 1000).replace("x;", "y;", 1)
    edit = "// ... existing code ...\n" + chunk + "// ... existing code ...\n"
    with pytest.raises(AmbiguousMatch) as caught:
        merge(original, edit, path="a.java")
    assert caught.value.details["why"] == "work_budget"


def test_budget_counts_and_refuses_past_its_limit() -> None:
    budget = Budget("a.py", limit=10)
    budget.spend(10, 3)
    with pytest.raises(AmbiguousMatch, match="up to 3 places"):
        budget.spend(1, 3)


# A long segment diffed against a span of a file whose lines repeat (a locale table:
# `"",` and `},` hundreds of times) costs difflib many comparisons per line, at every
# level of its recursion: far more than the two lengths' product the budget used to be
# charged. The diff now spends what its searches compare, before each search runs.
TABLE = ['"",', "},", "new String[] {", '"x",', '"y",', "", "};"]


def _table(n: int, seed: int) -> list[str]:
    import random

    rng = random.Random(seed)
    return [rng.choice(TABLE) for _ in range(n)]


def test_metered_diff_gives_difflibs_opcodes() -> None:
    import difflib

    from splice.apply.formats.lazy.budget import MeteredDiff

    a, b = _table(300, 1), _table(300, 2)
    budget = Budget("a.java", limit=10**9)
    assert MeteredDiff(a, b, budget).get_opcodes() == \
        difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    assert budget.spent >= len(a)  # every search was charged


def test_a_costly_span_diff_is_refused_before_it_runs() -> None:
    from splice.apply.formats.lazy.budget import MeteredDiff
    from splice.apply.formats.lazy.cost import cost

    a, b = _table(600, 1), _table(600, 2)
    probe = Budget("a.java", limit=10**9)
    MeteredDiff(a, b, probe).get_opcodes()
    limit = probe.spent // 2
    budget = Budget("a.java", limit=limit)
    with pytest.raises(AmbiguousMatch) as caught:
        cost(a, 0, len(a), b, budget, places=7)
    assert caught.value.details["why"] == "work_budget"
    # refused at the search that would pass the limit: it never ran
    assert budget.spent <= limit + len(a) * len(b)
    assert "up to 7 places" in str(caught.value)
    # without a budget the cost is difflib's, as before
    assert cost(a, 0, len(a), b) == cost(a, 0, len(a), b, Budget(limit=10**9))
