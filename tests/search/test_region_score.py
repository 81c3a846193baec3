"""Region scoring: repeats of a common term saturate; terms meeting on one line count."""

from __future__ import annotations

from splice.search.priors import TEST_PRIOR, prior
from splice.search.regions import region_score


def test_many_lines_of_a_common_term_do_not_beat_rare_terms_together() -> None:
    common = [{"field": 0.25} for _ in range(40)]
    rare = [{"field": 0.25, "declar": 0.8, "instance": 0.5}, {"error": 0.3}]
    assert region_score(rare) > region_score(common)


def test_repeats_still_add_but_saturate() -> None:
    one = region_score([{"term": 1.0}])
    two = region_score([{"term": 1.0}] * 2)
    many = region_score([{"term": 1.0}] * 50)
    assert one < two < many < 2.2 * one + 1e-9


def test_terms_on_one_line_beat_the_same_terms_apart() -> None:
    together = region_score([{"a": 1.0, "b": 1.0}])
    apart = region_score([{"a": 1.0}, {"b": 1.0}])
    assert together > apart


def test_tests_rank_below_code_unless_asked_for() -> None:
    assert prior("tests/test_x.py") == TEST_PRIOR * prior("src/x.py")
    assert prior("tests/test_x.py", tests_wanted=True) == prior("src/x.py")
