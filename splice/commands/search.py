"""`splice search QUERY --repo DIR` and `splice bench search`."""

from __future__ import annotations

from pathlib import Path

import typer

from splice.scale.options import EXECUTOR_OPTION, RAY_ADDRESS_OPTION, WORKERS_OPTION
from splice.tools.calls import SearchCall, default, option_help


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    app.command("search")(search_command)
    bench_app.command("search")(bench_search_command)


def search_command(
    query: str = typer.Argument(..., help=option_help(SearchCall, "query")),
    repo: Path = typer.Option(Path("."), "--repo", help="Repository to search."),
    max_tokens: int = typer.Option(default(SearchCall, "max_tokens"), "--max-tokens",
                                   help=option_help(SearchCall, "max_tokens")),
    pattern: str | None = typer.Option(None, "--pattern", help="Also search this ripgrep regex."),
    paths: list[str] = typer.Option([], "--path", help="Only search these files or folders "
                                                       "(repeatable)."),
    as_json: bool = typer.Option(False, "--json", help='Print {"spans": [...], "stats": {...}}.'),
) -> None:
    """Find the line ranges that matter for QUERY, best first, within a token budget."""
    import anyio

    from splice.commands.output import console, emit_json, fail, write_lines
    from splice.core.errors import SpliceError
    from splice.search import SearchRequest, search
    from splice.tools.arguments import validated

    try:
        call = validated(SearchCall, {"query": query, "max_tokens": max_tokens},
                         call="splice search", names={"query": "QUERY",
                                                      "max_tokens": "--max-tokens"})
        request = SearchRequest(query=call.query, repo=str(repo), max_tokens=call.max_tokens,
                                pattern=pattern, paths=paths)
        result = anyio.run(search, request)
    except SpliceError as exc:
        fail(exc, as_json=as_json)
    if as_json:
        emit_json(result.to_json())
        return
    if not result.spans:
        console.print(f"no results. {result.note}", highlight=False, markup=False)
        return
    write_lines(result.render())  # the file's lines, never wrapped
    s = result.stats
    console.print(f"\n[dim]{len(result.spans)} spans, {s.tokens_returned} tokens, "
                  f"{s.files_scanned} files, index {s.index}, {s.total_ms:.0f} ms[/]")
    if result.note:
        console.print(result.note, style="dim", highlight=False, markup=False)
    if s.fallback_reason:
        console.print(f"model planner fell back: {s.fallback_reason}", style="dim",
                      highlight=False, markup=False)


def bench_search_command(
    tasks: Path | None = typer.Option(None, "--tasks", help="SWE-bench-style JSONL; default: "
                                      "the PyPI changelog task set (built on first use)."),
    repos: Path | None = typer.Option(None, "--repos", help="Folder of checkouts named after "
                                      "each task's repo."),
    max_tokens: int = typer.Option(4000, "--max-tokens", help="Token budget per search."),
    taskset: str = typer.Option("default", "--taskset", help="Without --tasks: the PyPI task "
                                "set to use, default or check (other projects, never tuned on)."),
    large_repo: Path | None = typer.Option(None, "--large-repo", help="Also time a large repo "
                                           "(warm p50, cold index build)."),
    large: bool = typer.Option(False, "--large", help="Time the default large repo "
                                                      "(Django 5.0.6 sdist, ~500k lines)."),
    out: Path | None = typer.Option(None, "--out", help="Where to write the JSON results."),
    as_json: bool = typer.Option(False, "--json", help="Print the results as JSON."),
    do_plot: bool = typer.Option(False, "--plot", help="Draw a PNG next to the JSON."),
    executor: str = EXECUTOR_OPTION,
    ray_address: str = RAY_ADDRESS_OPTION,
    workers: int = WORKERS_OPTION,
) -> None:
    """Search quality (gold files in top 1 / top 5, line recall) and latency on real fixes."""
    import anyio
    from rich.table import Table

    from splice.bench.corpus import cache_dir, fetch_sdist
    from splice.bench.search_bench import plot, run_bench, table_rows
    from splice.bench.taskset_pypi import ensure_taskset
    from splice.commands.output import console, emit_json, fail
    from splice.core.errors import SpliceError
    from splice.scale.executor import SerialExecutor, open_executor
    from splice.scale.options import executor_spec

    try:
        if tasks is None:
            tasks_file, repos_dir, report = ensure_taskset(taskset)
            if report is not None:
                console.print(f"[dim]built {report.tasks} tasks into {tasks_file}[/]")
            tasks, repos = tasks_file, repos or repos_dir
        if repos is None:
            fail("--repos is required with --tasks", as_json=as_json)
        if large and large_repo is None:
            large_repo = fetch_sdist("django", "5.0.6")
        spec = executor_spec(executor, ray_address, workers)
        runner = open_executor(spec)  # one worker: this process, as before
        try:
            bench = anyio.run(run_bench, tasks, repos, max_tokens, large_repo,
                              None if isinstance(runner, SerialExecutor) else runner)
        finally:
            runner.close()
    except SpliceError as exc:
        fail(exc, as_json=as_json)
    except ValueError as exc:
        fail(str(exc), as_json=as_json)
    out = out or cache_dir() / "bench" / "search" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(bench.model_dump_json(indent=2) + "\n")
    if do_plot:
        plot(bench, out.with_suffix(".png"))
    if as_json:
        emit_json(bench)
        return
    table = Table(title="splice bench search")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for name, value in table_rows(bench):
        table.add_row(name, value)
    console.print(table)
    console.print(f"[dim]results: {out}" + (f", chart: {out.with_suffix('.png')}" if do_plot else "") + "[/]")
