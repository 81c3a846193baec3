"""`splice exec`: run one command in a sandboxed scratch copy of a repo."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from splice.sandbox import CommandResult, ScratchChange

ISOLATIONS = ("auto", "bwrap", "unshare", "none")


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    @app.command(
        "exec",
        context_settings={"allow_interspersed_args": False},
        help="Run COMMAND in a scratch copy of the repo: no network, no secrets, limits. "
             "Shows the exit code, the output and the isolation used; exits with the "
             "command's code. The user's tree is never changed. Example: "
             "splice exec --repo . -- pytest -q",
    )
    def exec_command(
        command: list[str] = typer.Argument(
            ..., help="The command and its arguments (after --). One argument with spaces "
                      "runs as a bash line: -- 'pytest -q | tail -5'."),
        repo: Path = typer.Option(Path("."), "--repo", help="Repository to copy into the scratch."),
        timeout: float = typer.Option(120.0, "--timeout", help="Wall-clock seconds before "
                                      "the command and its children are killed."),
        isolation: str | None = typer.Option(
            None, "--isolation", help="auto (bubblewrap, else unshare) | bwrap | unshare | "
            "none (no isolation: only when named). Default: SPLICE_SANDBOX_ISOLATION, else "
            "auto."),
        require_isolation: bool = typer.Option(False, "--require-isolation",
                                               help="Refuse to run without isolation."),
        show_diff: bool = typer.Option(False, "--diff", help="Also print what the command "
                                       "changed in the scratch, as a unified diff."),
        max_output: int = typer.Option(100_000, "--max-output",
                                       help="Bytes kept per stream (head and tail)."),
        allow: list[str] = typer.Option(
            [], "--allow", help="A host path the command may read under bubblewrap's empty "
            "home, such as a cache (repeatable; PATH:rw for writable). Also "
            "SPLICE_SANDBOX_ALLOW=a,b."),
        show: list[str] = typer.Option(
            [], "--show", help="A git-ignored secret-looking file of the repo to show anyway "
            "(glob, repeatable). Also SPLICE_SANDBOX_SHOW."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ) -> None:
        import anyio

        from splice.commands.output import emit_json, fail
        from splice.core.errors import SandboxError
        from splice.sandbox import Sandbox, ScratchTree

        if isolation is not None and isolation not in ISOLATIONS:
            fail(SandboxError(f"unknown isolation {isolation!r}",
                              hint="Use one of: " + ", ".join(ISOLATIONS)), as_json=as_json)
        run_as: str | list[str] = command[0] if len(command) == 1 else command
        try:
            with ScratchTree.create(repo) as scratch:
                sandbox = Sandbox(scratch.path, isolation=isolation,  # type: ignore[arg-type]
                                  require_isolation=require_isolation,
                                  max_output_bytes=max_output,
                                  allow=allow or None, show=show or None,
                                  # text output prints the warnings itself, once
                                  warn_stderr=as_json)
                result = anyio.run(lambda: sandbox.run(run_as, timeout_s=timeout))
                changes = scratch.changes()
                diff = scratch.diff() if show_diff else ""
        except SandboxError as exc:
            fail(exc, as_json=as_json)
        if as_json:
            payload = result.model_dump()
            payload["changes"] = [{"path": c.path, "action": c.action} for c in changes]
            if show_diff:
                payload["diff"] = diff
            emit_json(payload)
        else:
            _print_readable(result, changes, diff)
        raise typer.Exit(min(result.exit_code, 255))


def _print_readable(result: CommandResult, changes: list[ScratchChange], diff: str) -> None:
    from rich.markup import escape

    from splice.commands.output import console, err_console

    colour = "green" if result.exit_code == 0 else "red"
    status = f"exit code {result.exit_code}"
    if result.timed_out:
        status += " (timed out: killed with its children)"
    elif result.killed_by:
        status += f" (killed: {result.killed_by})"
    g = result.guarantees
    console.print(f"[bold {colour}]{escape(status)}[/] in {result.duration_s:.2f}s  "
                  f"isolation: [bold]{result.isolation}[/] (network "
                  f"{'blocked' if g.network else 'OPEN'}, filesystem "
                  f"{'confined' if g.filesystem else 'NOT confined'}), process cap: "
                  f"{result.proc_limit}", highlight=False)
    if result.policy:
        console.print(f"policy: {escape(result.policy)}", highlight=False)
    for warning in result.warnings:
        err_console.print(f"[bold yellow]warning:[/] {escape(warning)}", highlight=False)
    for name, text, size in (("stdout", result.stdout, result.stdout_bytes),
                             ("stderr", result.stderr, result.stderr_bytes)):
        if text:
            console.rule(f"{name} ({size} bytes)", style="dim")
            console.out(text.rstrip("\n"), highlight=False)
    if changes:
        console.rule("changed in the scratch (not applied)", style="dim")
        for change in changes:
            console.print(f"  {change.action:<8} {escape(change.path)}", highlight=False)
    if diff:
        console.out(diff.rstrip("\n"), highlight=False)
