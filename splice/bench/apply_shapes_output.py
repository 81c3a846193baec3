"""How `splice bench apply --shapes` shows a run: tables, shapes.md, shapes.json, the PNG."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from splice.bench.apply_shapes_run import ShapesReport, ShapeStats
from splice.bench.report import Cell, bar_chart, markdown_table, print_table, write_json, write_text

COLUMNS = ["shape", "cases", "must refuse", "exact %", "exact % of file cases", "refused %",
           "wrong", "crash", "Mtok/s med"]


def _row(s: ShapeStats) -> list[Cell]:
    speed = None if s.median_tokens_per_s is None else round(s.median_tokens_per_s / 1e6, 2)
    # must-refuse cases can never be exact: the rate over the cases whose right outcome
    # is a file is what the targets (>= 97%, >= 85%, ...) are read against
    files = s.cases - s.must_refuse
    of_files = round(100 * s.exact / files, 2) if files else None
    return [s.name, s.cases, s.must_refuse, round(s.exact_pct, 2), of_files,
            round(s.refused_pct, 2), s.wrong, s.crash, speed]


def rows(report: ShapesReport) -> list[list[Cell]]:
    return [_row(s) for s in report.by_shape] + [_row(report.overall)]


def _head(report: ShapesReport) -> str:
    return (f"{report.cases} cases from {report.files} changed files, seed {report.seed}, "
            f"evidence (instruction, seen_lines) {'passed' if report.evidence else 'withheld'}"
            f", {report.seconds:.1f} s")


def print_report(console: Console, report: ShapesReport) -> None:
    console.print(_head(report))
    print_table(console, "By shape (wrong and crash are counts)", COLUMNS, rows(report))
    print_table(console, "By language", ["language", *COLUMNS[1:]],
                [_row(s) for s in report.by_language])


def markdown(report: ShapesReport) -> str:
    parts = ["# splice bench apply --shapes: results\n", f"Command: `{report.command}`\n",
             _head(report) + ".\n", "Corpus: " + ", ".join(report.packages) + "\n",
             "## By shape\n", markdown_table(COLUMNS, rows(report)),
             "## By language\n",
             markdown_table(["language", *COLUMNS[1:]], [_row(s) for s in report.by_language]),
             "## By rule that decided the outcome\n",
             markdown_table(["rule", *COLUMNS[1:]], [_row(s) for s in report.by_rule])]
    if report.examples:
        ex: list[list[Cell]] = [[f"`{e.id}`", e.outcome, e.error or "-"]
                                for e in report.examples]
        parts += ["## Wrong and crashed cases (edits and diffs in the JSON)\n",
                  markdown_table(["case", "outcome", "error"], ex)]
    return "\n".join(parts)


def publish(out: Path, report: ShapesReport, name: str, plot: bool) -> list[Path]:
    paths = [write_json(out / f"{name}.json", report), write_text(out / f"{name}.md",
                                                                   markdown(report))]
    if plot:
        paths.append(draw(out / f"{name}.png", report))
    return paths


def draw(path: Path, report: ShapesReport) -> Path:
    names = [s.name for s in report.by_shape]
    series = {k: [getattr(s, f"{k}_pct") for s in report.by_shape]
              for k in ("exact", "refused", "wrong", "crash")}
    colors = {"exact": "#2e7d32", "refused": "#f9a825", "wrong": "#c62828", "crash": "#6a1b9a"}
    return bar_chart(path, names, series,
                     title=f"splice apply: {report.cases} model-shaped edits",
                     ylabel="% of cases", stacked=True, colors=colors)
