"""`splice bench tokens`: how many tokens search + compact + apply save an agent."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from splice.scale.options import EXECUTOR_OPTION, RAY_ADDRESS_OPTION, WORKERS_OPTION

TOKENS_HELP = (
    "Count the tokens three agents spend on real tasks: naive (grep, read whole files, "
    "rewrite them), careful (grep -n, ranged reads, SEARCH/REPLACE) and splice (search, "
    "compact, lazy edits through apply).\n\n"
    "Replay mode (default) needs no model: each policy is replayed step by step against the "
    "real repository and the gold patch, counting what every model call would carry. "
    "Default tasks: the PyPI changelog task set (built and cached on first use). "
    "--live runs the real agent instead (needs ANTHROPIC_API_KEY or --provider openai "
    "--base-url URL --model NAME)."
)


def bench_tokens(
    tasks: Path = typer.Option(None, "--tasks", help="SWE-bench-style task file (JSONL)."),
    repos: Path = typer.Option(None, "--repos",
                               help="Folder of checkouts: DIR/<repo> or DIR/<owner__name>."),
    taskset: str = typer.Option("default", "--taskset", help="Without --tasks: default or check "
                                "(PyPI changelogs), swebench-dev or swebench-check (bug reports)."),
    limit: int = typer.Option(None, "--limit", "-n", min=1, help="Only the first N tasks."),
    executor: str = EXECUTOR_OPTION,
    ray_address: str = RAY_ADDRESS_OPTION,
    workers: int = WORKERS_OPTION,
    search_tokens: int = typer.Option(2000, "--search-tokens", min=100,
                                      help="splice policy: max_tokens of its search call."),
    compact_ratio: float = typer.Option(1.0, "--compact-ratio", min=0.01, max=1.0,
                                        help="splice policy: compact keeps this share of "
                                             "the search answer (1.0: not compacted, as "
                                             "the orchestrator's search tool returns it)."),
    compact: str = typer.Option("auto", "--compact", help="splice policy: auto (reads past "
                                "the read tool's cap come compacted to what the task reaches, "
                                "as the agent's read tool returns them; the last rung reads "
                                "files whole and expands markers), or off (verbatim reads "
                                "within the cap only)."),
    fallback: str = typer.Option("agent", "--fallback", help="splice policy: agent (its own "
                                 "fallback after a search that missed lines), or a bound: "
                                 "oracle-defs (only reads of the fix lines' enclosing "
                                 "definitions), oracle-lines (the fix lines alone) or "
                                 "oracle-files (handed the fix's file paths, not its "
                                 "lines)."),
    out: Path = typer.Option(Path("benchmarks/tokens"), "--out",
                             help="Folder for results.json, results.md and tokens.png."),
    plot: bool = typer.Option(False, "--plot", help="Also draw tokens.png."),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON report to stdout."),
    live: bool = typer.Option(False, "--live", help="Run the real agent (needs a model)."),
    provider: str = typer.Option(None, "--provider", help="--live: anthropic | openai."),
    model: list[str] = typer.Option([], "--model", help="--live: model name(s)."),
    base_url: str = typer.Option(None, "--base-url", help="--live: API base URL."),
) -> None:
    """Count the tokens naive, careful and splice agents spend on real tasks."""
    import anyio
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from splice.bench.tasks import load_tasks
    from splice.bench.tokens import output
    from splice.bench.tokens.policies import SpliceSettings
    from splice.bench.tokens.replay import run_bench, run_on
    from splice.commands.output import err_console, fail, publish
    from splice.core.errors import InvalidRequest, SpliceError
    from splice.scale.executor import open_executor
    from splice.scale.options import executor_spec

    try:
        if (tasks is None) != (repos is None):
            raise InvalidRequest("give --tasks and --repos together (or neither, for the "
                                 "default PyPI task set)")
        model_obj = None
        if live:
            from splice.bench.tokens.live import build_live_model

            model_obj = build_live_model(provider, model, base_url)
        if tasks is None:
            from splice.bench.tasksets import named_taskset

            with err_console.status(f"task set {taskset} (the first run downloads it)..."):
                tasks, repos = named_taskset(taskset)
        task_list = load_tasks(tasks)[:limit] if limit else load_tasks(tasks)
        if compact not in ("off", "auto"):
            raise InvalidRequest(f"--compact {compact!r}: use off or auto")
        from splice.bench.tokens.bound import BOUNDS

        if fallback not in ("agent", *BOUNDS):
            raise InvalidRequest(f"--fallback {fallback!r}: use agent, "
                                 f"{', '.join(BOUNDS)}")
        settings = SpliceSettings(search_tokens=search_tokens, compact_ratio=compact_ratio,
                                  compact_auto=compact == "auto",
                                  fallback=fallback)  # type: ignore[arg-type]
        spec = executor_spec(executor, ray_address, workers)
    except SpliceError as exc:
        fail(exc, as_json=as_json, code=2)
    except ValueError as exc:
        fail(str(exc), as_json=as_json, code=2)
    assert repos is not None

    if live:
        _live(task_list, repos, model_obj, out, as_json)
        return
    command = " ".join(["splice bench tokens", *sys.argv[3:]]) if sys.argv[1:3] == [
        "bench", "tokens"] else "splice bench tokens"
    with Progress(TextColumn("replaying"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.description}"), console=err_console,
                  transient=True) as progress:
        bar = progress.add_task("", total=len(task_list))
        advance = lambda row: progress.update(bar, advance=1,  # noqa: E731
                                              description=row.instance_id)
        if spec.kind == "local" and (spec.workers or 1) == 1:  # in this process, as before
            bench = anyio.run(lambda: run_bench(task_list, repos, settings, workers=1,
                                                command=command, on_task=advance))
        else:
            runner = open_executor(spec)
            try:
                bench = run_on(runner, task_list, repos.resolve(), settings, on_task=advance,
                               command=command)
            finally:
                runner.close()

    publish(out, bench, png="tokens.png", markdown=output.write_markdown,
            plot=output.plot if plot else None, show=output.print_report, as_json=as_json)


def _live(task_list: list, repos: Path, model_obj: object, out: Path, as_json: bool) -> None:
    import anyio

    from splice.bench.report import write_json
    from splice.bench.tokens.live import live_totals, run_live
    from splice.commands.output import console, emit_json, err_console

    def shown(row: object) -> None:
        err_console.print(f"{row.instance_id} [{row.config}]: "  # type: ignore[attr-defined]
                          f"{row.status or row.error} {row.tokens:,} tokens",  # type: ignore[attr-defined]
                          highlight=False)

    rows = anyio.run(lambda: run_live(task_list, repos, model_obj, on_task=shown))  # type: ignore[arg-type]
    totals = live_totals(rows)
    payload = {"mode": "live", "totals": totals, "rows": [r.model_dump() for r in rows]}
    write_json(out / "live.json", payload)
    if as_json:
        emit_json(payload)
        return
    for config, t in totals.items():
        console.print(f"{config:8} {int(t['tokens']):>10,} tokens  {int(t['finished'])}/"
                      f"{int(t['runs'])} finished  {int(t['tests_passed'])} passed tests  "
                      f"${t['cost_usd']:.4f}", highlight=False)
    console.print(f"wrote {out / 'live.json'}", highlight=False)


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    bench_app.command("tokens", help=TOKENS_HELP)(bench_tokens)
