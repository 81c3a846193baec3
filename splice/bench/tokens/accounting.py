"""Token accounting for a replayed agent: every model call re-sends the whole conversation.

Turn k's input is the fixed prefix (system prompt + tool schemas), the task message and
every earlier tool call and tool result; its output is the tool call the model writes.
Tokens a worker spends in its own context (the search worker's model, if any) are kept
apart and added to the total. Counts are cl100k (splice.core.tokens.count_tokens).

A conversation replaying the splice agent (`agent=True`) writes its calls with that
agent's tools (`read` takes start_line/end_line; it has no grep or file listing, so those
go through `run`, framed as the run tool frames output) and applies the agent's own
history rules to what it keeps: the same code the agent's loop runs masks reads an
edit made stale or a later read showed again (splice.agent.stale), and past the loop's
trigger the history compactor masks old results (splice.compact.history). A masked
result then costs its placeholder in every later call.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from pydantic import BaseModel, Field

# The agent loop's defaults: compact the history past the trigger, towards the target.
from splice.agent.loop import HISTORY_TARGET_TOKENS, HISTORY_TRIGGER_TOKENS
from splice.core.llm import Block, Message, ToolResultBlock, ToolUseBlock
from splice.core.tokens import count_tokens

# Framing a chat API adds around each message / tool block (role markers, ids): a small
# fixed charge, the same for every policy.
MESSAGE_OVERHEAD = 4


class RideAlong(Protocol):
    """Calls an agent adds to a model call it makes anyway, decided on what the earlier
    calls' results showed (never on a result of the call they join)."""

    def after_call(self) -> None:
        """A model call's results are in: decide what to add to the next one."""

    def take(self, slots: int) -> list[tuple[str, dict[str, Any], str]]:
        """Up to `slots` of them, made now."""


class Turn(BaseModel):
    tool: str
    input_tokens: int
    output_tokens: int
    result_tokens: int
    phase: str = "localize"   # localize | fallback | edit
    note: str = ""


class PolicyRun(BaseModel):
    """One policy on one task: tokens, what it saw, and whether its edit was right."""

    policy: str
    turns: list[Turn] = Field(default_factory=list)
    input_tokens: int = 0
    output_tokens: int = 0
    worker_tokens: int = 0
    localized: bool = False        # first localization step named every gold file
    lines_found: float = 0.0       # share of gold lines seen before any fallback
    fallback_turns: int = 0
    files_read: int = 0
    edit_ok: bool = False
    edit_attempts: int = 0
    masked_results: int = 0        # tool results the agent's history rules masked
    history_compactions: int = 0   # times the history passed the agent loop's trigger
    error: str = ""

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens + self.worker_tokens

    def summary(self) -> dict[str, Any]:
        data = self.model_dump(exclude={"turns"})
        data["total_tokens"] = self.total_tokens
        data["model_calls"] = len(self.turns)
        phases: dict[str, int] = {}
        for turn in self.turns:
            phases[turn.phase] = phases.get(turn.phase, 0) + turn.input_tokens + turn.output_tokens
        data["tokens_by_phase"] = phases
        return data


def call_text(tool: str, args: Mapping[str, Any]) -> str:
    """What the model writes for one tool call (name and JSON arguments)."""
    return json.dumps({"name": tool, "input": args}, ensure_ascii=False)


