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
