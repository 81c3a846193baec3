"""What `splice run` does between parsing options and exiting: build, run, show, apply."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import anyio
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.markup import escape

from splice.agent.loop import Progress, RunResult
from splice.agent.providers.factory import (
    PROVIDERS,
    ProviderChoice,
    api_key_for,
    build_model,
    resolve_provider,
    split_models,
)
from splice.agent.providers.pricing import priced
from splice.agent.redact import Redactor
from splice.agent.session import resume_run, start_run
from splice.agent.toolset import Toolset
from splice.agent.trace import RunStore
from splice.agent.workspace import Workspace
from splice.core.bounds import RETRY_BUDGET_S
from splice.core.budget import Budget
from splice.core.errors import InvalidRequest, SpliceError
from splice.core.repo import Repo
from splice.core.terminal import make_console, show_code

EXIT_CODES = {"finished": 0, "error": 1, "budget_exhausted": 3}
EXIT_USAGE, EXIT_NOT_APPLIED, EXIT_INTERRUPTED = 2, 4, 130


class RunArgs(BaseModel):
    task: str | None = None
    repo: Path = Path(".")
    provider: str | None = None
    models: list[str] = []
    base_url: str | None = None
    max_iterations: int = 30
    max_tokens: int | None = None
    max_cost: float | None = None
    max_time: float | None = None
    retry_budget_s: float = RETRY_BUDGET_S
    approve: bool = False
    as_json: bool = False
    resume: str | None = None
    script: Path | None = None
    interactive: bool = False


def _progress_printer(err: Console) -> Any:
    def show(p: Progress) -> None:
        u = p.usage
        err.print(f"[dim]step {p.step:>3}[/]  {u.tokens:>9,} tok  ${u.cost_usd:.4f}  "
                  f"{u.elapsed_s:6.1f}s  [bold]{escape(p.status)}[/]  {escape(p.action[:100])}",
                  highlight=False)
    return show


def execute(args: RunArgs, toolset: Toolset | None = None) -> int:
    out, err = make_console(), make_console(stderr=True)
    try:
        return _execute(args, toolset, out, err)
    except SpliceError as exc:
        _report_error(exc, args.as_json, err)
        return EXIT_USAGE if isinstance(exc, InvalidRequest) else 1


def _report_error(exc: SpliceError, as_json: bool, err: Console) -> None:
    import json
    import sys

    if as_json:
        sys.stderr.write(json.dumps(exc.to_dict(), indent=2, default=str) + "\n")
    else:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)


def _collect_garbage(repo: Repo, err: Console) -> None:
    """What an earlier killed run left (half writes, worktrees, scratch copies) goes first."""
    from splice.sandbox.stale import collect

    try:
        report = collect(repo.root)
    except SpliceError as exc:
        err.print(f"[yellow]warning:[/] cleanup before the run failed: {escape(str(exc))}")
        return
    if report.removed_anything:
        err.print(f"[dim]{escape(report.render())}[/]", highlight=False)


def _execute(args: RunArgs, toolset: Toolset | None, out: Console, err: Console) -> int:
    repo = Repo(args.repo)
    _collect_garbage(repo, err)
    try:
        budget = Budget(max_iterations=args.max_iterations, max_tokens=args.max_tokens,
                        max_cost_usd=args.max_cost, max_time_s=args.max_time)
    except ValidationError as exc:
        raise InvalidRequest(f"bad budget: {exc.errors()[0]['loc'][0]}: "
                             f"{exc.errors()[0]['msg']}",
                             hint="Budgets are positive numbers.") from exc
    name = args.provider
    models, base_url = split_models(args.models), args.base_url
    if args.resume:
        meta = RunStore.open(repo.root, args.resume).read_meta()
        name = name or meta.provider or None
        models, base_url = models or meta.models, base_url or meta.base_url
    if name is not None and name not in PROVIDERS:
        raise InvalidRequest(f"--provider {name}: unknown provider",
                             hint=f"Use one of: {', '.join(PROVIDERS)}.")
    choice = ProviderChoice.model_validate({"provider": name, "models": models,
                                            "retry_budget_s": args.retry_budget_s,
                                            "base_url": base_url, "script": args.script})
    provider = resolve_provider(choice, os.environ)
    model = build_model(choice.model_copy(update={"provider": provider}))
    chain = getattr(model, "models", [model.name])
    if args.max_cost is not None and provider != "scripted" and not all(priced(m) for m in chain):
        err.print("[yellow]warning:[/] no price known for "
                  f"{', '.join(m for m in chain if not priced(m))}; --max-cost cannot bite "
                  "(set SPLICE_PRICE=IN,OUT in USD per million tokens)")
    redactor = Redactor.from_env(extra=[k for k in [api_key_for(provider)] if k])
    started: list[RunStore] = []

    def on_start(store: RunStore) -> None:
        started.append(store)
        err.print(f"[bold]run {store.run_id}[/] in {repo.root} with {provider}:{model.name}")

    async def main() -> tuple[RunResult, Workspace]:
        try:
            if args.resume:
                err.print(f"[bold]resuming {args.resume}[/] with {provider}:{model.name}")
                return await resume_run(repo.root, args.resume, model, budget=budget,
                                        toolset=toolset, redactor=redactor,
                                        on_progress=_progress_printer(err))
            assert args.task is not None
            return await start_run(args.task, repo.root, model, budget=budget, toolset=toolset,
                                   provider=provider, models=list(chain),
                                   base_url=args.base_url, redactor=redactor,
                                   on_progress=_progress_printer(err), on_start=on_start)
        finally:
            close = getattr(model, "aclose", None)
            if close is not None:
                with anyio.CancelScope(shield=True):
                    await close()

    try:
        result, workspace = anyio.run(main)
    except KeyboardInterrupt:
        run_id = started[0].run_id if started else args.resume
        err.print(f"\n[yellow]interrupted.[/] Resume with: splice run --resume {run_id} "
                  f"--repo {repo.root}")
        return EXIT_INTERRUPTED
    try:
        return _finish(args, result, workspace, repo, out, err)
    finally:
        workspace.cleanup()


def _finish(args: RunArgs, result: RunResult, workspace: Workspace, repo: Repo,
            out: Console, err: Console) -> int:
    import json
    import sys

    if result.diff:
        (Path(result.run_dir) / "final.diff").write_text(result.diff, encoding="utf-8")
    applied, note = False, ""
    code = EXIT_CODES.get(result.status, 1)
    if result.status == "finished" and result.changed_files:
        if not args.as_json:
            show_code(out, result.diff, "diff")
        if args.approve and not args.interactive:
            note = ("--approve needs a terminal to ask you; nothing was applied. The diff is "
                    f"saved in {result.run_dir}/final.diff (git apply it, or re-run in a "
                    "terminal).")
            code = EXIT_NOT_APPLIED
        elif args.approve and not _confirm(f"Apply this diff to {repo.root}?"):
            note = f"not applied; the diff is saved in {result.run_dir}/final.diff"
            code = EXIT_NOT_APPLIED
        else:
            workspace.commit()
            applied = True
            note = f"applied to {len(result.changed_files)} file(s)"
    elif result.status == "finished":
        note = "no changes to apply"
    elif result.diff:
        note = f"partial diff NOT applied; saved in {result.run_dir}/final.diff"
        if not args.as_json:
            show_code(out, result.diff, "diff")
    if args.as_json:
        payload = result.model_dump(mode="json")
        payload.update(applied=applied, note=note)
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return code
    u = result.usage
    colour = {"finished": "green", "budget_exhausted": "yellow"}.get(result.status, "red")
    out.print(f"[bold {colour}]{result.status}[/] after {result.steps} step(s): "
              f"{u.tokens:,} tokens (workers {u.worker_tokens:,}, cached {u.cache_read_tokens:,}),"
              f" ${u.cost_usd:.4f}, {u.elapsed_s:.1f}s", highlight=False)
    if result.stop is not None:
        out.print(f"budget: {escape(result.stop.message)}", highlight=False)
    if result.doing:
        out.print(f"last action: {escape(result.doing)}", highlight=False)
    if result.error:
        out.print(f"[red]error:[/] {escape(result.error)}", highlight=False)
    if result.summary:
        out.print(f"summary: {escape(result.summary)}", highlight=False)
    if note:
        out.print(note, highlight=False)
    if result.status != "finished":
        out.print(f"resume with: splice run --resume {result.run_id} --repo {repo.root}",
                  highlight=False)
    out.print(f"trace: splice trace show {result.run_id} --repo {repo.root}", highlight=False)
    return code


def _confirm(question: str) -> bool:
    import typer

    try:
        return bool(typer.confirm(question, default=False))
    except (typer.Abort, EOFError):
        return False
