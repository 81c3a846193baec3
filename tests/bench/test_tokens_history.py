"""The replayed splice conversation follows the agent's own history rules (stale reads
masked after an edit, compaction past the loop's trigger); the baselines keep everything."""

from __future__ import annotations

from pathlib import Path

from splice.bench.tokens import edits
from splice.bench.tokens.accounting import HISTORY_TRIGGER_TOKENS, Conversation
from splice.bench.tokens.calls import range_call
from splice.bench.tokens.gold import read_gold
from splice.bench.tokens.repoview import RepoView, Seen
from tests.bench.tokens_fixture import header_task, make_repo


def _read_then_edit(root: Path, agent_history: bool) -> Conversation:
    gold = read_gold(header_task()["patch"], root)[0]
    view = RepoView.scan(root)
    conv = Conversation("splice", 100, "task", agent=agent_history)
    total = len(view.lines(gold.path))
    conv.batch([range_call(view, Seen(), gold.path, 1, total)])  # the whole file, read
    assert edits.edit_files(conv, "splice", [gold], batch=4)
    conv.call("finish", {"summary": "done"}, None)
    return conv


def test_an_edit_masks_the_read_it_made_stale(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "fixture")
    kept = _read_then_edit(root, agent_history=False)
    masked = _read_then_edit(root, agent_history=True)
    assert masked.run.masked_results == 1 and kept.run.masked_results == 0
    read_tokens = kept.run.turns[0].result_tokens
    # the same calls up to the edit; the finish call no longer carries the read
    assert [t.input_tokens for t in masked.run.turns[:2]] == [t.input_tokens
                                                              for t in kept.run.turns[:2]]
    drop = kept.run.turns[-1].input_tokens - masked.run.turns[-1].input_tokens
    assert 0 < drop < read_tokens
    placeholder = masked.messages[2].content[0]
    assert placeholder.content.startswith("[tool result masked: read ")


def test_a_wrong_edit_is_read_again_before_the_next_rung(tmp_path: Path, monkeypatch) -> None:
    root = make_repo(tmp_path / "fixture")
    gold = read_gold(header_task()["patch"], root)[0]
    real_merge = edits.merge
    calls = {"n": 0}

    def wrong_once(original: str, edit: str, **kw: object):  # first attempt lands wrong
        calls["n"] += 1
        result = real_merge(original, edit, **kw)
        if calls["n"] == 1:
            return type("R", (), {"text": result.text + "# stray\n"})()
        return result

    monkeypatch.setattr(edits, "merge", wrong_once)
    conv = Conversation("splice", 100, "task", agent=True)
    assert edits.edit_files(conv, "splice", [gold], batch=4)
    # one re-read, right after the attempt that landed wrong; refusals need none
    assert [t.tool for t in conv.run.turns[:3]] == ["edit", "read", "edit"]
    assert [t.note for t in conv.run.turns].count("re-read") == 1
    assert conv.run.turns[1].note == "re-read"


def test_history_past_the_loop_trigger_is_compacted(tmp_path: Path) -> None:
    conv = Conversation("splice", 100, "task", agent=True)
    big = "word " * (HISTORY_TRIGGER_TOKENS // 4)
    for i in range(5):
        conv.call("search", {"query": f"q{i}"}, big)
    assert conv.run.history_compactions >= 1
    # the old results were masked down: the next call carries far less than 5 of them
    assert conv.context < 4 * HISTORY_TRIGGER_TOKENS // 4


def test_splice_calls_are_written_with_the_agents_tools() -> None:
    from splice.agent.tool_io import TOOL_NAMES
    from splice.bench.tokens.calls import as_agent_call
    from splice.bench.tokens.prompts import prefix_for

    tool, args, text = as_agent_call(("grep", {"patterns": ["a b", "c"], "mode": "lines"},
                                      "x.py:3:a b"))
    assert tool == "run" and args == {"command": "rg -n -w -e 'a b' -e c"}
    assert text.startswith("$ rg -n") and "exit code 0" in text and text.endswith("x.py:3:a b")
    assert "exit code 1" in as_agent_call(("grep", {"patterns": ["q"]}, "No matches."))[2]
    piped = as_agent_call(("grep", {"patterns": ["q"], "head": 10}, "No matches."))
    assert piped[1] == {"command": "rg -n -w -e q | head -n 10"} and "exit code 0" in piped[2]
    assert as_agent_call(("read", {"path": "p.py", "offset": 10, "limit": 5}, "t"))[1] == {
        "path": "p.py", "start_line": 10, "end_line": 14}
    # the prefix is every tool the agent sends, as it sends them
    _, tools = prefix_for("splice")
    assert tuple(t["name"] for t in tools) == TOOL_NAMES


def test_a_refused_deletion_it_meant_is_sent_again_with_force() -> None:
    from splice.bench.tokens.gold import GoldFile

    body = "".join(f"    total_{i} = compute_{i}(value)\n" for i in range(45))
    before = (f"def keep():\n    return 1\n\n\ndef old(value):\n{body}    return value\n\n\n"
              "def tail():\n    return 2\n")
    after = "def keep():\n    return 1\n\n\ndef tail():\n    return 2\n"
    gold = GoldFile(path="m.py", before=before, after=after)
    conv = Conversation("splice", 100, "task", agent=True)
    assert edits.edit_files(conv, "splice", [gold], batch=4)
    assert [t.note for t in conv.run.turns] == ["lazy", "forced"]
    # careful's edit tool has no force: it climbs its own ladder instead
    careful = Conversation("careful", 100, "task")
    assert edits.edit_files(careful, "careful", [gold], batch=4)
    assert "forced" not in [t.note for t in careful.run.turns]
