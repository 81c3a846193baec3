"""`splice bench serve`'s report: the run, its targets, a table, markdown and a plot."""

from __future__ import annotations

import os
import statistics
import sys
from collections import Counter
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import anyio
from pydantic import BaseModel
from rich.console import Console

from splice.bench.report import markdown_table, print_table, write_text
from splice.bench.serve_bench import (
    TARGET_LINES,
    Load,
    Sample,
    ServeCase,
    concurrent,
    engine_alone,
    percentile,
    sequential,
    server_child,
)

P50_TARGET_MS = 10.0
RPS_TARGET = 300.0


class Phase(BaseModel):
    name: str
    requests: int
    exact: int
    refused: int
    wrong: int
    errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    requests_per_s: float | None = None
    server_cpu_ms: float | None = None  # CPU per request, server processes (all workers)
    client_cpu_ms: float | None = None  # CPU per request, the bench's client
    errors_seen: dict[str, int] = {}  # error name -> count


class Target(BaseModel):
    name: str
    goal: str
    measured: str
    met: bool


class ServeBenchReport(BaseModel):
    command: str
    cpus: int
    cases: int
    cases_500_lines: int
    clients: int
    server_workers: int
    noop_requests_per_s: float  # the same client and server stack, no merge: the ceiling
    engine_p50_ms_500_lines: float  # merge + token counts, no HTTP, same run
    engine_per_s_all: float  # merges per second on one thread over the corpus, no HTTP
    engine_cpu_ms: float  # CPU per merge over the corpus, no HTTP
    phases: list[Phase]
    targets: list[Target]
    wrong_ids: list[str]


def phase(name: str, samples: Sequence[Sample], load: Load | None = None) -> Phase:
    counts = Counter(s.outcome for s in samples)
    ms = [s.seconds * 1000 for s in samples]
    per = 1000 / max(len(samples), 1)
    return Phase(name=name, requests=len(samples), exact=counts["exact"],
                 refused=counts["refused"], wrong=counts["wrong"], errors=counts["error"],
                 p50_ms=round(statistics.median(ms), 3), p90_ms=round(percentile(ms, 0.9), 3),
                 p99_ms=round(percentile(ms, 0.99), 3),
                 requests_per_s=round(len(samples) / load.wall_s, 1) if load else None,
                 server_cpu_ms=round(load.server_cpu_s * per, 3) if load else None,
                 client_cpu_ms=round(load.client_cpu_s * per, 3) if load else None,
                 errors_seen=dict(Counter(s.error or "?" for s in samples
                                          if s.outcome == "error")))


def run(cases: Sequence[ServeCase], *, clients: int, requests: int, repeat: int,
        server_workers: int, command: str) -> ServeBenchReport:
    mid = [c for c in cases if TARGET_LINES[0] <= c.lines <= TARGET_LINES[1]]
    engine_p50, _, _ = engine_alone(mid)
    _, engine_rate, engine_cpu = engine_alone(cases)
    workers = ["--workers", str(server_workers)]
    with server_child(workers) as (url, pid):
        latency_500 = anyio.run(sequential, url, mid, repeat)
        latency_all = anyio.run(sequential, url, cases, 1)
        load = anyio.run(concurrent, url, cases, clients, requests, pid)
    noop_command = [sys.executable, "-m", "splice.bench.serve_noop", "0", str(server_workers)]
    with server_child(command=noop_command) as (url, pid):
        ceiling = anyio.run(partial(concurrent, url, cases, clients, requests, pid,
                                    check=False))
    phases = [phase(f"sequential, {TARGET_LINES[0]}-{TARGET_LINES[1]} lines", latency_500),
              phase("sequential, whole corpus", latency_all),
              phase(f"{clients} concurrent clients", load.samples, load)]
    noop = phase(f"no-op endpoint, {clients} clients", ceiling.samples, ceiling)
    bad = [p for p in phases if p.wrong or p.errors]
    every = [*latency_500, *latency_all, *load.samples]
    wrong_ids = sorted({s.id for s in every if s.outcome == "wrong"})
    targets = [
        Target(name="p50 latency, ~500-line file", goal=f"<= {P50_TARGET_MS:g} ms",
               measured=f"{phases[0].p50_ms:.2f} ms", met=phases[0].p50_ms <= P50_TARGET_MS),
        Target(name=f"throughput, {clients} clients", goal=f">= {RPS_TARGET:g} req/s",
               measured=f"{phases[2].requests_per_s:.0f} req/s",
               met=(phases[2].requests_per_s or 0) >= RPS_TARGET),
        Target(name="errors and wrong merges", goal="0",
               measured=f"{sum(p.errors for p in phases)} errors, "
                        f"{sum(p.wrong for p in phases)} wrong", met=not bad),
    ]
    return ServeBenchReport(command=command, cpus=os.cpu_count() or 0, cases=len(cases),
                            cases_500_lines=len(mid), clients=clients,
                            server_workers=server_workers,
                            noop_requests_per_s=noop.requests_per_s or 0.0,
                            engine_p50_ms_500_lines=round(engine_p50 * 1000, 3),
                            engine_per_s_all=round(engine_rate, 1),
                            engine_cpu_ms=round(engine_cpu * 1000, 3), phases=[*phases, noop],
                            targets=targets, wrong_ids=wrong_ids)


