"""What the replayed splice agent does better than the careful ladder it falls back on:
a file the search missed found by counts (`rg -c`) and read whole, not by windows around
grep hits, a file edited as soon as its lines are seen, each missing
file's nearest chunk read in turn, and lines the history compactor masked read again."""

from __future__ import annotations

import difflib
from pathlib import Path

from splice.bench.tokens.accounting import HISTORY_TRIGGER_TOKENS, Conversation
from splice.bench.tokens.compacted_reads import WholeReads, compacted_pager
from splice.bench.tokens.edits import EditState
from splice.bench.tokens.gold import read_gold
from splice.bench.tokens.locate import (
    RADIUS,
    ranged_ladder,
    read_ranges,
    reread_lost,
    widen_then_read_rest,
)
from splice.bench.tokens.policies import EarlyEdits
from splice.bench.tokens.repoview import Hit, RepoView, Seen


def _file(n: int, name: str) -> str:
    return "\n".join(f"{name}_{i} = compute_something({i}, 'padding text')"
                     for i in range(1, n + 1)) + "\n"


def _repo(tmp_path: Path, **files: int) -> RepoView:
    (tmp_path / "pkg").mkdir()
    for name, n in files.items():
        (tmp_path / "pkg" / f"{name}.py").write_text(_file(n, name))
    return RepoView.scan(tmp_path)


def _reads(conv: Conversation) -> list[tuple[str, int, int]]:
    """(path, start, end) of every read the conversation made, from its history."""
    out = []
    for message in conv.messages:
        for block in message.content:
            if getattr(block, "name", "") == "read":
                args = block.input
                out.append((args["path"], args["start_line"], args["end_line"]))
    return out


