"""Stale and superseded reads leave the agent's history (splice.agent.stale)."""

from pathlib import Path

import pytest

from splice.agent.stale import (
    STALE_PREFIX,
    LineChange,
    diff_changes,
    is_stale,
    mask_stale_reads,
    mask_superseded_reads,
    read_range,
)
from splice.compact.history import mask_tool_results
from splice.core.llm import Message, ModelResponse, ScriptedModel, ToolResultBlock, tool_call
from tests.agent.helpers import make_agent, make_repo


def _read_result(path: str, start: int, end: int, total: int = 200, body: str = "") -> str:
    body = body or "\n".join(f"{n} | line {n} of some code here" for n in range(start, end + 1))
    return f"{path}:{start}-{end} (file has {total} lines)\n{body}"


def _history(*reads: tuple[str, int, int]) -> list[Message]:
    messages = [Message.user("Task: x")]
    for i, (path, start, end) in enumerate(reads):
        call = tool_call("read", id=f"r{i}", path=path, start_line=start, end_line=end)
        messages.append(Message(role="assistant", content=[call]))
        messages.append(Message(role="user", content=[
            ToolResultBlock(tool_use_id=f"r{i}", content=_read_result(path, start, end))]))
    return messages


def _contents(messages: list[Message]) -> list[str]:
    return [b.content for m in messages for b in m.content if isinstance(b, ToolResultBlock)]


def test_read_range_parses_the_read_tools_header() -> None:
    rng = read_range(_read_result("pkg/a.py", 10, 20))
    assert rng is not None and (rng.path, rng.start, rng.end, rng.filtered) == ("pkg/a.py", 10,
                                                                                20, False)
    assert read_range(_read_result("a.py", 1, 9, body="1 | x\n(filtered 7 lines)\n9 | y")).filtered
    assert read_range("modified  a.py [lazy]") is None


def test_diff_changes_replacement_insertion_and_deletion() -> None:
    diff = ("modified  a.py [lazy]\n\n--- a/a.py\n+++ b/a.py\n"
            "@@ -1,7 +1,8 @@\n a\n b\n c\n-d\n+D\n+D2\n e\n f\n g\n"
            "@@ -20,4 +21,3 @@\n t\n-u\n v\n w\n"
            "@@ -40,0 +41,2 @@\n+new1\n+new2\n")
    assert diff_changes(diff) == {"a.py": [LineChange(4, 4, 1), LineChange(21, 21, -1),
                                           LineChange(41, 40, 2)]}


def test_diff_of_a_deleted_file_makes_every_read_stale() -> None:
    changes = diff_changes("--- a/old.py\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-x\n-y\n")
    assert is_stale(500, 510, changes["old.py"])


def test_diff_of_a_moved_file_makes_reads_of_the_old_name_stale() -> None:
    changes = diff_changes("--- a/old.py\n+++ b/new.py\n@@ -1,2 +1,2 @@\n x\n-y\n+z\n")
    assert is_stale(40, 50, changes["old.py"])
    assert changes["new.py"] == [LineChange(2, 2, 0)]
    assert set(diff_changes("--- /dev/null\n+++ b/add.py\n@@ -0,0 +1 @@\n+a\n")) == {"add.py"}


@pytest.mark.parametrize(("start", "end", "stale"), [
    (1, 3, False),      # above the change
    (3, 5, True),       # overlaps it
    (10, 20, True),     # below a change that added a line: numbers moved
    (5, 9, True),
])
def test_is_stale_when_lines_change_or_move(start: int, end: int, stale: bool) -> None:
    assert is_stale(start, end, [LineChange(4, 4, 1)]) is stale


def test_same_length_change_leaves_reads_below_it_alone() -> None:
    change = [LineChange(4, 4, 0)]
    assert not is_stale(10, 20, change)
    assert is_stale(1, 4, change)
    # lines inserted right after a read do not touch it; right before it, they move it
    assert not is_stale(1, 3, [LineChange(4, 3, 2)])
    assert is_stale(4, 9, [LineChange(4, 3, 2)])


