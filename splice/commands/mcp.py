"""`splice mcp`: serve the workers as MCP tools over stdio or streamable HTTP."""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path

import typer

LOOPBACK_NAMES = {"localhost"}


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    @app.command("mcp")
    def mcp_command(
        repo: Path = typer.Option(
            Path("."), "--repo", "-r",
            help="Repository root. Every path a client sends is confined to it."),
        http: int | None = typer.Option(
            None, "--http", metavar="PORT", min=0, max=65535,
            help="Serve streamable HTTP on this port (at /mcp) instead of stdio; 0 picks a "
                 "free port. The URL is printed on stderr once the port is bound."),
        host: str = typer.Option(
            "127.0.0.1", "--host",
            help="Address to bind with --http. Keep the loopback default unless you mean to "
                 "expose an unauthenticated file editor to your network."),
        allow_run: bool = typer.Option(
            False, "--allow-run",
            help="Also offer run_command (shell commands in the sandbox, no network)."),
        log_level: str = typer.Option(
            "WARNING", "--log-level", case_sensitive=False,
            help="Log level for stderr: DEBUG, INFO, WARNING, ERROR."),
    ) -> None:
        """Serve codebase_search, compact and edit_file (and run_command with --allow-run)
        to an MCP client such as Claude Code, Cursor or Codex.

        Stdio by default: stdout carries only protocol messages and logs go to stderr.
        Example: claude mcp add splice -- splice mcp --repo /path/to/repo
        """
        from functools import partial

        import anyio

        from splice.commands.output import err_console, fail
        from splice.core.errors import InvalidRequest, SpliceError
        from splice.mcp_server import build_repo_server, detach_stdin, serve_http, serve_stdio

        level = log_level.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            fail(InvalidRequest(f"--log-level {log_level}: unknown level",
                                hint="Use DEBUG, INFO, WARNING or ERROR."))
        try:
            server = build_repo_server(repo, allow_run=allow_run, log_level=level)  # type: ignore[arg-type]
        except SpliceError as exc:
            fail(exc)

        try:
            if http is None:
                print(f"splice mcp: serving {repo.resolve()} over stdio", file=sys.stderr,
                      flush=True)
                anyio.run(serve_stdio, server)
            else:
                if not _is_loopback(host):
                    err_console.print(
                        f"[bold yellow]warning:[/] binding {host}: anyone who can reach port "
                        f"{http} can read and edit files under {repo.resolve()} (no "
                        "authentication).", highlight=False)
                detach_stdin()
                anyio.run(partial(serve_http, server, host=host, port=http))
        except KeyboardInterrupt:
            pass
        except OSError as exc:  # the port is taken, or the host is not an address here
            fail(InvalidRequest(f"cannot serve on {host}:{http}: {exc.strerror or exc}",
                                hint="Pick another port with --http (0 takes any free one), "
                                     "or another --host."))
        sys.stderr.flush()