def _unnamed_file_repo(tmp_path: Path) -> RepoView:
    """The search pointed to pkg/a.py; the fix is deep in pkg/b.py, which uses the
    report's name often; pkg/c.py names it once; pkg/d.py never."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text(_file(50, "a"))
    (tmp_path / "pkg" / "b.py").write_text("".join(
        f"def step_{i}(x):\n    return frobnicate(x, {i})\n\n\n" for i in range(80)))
    (tmp_path / "pkg" / "c.py").write_text("from pkg.b import frobnicate\n" + _file(40, "c"))
    (tmp_path / "pkg" / "d.py").write_text(_file(40, "d"))
    return RepoView.scan(tmp_path)


def _calls(conv: Conversation) -> list[tuple[str, dict]]:
    return [(b.name, b.input) for m in conv.messages for b in m.content
            if getattr(b, "name", "")]


def test_the_agent_finds_a_missed_file_by_counts_and_reads_it_whole(tmp_path: Path) -> None:
    view = _unnamed_file_repo(tmp_path)
    need = {"pkg/b.py": {250}}  # step_62's body: no hit window of careful's reaches it
    problem = "``frobnicate`` returns the wrong value for step 62."
    conv = Conversation("splice", 100, "task", agent=True)
    seen = Seen()
    seen.add("pkg/a.py", 1, 20)
    whole = WholeReads(problem)
    ranged_ladder(conv, view, seen, need, [["frobnicate"]], problem, primary=False,
                  anchors=[Hit("pkg/a.py", 1, "")], pager=compacted_pager(problem, whole),
                  pick=whole.pick)
    assert not seen.missing(need)
    calls = _calls(conv)
    # one rg -c (files with counts, no lines), then the named file read whole: no
    # windows around hits, no folder listing (the count named the file)
    assert calls[0] == ("run", {"command": "rg -c -w -e frobnicate"})
    reads = [c for c in calls if c[0] == "read"]
    assert reads == [("read", {"path": "pkg/b.py", "start_line": 1, "end_line": 320})]
    assert not any(c[0] == "run" and c[1]["command"].startswith("ls") for c in calls)
    grep_result = conv.messages[2].content[0].content
    assert "pkg/b.py:80" in grep_result and "pkg/c.py:1" in grep_result
    assert "return frobnicate" not in grep_result  # counts, not lines


def test_a_counted_file_the_agent_does_not_pick_is_not_located(tmp_path: Path) -> None:
    # The fix is in pkg/c.py, which the counts name second (1 hit against b.py's 80). The
    # agent reads the likeliest file, b.py, whole; c.py, only named in the list, is not
    # located: the last rung must not go straight to it, so the agent lists folders first.
    view = _unnamed_file_repo(tmp_path)
    need = {"pkg/c.py": {1}}
    problem = "``frobnicate`` is imported wrongly."
    conv = Conversation("splice", 100, "task", agent=True)
    seen = Seen()
    seen.add("pkg/a.py", 1, 20)
    whole = WholeReads(problem)
    ranged_ladder(conv, view, seen, need, [["frobnicate"]], problem, primary=False,
                  anchors=[Hit("pkg/a.py", 1, "")], pager=compacted_pager(problem, whole),
                  pick=whole.pick)
    assert not seen.missing(need)
    calls = _calls(conv)
    reads = [c[1]["path"] for c in calls if c[0] == "read"]
    assert reads[0] == "pkg/b.py"  # the wrong pick is read, and paid for
    ls_at = next(i for i, c in enumerate(calls)
                 if c[0] == "run" and c[1]["command"].startswith("ls"))
    c_at = next(i for i, c in enumerate(calls) if c[0] == "read" and c[1]["path"] == "pkg/c.py")
    assert ls_at < c_at  # found through the listing, not through the count list


def test_careful_still_reads_around_each_grep_hit(tmp_path: Path) -> None:
    # the baseline's ladder is unchanged: grep -n, then +-RADIUS around the hits, BATCH a call
    view = _unnamed_file_repo(tmp_path)
    need = {"pkg/b.py": {250}}
    conv = Conversation("careful", 100, "task", agent=True)  # agent: keeps its messages
    seen = Seen()
    ranged_ladder(conv, view, seen, need, [["frobnicate"]], "``frobnicate``", primary=True)
    grep = conv.messages[1].content[0]
    assert grep.input == {"command": "rg -n -w -e frobnicate"}  # lines mode
    first = [(b.input["start_line"], b.input["end_line"]) for b in conv.messages[3].content]
    # hits on lines 2, 6, 10...: each next hit outside the windows planned is read around
    assert first == [(1, 2 + RADIUS)] + [(n - RADIUS, n + RADIUS) for n in (34, 66, 98)]
    assert not seen.missing(need)


def test_the_prompt_names_the_grep_the_replay_runs() -> None:
    # one definition: the agent is told to find a file with `rg -c -w`, and the replay's
    # fallback grep is that command
    from splice.agent.prompts import SYSTEM_PROMPT
    from splice.bench.tokens.locate import as_agent_call

    name, args, _ = as_agent_call(("grep", {"patterns": ["x"], "mode": "count"}, "a.py:1"))
    assert name == "run" and args["command"].startswith("rg -c -w ")
    assert "`rg -c -w`" in SYSTEM_PROMPT


def _two_file_task(tmp_path: Path, lines: int = 300,
                   where: tuple[int, int] = (10, 250)) -> tuple[RepoView, list, dict[str, set[int]]]:
    view = _repo(tmp_path, a=lines, b=lines)
    patch = ""
    for name, line in zip(("a", "b"), where, strict=True):
        before = _file(lines, name)
        after = before.replace(f"{name}_{line} = compute_something({line},",
                               f"{name}_{line} = compute_other({line},")
        patch += "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True),
                                              f"a/pkg/{name}.py", f"b/pkg/{name}.py"))
    golds = read_gold(patch, view.root)
    return view, golds, {g.path: set(g.lines) for g in golds}


def test_a_file_is_edited_in_the_call_after_its_lines_were_seen(tmp_path: Path) -> None:
    view, golds, need = _two_file_task(tmp_path)
    conv = Conversation("splice", 100, "task", agent=True)
    seen = Seen()
    state = EditState("splice", golds)
    conv.ride_along = EarlyEdits(conv, state, seen, need)

    read_ranges(conv, view, seen, [("pkg/a.py", 1, 40)])  # a.py's line shown now
    assert conv.run.turns[-1].tool == "read"  # not edited on a result of the same call
    # a full call has no slot for it: the edit waits, it never displaces a read
    read_ranges(conv, view, seen, [("pkg/b.py", n, n + 9) for n in (1, 101, 201, 281)])
    assert conv.run.turns[-1].tool == "read"
    read_ranges(conv, view, seen, [("pkg/b.py", 11, 60)])
    assert conv.run.turns[-1].tool == "edit+read"
    a = next(g for g in golds if g.path == "pkg/a.py")
    assert state.right(a) and "pkg/a.py" in conv.edited
    assert conv.run.masked_results == 1  # its read of a.py went stale and left the history


def test_the_last_rung_reads_each_missing_files_nearest_chunk_in_turn(tmp_path: Path) -> None:
    # big files, many chunks each, the needed lines far from where the search pointed
    view, golds, need = _two_file_task(tmp_path, lines=3000, where=(1500, 1500))
    conv = Conversation("splice", 100, "task", agent=True)
    seen = Seen()
    seen.add("pkg/a.py", 300, 310)
    seen.add("pkg/b.py", 300, 310)
    hits = [Hit("pkg/a.py", 300, ""), Hit("pkg/b.py", 300, "")]
    widen_then_read_rest(conv, view, seen, need, hits)
    assert not seen.missing(need)
    calls = [m for m in conv.messages if m.role == "assistant"]
    paths = [[b.input["path"] for b in call.content] for call in calls]
    # the widening call, then the rest: each call reads both files, two chunks each
    assert all(sorted(p) == ["pkg/a.py"] * 2 + ["pkg/b.py"] * 2 for p in paths[1:])


def test_lines_the_history_compactor_masked_are_read_again(tmp_path: Path) -> None:
    view, golds, need = _two_file_task(tmp_path)
    conv = Conversation("splice", 100, "task", agent=True)
    seen = Seen()
    read_ranges(conv, view, seen, [("pkg/a.py", 1, 40)])
    assert 10 in conv.live_lines()["pkg/a.py"]
    for i in range(4):  # big results push the history past the loop's trigger
        conv.call("run", {"command": f"cat log{i}"}, "word " * (HISTORY_TRIGGER_TOKENS // 3))
    assert conv.run.history_compactions >= 1
    assert "pkg/a.py" not in conv.live_lines()
    before = len(conv.run.turns)
    reread_lost(conv, view, seen, {"pkg/a.py": need["pkg/a.py"]})
    assert len(conv.run.turns) == before + 1
    assert _reads(conv)[-1] == ("pkg/a.py", 1, 10 + RADIUS)
    assert 10 in conv.live_lines()["pkg/a.py"]
    reread_lost(conv, view, seen, {"pkg/a.py": need["pkg/a.py"]})  # nothing lost now
    assert len(conv.run.turns) == before + 1


def test_the_file_listing_goes_in_the_widening_call(tmp_path: Path) -> None:
    view, golds, need = _two_file_task(tmp_path)
    conv = Conversation("splice", 100, "task", agent=True)
    seen = Seen()
    seen.add("pkg/b.py", 100, 110)  # b.py was located; a.py never was: list b's folders
    widen_then_read_rest(conv, view, seen, need, [Hit("pkg/b.py", 100, "")])
    assert not seen.missing(need)
    first = [m for m in conv.messages if m.role == "assistant"][0]
    assert [b.name for b in first.content] == ["run", "read", "read"]
    assert first.content[0].input["command"] == "ls pkg 'pkg/*/' . '*/'"  # a.py: beside b.py
