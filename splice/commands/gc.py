"""`splice gc`: remove what killed runs left (worktrees, scratch copies, half writes)."""

from __future__ import annotations

from pathlib import Path

import typer

GC_HELP = """Remove what a killed `splice run` or apply left behind, and say what went.

Interrupted writes in the repo are rolled back (as any splice command does first) and
stray temp files of crashed writers removed; git
worktrees of runs whose process is dead are removed from the repo; scratch copies in the
temp dir whose owner process is dead are deleted. Folders of running processes stay.
`splice run` and `splice run --resume` do this on their own before they start.
"""


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    @app.command("gc", help=GC_HELP)
    def gc_command(
        repo: Path = typer.Option(Path("."), "--repo", help="The repository."),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    ) -> None:
        from splice.commands.output import console, emit_json, fail
        from splice.core.errors import SpliceError
        from splice.core.repo import Repo
        from splice.sandbox.stale import collect

        try:
            report = collect(Repo(repo).root, sweep=True)
        except SpliceError as exc:
            fail(exc, as_json=as_json)
        if as_json:
            emit_json(report)
            return
        console.print(report.render(), highlight=False, soft_wrap=True)
