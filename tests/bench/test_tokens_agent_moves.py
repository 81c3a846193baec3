"""What the replayed splice agent does better than the careful ladder it falls back on:
nearby hits read as one range, a file edited as soon as its lines are seen, each missing
file's nearest chunk read in turn, and lines the history compactor masked read again."""

from __future__ import annotations

import difflib
from pathlib import Path

from splice.agent.prompts import SYSTEM_PROMPT
from splice.bench.tokens.accounting import HISTORY_TRIGGER_TOKENS, Conversation
from splice.bench.tokens.calls import AGENT_GREP_LINES, read_ranges
from splice.bench.tokens.compacted_reads import compacted_pager
from splice.bench.tokens.edits import EditState
from splice.bench.tokens.gold import read_gold
from splice.bench.tokens.locate import (
    RADIUS,
    _read_hits,
    ranged_ladder,
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


def test_nearby_hits_are_one_read_and_seen_lines_are_not_read_again(tmp_path: Path) -> None:
    view = _repo(tmp_path, a=600)
    hits = [Hit("pkg/a.py", n, "") for n in (100, 120, 140, 400)]
    need = {"pkg/a.py": {599}}  # never found here: every hit is read around

    plain = Conversation("careful", 100, "task")
    _read_hits(plain, view, Seen(), need, hits, limit=12)
    merged = Conversation("splice", 100, "task", agent=True)
    seen = Seen()
    seen.add("pkg/a.py", 60, 80)  # already shown: not read again at a window's end
    _read_hits(merged, view, seen, need, hits, limit=12, merge=True)

    assert [t.tool for t in plain.run.turns] == ["read"]  # four overlapping reads, one call
    assert _reads(merged) == [("pkg/a.py", 81, 170), ("pkg/a.py", 370, 430)]
    assert merged.run.turns[0].result_tokens < plain.run.turns[0].result_tokens
    # the hit limit still counts hits read around, not reads (120 lay in 100's window)
    few = Conversation("splice", 100, "task", agent=True)
    _read_hits(few, view, Seen(), need, hits, limit=2, merge=True)
    assert _reads(few) == [("pkg/a.py", 100 - RADIUS, 140 + RADIUS)]


def _defined_elsewhere_repo(tmp_path: Path, calls: int = 7) -> RepoView:
    """pkg/a.py calls `frobnicate` `calls` times; pkg/b.py defines it deep down."""
    (tmp_path / "pkg").mkdir()
    step = 400 // (calls + 1)
    (tmp_path / "pkg" / "a.py").write_text("".join(
        f"x_{i} = frobnicate({i})\n" if i % step == 0 and i // step <= calls
        else f"y_{i} = {i}\n" for i in range(1, 400)))
    (tmp_path / "pkg" / "b.py").write_text(_file(200, "b") + "def frobnicate(x):\n"
                                           "    return x + 1  # the fix\n" + _file(100, "c"))
    return RepoView.scan(tmp_path)


def test_the_agent_reads_around_the_grep_line_that_defines_a_name(tmp_path: Path) -> None:
    # Decided before running: the splice agent's one read is around b.py's `def`, none in
    # a.py, whose 7 calls come first in the grep's output; careful reads a.py's first.
    view = _defined_elsewhere_repo(tmp_path)
    need = {"pkg/b.py": {202}}
    splice = Conversation("splice", 100, "task", agent=True)
    ranged_ladder(splice, view, Seen(), need, [["frobnicate"]], "``frobnicate`` is off by one",
                  primary=False, anchors=[], agent=True)
    assert _reads(splice) == [("pkg/b.py", 201 - RADIUS, 201 + RADIUS)]
    careful = Conversation("careful", 100, "task", agent=True)
    ranged_ladder(careful, view, Seen(), need, [["frobnicate"]], "``frobnicate`` is off by one",
                  primary=True)
    assert _reads(careful)[0][0] == "pkg/a.py"
    # the agent is told to do what the replay does
    assert "rg -n -w" in SYSTEM_PROMPT and "define" in SYSTEM_PROMPT


def test_a_file_the_names_grep_missed_is_found_by_listing_not_a_second_grep(
        tmp_path: Path) -> None:
    # Decided before running: the report's name is only used in a.py; the fix is in d.py,
    # which holds the report's plain words. careful greps those words next; the splice
    # agent lists the folders search showed in the same call as its one grep, and reads
    # d.py from there, with no second listing.
    view = _defined_elsewhere_repo(tmp_path)
    (tmp_path / "pkg" / "d.py").write_text("def widget_rounding(x):\n    return round(x)\n")
    view = RepoView.scan(tmp_path)
    need = {"pkg/d.py": {2}}
    problem = "``frobnicate`` gives wrong widget rounding"
    conv = Conversation("splice", 100, "task", agent=True)
    ranged_ladder(conv, view, Seen(), need, [["frobnicate"]], problem, primary=False,
                  anchors=[Hit("pkg/a.py", 1, "")], pager=compacted_pager(problem), agent=True)
    assert [r for r in _runs(conv) if r.startswith("rg")] == [
        f"rg -n -w -e frobnicate | head -n {AGENT_GREP_LINES}"]
    first_call = conv.messages[1].content  # the assistant's first turn: grep and ls
    assert [b.input["command"].split()[0] for b in first_call] == ["rg", "ls"]
    assert [r for r in _runs(conv) if r.startswith("ls")] == [first_call[1].input["command"]]
    assert ("pkg/d.py", 1, 2) in _reads(conv)


def _runs(conv: Conversation) -> list[str]:
    return [b.input["command"] for m in conv.messages for b in m.content
            if getattr(b, "name", "") == "run"]


def test_the_agents_names_grep_is_piped_to_head(tmp_path: Path) -> None:
    # Decided before running: a.py's 39 calls fill the splice agent's grep output, cut at
    # AGENT_GREP_LINES with no line saying more was cut, so b.py's `def` is not shown and
    # not read around (b.py is found by listing); careful's grep shows all 40 lines, b.py's
    # `def` among them.
    view = _defined_elsewhere_repo(tmp_path, calls=39)
    need = {"pkg/b.py": {202}}
    splice = Conversation("splice", 100, "task", agent=True)
    ranged_ladder(splice, view, Seen(), need, [["frobnicate"]], "``frobnicate`` is off",
                  primary=False, anchors=[], pager=compacted_pager("frobnicate"), agent=True)
    grep = next(t for t in splice.run.turns if t.tool == "run")
    shown = [line for line in _results(splice)[0].splitlines() if line.startswith("pkg/")]
    assert shown == [f"pkg/a.py:{n}:x_{n} = frobnicate({n})"
                     for n in range(10, 10 * (AGENT_GREP_LINES + 1), 10)]
    assert "more matching" not in _results(splice)[0] and grep.result_tokens > 0
    # b.py was not shown: it is found by the listing beside the grep, not read around
    assert ("pkg/b.py", 201 - RADIUS, 201 + RADIUS) not in _reads(splice)
    assert _runs(splice) == [f"rg -n -w -e frobnicate | head -n {AGENT_GREP_LINES}",
                             "ls . '*/'"]
    careful = Conversation("careful", 100, "task", agent=True)  # agent: keep its messages
    ranged_ladder(careful, view, Seen(), need, [["frobnicate"]], "``frobnicate`` is off",
                  primary=True)
    assert "pkg/b.py:201:def frobnicate(x):" in _results(careful)[0].splitlines()
    assert "| head" in SYSTEM_PROMPT  # the agent is told to do what the replay does


def _results(conv: Conversation) -> list[str]:
    """The text of every tool result the conversation holds, in order."""
    return [str(getattr(b, "content", "")) for m in conv.messages for b in m.content
            if getattr(b, "type", "") == "tool_result"]


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