class Conversation:
    """The growing context of one replayed agent."""

    def __init__(self, policy: str, prefix_tokens: int, task_message: str, *,
                 agent: bool = False) -> None:
        self.run = PolicyRun(policy=policy)
        self.context = prefix_tokens + count_tokens(task_message) + MESSAGE_OVERHEAD
        self.in_fallback = False
        self.editing = False
        self.agent = agent
        self.messages: list[Message] = [Message.user(task_message)]
        self._results: dict[str, tuple[str, int]] = {}  # tool_use id -> (text, tokens) now
        # calls the agent adds to a search-phase call it makes anyway (the splice agent's
        # edits of files it has seen enough of); None: nothing
        self.ride_along: RideAlong | None = None
        self.edited: set[str] = set()  # files an edit already changed (the view is stale)
        self.listed: list[str] = []  # the folders an `ls` beside the names grep showed

    def call(self, tool: str, args: Mapping[str, Any], result: str | None,
             note: str = "") -> Turn:
        """One model call: it reads the whole context, writes a tool call; the result
        (None for `finish`, which ends the run) joins the context for the next call."""
        return self.batch([(tool, args, result)], note)

    def batch(self, calls: Sequence[tuple[str, Mapping[str, Any], str | None]],
              note: str = "") -> Turn:
        """One model call holding several parallel tool calls; all results come back
        before the next call."""
        out = sum(count_tokens(call_text(t, a)) + MESSAGE_OVERHEAD for t, a, _ in calls)
        res = sum(count_tokens(r) + MESSAGE_OVERHEAD for _, _, r in calls if r is not None)
        turn = Turn(tool="+".join(dict.fromkeys(t for t, _, _ in calls)),
                    input_tokens=self.context, output_tokens=out, result_tokens=res, note=note,
                    phase=self.phase)
        if not calls:
            return turn  # nothing was asked: no model call to count
        self.run.turns.append(turn)
        self.run.input_tokens += self.context
        self.run.output_tokens += out
        if self.in_fallback:
            self.run.fallback_turns += 1
        self.context += out + res
        self._remember(calls)
        if self.ride_along is not None:
            self.ride_along.after_call()
        return turn

    def _remember(self, calls: Sequence[tuple[str, Mapping[str, Any], str | None]]) -> None:
        """Keep the turn as messages; for the splice agent, apply the agent's rules to them:
        stale and superseded reads masked after this turn, the history compacted past the
        loop's trigger before the next call."""
        if not self.agent:
            return
        from splice.agent.stale import mask_stale_by_edits, mask_superseded_reads
        from splice.compact.history import mask_tool_results

        n = sum(len(m.content) for m in self.messages)
        uses = [ToolUseBlock(id=f"c{n + i}", name=t, input=dict(a))
                for i, (t, a, _) in enumerate(calls)]
        answered = [(u, r) for u, (_, _, r) in zip(uses, calls, strict=True) if r is not None]
        results: list[Block] = []
        for use, text in answered:  # the replay's edit results say "error: ..." on refusal
            results.append(ToolResultBlock(tool_use_id=use.id, content=text,
                                           is_error=text.startswith("error:")))
            self._results[use.id] = (text, count_tokens(text))
        masked = mask_stale_by_edits(self.messages, [u for u, _ in answered], results)
        self.messages.append(Message(role="assistant", content=list(uses)))
        if results:
            self.messages.append(Message(role="user", content=results))
        masked += len(mask_superseded_reads(self.messages))
        self.run.masked_results += masked
        self._reprice()
        if self.context > HISTORY_TRIGGER_TOKENS:
            self.messages = mask_tool_results(self.messages,
                                              trigger_tokens=HISTORY_TARGET_TOKENS).messages
            self.run.history_compactions += 1
            self._reprice()

    def _reprice(self) -> None:
        """Charge each result what it costs now, after the rules replaced some."""
        for message in self.messages:
            for block in message.content:
                if isinstance(block, ToolResultBlock):
                    old_text, old_tokens = self._results[block.tool_use_id]
                    if block.content != old_text:
                        now = count_tokens(block.content)
                        self.context += now - old_tokens
                        self._results[block.tool_use_id] = (block.content, now)

    def live_lines(self) -> dict[str, set[int]]:
        """The lines the agent's history still shows: its unmasked read results and the
        unmasked spans of its search results (what it can edit from without reading)."""
        from splice.agent.stale import SPAN_HEADER, STALE_PREFIX, read_range

        names = {b.id: b.name for m in self.messages for b in m.content
                 if isinstance(b, ToolUseBlock)}
        shown: dict[str, set[int]] = {}
        for message in self.messages:
            for block in message.content:
                if not isinstance(block, ToolResultBlock) or block.is_error \
                        or block.content.startswith(STALE_PREFIX):
                    continue
                name = names.get(block.tool_use_id)
                if name == "read" and (rng := read_range(block.content)) is not None:
                    shown.setdefault(rng.path, set()).update(range(rng.start, rng.end + 1))
                elif name == "search":
                    lines = block.content.split("\n")
                    for head, fence in zip(lines, lines[1:], strict=False):
                        if (match := SPAN_HEADER.match(head)) and fence.startswith("```"):
                            shown.setdefault(match["path"], set()).update(
                                range(int(match["start"]), int(match["end"]) + 1))
        return shown

    @property
    def phase(self) -> str:
        return "edit" if self.editing else "fallback" if self.in_fallback else "localize"

    def worker(self, tokens: int) -> None:
        self.run.worker_tokens += tokens
