from splice.compact import compact_history, mask_tool_results
from splice.compact.history import MASK_PREFIX, SUMMARY_PREFIX
from splice.core.llm import (
    Message,
    ModelResponse,
    ScriptedModel,
    TextBlock,
    ToolResultBlock,
    ToolUseBlock,
)


def conversation(n_calls: int = 6, size: int = 400) -> list[Message]:
    messages = [Message.user("Fix the failing checkout test.")]
    for i in range(n_calls):
        call = ToolUseBlock(id=f"call_{i}", name="read", input={"path": f"src/mod_{i}.py"})
        messages.append(Message(role="assistant",
                                content=[TextBlock(text=f"Reading module {i}."), call]))
        body = "\n".join(f"line {j} of module {i}: value_{j} = compute({j})" for j in range(size))
        messages.append(Message(role="user",
                                content=[ToolResultBlock(tool_use_id=f"call_{i}", content=body)]))
    return messages


def results(messages: list[Message]) -> list[ToolResultBlock]:
    return [b for m in messages for b in m.content if isinstance(b, ToolResultBlock)]


def test_below_trigger_nothing_changes() -> None:
    msgs = conversation(2, 10)
    out = mask_tool_results(msgs, trigger_tokens=10_000)
    assert out.messages == msgs and not out.masked
    assert out.tokens_after == out.tokens_before


def test_old_results_masked_newest_kept_pairing_valid() -> None:
    msgs = conversation()
    out = mask_tool_results(msgs, trigger_tokens=1000, keep_last=2)
    blocks = results(out.messages)
    assert [b.content.startswith(MASK_PREFIX) for b in blocks] == [True] * 4 + [False] * 2
    assert blocks[0].content.startswith(f'{MASK_PREFIX}: read({{"path": "src/mod_0.py"}})')
    assert "call read with the same arguments" in blocks[0].content
    assert "tokens" in blocks[0].content
    assert blocks[-1].content == results(msgs)[-1].content
    # every tool_use still has its tool_result, in order
    uses = [b.id for m in out.messages for b in m.content if isinstance(b, ToolUseBlock)]
    assert uses == [b.tool_use_id for b in blocks]
    assert out.tokens_after < out.tokens_before / 2
    assert out.masked == ["call_0", "call_1", "call_2", "call_3"]
    # the input is not modified
    assert not results(msgs)[0].content.startswith(MASK_PREFIX)


def test_masking_twice_is_stable() -> None:
    once = mask_tool_results(conversation(), trigger_tokens=1000, keep_last=2)
    twice = mask_tool_results(once.messages, trigger_tokens=1000, keep_last=2)
    assert twice.masked == []
    assert twice.messages == once.messages


def test_short_results_are_not_masked() -> None:
    msgs = conversation(4, 400)
    short = msgs[2].content[0]
    assert isinstance(short, ToolResultBlock)
    short.content = "ok"
    out = mask_tool_results(msgs, trigger_tokens=100, keep_last=1)
    assert results(out.messages)[0].content == "ok"
    assert "call_0" not in out.masked


async def test_model_summary_is_added_after_the_newest_masked_result() -> None:
    model = ScriptedModel([ModelResponse(content=[TextBlock(
        text="mod_0..mod_3 define value_j = compute(j); nothing about checkout.")])])
    out = await compact_history(conversation(), trigger_tokens=1000, keep_last=2, model=model)
    assert out.summary and "compute(j)" in out.summary
    assert len(model.calls) == 1
    sent = model.calls[0][0].text()
    assert "src/mod_0.py" in sent and "line 5 of module 0" in sent
    holder = next(m for m in out.messages
                  if any(isinstance(b, ToolResultBlock) and b.tool_use_id == "call_3"
                         for b in m.content))
    assert isinstance(holder.content[0], ToolResultBlock)
    assert isinstance(holder.content[-1], TextBlock)
    assert holder.content[-1].text.startswith(SUMMARY_PREFIX)


async def test_no_model_call_when_nothing_is_masked() -> None:
    model = ScriptedModel([])
    out = await compact_history(conversation(1, 10), trigger_tokens=10_000, model=model)
    assert out.summary is None and model.calls == []
