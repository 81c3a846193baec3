"""Runs on disk: one JSONL record per step, and a checkpoint to resume from.

`.splice/runs/<run_id>/` holds
- `meta.json`: the task, provider, models, budget, repo (written once);
- `trace.jsonl`: one `StepRecord` per step (step, status, model, tokens, latency, cost,
  tool calls with evidence spans, the action and the reason);
- `checkpoint.json`: the state after the last complete step (message history, budget
  used, the scratch tree's changes), written atomically, so a resumed run starts from
  there and never redoes a finished step.
Everything passes through a Redactor on its way to disk.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from splice.agent.redact import Redactor
from splice.core.budget import Budget, BudgetUsage
from splice.core.errors import InvalidRequest
from splice.core.llm import Message
from splice.core.repo import ensure_state_dir
from splice.core.spans import Span

RunStatus = Literal["running", "finished", "budget_exhausted", "error", "interrupted"]


class ToolCallRecord(BaseModel):
    id: str
    name: str
    input: dict[str, Any] = Field(default_factory=dict)
    is_error: bool = False
    result: str = ""  # the head of what the model saw
    evidence: list[Span] = Field(default_factory=list)
    latency_s: float = 0.0


class StepRecord(BaseModel):
    """One model call and its tool calls (kind "step"), or how the run ended (kind "end")."""

    run_id: str
    step: int
    kind: Literal["step", "end"] = "step"
    status: str  # "ok", or how the run ended at this step
    model: str = ""
    tokens_in: int = 0
    tokens_out: int = 0
    tokens_cached: int = 0
    tokens_cache_write: int = 0
    worker_tokens: int = 0
    latency_s: float = 0.0
    cost_usd: float = 0.0
    tool_calls: list[ToolCallRecord] = Field(default_factory=list)
    action: str = ""
    reason: str = ""
    retries: list[dict[str, Any]] = Field(default_factory=list)  # 429/5xx/529 and fallbacks
    totals: BudgetUsage = Field(default_factory=BudgetUsage)
    time: float = Field(default_factory=time.time)


class RunMeta(BaseModel):
    run_id: str
    task: str
    repo: str
    provider: str = ""
    models: list[str] = Field(default_factory=list)
    base_url: str | None = None
    budget: Budget = Field(default_factory=Budget)
    created: float = Field(default_factory=time.time)


class Checkpoint(BaseModel):
    run_id: str
    step: int  # the last complete step; 0 before the first
    status: RunStatus = "running"
    messages: list[Message]
    usage: BudgetUsage
    changes: dict[str, str | None] = Field(default_factory=dict)  # base64 bytes, None deleted
    doing: str = ""
    summary: str = ""
    nudges: int = 0  # replies without a tool call in a row that were answered with a nudge
    source_digests: dict[str, str | None] = Field(default_factory=dict)  # user's files then

    def decoded_changes(self) -> dict[str, bytes | None]:
        return {k: (None if v is None else base64.b64decode(v)) for k, v in self.changes.items()}

    @staticmethod
    def encode_changes(changes: Mapping[str, bytes | None]) -> dict[str, str | None]:
        return {k: (None if v is None else base64.b64encode(v).decode("ascii"))
                for k, v in changes.items()}


def new_run_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + "-" + secrets.token_hex(3)


def runs_dir(repo: str | os.PathLike[str]) -> Path:
    return ensure_state_dir(Path(repo).resolve(), "runs")


def _atomic_write(path: Path, text: str) -> None:
    fd, name = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(name, path)


class RunStore:
    """One run's directory."""

    def __init__(self, path: Path, redactor: Redactor | None = None) -> None:
        self.path = path
        self.redactor = redactor or Redactor()

    @classmethod
    def create(cls, repo: str | os.PathLike[str], run_id: str | None = None,
               redactor: Redactor | None = None) -> RunStore:
        path = runs_dir(repo) / (run_id or new_run_id())
        path.mkdir(parents=True, exist_ok=False)
        return cls(path, redactor)

    @classmethod
    def open(cls, repo: str | os.PathLike[str], run_id: str,
             redactor: Redactor | None = None) -> RunStore:
        return cls(find_run(repo, run_id), redactor)

    @property
    def run_id(self) -> str:
        return self.path.name

    @property
    def trace_path(self) -> Path:
        return self.path / "trace.jsonl"

    def _dump(self, model: BaseModel) -> str:
        return json.dumps(self.redactor.scrub(model.model_dump(mode="json")), ensure_ascii=False)

    def write_meta(self, meta: RunMeta) -> None:
        _atomic_write(self.path / "meta.json", self._dump(meta))

    def read_meta(self) -> RunMeta:
        return RunMeta.model_validate_json((self.path / "meta.json").read_text("utf-8"))

    def append_step(self, record: StepRecord) -> None:
        with self.trace_path.open("a", encoding="utf-8") as fh:
            fh.write(self._dump(record) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def read_steps(self) -> list[StepRecord]:
        return read_trace(self.trace_path)

    def save_checkpoint(self, checkpoint: Checkpoint) -> None:
        _atomic_write(self.path / "checkpoint.json", self._dump(checkpoint))

    def load_checkpoint(self) -> Checkpoint | None:
        path = self.path / "checkpoint.json"
        if not path.exists():
            return None
        return Checkpoint.model_validate_json(path.read_text("utf-8"))


def read_trace(path: Path) -> list[StepRecord]:
    """Every complete record; a torn last line (the process died mid-write) is dropped."""
    if not path.exists():
        return []
    records: list[StepRecord] = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        try:
            records.append(StepRecord.model_validate_json(line))
        except ValueError:
            continue
    return records


def find_run(repo: str | os.PathLike[str], run_id: str) -> Path:
    """The run directory for `run_id` (a unique prefix is enough) or for a path to one."""
    direct = Path(run_id)
    if direct.is_dir() and (direct / "meta.json").exists():
        return direct.resolve()
    base = Path(repo).resolve() / ".splice" / "runs"
    matches = sorted(p for p in base.glob(f"{run_id}*") if p.is_dir()) if base.is_dir() else []
    exact = [p for p in matches if p.name == run_id]
    if exact:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    known = sorted(p.name for p in base.iterdir()) if base.is_dir() else []
    if not matches:
        raise InvalidRequest(
            f"run {run_id!r}: not found under {base}",
            hint=("Known runs: " + ", ".join(known[-10:])) if known
            else "No runs yet; start one with `splice run TASK --repo DIR`.")
    raise InvalidRequest(f"run {run_id!r}: matches {len(matches)} runs",
                         hint="Give more of the id: " + ", ".join(p.name for p in matches[:10]))