def test_mask_stale_reads_masks_only_changed_reads_of_that_file() -> None:
    messages = _history(("a.py", 1, 30), ("a.py", 100, 150), ("b.py", 100, 150))
    masked = mask_stale_reads(messages, "a.py", [LineChange(120, 121, 0)])
    assert masked == ["r1"]
    contents = _contents(messages)
    assert contents[0].startswith("a.py:1-30") and contents[2].startswith("b.py:100-150")
    assert contents[1].startswith(STALE_PREFIX) and "a.py:100-150" in contents[1]
    assert mask_stale_reads(messages, "a.py", [LineChange(120, 121, 0)]) == []  # once


def test_mask_superseded_reads_keeps_the_later_wider_read() -> None:
    messages = _history(("a.py", 40, 60), ("a.py", 1, 200), ("a.py", 300, 310))
    assert mask_superseded_reads(messages) == ["r0"]
    assert _contents(messages)[1].startswith("a.py:1-200")


def test_a_filtered_read_does_not_supersede() -> None:
    messages = _history(("a.py", 40, 60))
    messages.append(Message(role="assistant", content=[tool_call("read", id="w", path="a.py")]))
    messages.append(Message(role="user", content=[ToolResultBlock(
        tool_use_id="w", content=_read_result("a.py", 1, 200, body="1 | x\n(filtered 198 lines)"
                                              "\n200 | y"))]))
    assert mask_superseded_reads(messages) == []


def test_history_compaction_leaves_stale_placeholders_alone() -> None:
    messages = _history(("a.py", 1, 80), ("a.py", 100, 180))
    mask_stale_reads(messages, "a.py", [LineChange(1, 1, 1)])
    again = mask_tool_results(messages, trigger_tokens=0, keep_last=0)
    assert again.masked == []


async def test_agent_masks_a_read_its_edit_changed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    with (repo / "calc.py").open("a") as out:  # long enough that masking saves tokens
        out.write("".join(f"\n\ndef helper_{i}(value):\n    return value * {i}\n"
                          for i in range(10)))
    model = ScriptedModel([
        ModelResponse(content=[tool_call("read", id="r1", path="calc.py", start_line=1,
                                         end_line=30),
                               tool_call("read", id="r2", path="test_calc.py")]),
        ModelResponse(content=[tool_call("edit", id="e1", path="calc.py", edit="a - b=>a + b")]),
        ModelResponse(content=[tool_call("finish", id="f1", summary="fixed add")]),
    ])
    agent = make_agent(repo, model)
    result = await agent.run("fix add")
    assert result.status == "finished", result
    last = _contents(model.calls[2])
    assert last[0].startswith(STALE_PREFIX) and "calc.py:1-30" in last[0]
    assert last[1].startswith("test_calc.py:1-")  # another file: kept
    assert "a + b" in last[2]  # the edit's own diff stays
    steps = agent.store.read_steps()
    assert "masked 1 stale read" in steps[1].action


