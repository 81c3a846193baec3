"""The replay's splice edits carry the lines the conversation showed, as the agent's edit
tool does (`seen_lines`); the baselines' edit tools have no such argument."""

from __future__ import annotations

from typing import Any

import pytest

from splice.bench.tokens import edits
from splice.bench.tokens.edits import attempt, runs
from splice.bench.tokens.gold import GoldFile

BEFORE = "def area(w, h):\n    return w + h\n\n\ndef perimeter(w, h):\n    return 2 * (w + h)\n"
AFTER = BEFORE.replace("return w + h", "return w * h")


def test_line_numbers_become_runs() -> None:
    assert runs({9, 1, 2, 3, 7, 10}) == [(1, 3), (7, 7), (9, 10)]
    assert runs(set()) == []


@pytest.mark.parametrize(("policy", "shown", "passed"), [
    ("splice", {1, 2, 5, 6}, [(1, 2), (5, 6)]),
    ("splice", None, None),
    ("careful", {1, 2}, None),
])
def test_splice_edits_pass_the_lines_shown(monkeypatch: pytest.MonkeyPatch, policy: str,
                                           shown: set[int] | None, passed: Any) -> None:
    calls: list[dict[str, Any]] = []
    real = edits.merge

    def spy(current: str, edit: str, **kw: Any) -> Any:
        calls.append(kw)
        return real(current, edit, **kw)

    monkeypatch.setattr(edits, "merge", spy)
    gold = GoldFile(path="geometry.py", before=BEFORE, after=AFTER)
    _, after = attempt(policy, gold, BEFORE, "lazy" if policy == "splice" else "search_replace",
                       2, shown)
    assert after == AFTER
    assert calls[0]["seen_lines"] == passed
