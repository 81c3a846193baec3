"""The CPU-time speed bench times only the recorded exact merges, with the tokenizer as
its in-process baseline."""

from __future__ import annotations

import pytest

from splice.apply import merge
from splice.bench.apply_shapes_model import ShapeCase
from splice.bench.apply_speed import time_merges

ORIGINAL = "def add(a, b):\n    return a - b\n\n\ndef sub(a, b):\n    return a - b\n"
EDIT = "def add(a, b):\n    return a + b\n# ... existing code ...\n"


def _case(case_id: str) -> ShapeCase:
    return ShapeCase(id=case_id, package="p", path="m.py", language="python", shape="lazy-ctx2",
                     fmt="auto", original=ORIGINAL, edit=EDIT, expected=None, expected_blind=None)


def _engine(original: str, edit: str, path: str, instruction: str | None,
            seen: list[tuple[int, int]] | None) -> str:
    return merge(original, edit, path=path, instruction=instruction, seen_lines=seen).text


def test_only_exact_cases_are_timed_every_nth() -> None:
    cases = [_case(f"c{i}") for i in range(6)]
    calls: list[str] = []

    def counting(*args: object) -> str:
        calls.append("x")
        return _engine(*args)  # type: ignore[arg-type]

    report = time_merges(cases, {"c0", "c1", "c2", "c3"}, 2, counting)
    assert report.merges == 2 and len(calls) == 2  # the 2nd and 4th exact ones
    assert report.median_tokens_per_cpu_s > 0 and report.median_merge_over_tokenize > 0


def test_no_exact_case_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no exact merge"):
        time_merges([_case("c0")], set(), 1, _engine, "shapes.json")
