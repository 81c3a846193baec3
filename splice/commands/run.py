"""`splice run TASK --repo DIR`: the orchestrator, from a terminal.

Exit codes: 0 finished (changes applied, or none to apply); 1 the model or a tool failed;
2 bad options or no credentials; 3 a budget ran out (nothing applied; the partial diff is
shown and saved); 4 finished but not applied (declined, or --approve with no terminal);
130 interrupted (resume with --resume RUN).
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Any

import typer

from splice.core.bounds import RETRY_BUDGET_S


def _toolset_from_env() -> Any:
    """SPLICE_TOOLSET=module:function swaps the tool set (tests, demos, plugins)."""
    spec = os.environ.get("SPLICE_TOOLSET")
    if not spec:
        return None
    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr)()


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    @app.command("run")
    def run_cmd(
        task: str = typer.Argument(None, help="What to do, in plain words."),
        repo: Path = typer.Option(Path("."), "--repo", help="The repository to work on."),
        provider: str = typer.Option(None, "--provider",
                                     help="anthropic | openai | scripted (default: anthropic "
                                          "when ANTHROPIC_API_KEY is set)."),
        model: list[str] = typer.Option([], "--model",
                                        help="Model name; repeat it (or give a,b) for a "
                                             "fallback chain used on overload."),
        base_url: str = typer.Option(None, "--base-url",
                                     help="API base URL (Ollama: http://localhost:11434/v1)."),
        max_iterations: int = typer.Option(30, "--max-iterations", min=1,
                                           help="Most model calls."),
        max_tokens: int = typer.Option(None, "--max-tokens", min=1,
                                       help="Most tokens (input incl. cached, and output), orchestrator and "
                                            "workers together."),
        max_cost: float = typer.Option(None, "--max-cost", help="Most USD to spend."),
        max_time: float = typer.Option(None, "--max-time", help="Most seconds of wall time."),
        retry_budget: float = typer.Option(
            RETRY_BUDGET_S, "--retry-budget", min=0,
            help="Seconds to keep retrying one model on overload (529), rate limits and "
                 "server errors, with backoff, before the next --model or giving up."),
        approve: bool = typer.Option(False, "--approve",
                                     help="Show the diff and ask before changing your tree."),
        as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
        resume: str = typer.Option(None, "--resume",
                                   help="Continue an interrupted run (its id or a prefix)."),
        script: Path = typer.Option(None, "--script",
                                    help="JSON responses for --provider scripted."),
    ) -> None:
        """Let a model fix TASK in a scratch copy of the repo, then apply the diff.

        Progress goes to stderr; the diff and the status to stdout. Your tree changes
        only when the run finishes, all files or none (with --approve, only after you
        say yes). Every step is traced under .splice/runs/; see `splice trace show RUN`.
        """
        from splice.commands.display.run_flow import RunArgs, execute
        from splice.commands.output import fail

        if not task and not resume:
            fail("give a TASK (or --resume RUN)", as_json=as_json, code=2)
        args = RunArgs(task=task, repo=repo, provider=provider, models=model, base_url=base_url,
                       max_iterations=max_iterations, max_tokens=max_tokens,
                       max_cost=max_cost, max_time=max_time, retry_budget_s=retry_budget,
                       approve=approve,
                       as_json=as_json, resume=resume, script=script,
                       interactive=sys.stdin.isatty() and sys.stdout.isatty())
        raise typer.Exit(execute(args, toolset=_toolset_from_env()))
