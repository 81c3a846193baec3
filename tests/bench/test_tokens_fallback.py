"""splice's last fallback rung: widen around the spans, then read the rest in big reads."""

from __future__ import annotations

from pathlib import Path

from splice.bench.taskset_pypi import split_of
from splice.bench.tokens.accounting import Conversation
from splice.bench.tokens.locate import (
    READ_MAX_TOKENS,
    page_missing,
    unseen_chunks,
    widen_then_read_rest,
)
from splice.bench.tokens.repoview import Hit, RepoView, Seen, numbered
from splice.core.tokens import count_tokens


def _view(tmp_path: Path, lines: int) -> RepoView:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    body = "\n".join(f"value_{n} = compute_something({n}, 'padding text')" for n in range(1, lines + 1))
    (pkg / "big.py").write_text(body + "\n")
    return RepoView.scan(tmp_path)


def _run(pager, view: RepoView, need: dict[str, set[int]], seen_span: tuple[int, int]) -> tuple[Conversation, Seen]:
    conv = Conversation("splice", 100, "task")
    seen = Seen()
    seen.add("pkg/big.py", *seen_span)
    pager(conv, view, seen, need, [Hit("pkg/big.py", seen_span[0], "")])
    return conv, seen


def test_a_near_miss_costs_one_widening_call(tmp_path: Path) -> None:
    view = _view(tmp_path, 400)
    conv, seen = _run(widen_then_read_rest, view, {"pkg/big.py": {230}}, (200, 220))
    assert not seen.missing({"pkg/big.py": {230}})
    assert len(conv.run.turns) == 1
    assert not seen.covers("pkg/big.py", 100)  # it did not read the whole file


def test_a_far_miss_in_a_big_file_takes_fewer_calls_than_paging(tmp_path: Path) -> None:
    view = _view(tmp_path, 3000)
    need = {"pkg/big.py": {2900}}
    wide, wide_seen = _run(widen_then_read_rest, view, need, (100, 120))
    paged, paged_seen = _run(page_missing, view, need, (100, 120))
    assert not wide_seen.missing(need) and not paged_seen.missing(need)
    assert len(wide.run.turns) < len(paged.run.turns)
    assert wide.run.input_tokens < paged.run.input_tokens


def test_chunks_cover_the_unseen_lines_within_the_read_cap(tmp_path: Path) -> None:
    view = _view(tmp_path, 3000)
    seen = Seen()
    seen.add("pkg/big.py", 1000, 1010)
    chunks = unseen_chunks(view, seen, "pkg/big.py")
    covered = {n for _, a, b in chunks for n in range(a, b + 1)}
    assert covered == set(range(1, 3001)) - set(range(1000, 1011))
    assert len(chunks) > 2  # the file is larger than one read
    assert all(b - a + 1 < 3000 for _, a, b in chunks)
    # each read fits the read tool's verbatim cap as the tool counts it, and is the
    # largest that does (one more line would pass it), except at a run's end
    lines = view.lines("pkg/big.py")
    for _, a, b in chunks:
        assert count_tokens(numbered(lines, a, b)) <= READ_MAX_TOKENS
        if b not in (999, 3000):
            assert count_tokens(numbered(lines, a, b + 1)) > READ_MAX_TOKENS


def test_the_split_is_by_project_and_fixed() -> None:
    assert split_of("click-8.1.5") == split_of("click-8.1.7") == "dev"
    assert split_of("flask-2.3.1") == "held-out"
    assert split_of("charset-normalizer-3.3.1") == split_of("charset-normalizer-3.3.2")


async def test_diagnose_classes_a_shown_file_and_a_missed_one(tmp_path: Path) -> None:
    from splice.bench.tasks import Task
    from splice.bench.tokens.diagnose import diagnose_task
    from splice.bench.tokens.policies import SpliceSettings
    from tests.bench.tokens_fixture import header_task, make_repo, miss_task

    make_repo(tmp_path / "repos" / "local__fixture")
    settings = SpliceSettings()
    found = await diagnose_task(Task(**header_task()), tmp_path / "repos", settings)
    missed = await diagnose_task(Task(**miss_task()), tmp_path / "repos", settings)
    assert [(d.path, d.kind, d.file_rank) for d in found] == [("pkg/core.py", "shown", 1)]
    assert len(missed) == 1 and missed[0].path == "pkg/net.py"
    assert missed[0].kind != "shown" and missed[0].need >= 1
