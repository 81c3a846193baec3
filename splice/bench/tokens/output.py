"""Tables, markdown and the chart for `splice bench tokens`."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from splice.bench.report import markdown_table, print_table, write_text
from splice.bench.tokens.policies import POLICIES
from splice.bench.tokens.replay import TokenBench

TASK_COLUMNS = ["task", "naive", "careful", "splice", "vs naive", "vs careful",
                "localized (n/c/s)", "edit ok (n/c/s)"]
TOTAL_COLUMNS = ["policy", "total tokens", "input", "output", "worker", "model calls",
                 "localized", "edit ok", "tasks w/ fallback", "est. USD"]


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
             t.model_calls, f"{t.localized}/{n}", f"{t.edit_ok}/{n}", f"{t.fallback_tasks}/{n}",
             f"${t.usd_estimate:,.2f}"]
            for p, t in bench.totals.items()]


PHASE_COLUMNS = ["policy", "localize", "fallback", "edit + finish"]


def phase_rows(bench: TokenBench) -> list[list[str | int | float | None]]:
    """Where each policy's tokens go (model calls' input + output, by phase)."""
    return [[p, t.tokens_by_phase.get("localize", 0), t.tokens_by_phase.get("fallback", 0),
             t.tokens_by_phase.get("edit", 0)] for p, t in bench.totals.items()]


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
    for name, fig in bench.splits.items():
        lines.append(f"{name} half ({int(fig['tasks'])} tasks): splice "
                     f"{_pct(fig['splice_vs_naive'])} fewer than naive, "
                     f"{_pct(fig['splice_vs_careful'])} fewer than careful "
                     f"(naive {int(fig['naive']):,}, careful {int(fig['careful']):,}, "
                     f"splice {int(fig['splice']):,})")
    lines += [f"target {'met' if ok else 'MISSED'}: {name}" for name, ok in bench.targets.items()]
    return lines


def print_report(console: Console, bench: TokenBench, per_task: bool = True) -> None:
    if per_task:
        print_table(console, f"tokens per task ({bench.mode})", TASK_COLUMNS, task_rows(bench))
    print_table(console, f"totals over {bench.tasks_scored} of {bench.tasks} tasks",
                TOTAL_COLUMNS, total_rows(bench))
    print_table(console, "tokens by phase", PHASE_COLUMNS, phase_rows(bench))
    for line in savings_lines(bench):
        console.print(line, highlight=False)


def write_markdown(path: Path, bench: TokenBench) -> Path:
    parts = ["# Token benchmark results", "",
             "Command:", "", "```bash", bench.command, "```", "",
             f"Mode: {bench.mode}. Splice settings: search max_tokens "
             f"{bench.settings.search_tokens}, compact ratio {bench.settings.compact_ratio}"
             f"{' (auto)' if bench.settings.compact_auto else ''}"
             f"{_bound_note(bench.settings.fallback)}. "
             "Policy rules: benchmarks/tokens/README.md. est. USD: input and worker tokens at "
             "$3, output at $15 per million (Claude Sonnet list prices, no caching).", "",
             "## Totals", "", markdown_table(TOTAL_COLUMNS, total_rows(bench)),
             *[f"- {line}" for line in savings_lines(bench)], "",
             "## Tokens by phase", "", markdown_table(PHASE_COLUMNS, phase_rows(bench)),
             "## Per task", "", markdown_table(TASK_COLUMNS, task_rows(bench))]
    return write_text(path, "\n".join(parts))


def plot(path: Path, bench: TokenBench) -> Path:
    """Left: each policy's total, stacked by phase. Right: splice's saving on every task
    against each baseline, sorted (a bar below zero is a task where splice cost more)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8),
                                      gridspec_kw={"width_ratios": [1, 1.6]})
    bottoms = [0.0] * len(POLICIES)
    colors = {"localize": "#2f6fb0", "fallback": "#f2a541", "edit": "#8cc084"}
    for phase, color in colors.items():
        values = [bench.totals[p].tokens_by_phase.get(phase, 0) / 1e6 for p in POLICIES]
        left.bar(POLICIES, values, bottom=bottoms, color=color,
                 label="edit + finish" if phase == "edit" else phase)
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    left.set_ylabel("million tokens (input + output)")
    left.set_title(f"total over {bench.tasks_scored} tasks ({bench.mode})")
    left.legend()
    rows = [r for r in bench.rows if not r.error]
    for base, color in (("naive", "#c8553d"), ("careful", "#f2a541")):
        saved = sorted(1 - float(r.policies["splice"]["total_tokens"])  # type: ignore[arg-type]
                       / max(1.0, float(r.policies[base]["total_tokens"]))  # type: ignore[arg-type]
                       for r in rows)
        right.plot(range(1, len(saved) + 1), [100 * v for v in saved], marker="o",
                   markersize=3, color=color, label=f"vs {base}")
    right.axhline(0, color="grey", linewidth=1)
    right.axhline(60, color="#c8553d", linestyle="--", linewidth=0.8)
    right.axhline(40, color="#f2a541", linestyle="--", linewidth=0.8)
    right.set_xlabel("tasks, sorted")
    right.set_ylabel("% fewer tokens than the baseline")
    right.set_title("splice's saving per task (dashed: targets on totals)")
    right.set_ylim(-150, 100)
    right.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _bound_note(fallback: str) -> str:
    """A bound run is no policy's figure: the header says so."""
    if fallback == "agent":
        return ""
    return (f", fallback {fallback} (an oracle's minimum reads after the search: a bound, "
            "not the agent)")
