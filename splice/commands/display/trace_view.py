"""Rendering traces for people (a rich table) and scripts (JSON)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.table import Table

from splice.agent.trace import Checkpoint, RunStore, StepRecord, read_trace
from splice.core.errors import InvalidRequest
from splice.core.terminal import make_console, write_lines


def _tools(step: StepRecord) -> str:
    parts = []
    for call in step.tool_calls:
        arg = call.input.get("path") or call.input.get("query") or call.input.get("command")
        label = f"{call.name}({str(arg)[:40]})" if arg else call.name
        parts.append(("[red]✗[/] " if call.is_error else "") + escape(label))
    return "\n".join(parts)


def _evidence(step: StepRecord) -> str:
    labels = [s.label() for c in step.tool_calls for s in c.evidence]
    shown = labels[:6] + ([f"+{len(labels) - 6} more"] if len(labels) > 6 else [])
    return escape("\n".join(shown))


def show_run(run: str, repo: Path, *, as_json: bool = False) -> None:
    store = RunStore.open(repo, run)
    meta = store.read_meta()
    steps = store.read_steps()
    checkpoint = store.load_checkpoint()
    if as_json:
        payload = {"meta": meta.model_dump(mode="json"),
                   "status": checkpoint.status if checkpoint else "unknown",
                   "steps": [s.model_dump(mode="json") for s in steps]}
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    out = make_console()
    if not out.is_terminal:
        write_lines(_plain(meta, steps, checkpoint))
        return
    out.print(f"[bold]run {meta.run_id}[/]  {escape(meta.provider)} "
              f"{escape(', '.join(meta.models))}  repo {escape(meta.repo)}", highlight=False)
    out.print(f"task: {escape(meta.task)}", highlight=False)
    models = {s.model for s in steps if s.kind == "step" and s.model}
    table = Table(show_lines=False, pad_edge=False)
    columns = [("step", "right"), ("status", "left")]
    if len(models) > 1:  # a fallback answered some steps
        columns.append(("model", "left"))
    columns += [("tok in/out/cached", "right"), ("latency", "right"), ("cost", "right"),
                ("tools", "left"), ("evidence", "left"), ("reason", "left")]
    for name, justify in columns:
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for s in steps:
        model_cell = [escape(s.model)] if len(models) > 1 else []
        if s.kind == "end":
            table.add_row("end", f"[bold]{escape(s.status)}[/]", *[""] * len(model_cell),
                          "", "", "", escape(s.action), "", escape(s.reason[:200]))
            continue
        status = s.status
        if s.retries:
            codes = ",".join(str(r.get("status") or r.get("kind")) for r in s.retries)
            status += f"\n[yellow]retried {codes}[/]"
        table.add_row(str(s.step), status, *model_cell,
                      f"{s.tokens_in:,}/{s.tokens_out:,}/{s.tokens_cached:,}",
                      f"{s.latency_s:.2f}s", f"${s.cost_usd:.4f}", _tools(s), _evidence(s),
                      escape(s.reason[:120]))
    out.print(table)
    if steps:
        t = steps[-1].totals
        out.print(f"totals: {t.iterations} model calls, {t.tokens:,} tokens "
                  f"(workers {t.worker_tokens:,}, cached {t.cache_read_tokens:,}), "
                  f"${t.cost_usd:.4f}, {t.elapsed_s:.1f}s", highlight=False)
    if checkpoint is not None:
        out.print(f"status: [bold]{checkpoint.status}[/]", highlight=False)


def _plain(meta: Any, steps: list[StepRecord], checkpoint: Checkpoint | None) -> str:
    """The trace for a pipe: one block per step, one fact per line, nothing folded."""
    lines = [f"run {meta.run_id}  {meta.provider} {', '.join(meta.models)}  repo {meta.repo}",
             f"task: {meta.task}"]
    for s in steps:
        if s.kind == "end":
            lines.append(f"end  {s.status}  {s.action}  {s.reason}".rstrip())
            continue
        head = (f"step {s.step}  {s.status}  model {s.model}  tokens in/out/cached "
                f"{s.tokens_in:,}/{s.tokens_out:,}/{s.tokens_cached:,}  "
                f"{s.latency_s:.2f}s  ${s.cost_usd:.4f}")
        lines.append(head)
        if s.retries:
            codes = ",".join(str(r.get("status") or r.get("kind")) for r in s.retries)
            lines.append(f"  retried: {codes}")
        for call in s.tool_calls:
            arg = call.input.get("path") or call.input.get("query") or call.input.get("command")
            error = "  (error)" if call.is_error else ""
            lines.append(f"  tool: {call.name}({arg if arg else ''}){error}")
        labels = [sp.label() for c in s.tool_calls for sp in c.evidence]
        if labels:
            lines.append(f"  evidence: {', '.join(labels)}")
        if s.reason:
            lines.append(f"  reason: {' '.join(s.reason.split())}")
    if steps:
        t = steps[-1].totals
        lines.append(f"totals: {t.iterations} model calls, {t.tokens:,} tokens "
                     f"(workers {t.worker_tokens:,}, cached {t.cache_read_tokens:,}), "
                     f"${t.cost_usd:.4f}, {t.elapsed_s:.1f}s")
    if checkpoint is not None:
        lines.append(f"status: {checkpoint.status}")
    return "\n".join(lines)


def list_runs(repo: Path, *, as_json: bool = False) -> None:
    base = Path(repo).resolve() / ".splice" / "runs"
    if not base.is_dir():
        raise InvalidRequest(f"no runs under {base}",
                             hint="Start one with `splice run TASK --repo DIR`.")
    rows: list[dict[str, Any]] = []
    for path in sorted(p for p in base.iterdir() if (p / "meta.json").exists()):
        store = RunStore(path)
        meta = store.read_meta()
        cp_path = path / "checkpoint.json"
        status = Checkpoint.model_validate_json(cp_path.read_text()).status \
            if cp_path.exists() else "unknown"
        steps = read_trace(store.trace_path)
        rows.append({"run_id": meta.run_id, "status": str(status),
                     "steps": len([s for s in steps if s.kind == "step"]),
                     "task": meta.task})
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    table = Table("run", "status", "steps", "task")
    for r in rows:
        table.add_row(r["run_id"], r["status"], str(r["steps"]), escape(r["task"][:80]))
    make_console().print(table)