COLUMNS = ("phase", "requests", "exact", "refused", "wrong", "errors", "p50 ms", "p90 ms",
           "p99 ms", "req/s", "server CPU ms/req", "client CPU ms/req")


def _rows(report: ServeBenchReport) -> list[list[str | int | float | None]]:
    return [[p.name, p.requests, p.exact, p.refused, p.wrong, p.errors, p.p50_ms, p.p90_ms,
             p.p99_ms, p.requests_per_s, p.server_cpu_ms, p.client_cpu_ms]
            for p in report.phases]


def _target_rows(report: ServeBenchReport) -> list[list[str | int | float | None]]:
    return [[t.name, t.goal, t.measured, "met" if t.met else "MISSED"] for t in report.targets]


def print_report(console: Console, report: ServeBenchReport) -> None:
    print_table(console, "splice serve over HTTP on loopback", COLUMNS, _rows(report))
    print_table(console, "targets", ("target", "goal", "measured", "verdict"),
                _target_rows(report))
    console.print(_baseline(report), highlight=False)


def _baseline(report: ServeBenchReport) -> str:
    p50 = report.phases[0].p50_ms / max(report.engine_p50_ms_500_lines, 1e-9)
    load = report.phases[2].requests_per_s or 0
    rps = load / max(report.engine_per_s_all, 1e-9)
    ceiling = load / max(report.noop_requests_per_s, 1e-9)
    errors = {k: v for p in report.phases for k, v in p.errors_seen.items()}
    return (f"Baselines in the same run. The engine alone (language sniffing, merge and token "
            f"counts, no HTTP, one thread): p50 {report.engine_p50_ms_500_lines:.2f} ms on the "
            f"~500-line cases (HTTP p50 is {p50:.2f}x that), {report.engine_per_s_all:.0f} "
            f"merges/s over the corpus (HTTP with {report.server_workers} server process(es) "
            f"serves {rps:.2f}x that). The stack's ceiling, the same client against a no-op "
            f"endpoint on the same uvicorn + starlette setup: "
            f"{report.noop_requests_per_s:.0f} req/s (splice serve reaches {ceiling:.2f}x it). "
            f"CPU per request: the engine alone {report.engine_cpu_ms:.2f} ms; the server "
            f"{report.phases[2].server_cpu_ms} ms under load (the no-op endpoint: "
            f"{report.phases[3].server_cpu_ms} ms), the client {report.phases[2].client_cpu_ms} ms."
            + (f" Errors by kind: {errors}." if errors else ""))


def write_markdown(path: Path, report: ServeBenchReport) -> Path:
    text = (f"# splice bench serve: results\n\nCommand: `{report.command}`\n\n"
            f"{report.cases} requests' worth of cases ({report.cases_500_lines} with "
            f"{TARGET_LINES[0]}-{TARGET_LINES[1]}-line files), {report.cpus} CPUs, "
            f"{report.server_workers} server process(es), server and clients on the same "
            f"machine, 1-minute load average {os.getloadavg()[0]:.1f} at the end.\n\n"
            + markdown_table(COLUMNS, _rows(report))
            + f"\n{_baseline(report)}\n\n## Targets\n\n"
            + markdown_table(("target", "goal", "measured", "verdict"), _target_rows(report)))
    if report.wrong_ids:
        text += "\nWrong merges: " + ", ".join(f"`{i}`" for i in report.wrong_ids) + "\n"
    return write_text(path, text)


def plot(path: Path, report: ServeBenchReport) -> Path:
    from splice.bench.report import bar_chart

    names = [p.name for p in report.phases]
    return bar_chart(path, names, {"p50 ms": [p.p50_ms for p in report.phases],
                                   "p90 ms": [p.p90_ms for p in report.phases]},
                     title="splice serve: end-to-end latency over HTTP", ylabel="ms")
