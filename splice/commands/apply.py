"""`splice apply` and `splice undo`."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

FORMATS = ("auto", "lazy", "search_replace", "udiff", "patch", "whole")

APPLY_HELP = """Merge an edit into FILE and print the resulting diff.

The edit (from --edit EDITFILE, or - for stdin) may be a lazy snippet with `... existing code ...` marker comments, SEARCH/REPLACE blocks, a unified diff, a `*** Begin Patch` envelope or the whole new file; --fmt auto tells them apart. A patch names its own files: then FILE may be left out.

Nothing is written when the edit does not apply cleanly: the error goes to stderr and the exit code is 1. Every write is journaled: `splice undo` puts the files back.

The repository root (paths are confined to it; the undo journal lives in its .splice/) is --repo when given, else the git work tree containing FILE (or the current directory when FILE is left out), else FILE's own directory.
"""

UNDO_HELP = """Put back the files the latest `splice apply` changed.

Refuses when a file changed after that apply (use --force to restore anyway). The repository root is --repo, else the git work tree containing the current directory, else the current directory.
"""


def _read_edit(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    return Path(source).read_text(encoding="utf-8", errors="surrogateescape")


def _print_diff(diff: str) -> None:
    from rich.text import Text

    from splice.commands.output import console, write_lines

    if not console.is_terminal:
        write_lines(diff)  # a pipe gets the diff's lines exactly
        return

    for line in diff.splitlines():
        if line.startswith(("+++", "---")):
            style = "bold"
        elif line.startswith("@@"):
            style = "cyan"
        elif line.startswith("+"):
            style = "green"
        elif line.startswith("-"):
            style = "red"
        else:
            style = "dim"
        console.print(Text(line, style=style), soft_wrap=True, highlight=False)


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    @app.command("apply", help=APPLY_HELP)
    def apply_command(
        file: Path | None = typer.Argument(None, help="The file to edit (omit for a "
                                                      "multi-file *** Begin Patch)."),
        edit: str = typer.Option(..., "--edit", "-e", help="File holding the edit, or - "
                                                           "to read it from stdin."),
        fmt: str = typer.Option("auto", "--fmt", "-f",
                                help=f"Edit format: {', '.join(FORMATS)}."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Show the diff, write "
                                                              "nothing."),
        force: bool = typer.Option(False, "--force", help="Apply even if the result no "
                                   "longer parses or the edit deletes a long stretch."),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
        repo: Path | None = typer.Option(None, "--repo", help="Repository root (see "
                                                              "above)."),
    ) -> None:
        from rich.markup import escape

        from splice.apply import Edit, apply_edits
        from splice.commands.apply_paths import (
            choose_root,
            find_root,
            hunk_count,
            plan_edits,
        )
        from splice.commands.output import console, emit_json, fail
        from splice.core.errors import SpliceError

        if fmt not in FORMATS:
            fail(f"unknown --fmt {fmt!r}; use one of: {', '.join(FORMATS)}", as_json=as_json)
        try:
            text = _read_edit(edit)
        except OSError as exc:
            fail(f"cannot read the edit from {edit}: {exc.strerror or exc}", as_json=as_json)
        try:
            root = choose_root(file, repo)
            planned = plan_edits(text, file, fmt, root)
            edits = [Edit.model_validate({"path": path, "edit": body, "fmt": fmt,
                                          "force": force}) for path, body in planned]
            report = apply_edits(root, edits, dry_run=dry_run)
        except SpliceError as exc:
            fail(exc, as_json=as_json)
        if as_json:
            emit_json(report)
            return
        for change in report.files:
            note = " (already applied, nothing to do)" if change.already_applied else ""
            moved = f" -> {change.new_path}" if change.new_path else ""
            console.print(f"[bold]{change.action}[/] {escape(change.path)}{moved} "
                          f"[dim]({change.fmt})[/]{note}", highlight=False)
            total = hunk_count(planned[0][1], change.fmt) if len(planned) == 1 else None
            skipped = (total or 0) - len(change.rungs)
            if not change.already_applied and total and 0 < skipped < total:
                console.print(f"[yellow]note:[/] {skipped} of {total} blocks were already in "
                              "the file and were left as they are", highlight=False)
            fuzzy = change.rungs.count("fuzzy")
            if fuzzy:
                console.print(f"[yellow]note:[/] {fuzzy} block(s) matched only fuzzily: "
                              "their old lines differ from the file's; check the diff below",
                              highlight=False)
            if change.diff:
                _print_diff(change.diff)
        if report.dry_run:
            console.print("[yellow]dry run: nothing was written[/]")
        elif report.undo_id:
            here = find_root(Path.cwd()) == Path(report.root).resolve()
            console.print("[dim]undo with: splice undo"
                          + ("" if here else f" --repo {escape(report.root)}") + "[/]",
                          highlight=False)

    @app.command("undo", help=UNDO_HELP)
    def undo_command(
        repo: Path | None = typer.Option(None, "--repo", help="Repository root."),
        force: bool = typer.Option(False, "--force", help="Restore even if the files "
                                                          "changed since."),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    ) -> None:
        from splice.apply import undo
        from splice.commands.apply_paths import find_root
        from splice.commands.output import console, emit_json, fail
        from splice.core.errors import SpliceError

        root = repo if repo is not None else find_root(Path.cwd())
        try:
            report = undo(root, force=force)
        except SpliceError as exc:
            fail(exc, as_json=as_json)
        if as_json:
            emit_json(report)
            return
        for path in report.restored:
            console.print(f"restored {path}", highlight=False)
        for path in report.removed:
            console.print(f"removed  {path}", highlight=False)
        console.print(f"[dim]undid apply {report.undo_id}[/]")