async def test_agent_keeps_reads_when_masking_is_off(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    model = ScriptedModel([
        ModelResponse(content=[tool_call("read", id="r1", path="calc.py")]),
        ModelResponse(content=[tool_call("edit", id="e1", path="calc.py", edit="a - b=>a + b")]),
        ModelResponse(content=[tool_call("finish", id="f1", summary="fixed add")]),
    ])
    agent = make_agent(repo, model, mask_stale=False)
    await agent.run("fix add")
    assert _contents(model.calls[2])[0].startswith("calc.py:1-")


def test_a_read_shorter_than_its_placeholder_stays() -> None:
    messages = [Message.user("Task: x"),
                Message(role="assistant", content=[tool_call("read", id="r", path="a.py")]),
                Message(role="user", content=[ToolResultBlock(
                    tool_use_id="r", content="a.py:1-1 (file has 9 lines)\n1 | x")])]
    assert mask_stale_reads(messages, "a.py", [LineChange(1, 1, 0)]) == []
    assert _contents(messages)[0].endswith("1 | x")


def _search_history() -> list[Message]:
    from splice.core.spans import Span
    from splice.search.models import SearchResult

    code = "\n".join(f"    line_{n} = compute({n})" for n in range(1, 21))
    fenced = "x = '''\n```\n'''\n" + code  # holds a fence: the block uses ````
    result = SearchResult(
        spans=[Span(path="a.py", start_line=10, end_line=30), Span(path="b.py", start_line=10,
                                                                    end_line=30),
               Span(path="a.py", start_line=100, end_line=123)],
        texts=[code, code, fenced])
    call = tool_call("search", id="s1", query="compute")
    return [Message.user("Task: x"), Message(role="assistant", content=[call]),
            Message(role="user", content=[ToolResultBlock(tool_use_id="s1",
                                                          content=result.render())])]


def test_stale_search_spans_are_cut_and_the_others_kept() -> None:
    from splice.agent.stale import mask_stale_spans

    messages = _search_history()
    before = _contents(messages)[0]
    # a same-length change inside a.py:100-123 (the fenced span): only that span goes
    assert mask_stale_spans(messages, "a.py", [LineChange(110, 110, 0)]) == ["s1"]
    after = _contents(messages)[0]
    assert len(after) < len(before)
    assert "a.py:10-30\n```" in after and "b.py:10-30\n```" in after
    assert "a.py:100-123 [masked: an edit changed or moved these lines" in after
    assert after.count("line_5 = compute(5)") == 2  # a.py:10-30 and b.py:10-30 whole
    # lines inserted above a.py:10-30 move it too; b.py's spans never go
    assert mask_stale_spans(messages, "a.py", [LineChange(3, 2, 1)]) == ["s1"]
    assert "a.py:10-30 [masked" in _contents(messages)[0]
    assert mask_stale_spans(messages, "b.py", [LineChange(200, 200, 0)]) == []


async def test_agent_cuts_the_search_span_its_edit_changed(tmp_path: Path) -> None:
    from splice.agent.tool_io import SEARCH, SearchInput, ToolText
    from splice.agent.toolset import Toolset, finish_tool, read_tool
    from splice.core.spans import Span
    from splice.search.models import SearchResult
    from splice.tools import Tool
    from tests.agent.helpers import replace_edit_tool

    repo = make_repo(tmp_path / "repo")

    async def search(req: SearchInput, ctx: object) -> ToolText:  # real rendering
        spans = [Span(path="calc.py", start_line=1, end_line=5),
                 Span(path="test_calc.py", start_line=4, end_line=5)]
        texts = ["def add(a, b):\n    return a - b\n\n\ndef mul(a, b):  " + "# long " * 20,
                 "def test_add():\n    assert add(2, 3) == 5"]
        return ToolText(text=SearchResult(spans=spans, texts=texts).render(), spans=spans)

    toolset = Toolset.of([Tool(SEARCH, "search", SearchInput, ToolText, search), read_tool(),
                          replace_edit_tool(), finish_tool()])
    model = ScriptedModel([
        ModelResponse(content=[tool_call("search", id="s1", query="add")]),
        ModelResponse(content=[tool_call("edit", id="e1", path="calc.py", edit="a - b=>a + b")]),
        ModelResponse(content=[tool_call("finish", id="f1", summary="fixed add")]),
    ])
    agent = make_agent(repo, model, toolset=toolset)
    assert (await agent.run("fix add")).status == "finished"
    shown = _contents(model.calls[2])[0]
    assert "calc.py:1-5 [masked" in shown and "return a - b" not in shown
    assert "test_calc.py:4-5\n```\ndef test_add():" in shown  # another file: kept
