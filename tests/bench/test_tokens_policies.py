"""The replayed policies on a tiny fixture repo: turns, costs, fallbacks, edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from splice.bench.tokens import edits, policies
from splice.bench.tokens.accounting import Conversation
from splice.bench.tokens.gold import read_gold
from splice.bench.tokens.repoview import RepoView, query_terms
from tests.bench.tokens_fixture import header_task, make_repo, miss_task


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "fixture")


async def _all(task: dict[str, str], root: Path) -> dict[str, policies.PolicyRun]:
    golds = read_gold(task["patch"], root)
    view = RepoView.scan(root)
    problem = task["problem_statement"]
    runs = [policies.naive(problem, view, golds), policies.careful(problem, view, golds),
            await policies.splice(problem, view, golds)]
    return {r.policy: r for r in runs}


async def test_every_call_resends_a_growing_context(repo: Path) -> None:
    runs = await _all(header_task(), repo)
    for run in runs.values():
        inputs = [t.input_tokens for t in run.turns]
        assert len(inputs) >= 3
        assert all(b > a for a, b in zip(inputs, inputs[1:], strict=False)), run.policy
        # each call's input is the previous input plus what that turn added; the splice
        # agent's edit cut the search span it made stale, so its finish carries less
        for prev, turn in zip(run.turns, run.turns[1:], strict=False):
            grown = prev.input_tokens + prev.output_tokens + prev.result_tokens
            if run.policy == "splice" and turn.tool == "finish":
                assert turn.input_tokens < grown
            else:
                assert turn.input_tokens == grown, run.policy
        assert run.input_tokens == sum(inputs)
        assert run.total_tokens == run.input_tokens + run.output_tokens + run.worker_tokens


async def test_naive_costs_more_than_careful_costs_more_than_splice(repo: Path) -> None:
    runs = await _all(header_task(), repo)
    assert runs["naive"].total_tokens > runs["careful"].total_tokens > runs["splice"].total_tokens
    assert all(r.edit_ok and r.localized for r in runs.values())
    assert [t.tool for t in runs["naive"].turns][:2] == ["grep", "read_file"]
    assert runs["naive"].turns[-2].tool == "write_file"
    assert [t.tool for t in runs["splice"].turns][0] == "search"
    assert runs["splice"].fallback_turns == 0


async def test_a_search_miss_pays_for_the_fallback_reads(repo: Path) -> None:
    runs = await _all(miss_task(), repo)
    splice = runs["splice"]
    assert not splice.localized
    assert splice.fallback_turns > 0
    tools = [t.tool for t in splice.turns]
    assert tools[0] == "search" and "run" in tools and "read" in tools  # grep via run
    assert splice.edit_ok
    # the miss costs more than the hit did
    hit = (await _all(header_task(), repo))["splice"]
    assert splice.total_tokens > hit.total_tokens - hit.turns[0].result_tokens


def test_edit_success_is_judged_on_the_post_image(repo: Path, monkeypatch) -> None:
    gold = read_gold(header_task()["patch"], repo)[0]
    conv = Conversation("careful", 100, "task")
    assert edits.edit_files(conv, "careful", [gold], batch=4)
    assert conv.run.edit_attempts == 1 and len(conv.run.turns) == 1

    class Wrong:
        text = gold.before + "# not the fix\n"

    monkeypatch.setattr(edits, "merge", lambda *a, **k: Wrong())
    conv = Conversation("splice", 100, "task")
    assert not edits.edit_files(conv, "splice", [gold], batch=4)
    assert conv.run.edit_attempts == len(edits.LADDERS["splice"])
    # every retry is a model call that re-sends the failed attempt
    assert [t.note for t in conv.run.turns] == [f for f, _ in edits.LADDERS["splice"]]


def test_lazy_and_search_replace_edits_really_apply(repo: Path) -> None:
    from splice.apply import merge

    gold = read_gold(header_task()["patch"], repo)[0]
    before, after = gold.before.splitlines(), gold.after.splitlines()
    lazy = edits.lazy(before, after, gold.path, 2)
    assert "# ... existing code ..." in lazy and len(lazy.splitlines()) < 12
    assert merge(gold.before, lazy, fmt="lazy", path=gold.path).text == gold.after
    blocks = edits.search_replace(before, after)
    assert blocks.count("<<<<<<< SEARCH") == 1
    assert merge(gold.before, blocks, fmt="search_replace", path=gold.path).text == gold.after


def test_queries_come_from_the_statement_only() -> None:
    terms = query_terms("Fix ``Environment.overlay`` with ``pkg.thing`` :issue:`1645`",
                        exclude=frozenset({"pkg"}))
    assert terms == ["Environment", "overlay", "thing"]
    assert query_terms("Timeouts are far too short on slow links.") == ["Timeouts", "short", "links"]
