"""`splice demo`: the agent loop end to end, offline, with a scripted model."""

from __future__ import annotations

import tempfile
from pathlib import Path

import typer


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        directory: Path = typer.Argument(
            None, help="Where to create the demo repo (new or empty); default: a temp dir."),
        as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    ) -> None:
        """Fix a bug in a small demo repo with `splice run` and a scripted model.

        Everything but the model is real: search finds the code, apply merges a lazy edit,
        the sandbox runs pytest without network, the diff lands all-or-none, and the run
        is traced under the demo repo's .splice/runs/. No API key, no network.
        """
        from splice.commands.display.demo_repo import TASK, write_demo_repo, write_script
        from splice.commands.display.run_flow import RunArgs, execute
        from splice.commands.output import err_console, fail
        from splice.core.errors import SpliceError

        target = directory or Path(tempfile.mkdtemp(prefix="splice-demo-"))
        try:
            repo = write_demo_repo(target)
        except SpliceError as exc:
            fail(exc, as_json=as_json)
        script = write_script(Path(tempfile.mkdtemp(prefix="splice-demo-script-")) / "s.json")
        err_console.print(f"[bold]demo repo[/] {repo}\n[bold]task[/] {TASK}")
        code = execute(RunArgs(task=TASK, repo=repo, provider="scripted", script=script,
                               as_json=as_json))
        raise typer.Exit(code)
