"""The agent's history past the loop's trigger: a batch of results is never masked before
the model has read it, and the loop's default trigger compacts a history of a few large
reads (the token bench replays the same defaults: benchmarks/tokens/README.md)."""

from __future__ import annotations

from pathlib import Path

from splice.agent.loop import HISTORY_TARGET_TOKENS, HISTORY_TRIGGER_TOKENS
from splice.agent.toolset import READ_MAX_TOKENS, worker_history_compactor
from splice.compact.history import MASK_PREFIX, mask_tool_results
from splice.core.llm import Message, ModelResponse, ScriptedModel, ToolResultBlock, tool_call
from splice.core.tokens import count_tokens
from tests.agent.helpers import make_agent, make_repo, test_toolset


def _body(i: int, lines: int = 300) -> str:
    return "\n".join(f"{n} | value_{i}_{n} = compute({n}, {i})" for n in range(1, lines + 1))


def _turn(ids: list[str]) -> list[Message]:
    return [Message(role="assistant", content=[tool_call("read", id=c, path=f"{c}.py")
                                               for c in ids]),
            Message(role="user", content=[ToolResultBlock(tool_use_id=c, content=_body(k))
                                          for k, c in enumerate(ids)])]


def test_a_batch_of_results_is_kept_until_the_model_has_read_it() -> None:
    # two turns of one read each, then one turn of four parallel reads: keep_last 3 alone
    # would mask the first of the four before the model ever saw it
    messages = [Message.user("task"), *_turn(["a"]), *_turn(["b"]),
                *_turn(["c1", "c2", "c3", "c4"])]
    out = mask_tool_results(messages, trigger_tokens=100, keep_last=3)
    assert out.masked == ["a", "b"]
    newest = out.messages[-1].content
    assert all(isinstance(b, ToolResultBlock) and not b.content.startswith(MASK_PREFIX)
               for b in newest)
    # once the model has answered (a newer turn exists), the old batch can go as usual
    later = mask_tool_results([*out.messages, *_turn(["d"])], trigger_tokens=100, keep_last=3)
    assert later.masked == ["c1", "c2"]  # keep_last: c3, c4 and d


async def test_the_default_trigger_compacts_a_few_large_reads(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    # files that each read nearly as large as the read tool shows verbatim
    lines = 60
    while count_tokens(_body(0, lines + 20)) < READ_MAX_TOKENS * 0.9:
        lines += 20
    reads = HISTORY_TRIGGER_TOKENS // count_tokens(_body(0, lines)) + 2
    for i in range(reads):
        (repo / f"big_{i}.py").write_text(_body(i, lines).replace(" | ", " = 0  # ") + "\n")
    model = ScriptedModel([ModelResponse(content=[tool_call("read", id=f"r{i}",
                                                            path=f"big_{i}.py")])
                           for i in range(reads)]
                          + [ModelResponse(content=[tool_call("finish", id="f", summary="ok")])])
    agent = make_agent(repo, model, toolset=test_toolset(
        history_compactor=worker_history_compactor))  # the loop's own defaults
    result = await agent.run("task")
    assert result.status == "finished"
    assert any("history compacted" in s.action for s in agent.store.read_steps())
    last = [b for m in model.calls[-1] for b in m.content if isinstance(b, ToolResultBlock)]
    assert last[0].content.startswith(MASK_PREFIX)  # the oldest read left the history
    assert not last[-1].content.startswith(MASK_PREFIX)  # the newest is whole
    kept = sum(count_tokens(b.content) for b in last)
    assert kept < HISTORY_TRIGGER_TOKENS and HISTORY_TARGET_TOKENS < HISTORY_TRIGGER_TOKENS
    agent.workspace.cleanup()
