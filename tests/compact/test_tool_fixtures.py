"""Real output of 14 tools (captured in the sandbox by splice.bench.compact_tool_capture,
recipes in compact_tool_projects): with no budget, every error, failure and summary line
(by each tool's own rule, compact_tool_gold) stays, and the noise goes."""

import shutil
from pathlib import Path

import anyio
import pytest

from splice.bench.compact_sets import FIXTURES, tool_inputs
from splice.bench.compact_tool_capture import capture_one, load_fixtures
from splice.bench.compact_tool_gold import GOLD_RULES, gold_line_numbers
from splice.bench.compact_tool_projects import PROJECTS
from splice.compact import compact_sync
from splice.compact.detect import detect_kind

# what each output is, decided from the tools, not from what splice says
EXPECTED_KIND = {
    "unittest": "test_output", "go_test": "test_output", "jest": "test_output",
    "vitest": "test_output", "mypy": "diagnostics", "ruff": "diagnostics",
    "tsc": "diagnostics", "eslint": "diagnostics", "make": "diagnostics",
    "pip_install": "log", "npm_install": "log", "git_log": "log", "git_diff": "diff",
    "json": "json",
}


def test_every_recipe_has_a_fixture_and_a_gold_rule() -> None:
    kinds = {p.kind for p in PROJECTS}
    captured = {c.kind for c, _ in load_fixtures(FIXTURES)}
    assert kinds == captured == set(GOLD_RULES) == set(EXPECTED_KIND)
    assert len(kinds) >= 10


@pytest.mark.parametrize("kind", sorted(EXPECTED_KIND))
def test_each_output_keeps_every_gold_line(kind: str) -> None:
    (name, _, request, gold), = [i for i in tool_inputs() if i[0] == kind]
    assert gold, f"{kind}: the rule marks no line"
    assert detect_kind(request.text or "") == EXPECTED_KIND[kind]
    result = compact_sync(request)
    kept = {n for a, b in result.kept_ranges for n in range(a, b + 1)}
    assert gold <= kept, f"{kind}: lost {sorted(gold - kept)}"
    assert result.tokens_after < result.tokens_before


def test_all_outputs_together_fit_in_under_30_percent() -> None:
    before = after = 0
    for _, _, request, _ in tool_inputs():
        result = compact_sync(request)
        before += result.tokens_before
        after += result.tokens_after
    assert after <= 0.3 * before


def test_warnings_and_quoted_source_go_errors_stay() -> None:
    (_, _, request, _), = [i for i in tool_inputs() if i[0] == "make"]
    text = compact_sync(request).text
    assert "error: ‘undefined_counter’ undeclared" in text
    assert "make: *** [Makefile:9: parse.o] Error 1" in text
    assert "warning: unused variable" not in text
    assert "|   int unused = 0;" not in text


def test_git_log_gold_takes_the_subject_after_the_date() -> None:
    lines = ["commit " + "a" * 40 + "\n", "Author: A <a@b>\n", "Date:   today\n", "\n",
             "    fix the thing\n", "\n", "    body text\n"]
    assert gold_line_numbers("git_log", lines) == [0, 4]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_recipe_runs_the_real_tool_in_the_sandbox() -> None:
    project = next(p for p in PROJECTS if p.kind == "git_diff")
    code, output = anyio.run(capture_one, project, None)
    assert code == 0
    assert output.startswith("diff --git a/shop.py b/shop.py")
    fixture = (Path(FIXTURES) / "git_diff.txt").read_text()
    # the same change as the recorded fixture (hashes and dates aside)
    changed = [line for line in output.splitlines() if line[:1] in "+-"]
    assert changed == [line for line in fixture.splitlines() if line[:1] in "+-"]
