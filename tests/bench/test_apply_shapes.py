"""The model-shaped corpus: each shape's verdict comes from its stated rule, and the
scoring calls a merge on a must-refuse case wrong."""

from __future__ import annotations

import pytest

from splice.bench.apply_corpus import ChangedFile
from splice.bench.apply_shapes import SHAPES, cases_for_plan
from splice.bench.apply_shapes_model import ShapeCase, plan_file
from splice.bench.apply_shapes_rules import anchored, by_anchor
from splice.bench.apply_shapes_run import run_shapes, score
from splice.core.errors import NoMatch

OLD = '''import os


def alpha(data, key):
    """Group the data."""
    groups = {}
    for item in data:
        groups.setdefault(item[key], []).append(item)
    return groupby_apply(groups, fit_predict)


def beta(value):
    total = value * 2
    total += compute_offset(value)
    return total


def delta(value):
    total = value * 2
    total += compute_offset(value)
    return total - 1
'''
NEW = '''import os


def alpha(data, key, *, strict=False):
    """Group the data."""
    groups = {}
    for item in data:
        groups.setdefault(item[key], []).append(item)
    return (
        groupby_apply(groups, fit_predict, strict=strict)
    )


def beta(value):
    total = value * 2
    total += compute_offset(value)
    return total


def gamma(value):
    return beta(value) + delta(value)


def delta(value):
    total = value * 2
    total += compute_offset(value)
    return total - 1
'''


@pytest.fixture
def cases() -> list[ShapeCase]:
    file = ChangedFile(package="demo", path="demo.py", language="python", old=OLD, new=NEW)
    plan = plan_file(file)
    assert plan is not None
    return list(cases_for_plan(plan, seed=0))


def by_shape(cases: list[ShapeCase], shape: str) -> list[ShapeCase]:
    return [c for c in cases if c.shape == shape]


def test_every_case_names_a_known_shape_and_the_auto_format(cases: list[ShapeCase]) -> None:
    assert {c.shape for c in cases} <= set(SHAPES)
    assert {c.fmt for c in cases} == {"auto"}


def test_whole_definition_replaces_that_definition_entirely(cases: list[ShapeCase]) -> None:
    alpha = next(c for c in by_shape(cases, "def-whole") if "def alpha" in c.edit)
    intended = OLD.replace("def alpha(data, key):", "def alpha(data, key, *, strict=False):")
    intended = intended.replace(
        "    return groupby_apply(groups, fit_predict)\n",
        "    return (\n        groupby_apply(groups, fit_predict, strict=strict)\n    )\n")
    assert alpha.expected == intended == alpha.expected_blind
    first, *_, last = alpha.edit.splitlines()
    assert first.startswith("# ...") and last.startswith("# ...")  # markers around it
    assert alpha.instruction is not None and "alpha" in alpha.instruction
    assert alpha.seen_lines == [(4, 9)]  # the old alpha, which the writer read


def test_fragments_and_sibling_or_cut_blocks_must_refuse(cases: list[ShapeCase]) -> None:
    for shape in ("fragment", "truncated", "sr-missing-line", "sr-extra-line",
                  "sr-truncated", "def-added-bare"):
        for case in by_shape(cases, shape):
            assert case.expected is None and case.expected_blind is None, case.id


def test_a_merge_on_a_must_refuse_case_is_wrong_and_a_refusal_is_refused(
        cases: list[ShapeCase]) -> None:
    fragment = by_shape(cases, "fragment")[0]

    def take_it_whole(original: str, edit: str, *_: object) -> str:
        return edit

    def refuse(*_: object) -> str:
        raise NoMatch("no")

    assert score(fragment, take_it_whole)[0].outcome == "wrong"
    assert score(fragment, refuse)[0].outcome == "refused"
    exact = by_shape(cases, "whole")[0]
    assert score(exact, take_it_whole)[0].outcome == "exact"


def test_anchor_repeated_in_the_file_refuses_unless_the_seen_lines_settle_it() -> None:
    file = ChangedFile(package="demo", path="demo.py", language="python", old=OLD, new=NEW)
    plan = plan_file(file)
    assert plan is not None
    old = plan.old
    block = ["    total = value * 2", "    total += compute_offset(value)"]
    at = [i for i in range(len(old)) if old[i:i + 2] == block]
    assert len(at) == 2
    gold = ["gold"]
    assert by_anchor(gold, (2, 1)) == (gold, None)   # seen lines hold one place
    assert by_anchor(gold, (2, 2)) == (None, None)   # they hold both
    assert by_anchor(gold, (1, 1)) == (gold, gold)
    # the lazy format's readings: a segment anchored on the repeated pair and the distinct
    # last line of beta has one nearest reading
    snippet = ["# ... existing code ...", *block, "    total += 1", "    return total",
               "# ... existing code ..."]
    intended = old[:at[0] + 2] + ["    total += 1"] + old[at[0] + 2:]
    verdict = anchored(plan, snippet, intended, [(12, 15)])
    assert verdict == (intended, intended)


def test_the_real_engine_never_crashes_on_the_demo(cases: list[ShapeCase]) -> None:
    from splice.bench.apply_shapes_run import engine_merge

    report = run_shapes(cases, engine_merge(), command="test", seed=0, packages=["demo"])
    assert report.cases == len(cases) and report.overall.crash == 0
    assert {s.name for s in report.by_shape} <= set(SHAPES)
