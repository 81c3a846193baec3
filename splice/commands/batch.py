"""`splice batch TASKS.jsonl --repos DIR`: the agent over many tasks, here or on Ray."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import typer

from splice.scale.options import EXECUTOR_OPTION, RAY_ADDRESS_OPTION, WORKERS_OPTION

BATCH_HELP = (
    "Run the agent once per task of a SWE-bench-style JSONL file (instance_id, repo, "
    "base_commit, problem_statement, patch), each in its own scratch copy, sandbox and budget. "
    "One row per task is appended to OUT/results.jsonl as it finishes (status, diff, usage, "
    "cost, trace, error); a rerun skips tasks that already have a row. --executor ray fans "
    "the tasks out over a Ray cluster."
)


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    @app.command("batch", help=BATCH_HELP)
    def batch_command(
        tasks: Path = typer.Argument(..., help="Task file (JSONL, SWE-bench field names)."),
        repos: Path = typer.Option(..., "--repos",
                                   help="Folder of checkouts: DIR/<repo> or DIR/<owner__name>."),
        executor: str = EXECUTOR_OPTION,
        ray_address: str = RAY_ADDRESS_OPTION,
        workers: int = WORKERS_OPTION,
        out: Path = typer.Option(Path("splice-batch"), "--out",
                                 help="Folder for results.jsonl, summary.json and traces/."),
        limit: int = typer.Option(None, "--limit", "-n", min=1, help="Only the first N tasks."),
        provider: str = typer.Option(None, "--provider",
                                     help="anthropic | openai | scripted (as `splice run`)."),
        model: list[str] = typer.Option([], "--model", help="Model name(s), as `splice run`."),
        base_url: str = typer.Option(None, "--base-url", help="API base URL."),
        script: Path = typer.Option(None, "--script",
                                    help="JSON responses for --provider scripted (every task "
                                         "replays the same script)."),
        max_iterations: int = typer.Option(30, "--max-iterations", min=1,
                                           help="Most model calls per task."),
        max_tokens: int = typer.Option(None, "--max-tokens", min=1, help="Most tokens per task."),
        max_cost: float = typer.Option(None, "--max-cost", help="Most USD per task."),
        max_time: float = typer.Option(None, "--max-time", help="Most seconds per task."),
        as_json: bool = typer.Option(False, "--json", help="Print the summary and rows as JSON."),
    ) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        from splice.commands.bench_extra import INSTALL_HINT, missing_requirements
        from splice.commands.output import fail

        missing = missing_requirements()
        if missing:  # task files and checkouts are read with the bench's task tools
            fail(f"splice batch needs the bench extra ({', '.join(missing)} not installed). "
                 f"Install it with: {INSTALL_HINT}", as_json=as_json, code=2)

        from splice.agent.providers.factory import ProviderChoice, resolve_provider, split_models
        from splice.bench.tasks import load_tasks
        from splice.commands.output import console, emit_json, err_console
        from splice.core.budget import Budget
        from splice.core.errors import InvalidRequest, SpliceError
        from splice.scale import batch
        from splice.scale.executor import open_executor
        from splice.scale.options import executor_spec

        try:
            spec = executor_spec(executor, ray_address, workers)
            if not repos.is_dir():
                raise InvalidRequest(f"--repos {repos}: is not a directory",
                                     hint="Give the folder that holds the tasks' checkouts.")
            task_list = load_tasks(tasks)[:limit] if limit else load_tasks(tasks)
            choice = ProviderChoice(provider=provider, models=split_models(model),  # type: ignore[arg-type]
                                    base_url=base_url,
                                    script=script.resolve() if script else None)
            choice.provider = resolve_provider(choice, os.environ)
            budget = Budget(max_iterations=max_iterations, max_tokens=max_tokens,
                            max_cost_usd=max_cost, max_time_s=max_time)
        except SpliceError as exc:
            fail(exc, as_json=as_json, code=2)
        except ValueError as exc:
            fail(str(exc), as_json=as_json, code=2)
        out = out.resolve()
        done = batch.done_ids(out)
        todo = [batch.BatchJob(task=t, repos=str(repos.resolve()), out=str(out), model=choice,
                               budget=budget)
                for t in task_list if t.instance_id not in done]
        skipped = len(task_list) - len(todo)
        if skipped:
            err_console.print(f"{skipped} task(s) already have a row in {out / batch.RESULTS}; "
                              "skipping them", highlight=False)
        try:
            runner = open_executor(spec)
        except ImportError as exc:
            fail(str(exc), as_json=as_json, code=2)
        started = time.perf_counter()
        ran = 0
        try:
            with Progress(TextColumn("tasks"), BarColumn(), MofNCompleteColumn(),
                          TextColumn("{task.description}"), console=err_console,
                          transient=True) as progress:
                bar = progress.add_task("", total=len(todo))
                for row in batch.run_batch(todo, runner, out):
                    ran += 1
                    progress.update(bar, advance=1,
                                    description=f"{row.instance_id}: {row.status}")
        except KeyboardInterrupt:
            runner.close()
            err_console.print(f"\n[yellow]interrupted.[/] {ran} row(s) written to "
                              f"{out / batch.RESULTS}; run the same command again to resume.")
            raise typer.Exit(130) from None
        runner.close()
        wanted = {t.instance_id for t in task_list}
        rows = [r for r in batch.read_rows(out) if r.instance_id in wanted]
        summary = batch.summarize(rows, ran_now=ran, skipped=skipped,
                                  wall_s=time.perf_counter() - started, info=runner.info, out=out)
        from splice.bench.report import write_json

        write_json(out / batch.SUMMARY, summary)
        if as_json:
            emit_json({"summary": summary.model_dump(), "executor": runner.info.model_dump(),
                       "rows": [r.model_dump() for r in rows]})
        else:
            _print_table(console, rows, summary)
        sys.stdout.flush()
        if any(r.status == "error" for r in rows):
            raise typer.Exit(1)


def _print_table(console: object, rows: list, summary: object) -> None:
    from splice.bench.report import print_table

    table = [[r.instance_id, r.status, r.usage.tokens, round(r.cost_usd, 4), r.seconds,
              (r.error or "")[:60]] for r in sorted(rows, key=lambda r: r.instance_id)]
    print_table(console, "splice batch", ("task", "status", "tokens", "USD", "s", "error"),  # type: ignore[arg-type]
                table)
    s = summary
    console.print(  # type: ignore[attr-defined]
        f"{s.tasks} tasks ({s.ran_now} run now, {s.skipped} skipped): "  # type: ignore[attr-defined]
        + ", ".join(f"{n} {k}" for k, n in s.by_status.items())  # type: ignore[attr-defined]
        + f"; {s.tokens:,} tokens, ${s.cost_usd:.4f}, {s.wall_s:.1f} s on "  # type: ignore[attr-defined]
        f"{s.executor.kind} ({s.executor.nodes} node(s), {s.executor.workers} worker(s)); "  # type: ignore[attr-defined]
        f"rows in {s.results}", highlight=False)  # type: ignore[attr-defined]
