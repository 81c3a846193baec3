"""`splice bench serve`'s report: the run, its targets, a table, markdown and a plot."""

from __future__ import annotations

import os
import statistics
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import anyio
from pydantic import BaseModel
from rich.console import Console

from splice.bench.report import markdown_table, print_table, write_text
from splice.bench.serve_bench import (
    TARGET_LINES,
    Sample,
    ServeCase,
    concurrent,
    engine_alone,
    percentile,
    sequential,
    server_process,
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
    engine_p50_ms_500_lines: float  # merge + token counts, no HTTP, same run
    engine_per_s_all: float  # merges per second on one thread over the corpus, no HTTP
    phases: list[Phase]
    targets: list[Target]
    wrong_ids: list[str]


def phase(name: str, samples: Sequence[Sample], wall: float | None = None) -> Phase:
    counts = Counter(s.outcome for s in samples)
    ms = [s.seconds * 1000 for s in samples]
    return Phase(name=name, requests=len(samples), exact=counts["exact"],
                 refused=counts["refused"], wrong=counts["wrong"], errors=counts["error"],
                 p50_ms=round(statistics.median(ms), 3), p90_ms=round(percentile(ms, 0.9), 3),
                 p99_ms=round(percentile(ms, 0.99), 3),
                 requests_per_s=round(len(samples) / wall, 1) if wall else None)


def run(cases: Sequence[ServeCase], *, clients: int, requests: int, repeat: int,
        server_workers: int, command: str) -> ServeBenchReport:
    mid = [c for c in cases if TARGET_LINES[0] <= c.lines <= TARGET_LINES[1]]
    engine_p50, _ = engine_alone(mid)
    _, engine_rate = engine_alone(cases)
    with server_process(["--workers", str(server_workers)]) as url:
        latency_500 = anyio.run(sequential, url, mid, repeat)
        latency_all = anyio.run(sequential, url, cases, 1)
        load, wall = anyio.run(concurrent, url, cases, clients, requests)
    phases = [phase(f"sequential, {TARGET_LINES[0]}-{TARGET_LINES[1]} lines", latency_500),
              phase("sequential, whole corpus", latency_all),
              phase(f"{clients} concurrent clients", load, wall)]
    bad = [p for p in phases if p.wrong or p.errors]
    wrong_ids = sorted({s.id for s in [*latency_500, *latency_all, *load] if s.outcome == "wrong"})
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
                            engine_p50_ms_500_lines=round(engine_p50 * 1000, 3),
                            engine_per_s_all=round(engine_rate, 1), phases=phases,
                            targets=targets, wrong_ids=wrong_ids)


COLUMNS = ("phase", "requests", "exact", "refused", "wrong", "errors", "p50 ms", "p90 ms",
           "p99 ms", "req/s")


def _rows(report: ServeBenchReport) -> list[list[str | int | float | None]]:
    return [[p.name, p.requests, p.exact, p.refused, p.wrong, p.errors, p.p50_ms, p.p90_ms,
             p.p99_ms, p.requests_per_s] for p in report.phases]


def _target_rows(report: ServeBenchReport) -> list[list[str | int | float | None]]:
    return [[t.name, t.goal, t.measured, "met" if t.met else "MISSED"] for t in report.targets]


def print_report(console: Console, report: ServeBenchReport) -> None:
    print_table(console, "splice serve over HTTP on loopback", COLUMNS, _rows(report))
    print_table(console, "targets", ("target", "goal", "measured", "verdict"),
                _target_rows(report))
    console.print(_baseline(report), highlight=False)


def _baseline(report: ServeBenchReport) -> str:
    p50 = report.phases[0].p50_ms / max(report.engine_p50_ms_500_lines, 1e-9)
    rps = (report.phases[2].requests_per_s or 0) / max(report.engine_per_s_all, 1e-9)
    return (f"Baseline in the same run, the engine alone (merge and token counts, no HTTP, one "
            f"thread): p50 {report.engine_p50_ms_500_lines:.2f} ms on the ~500-line cases "
            f"(HTTP p50 is {p50:.2f}x that), {report.engine_per_s_all:.0f} merges/s over the "
            f"corpus (HTTP with {report.server_workers} server process(es) serves {rps:.2f}x "
            "that).")


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
