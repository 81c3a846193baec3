"""The orchestrator loop: ask the model, run its tool calls, record the step, repeat.

It ends when the model calls `finish` (or answers without tools), when a budget runs out
(status `budget_exhausted`, never an exception), or when the model fails for good
(status `error`). Every step is traced and checkpointed, so a run can be shown and
resumed from its last complete step.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
from pydantic import BaseModel, ValidationError

from splice.agent.endings import Finished, ModelGaveUp, OutOfBudget, RunEnded, RunResult
from splice.agent.prompts import SYSTEM_PROMPT, task_message
from splice.agent.scheduler import run_concurrently
from splice.agent.stale import mask_stale_by_edits, mask_superseded_reads
from splice.agent.tool_io import FINISH
from splice.agent.toolset import Toolset
from splice.agent.trace import Checkpoint, RunStore, StepRecord, ToolCallRecord
from splice.agent.workspace import Workspace, digest
from splice.core.budget import Budget, BudgetUsage
from splice.core.errors import InvalidRequest, SpliceError
from splice.core.llm import (
    Block,
    Message,
    Model,
    ModelCallFailed,
    ModelResponse,
    TextBlock,
    ToolResultBlock,
    ToolUseBlock,
    Usage,
    request_tokens,
)
from splice.core.repo import Repo
from splice.core.spans import Span
from splice.tools import ToolContext, ToolOutcome
from splice.tools.arguments import explain_not_object

RESULT_PREVIEW = 400
# Past this many request tokens the history is compacted towards the target. Every call
# re-sends the whole history, so old reads cost again each turn; 20k/8k (was 80k/30k)
# was picked on the token bench's bug reports (benchmarks/tokens/README.md, "Round
# tokens6"): what a masked read held is read again when an edit needs it.
HISTORY_TRIGGER_TOKENS = 20_000
HISTORY_TARGET_TOKENS = 8_000
NUDGE = ("You answered without calling a tool. If the task is done, call `finish` with a "
         "summary; otherwise continue with the tools.")
NUDGE_CUT = ("Your reply was cut off at the output limit. Continue with smaller steps: one "
             "tool call at a time, short edits.")


class Progress(BaseModel):
    """Sent after every step (and at the end) to whoever shows progress."""

    step: int
    status: str
    model: str = ""
    action: str = ""
    usage: BudgetUsage


class Agent:
    def __init__(self, *, model: Model, toolset: Toolset, workspace: Workspace,
                 store: RunStore, budget: Budget | None = None, max_output_tokens: int = 4096,
                 history_trigger_tokens: int = HISTORY_TRIGGER_TOKENS,
                 history_target_tokens: int = HISTORY_TARGET_TOKENS,
                 on_progress: Callable[[Progress], None] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 system_prompt: str = SYSTEM_PROMPT, mask_stale: bool = True) -> None:
        self.model = model
        self.toolset = toolset
        self.workspace = workspace
        self.store = store
        self.budget = budget or Budget()
        self.max_output_tokens = max_output_tokens
        self.history_trigger_tokens = history_trigger_tokens
        self.history_target_tokens = history_target_tokens
        self.on_progress = on_progress
        self.clock = clock
        self.system_prompt = system_prompt
        # Reads an edit made stale, or a later read showed again, leave the history
        # (splice.agent.stale): they mislead and are re-sent with every turn.
        self.mask_stale = mask_stale
        self.task = ""
        self._tick: Callable[[], None] = lambda: None

    # ---- entry points -------------------------------------------------------------------

    async def run(self, task: str) -> RunResult:
        self.task = task
        state = Checkpoint(run_id=self.store.run_id, step=0,
                           messages=[Message.user(task_message(task))], usage=BudgetUsage())
        self.store.save_checkpoint(state)
        return await self._drive(state)

    async def resume(self) -> RunResult:
        """Continue from the last complete step; finished steps are never redone."""
        state = self.store.load_checkpoint()
        if state is None:
            raise InvalidRequest(f"run {self.store.run_id}: has no checkpoint to resume from",
                                 hint="Start a new run instead.")
        if state.status == "finished":
            raise InvalidRequest(f"run {self.store.run_id}: already finished",
                                 hint="Nothing to resume; `splice trace show` shows it.")
        self.task = self.store.read_meta().task
        self._check_source_unchanged(state)
        self.workspace.restore(state.decoded_changes())
        state.status = "running"
        return await self._drive(state)

    # ---- the loop: each step is query -> act -> record -> verdict -------------------------

    async def _drive(self, state: Checkpoint) -> RunResult:
        started, base_elapsed = self.clock(), state.usage.elapsed_s

        def tick() -> None:
            state.usage.elapsed_s = base_elapsed + (self.clock() - started)

        self._tick = tick
        try:
            while True:
                tick()
                stop = self.budget.check(state.usage)
                if stop is not None:
                    raise OutOfBudget(stop)
                await self._step(state)
        except RunEnded as end:
            tick()  # the time spent in the last call (retries included) counts too
            return self._end(state, end)
        except BaseException:
            # Cancelled or killed mid-step: the last checkpoint stands; say so on disk.
            self._mark_interrupted(state)
            raise

    async def _step(self, state: Checkpoint) -> None:
        compacted = await self._maybe_compact(state)
        response, latency = await self._query(state)
        turn = await self._act(state, response)
        self._record(state, response, turn, latency, compacted)
        self._verdict(state, response, turn)

    async def _query(self, state: Checkpoint) -> tuple[ModelResponse, float]:
        """One model call; a failure for good ends the run (ModelGaveUp, OutOfBudget)."""
        t0 = self.clock()
        try:
            with self._time_limit(state):
                response = await self.model.complete(
                    system=self.system_prompt, messages=state.messages,
                    tools=self.toolset.specs(), max_tokens=self.max_output_tokens)
        except TimeoutError:
            self._tick()
            raise OutOfBudget(self.budget.time_stop(state.usage)) from None
        except ModelCallFailed as exc:
            raise ModelGaveUp(str(exc), exc.retries) from exc
        except SpliceError as exc:
            raise ModelGaveUp(str(exc)) from exc
        except Exception as exc:  # a provider bug: end the run with what it has, no traceback
            raise ModelGaveUp(f"{type(exc).__name__}: {exc}") from exc
        state.usage.add_model_call(response.usage)
        return response, self.clock() - t0

    async def _act(self, state: Checkpoint, response: ModelResponse) -> Turn:
        """Run the calls (concurrently, within the time left) and answer them in the history."""
        turn = Turn(calls=response.tool_uses)
        if turn.calls:
            await self._run_calls(state, turn)
        masked = (mask_stale_by_edits(state.messages, turn.calls, turn.results)
                  if self.mask_stale else 0)
        content = list(response.content) or [TextBlock(text="(empty reply)")]
        state.messages.append(Message(role="assistant", content=content))
        if turn.results:
            state.messages.append(Message(role="user", content=list(turn.results)))
        if self.mask_stale:
            masked += len(mask_superseded_reads(state.messages))
        turn.masked = masked
        if not turn.calls and state.nudges == 0:
            # A reply with no tool call is often a plan, not an end: ask once.
            state.nudges += 1
            turn.nudged = True
            state.messages.append(Message.user(NUDGE_CUT if response.stop_reason == "max_tokens"
                                               else NUDGE))
        elif turn.calls:
            state.nudges = 0
        return turn

    async def _run_calls(self, state: Checkpoint, turn: Turn) -> None:
        finished: dict[int, tuple[ToolResultBlock, ToolCallRecord]] = {}

        def sink(usage: Usage) -> None:
            turn.worker = turn.worker + usage
            state.usage.add_worker_usage(usage)

        ctx = ToolContext(repo=Repo(self.workspace.root), task=self.task, usage_sink=sink)

        async def keep(call: ToolUseBlock) -> tuple[ToolResultBlock, ToolCallRecord]:
            finished[id(call)] = pair = await self._execute(call, ctx)
            return pair

        left = self.budget.time_left(state.usage)
        with anyio.CancelScope() if left is None else anyio.move_on_after(left) as scope:
            await run_concurrently(turn.calls, keep)
        # Out of time mid-tools: what finished is kept (the tree has it), the rest is
        # answered as not run, so history and scratch tree agree on resume.
        turn.timed_out = scope.cancelled_caught
        pairs = [finished.get(id(c)) or _not_run(c) for c in turn.calls]
        turn.results = [p[0] for p in pairs]
        turn.records = [p[1] for p in pairs]

    def _record(self, state: Checkpoint, response: ModelResponse, turn: Turn, latency: float,
                compacted: str) -> None:
        """The step's trace record, checkpoint and progress line."""
        state.step += 1
        state.doing = self._describe(turn.calls, response)
        if turn.masked:
            compacted += f"masked {turn.masked} stale read(s); "
        self._tick()
        usage = response.usage
        self.store.append_step(StepRecord(
            run_id=self.store.run_id, step=state.step, status="ok", model=response.model,
            tokens_in=usage.input_tokens, tokens_out=usage.output_tokens,
            tokens_cached=usage.cache_read_tokens, tokens_cache_write=usage.cache_write_tokens,
            worker_tokens=turn.worker.total_tokens, latency_s=round(latency, 4),
            cost_usd=usage.cost_usd + turn.worker.cost_usd, tool_calls=turn.records,
            action=(compacted + state.doing).strip(), reason=response.text[:2000],
            retries=[e.model_dump() for e in response.retries],
            totals=state.usage.model_copy()))
        self._checkpoint(state)
        self._progress(state.step, "ok", response.model, state.doing, state.usage)

    def _verdict(self, state: Checkpoint, response: ModelResponse, turn: Turn) -> None:
        """End the run (raise) or return to go on."""
        finish = next((c for c, r in zip(turn.calls, turn.records, strict=True)
                       if c.name == FINISH and not r.is_error), None)
        if turn.timed_out and finish is None:
            raise OutOfBudget(self.budget.time_stop(state.usage))
        if finish is not None:
            raise Finished(str(finish.input.get("summary", "")))
        if not turn.calls and not turn.nudged:
            raise Finished(response.text)

    async def _execute(self, call: ToolUseBlock,
                       ctx: ToolContext) -> tuple[ToolResultBlock, ToolCallRecord]:
        t0 = self.clock()
        tool = self.toolset.tools.get(call.name)
        if tool is None:
            names = ", ".join(self.toolset.tools)
            outcome = ToolOutcome(text=f"There is no tool named {call.name!r}. "
                                       f"The tools are: {names}.", is_error=True)
        elif call.invalid_input is not None:
            outcome = ToolOutcome(text=explain_not_object(call.name, tool.input_model,
                                                          call.invalid_input), is_error=True)
        else:
            try:
                outcome = await tool.call(call.input, ctx)
            except Exception as exc:  # a tool bug must not end the run; the model hears it
                outcome = ToolOutcome(text=f"{call.name} failed: {type(exc).__name__}: {exc}",
                                      is_error=True)
        evidence = _spans((outcome.data or {}).get("spans"))
        sent = call.input if call.invalid_input is None else {"input": call.invalid_input}
        record = ToolCallRecord(id=call.id, name=call.name, input=sent,
                                is_error=outcome.is_error, result=outcome.text[:RESULT_PREVIEW],
                                evidence=evidence, latency_s=round(self.clock() - t0, 4))
        block = ToolResultBlock(tool_use_id=call.id, content=outcome.text or "(no output)",
                                is_error=outcome.is_error)
        return block, record

    # ---- helpers --------------------------------------------------------------------------

    async def _maybe_compact(self, state: Checkpoint) -> str:
        compactor = self.toolset.history_compactor
        if compactor is None:
            return ""
        before = request_tokens(self.system_prompt, state.messages, self.toolset.specs())
        if before <= self.history_trigger_tokens:
            return ""
        try:
            compacted = await compactor(list(state.messages), self.history_target_tokens)
        except Exception as exc:  # a failing compactor costs tokens, not the run
            return f"history compaction failed ({type(exc).__name__}: {exc}); "
        state.messages = compacted
        after = request_tokens(self.system_prompt, state.messages, self.toolset.specs())
        return f"history compacted {before:,} -> {after:,} tokens; "

    def _time_limit(self, state: Checkpoint) -> AbstractContextManager[Any]:
        left = self.budget.time_left(state.usage)
        return nullcontext() if left is None else anyio.fail_after(max(left, 0.001))

    @staticmethod
    def _describe(calls: list[ToolUseBlock], response: ModelResponse) -> str:
        if not calls:
            return "answered without tools"
        parts = []
        for c in calls:
            arg = c.input.get("path") or c.input.get("query") or c.input.get("command") or ""
            parts.append(f"{c.name}({str(arg)[:60]})" if arg else c.name)
        return ", ".join(parts)

    def _checkpoint(self, state: Checkpoint) -> None:
        changes = self.workspace.changes()
        state.changes = Checkpoint.encode_changes(changes)
        # What the user's files were when the change was made: a resume must not
        # overwrite edits the person made in between.
        state.source_digests = {rel: state.source_digests.get(rel, _source_digest(
            self.workspace.source, rel)) for rel in changes}
        self.store.save_checkpoint(state)

    def _check_source_unchanged(self, state: Checkpoint) -> None:
        moved = [rel for rel, before in state.source_digests.items()
                 if _source_digest(self.workspace.source, rel) != before]
        if moved:
            raise InvalidRequest(
                f"run {self.store.run_id}: {len(moved)} file(s) it changed were edited in your "
                f"tree since: {', '.join(moved[:5])}",
                hint="Resuming would overwrite those edits; start a new run instead.",
                details={"changed_meanwhile": moved})

    def _mark_interrupted(self, state: Checkpoint) -> None:
        saved = self.store.load_checkpoint()
        if saved is not None and saved.status == "running":
            saved.status = "interrupted"
            self.store.save_checkpoint(saved)

    def _progress(self, step: int, status: str, model: str, action: str,
                  usage: BudgetUsage) -> None:
        if self.on_progress is not None:
            self.on_progress(Progress(step=step, status=status, model=model, action=action,
                                      usage=usage.model_copy()))

    def _end(self, state: Checkpoint, end: RunEnded) -> RunResult:
        state.status = end.status
        summary = end.summary if isinstance(end, Finished) else ""
        stop = end.stop if isinstance(end, OutOfBudget) else None
        error = end.error if isinstance(end, ModelGaveUp) else None
        retries = end.retries if isinstance(end, ModelGaveUp) else []
        state.summary = summary
        self.store.append_step(StepRecord(
            run_id=self.store.run_id, step=state.step, status=end.status, kind="end",
            action=f"was doing: {state.doing}" if state.doing else "",
            reason=end.reason[:2000], retries=[e.model_dump() for e in retries],
            totals=state.usage.model_copy()))
        self._checkpoint(state)
        self._progress(state.step, end.status, "", end.reason[:100], state.usage)
        changes = self.workspace.changes()
        return RunResult(run_id=self.store.run_id, status=end.status, summary=summary,
                         diff=self.workspace.diff(), changed_files=sorted(changes),
                         usage=state.usage.model_copy(), steps=state.step, stop=stop,
                         doing=state.doing, error=error, run_dir=str(self.store.path))


@dataclass
class Turn:
    """What one step's tool calls gave: results for the model, records for the trace."""

    calls: list[ToolUseBlock]
    results: list[Block] = field(default_factory=list)
    records: list[ToolCallRecord] = field(default_factory=list)
    worker: Usage = field(default_factory=Usage)
    timed_out: bool = False
    nudged: bool = False
    masked: int = 0


def _not_run(call: ToolUseBlock) -> tuple[ToolResultBlock, ToolCallRecord]:
    text = f"{call.name}: not run to the end: the time budget ran out"
    return (ToolResultBlock(tool_use_id=call.id, content=text, is_error=True),
            ToolCallRecord(id=call.id, name=call.name, input=call.input, is_error=True,
                           result=text))


def _source_digest(source: Path, rel: str) -> str | None:
    path = source / rel
    return digest(path.read_bytes()) if path.is_file() else None


def _spans(raw: object) -> list[Span]:
    if not isinstance(raw, list):
        return []
    out = []
    for item in raw:
        try:
            out.append(Span.model_validate(item))
        except ValidationError:
            continue
    return out
