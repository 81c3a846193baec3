"""History compaction for the agent: mask old tool results, optionally summarise them.

Past a token trigger, every tool result but the newest `keep_last` (and those of the
newest turn, which the model has not read yet) is replaced by a short
placeholder naming the call that produced it (tool, arguments, size) and how to get it
back: run the same call again. Blocks are edited in place, never removed, so every
tool_use keeps its tool_result. With a Model, what the masked results said is summarised
into one text block placed after the newest masked result.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from pydantic import BaseModel, Field

from splice.core.llm import Message, Model, TextBlock, ToolResultBlock, ToolUseBlock
from splice.core.tokens import count_tokens

MASK_PREFIX = "[tool result masked"
SUMMARY_PREFIX = "[summary of masked tool results]"
SUMMARY_SYSTEM = (
    "You compress an agent's old tool results. Write the facts the agent will still need: "
    "file paths, line numbers, names, errors, values, decisions. No preamble, at most 200 "
    "words. Do not invent anything that is not in the results.")
SUMMARY_INPUT_CHARS = 60_000


class HistoryCompaction(BaseModel):
    messages: list[Message]
    tokens_before: int
    tokens_after: int
    masked: list[str] = Field(default_factory=list, description="tool_use ids masked now")
    summary: str | None = None


def message_tokens(messages: Sequence[Message]) -> int:
    total = 0
    for message in messages:
        for block in message.content:
            if isinstance(block, TextBlock):
                total += count_tokens(block.text)
            elif isinstance(block, ToolResultBlock):
                total += count_tokens(block.content)
            else:
                total += count_tokens(block.name) + count_tokens(json.dumps(block.input))
    return total


def _placeholder(use: ToolUseBlock | None, result: ToolResultBlock, tokens: int) -> str:
    lines = result.content.count("\n") + 1
    what = "an error" if result.is_error else f"{tokens} tokens, {lines} lines"
    if use is None:
        return (f"{MASK_PREFIX}: an earlier tool result ({what}, call id {result.tool_use_id}) "
                "was removed to save context.]")
    args = json.dumps(use.input, ensure_ascii=False, default=str)
    if len(args) > 200:
        args = args[:197] + "..."
    return (f"{MASK_PREFIX}: {use.name}({args}) returned {what}. "
            f"To see it again, call {use.name} with the same arguments.]")


def mask_tool_results(messages: Sequence[Message], *, trigger_tokens: int = 40_000,
                      keep_last: int = 3) -> HistoryCompaction:
    """Pure: a copy of `messages` with old tool results masked once past the trigger."""
    before = message_tokens(messages)
    copied = [m.model_copy(deep=True) for m in messages]
    if before <= trigger_tokens:
        return HistoryCompaction(messages=copied, tokens_before=before, tokens_after=before)
    uses = {b.id: b for m in copied for b in m.content if isinstance(b, ToolUseBlock)}
    results = [b for m in copied for b in m.content if isinstance(b, ToolResultBlock)]
    # the newest turn's results the model has not read yet: masking one of a batch of
    # parallel calls would only make it call again
    unread = {id(b) for b in copied[-1].content if isinstance(b, ToolResultBlock)} \
        if copied else set()
    old = [b for b in results[: max(len(results) - max(keep_last, 0), 0)]
           if id(b) not in unread]
    masked: list[str] = []
    for block in old:
        if block.content.startswith(MASK_PREFIX):
            continue
        tokens = count_tokens(block.content)
        placeholder = _placeholder(uses.get(block.tool_use_id), block, tokens)
        if count_tokens(placeholder) >= tokens:
            continue  # short results cost less than their placeholder
        block.content = placeholder
        masked.append(block.tool_use_id)
    after = message_tokens(copied)
    return HistoryCompaction(messages=copied, tokens_before=before, tokens_after=after,
                             masked=masked)


async def compact_history(messages: Sequence[Message], *, trigger_tokens: int = 40_000,
                          keep_last: int = 3, model: Model | None = None,
                          summary_max_tokens: int = 600) -> HistoryCompaction:
    """mask_tool_results, plus (with a model) a summary of what the masked results said."""
    out = mask_tool_results(messages, trigger_tokens=trigger_tokens, keep_last=keep_last)
    if model is None or not out.masked:
        return out
    originals = {b.tool_use_id: b.content for m in messages for b in m.content
                 if isinstance(b, ToolResultBlock)}
    uses = {b.id: b for m in messages for b in m.content if isinstance(b, ToolUseBlock)}
    pieces = []
    for call_id in out.masked:
        use = uses.get(call_id)
        head = f"## {use.name}({json.dumps(use.input, default=str)})" if use else f"## {call_id}"
        pieces.append(f"{head}\n{originals[call_id]}")
    material = "\n\n".join(pieces)[:SUMMARY_INPUT_CHARS]
    response = await model.complete(
        system=SUMMARY_SYSTEM, messages=[Message.user(material)], tools=[],
        max_tokens=summary_max_tokens)
    summary = response.text.strip()
    if not summary:
        return out
    last_id = out.masked[-1]
    for message in out.messages:
        if any(isinstance(b, ToolResultBlock) and b.tool_use_id == last_id
               for b in message.content):
            # text after the tool_result blocks of a user turn keeps the pairing valid
            message.content.append(TextBlock(text=f"{SUMMARY_PREFIX}\n{summary}"))
            break
    out.summary = summary
    out.tokens_after = message_tokens(out.messages)
    return out
