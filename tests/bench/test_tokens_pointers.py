"""The splice policy's pointer rung: when the search's code is not enough, the replayed agent
reads the places the answer listed (SearchResult.more), in order, exact ranges, 4 a call,
before it greps; it stops once it has seen what it needs."""

from __future__ import annotations

from pathlib import Path

import pytest

import splice.search as search_package
from splice.bench.tokens import policies
from splice.bench.tokens.accounting import Conversation
from splice.bench.tokens.gold import read_gold
from splice.bench.tokens.repoview import RepoView, Seen
from splice.core.spans import Span
from splice.search import SearchResult
from tests.bench.tokens_fixture import CORE, _diff, make_repo

CORE_LINES = CORE.splitlines()
FIX_LINE = next(i for i, line in enumerate(CORE_LINES, 1) if 'key != "charset"' in line)


def _helper(n: int) -> Span:
    """The span of `helper_n` in the fixture's core.py (3 lines each)."""
    start = next(i for i, line in enumerate(CORE_LINES, 1) if line.startswith(f"def helper_{n}("))
    return Span(path="pkg/core.py", start_line=start, end_line=start + 2,
                reason=f"function helper_{n}")


def _fix_place() -> Span:
    return Span(path="pkg/core.py", start_line=FIX_LINE - 4, end_line=FIX_LINE + 3,
                reason="function parse_header")


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "fixture")


def _spy_reads(monkeypatch: pytest.MonkeyPatch) -> list[list[tuple[str, int, int]]]:
    calls: list[list[tuple[str, int, int]]] = []
    real = policies.read_ranges

    def spy(conv, view, seen, ranges):
        calls.append(list(ranges))
        return real(conv, view, seen, ranges)

    monkeypatch.setattr(policies, "read_ranges", spy)
    return calls


@pytest.mark.parametrize(("fix_at", "calls_made"), [(0, 1), (3, 1), (4, 2), (6, 2)])
def test_pointers_are_read_in_order_four_a_call_until_the_fix_is_seen(
        repo: Path, monkeypatch: pytest.MonkeyPatch, fix_at: int, calls_made: int) -> None:
    calls = _spy_reads(monkeypatch)
    more = [_helper(n) for n in range(10, 17)]
    more.insert(fix_at, _fix_place())
    conv, seen = Conversation("splice", 100, "task", agent=True), Seen()
    need = {"pkg/core.py": {FIX_LINE}}
    read = policies.read_pointers(conv, RepoView.scan(repo), seen, need, more)
    assert not seen.missing(need)
    assert len(calls) == calls_made and len(conv.run.turns) == calls_made
    assert [r for batch in calls for r in batch] == [(s.path, s.start_line, s.end_line)
                                                    for s in more[:4 * calls_made]]
    assert read == more[:4 * calls_made]


def test_nothing_is_read_when_nothing_is_missing(repo: Path, monkeypatch) -> None:
    calls = _spy_reads(monkeypatch)
    conv, seen = Conversation("splice", 100, "task", agent=True), Seen()
    seen.add("pkg/core.py", 1, len(CORE_LINES))
    assert policies.read_pointers(conv, RepoView.scan(repo), seen,
                                  {"pkg/core.py": {FIX_LINE}}, [_fix_place()]) == []
    assert calls == [] and conv.run.turns == []


async def test_the_agent_reads_a_listed_place_before_it_greps(repo: Path, monkeypatch) -> None:
    """The answer shows another file's code and lists parse_header: the agent reads that
    place and edits, with no `run` of rg; with no pointer it greps first."""
    after = CORE.replace('        if key and key != "charset":\n', "        if key:\n")
    task = {"problem_statement": "``parse_header`` drops the ``charset`` parameter of a "
                                 "Content-Type header.",
            "patch": _diff("pkg/core.py", CORE, after)}
    golds = read_gold(task["patch"], repo)
    view = RepoView.scan(repo)
    shown = Span(path="pkg/net.py", start_line=7, end_line=8, reason="function hosts")
    text = "def hosts():\n    return list(HOSTS)"

    async def answer(more: list[Span]):
        async def fake_search(request):
            return SearchResult(spans=[shown], texts=[text], more=more)
        monkeypatch.setattr(search_package, "search", fake_search)
        return await policies.splice(task["problem_statement"], view, golds)

    pointed = await answer([_helper(20), _fix_place()])
    tools = [t.tool for t in pointed.turns]
    assert pointed.edit_ok and tools[0] == "search" and tools[1] == "read"
    assert "run" not in tools  # no grep: the listed place held the fix
    bare = await answer([])
    assert bare.edit_ok and [t.tool for t in bare.turns][1] == "run"  # rg, as before
    assert pointed.fallback_turns < bare.fallback_turns
