"""`splice bench tokens --compact auto`: the splice policy's last rung reads a gold file
whole, compacted as the agent's read tool compacts an oversized read, then pages what the
compaction cut; the edit still lands."""

from __future__ import annotations

from pathlib import Path

import pytest

from splice.bench.tokens import compacted_reads, policies
from splice.bench.tokens.gold import read_gold
from splice.bench.tokens.repoview import RepoView
from tests.bench.tokens_fixture import CORE, _diff, make_repo


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "fixture")


async def test_compacted_reads_on_a_search_miss(repo: Path, monkeypatch) -> None:
    calls: list[tuple[str, int]] = []
    real = compacted_reads.compact_read

    def spy(text: str, path: str, start: int, query: str, cap: int):
        body, kept = real(text, path, start, query, cap)
        calls.append((path, len(kept)))
        assert "(filtered " in body and ": " in body  # markers name their range
        return body, kept

    monkeypatch.setattr(compacted_reads, "compact_read", spy)
    monkeypatch.setattr(compacted_reads, "READ_MAX_TOKENS", 300)  # the fixture is small
    # a change deep in a big file the statement never names: the search and greps miss it
    after = CORE.replace("return value + 45\n", "return value + 46\n")
    task = {"problem_statement": "Totals drift by one for large inputs.",
            "patch": _diff("pkg/core.py", CORE, after)}
    golds = read_gold(task["patch"], repo)
    view = RepoView.scan(repo)
    off = await policies.splice(task["problem_statement"], view, golds,
                                policies.SpliceSettings(compact_auto=False))
    assert not calls  # off: verbatim reads within the cap, nothing compacted
    on = await policies.splice(task["problem_statement"], view, golds)  # auto: the default
    assert off.edit_ok and on.edit_ok
    assert calls and all(kept for _, kept in calls)  # a whole gold file, compacted
    assert on.fallback_turns > 0 and [t.tool for t in on.turns][-1] == "finish"
