"""`splice compact` and `splice bench compact`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from splice.commands.output import console, emit_json, fail
from splice.core.errors import InvalidRequest, SpliceError
from splice.scale.options import EXECUTOR_OPTION, RAY_ADDRESS_OPTION, WORKERS_OPTION
from splice.tools.calls import CompactCall, option_help

if TYPE_CHECKING:
    from splice.compact import CompactResult


def parse_range(text: str) -> tuple[int, int]:
    """`10-20` or `15` as a 1-based inclusive range."""
    start, sep, end = text.strip().partition("-")
    try:
        a = int(start)
        b = int(end) if sep else a
    except ValueError:
        raise InvalidRequest(f"--keep {text!r}: not a line range",
                             hint="Write ranges as START-END, e.g. --keep 10-20.") from None
    return a, b


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    @app.command("compact")
    def compact_cmd(
        file: str = typer.Argument("-", help="File to compact, or - for stdin."),
        query: str = typer.Option("", "--query", "-q", help=option_help(CompactCall, "query")),
        ratio: float | None = typer.Option(
            None, "--ratio", "-r", help=option_help(CompactCall, "ratio")),
        max_tokens: int | None = typer.Option(
            None, "--max-tokens", "-n", help="Token budget for the result."),
        keep: list[str] = typer.Option(
            [], "--keep", "-k", help="Line range that must stay, e.g. 10-20 (repeatable)."),
        kind: str = typer.Option(
            "auto", "--kind", help="What the text is: auto (detected), code, text, or a kind "
            "of tool output (test_output, log, diagnostics, diff, json)."),
        path: str | None = typer.Option(
            None, "--path", help="File name to take the language from (for stdin)."),
        numbered: bool = typer.Option(
            False, "--numbered", help="Prefix kept lines with their original line numbers."),
        as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    ) -> None:
        """Shrink a file or tool output for a query by deleting whole lines.

        Kept lines stay byte-identical; each removed stretch becomes one
        `(filtered N lines: A-B)` marker. Without --ratio or --max-tokens, code keeps what
        the query reaches, what that calls and the imports it uses (the reasons go to
        stderr), and tool output keeps its errors, failures and summary.
        """
        import anyio

        from splice.compact import CompactRequest, compact
        from splice.compact.models import KINDS
        from splice.core.repo import decode_bytes

        try:
            if kind != "auto" and kind not in KINDS:
                raise InvalidRequest(f"--kind {kind!r} is not known",
                                     hint="Use auto, " + ", ".join(KINDS) + ".")
            if file == "-":
                data = sys.stdin.buffer.read()
                name = path
            else:
                source = Path(file)
                if not source.is_file():
                    raise InvalidRequest(f"{file}: no such file",
                                         hint="Pass a readable file, or - for stdin.")
                data = source.read_bytes()
                name = path or file
            if b"\x00" in data[:8192]:
                raise InvalidRequest(f"{name or 'stdin'}: is binary (it contains NUL bytes)",
                                     hint="Only text can be compacted.")
            text = decode_bytes(data, name or "<stdin>").text
            request = CompactRequest(
                text=text, query=query, ratio=ratio, max_tokens=max_tokens,
                keep=[parse_range(k) for k in keep], kind=kind,  # type: ignore[arg-type]
                path=name, numbered=numbered)
            result = anyio.run(compact, request)
        except SpliceError as exc:
            fail(exc, as_json=as_json)
        if as_json:
            payload = result.model_dump(mode="json", exclude={"sections"})
            payload["ratio"] = round(result.ratio, 4)
            if numbered:
                payload["numbered_text"] = result.numbered_text()
            emit_json(payload)
            return
        shown = result.numbered_text() if numbered else result.text
        sys.stdout.write(shown)
        if not shown.endswith("\n"):
            sys.stdout.write("\n")
        sys.stdout.flush()
        _note(result)

    @bench_app.command("compact")
    def bench_compact_cmd(
        tasks: str | None = typer.Option(
            None, "--tasks", help="SWE-bench-style task file (JSONL) with --repos."),
        repos: str | None = typer.Option(
            None, "--repos", help="Directory of checkouts for --tasks (DIR/<repo>)."),
        code: str = typer.Option(
            "swebench", "--code", help="Code inputs: swebench (bug reports on PyPI releases), "
            "builtin (changelog sections of PyPI releases) or none."),
        split: str = typer.Option("all", "--swebench", help="SWE-bench split: dev, check, all."),
        ratio: float | None = typer.Option(
            None, "--ratio", help="Ratio for code compaction (default: auto)."),
        repeat: int = typer.Option(5, "--repeat", help="Timed runs per input (median taken)."),
        tools: bool = typer.Option(True, "--tools/--no-tools",
                                   help="The captured real tool outputs (14 kinds)."),
        tools_dir: str | None = typer.Option(
            None, "--tools-dir", help="Captured tool outputs (default: the test fixtures)."),
        test_output: bool = typer.Option(
            False, "--test-output/--no-test-output",
            help="Also run pytest on attrs, cargo test and node --test live."),
        capture: str | None = typer.Option(
            None, "--capture-tools", help="Run the real tools on their small projects in the "
            "sandbox, write the outputs to DIR and stop."),
        node_modules: str | None = typer.Option(
            None, "--node-modules", help="For --capture-tools: a node_modules with typescript, "
            "eslint, @eslint/js, jest and vitest."),
        out: str = typer.Option("benchmarks/compact/results.json", "--out",
                                help="Where to write the JSON results."),
        as_json: bool = typer.Option(False, "--json", help="Print the results as JSON."),
        plot: bool = typer.Option(False, "--plot", help="Also draw a PNG next to --out."),
        executor: str = EXECUTOR_OPTION,
        ray_address: str = RAY_ADDRESS_OPTION,
        workers: int = WORKERS_OPTION,
    ) -> None:
        """Measure compaction on code for bug reports and on real tool output: tokens kept,
        gold lines kept, speed (tokens/s, and against a plain tokenizer pass)."""
        from splice.bench.compact_bench import BenchOptions, run_bench
        from splice.bench.compact_report import print_table, write_plot
        from splice.scale.executor import SerialExecutor, open_executor
        from splice.scale.options import executor_spec

        if capture is not None:
            from splice.bench.compact_tool_capture import capture_all

            done, skipped = capture_all(Path(capture), Path(node_modules) if node_modules
                                        else None)
            for c in done:
                console.print(f"{c.kind}: exit {c.exit_code} -> {Path(capture) / c.file}",
                              highlight=False)
            for name in skipped:
                console.print(f"[yellow]skipped {name}[/]", highlight=False)
            return
        try:
            if (tasks is None) != (repos is None):
                raise InvalidRequest("--tasks and --repos go together",
                                     hint="Pass both, or neither for the built-in task set.")
            runner = open_executor(executor_spec(executor, ray_address, workers))
            try:  # one worker: this process, as before
                report = run_bench(BenchOptions(tasks=tasks, repos=repos, code=code,
                                                swebench_split=split, ratio=ratio,
                                                repeat=repeat, tools=tools,
                                                tools_dir=tools_dir, test_output=test_output),
                                   executor=None if isinstance(runner, SerialExecutor)
                                   else runner)
            finally:
                runner.close()
        except SpliceError as exc:
            fail(exc, as_json=as_json)
        except ValueError as exc:
            fail(str(exc), as_json=as_json)
        target = Path(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
        if plot:
            write_plot(report, target.with_suffix(".png"))
        if as_json:
            emit_json(report)
        else:
            print_table(report)
            console.print(f"[dim]results written to {target}[/]", highlight=False)


def _note(result: CompactResult) -> None:
    """A one-line tally on stderr, so stdout stays exactly the compacted text."""
    sys.stderr.write(f"[{result.kind}: {result.tokens_before} -> {result.tokens_after} tokens "
                     f"({result.ratio:.0%}), kept {len(result.kept_ranges)} range(s)]\n")
    for reason in result.reasons:
        sys.stderr.write(f"[auto: {reason}]\n")
