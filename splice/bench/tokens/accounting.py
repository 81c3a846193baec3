"""Token accounting for a replayed agent: every model call re-sends the whole conversation.

Turn k's input is the fixed prefix (system prompt + tool schemas), the task message and
every earlier tool call and tool result; its output is the tool call the model writes.
Tokens a worker spends in its own context (the search worker's model, if any) are kept
apart and added to the total. Counts are cl100k (splice.core.tokens.count_tokens).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, Field

from splice.core.tokens import count_tokens

# Framing a chat API adds around each message / tool block (role markers, ids): a small
# fixed charge, the same for every policy.
MESSAGE_OVERHEAD = 4


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

    def __init__(self, policy: str, prefix_tokens: int, task_message: str) -> None:
        self.run = PolicyRun(policy=policy)
        self.context = prefix_tokens + count_tokens(task_message) + MESSAGE_OVERHEAD
        self.in_fallback = False
        self.editing = False

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
        return turn

    @property
    def phase(self) -> str:
        return "edit" if self.editing else "fallback" if self.in_fallback else "localize"

    def worker(self, tokens: int) -> None:
        self.run.worker_tokens += tokens
