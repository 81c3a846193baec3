"""`splice trace show RUN` and `splice trace list`: what a run did, step by step."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    trace_app = typer.Typer(help="Show what a `splice run` did, step by step.",
                            no_args_is_help=True)
    app.add_typer(trace_app, name="trace")

    @trace_app.command("show")
    def show(
        run: str = typer.Argument(..., help="The run id (a unique prefix is enough) or its dir."),
        repo: Path = typer.Option(Path("."), "--repo", help="The repository the run was in."),
        as_json: bool = typer.Option(False, "--json", help="Print the records as JSON."),
    ) -> None:
        """Render a run's trace: per step the model, tokens, cost, tool calls, evidence."""
        from splice.commands.display.trace_view import show_run
        from splice.commands.output import fail
        from splice.core.errors import SpliceError

        try:
            show_run(run, repo, as_json=as_json)
        except SpliceError as exc:
            fail(exc, as_json=as_json)

    @trace_app.command("list")
    def list_runs(
        repo: Path = typer.Option(Path("."), "--repo", help="The repository the runs were in."),
        as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    ) -> None:
        """List the runs recorded under .splice/runs/, newest last."""
        from splice.commands.display.trace_view import list_runs as do_list
        from splice.commands.output import fail
        from splice.core.errors import SpliceError

        try:
            do_list(repo, as_json=as_json)
        except SpliceError as exc:
            fail(exc, as_json=as_json)
