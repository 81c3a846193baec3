"""`splice bench scale`: the local pool's speedup and Ray's overhead per task, measured."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from splice.scale.options import EXECUTOR_OPTION, RAY_ADDRESS_OPTION, WORKERS_OPTION

SCALE_HELP = (
    "Measure what fanning tasks out gains and costs on this machine: the token replay "
    "serial vs. a local pool (speedup, identical totals), a scripted agent batch (seconds "
    "per task), and with --executor ray Ray's overhead per task. Writes results.json and "
    "results.md to --out."
)


def bench_scale(
    executor: str = EXECUTOR_OPTION,
    ray_address: str = RAY_ADDRESS_OPTION,
    workers: int = WORKERS_OPTION,
    limit: int = typer.Option(24, "--limit", "-n", min=1,
                              help="Tasks of the PyPI task set to replay."),
    batch_tasks: int = typer.Option(6, "--batch-tasks", min=1,
                                    help="Scripted agent runs in the batch phases."),
    out: Path = typer.Option(Path("benchmarks/scale"), "--out", help="Where results go."),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON report."),
) -> None:
    from splice.bench import scale_bench
    from splice.bench.report import Cell, markdown_table, print_table, write_json, write_text
    from splice.bench.tasks import load_tasks
    from splice.bench.taskset_pypi import ensure_taskset
    from splice.commands.output import console, emit_json, err_console, fail
    from splice.core.errors import SpliceError
    from splice.scale.options import executor_spec

    try:
        spec = executor_spec(executor, ray_address, workers)
        with err_console.status("the PyPI task set (the first run downloads it)..."):
            tasks_file, repos, _ = ensure_taskset("default")
    except SpliceError as exc:
        fail(exc, as_json=as_json, code=2)
    except ValueError as exc:
        fail(str(exc), as_json=as_json, code=2)
    tasks = load_tasks(tasks_file)[:limit]
    command = " ".join(["splice bench scale", *sys.argv[3:]])
    with err_console.status("measuring..."):
        report = scale_bench.run(tasks, repos, workers=max(2, spec.workers or 2),
                                 batch_tasks=batch_tasks,
                                 ray=spec if spec.kind == "ray" else None, command=command)
    columns = ("phase", "executor", "nodes", "workers", "tasks", "wall s", "s per task")
    rows: list[list[Cell]] = [
        [p.name, p.executor.kind, p.executor.nodes, p.executor.workers, p.tasks, p.wall_s,
         p.per_task_s] for p in report.phases]
    write_json(out / "results.json", report)
    write_text(out / "results.md", (
        f"# splice bench scale: results\n\nCommand: `{report.command}`\n\n{report.cpus} CPUs, "
        f"1-minute load average {report.load_avg_1m} when it ended (the machine is shared).\n\n"
        + markdown_table(columns, rows)
        + f"\nToken replay speedup, pool vs. serial: {report.replay_speedup}x; identical "
          f"totals: {report.replay_identical}; identical batch rows: {report.batch_identical}."
          f"\nRay overhead per task: {report.ray_overhead_per_task_s} s (no-op), "
          f"{report.ray_batch_overhead_per_task_s} s (batch vs. serial).\n\n"
        + markdown_table(("target", "verdict"),
                         [[k, "met" if v else "MISSED"] for k, v in report.targets.items()])))
    if as_json:
        emit_json(report)
        return
    print_table(console, "splice bench scale", columns, rows)
    for name, met in report.targets.items():
        console.print(f"{'met   ' if met else 'MISSED'} {name}", highlight=False)
    console.print(f"wrote {out / 'results.json'} and {out / 'results.md'}", highlight=False)


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    bench_app.command("scale", help=SCALE_HELP)(bench_scale)
