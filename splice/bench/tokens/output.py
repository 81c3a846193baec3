"""Tables, markdown and the chart for `splice bench tokens`."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from splice.bench.report import bar_chart, markdown_table, print_table, write_text
from splice.bench.tokens.policies import POLICIES
from splice.bench.tokens.replay import TokenBench

TASK_COLUMNS = ["task", "naive", "careful", "splice", "vs naive", "vs careful",
                "found (n/c/s)", "edit ok (n/c/s)"]
TOTAL_COLUMNS = ["policy", "total tokens", "input", "output", "worker", "model calls",
                 "localized", "edit ok", "tasks w/ fallback"]


def _pct(value: float) -> str:
    return f"{value:+.1%}" if value < 0 else f"{value:.1%}"


def task_rows(bench: TokenBench) -> list[list[str | int | float | None]]:
    rows: list[list[str | int | float | None]] = []
    for row in bench.rows:
        if row.error:
            rows.append([row.instance_id, None, None, None, None, None, "error", row.error[:40]])
            continue
        tok = {p: int(row.policies[p]["total_tokens"]) for p in POLICIES}  # type: ignore[call-overload]
        flags = [("Y" if row.policies[p][k] else "n") for k in ("localized", "edit_ok")
                 for p in POLICIES]
        rows.append([row.instance_id, tok["naive"], tok["careful"], tok["splice"],
                     _pct(1 - tok["splice"] / tok["naive"]) if tok["naive"] else None,
                     _pct(1 - tok["splice"] / tok["careful"]) if tok["careful"] else None,
                     "/".join(flags[:3]), "/".join(flags[3:])])
    return rows


def total_rows(bench: TokenBench) -> list[list[str | int | float | None]]:
    n = bench.tasks_scored
    return [[p, t.total_tokens, t.input_tokens, t.output_tokens, t.worker_tokens,
             t.model_calls, f"{t.localized}/{n}", f"{t.edit_ok}/{n}", f"{t.fallback_tasks}/{n}"]
            for p, t in bench.totals.items()]


def savings_lines(bench: TokenBench) -> list[str]:
    s = bench.savings
    lines = [f"splice vs naive:   {_pct(s.get('splice_vs_naive', 0))} fewer tokens",
             f"splice vs careful: {_pct(s.get('splice_vs_careful', 0))} fewer tokens",
             f"careful vs naive:  {_pct(s.get('careful_vs_naive', 0))} fewer tokens",
             f"per task (median): splice {_pct(s.get('median_task_splice_vs_naive', 0))} "
             f"fewer than naive, {_pct(s.get('median_task_splice_vs_careful', 0))} fewer than "
             f"careful; splice cheaper on {int(s.get('tasks_splice_cheaper_than_naive', 0))} "
             f"and {int(s.get('tasks_splice_cheaper_than_careful', 0))} of "
             f"{bench.tasks_scored} tasks"]
    lines += [f"target {'met' if ok else 'MISSED'}: {name}" for name, ok in bench.targets.items()]
    return lines


def print_report(console: Console, bench: TokenBench, per_task: bool = True) -> None:
    if per_task:
        print_table(console, f"tokens per task ({bench.mode})", TASK_COLUMNS, task_rows(bench))
    print_table(console, f"totals over {bench.tasks_scored} of {bench.tasks} tasks",
                TOTAL_COLUMNS, total_rows(bench))
    for line in savings_lines(bench):
        console.print(line, highlight=False)


def write_markdown(path: Path, bench: TokenBench) -> Path:
    parts = ["# Token benchmark results", "",
             "Command:", "", "```bash", bench.command, "```", "",
             f"Mode: {bench.mode}. Splice settings: search max_tokens "
             f"{bench.settings.search_tokens}, compact ratio {bench.settings.compact_ratio}. "
             "Policy rules: benchmarks/tokens/README.md.", "",
             "## Totals", "", markdown_table(TOTAL_COLUMNS, total_rows(bench)),
             *[f"- {line}" for line in savings_lines(bench)], "",
             "## Per task", "", markdown_table(TASK_COLUMNS, task_rows(bench))]
    return write_text(path, "\n".join(parts))


def plot(path: Path, bench: TokenBench) -> Path:
    rows = [r for r in bench.rows if not r.error]
    categories = [r.instance_id for r in rows] + ["TOTAL / 10"]
    series = {}
    for p in POLICIES:
        values = [float(r.policies[p]["total_tokens"]) / 1000 for r in rows]  # type: ignore[arg-type]
        values.append(bench.totals[p].total_tokens / 10_000)
        series[p] = values
    return bar_chart(path, categories, series, ylabel="thousand tokens",
                     title=f"tokens per task ({bench.mode}), {len(rows)} tasks",
                     colors={"naive": "#c8553d", "careful": "#f2a541", "splice": "#2f6fb0"})
