"""The ways a run ends, as one exception family raised inside a step and caught once.

A step raises `Finished`, `OutOfBudget` or `ModelGaveUp`; `Agent._drive` catches `RunEnded`
and writes the end record. Running out of budget is still an answer (status
`budget_exhausted`), never an exception that leaves the loop. `RunResult` is what the
caller gets back, whichever way the run ended.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from splice.agent.trace import RunStatus
from splice.core.budget import BudgetStop, BudgetUsage
from splice.core.llm import RetryEvent


class RunEnded(Exception):
    status: RunStatus = "finished"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Finished(RunEnded):
    """The model called `finish` (or answered without tools after a nudge)."""

    status: RunStatus = "finished"

    def __init__(self, summary: str) -> None:
        super().__init__(summary)
        self.summary = summary


class OutOfBudget(RunEnded):
    """A budget ran out: before a model call, during one, or while tools ran."""

    status: RunStatus = "budget_exhausted"

    def __init__(self, stop: BudgetStop) -> None:
        super().__init__(stop.message)
        self.stop = stop


class ModelGaveUp(RunEnded):
    """The model failed for good (after retries and fallbacks)."""

    status: RunStatus = "error"

    def __init__(self, error: str, retries: Sequence[RetryEvent] = ()) -> None:
        super().__init__(error)
        self.error = error
        self.retries = list(retries)


class RunResult(BaseModel):
    run_id: str
    status: RunStatus
    summary: str = ""
    diff: str = ""
    changed_files: list[str] = Field(default_factory=list)
    usage: BudgetUsage = Field(default_factory=BudgetUsage)
    steps: int = 0
    stop: BudgetStop | None = None
    doing: str = ""
    error: str | None = None
    run_dir: str = ""
