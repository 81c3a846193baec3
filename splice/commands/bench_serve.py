"""`splice bench serve`: latency and throughput of `splice serve` over loopback HTTP."""

from __future__ import annotations

from pathlib import Path

import typer

SERVE_BENCH_HELP = (
    "Measure `splice serve` end to end: it starts the server in its own process on a free "
    "loopback port, posts the apply corpus's lazy edits in Morph's format, and checks every "
    "merged file against the real new release. Reports p50 latency for ~500-line files, "
    "requests/s under concurrent clients, refusals, wrong merges and errors."
)


def bench_serve(
    clients: int = typer.Option(32, "--clients", min=1, help="Concurrent clients."),
    requests: int = typer.Option(3000, "--requests", min=1,
                                 help="Requests in the concurrent phase."),
    repeat: int = typer.Option(5, "--repeat", min=1,
                               help="Sequential requests per ~500-line case."),
    server_workers: int = typer.Option(2, "--server-workers", min=1,
                                       help="`splice serve --workers` for the server."),
    seed: int = typer.Option(0, "--seed", help="Seed for edit generation."),
    out: Path = typer.Option(Path("benchmarks/serve"), "--out",
                             help="Folder for results.json, results.md and the plot."),
    plot: bool = typer.Option(False, "--plot", help="Also draw serve.png."),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON report to stdout."),
) -> None:
    from splice.bench import serve_report
    from splice.bench.apply_corpus import DEFAULT_PAIRS, fetch_pair, load_corpus
    from splice.bench.serve_bench import build_serve_cases
    from splice.commands.output import err_console, fail, publish
    from splice.core.errors import SpliceError

    try:
        with err_console.status("loading the corpus (first run downloads it)..."):
            files = load_corpus(DEFAULT_PAIRS, fetch_pair)
    except SpliceError as exc:
        fail(exc, as_json=as_json)
    cases = build_serve_cases(files, seed=seed)
    if not cases:
        fail("the corpus gave no lazy edits to send", as_json=as_json)
    command = (f"splice bench serve --clients {clients} --requests {requests} "
               f"--repeat {repeat} --server-workers {server_workers} --seed {seed}")
    with err_console.status("measuring splice serve over loopback HTTP..."):
        report = serve_report.run(cases, clients=clients, requests=requests, repeat=repeat,
                                  server_workers=server_workers, command=command)
    publish(out, report, png="serve.png", markdown=serve_report.write_markdown,
            plot=serve_report.plot if plot else None, show=serve_report.print_report,
            as_json=as_json)


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    bench_app.command("serve", help=SERVE_BENCH_HELP)(bench_serve)
