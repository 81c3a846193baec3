"""How `splice bench apply` shows a run: console tables, results.md, the PNG chart."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from splice.bench.apply_bench import ApplyBenchReport, Stats
from splice.bench.report import Cell, bar_chart, markdown_table, print_table, write_text

VARIANT_LABELS = {"lazy-1": "lazy, 1 ctx", "lazy-2": "lazy, 2 ctx", "lazy-3": "lazy, 3 ctx",
                  "lazy-anchored": "lazy, 2 ctx anchored",
                  "search_replace": "search/replace", "udiff": "udiff", "patch": "patch",
                  "whole": "whole"}

# Throughput in millions of tokens/s keeps the table within 80 columns.
STAT_COLUMNS = ["cases", "exact", "refused", "wrong", "crash", "Mtok/s med", "Mtok/s p10"]
UNITS = "(% of cases; throughput in millions of tokens/s, median and 10th percentile)"


def _mega(value: float | None) -> float | None:
    return None if value is None else round(value / 1e6, 2)


def _row(label: str, s: Stats) -> list[Cell]:
    return [label, s.cases, round(s.exact_pct, 2), round(s.refused_pct, 2),
            round(s.wrong_pct, 2), round(s.crash_pct, 2), _mega(s.median_tokens_per_s),
            _mega(s.p10_tokens_per_s)]


def variant_rows(report: ApplyBenchReport) -> list[list[Cell]]:
    rows = [_row(VARIANT_LABELS.get(s.name, s.name), s) for s in report.by_variant]
    rows.append(_row("all", report.overall))
    return rows


def language_rows(report: ApplyBenchReport) -> list[list[Cell]]:
    return [_row(s.name, s) for s in report.by_language]


def target_rows(report: ApplyBenchReport) -> list[list[Cell]]:
    verdict = {True: "met", False: "MISSED", None: "not run"}
    return [[t.name, t.goal, t.measured, verdict[t.met]] for t in report.targets]


def print_report(console: Console, report: ApplyBenchReport) -> None:
    head = (f"{report.cases} cases from {report.files} changed files of "
            f"{len(report.packages)} version pair(s), seed {report.seed}, "
            f"{report.seconds:.1f} s")
    console.print(head)
    print_table(console, f"By edit format {UNITS}", ["format", *STAT_COLUMNS], variant_rows(report))
    print_table(console, f"By language {UNITS}", ["language", *STAT_COLUMNS], language_rows(report))
    print_table(console, "Targets", ["target", "goal", "measured", "verdict"],
                target_rows(report))


def markdown(report: ApplyBenchReport) -> str:
    """results.md: the command, the corpus and the tables."""
    parts = [
        "# splice bench apply: results\n",
        f"Command: `{report.command}`\n",
        f"{report.cases} cases from {report.files} changed files, seed {report.seed}, "
        f"format given explicitly: {'no (auto-detect)' if report.auto_format else 'yes'}, "
        f"run time {report.seconds:.1f} s.\n",
        "Corpus: " + ", ".join(report.packages) + "\n",
        "## By edit format\n",
        f"{UNITS[1:-1].capitalize()}.\n",
        markdown_table(["format", *STAT_COLUMNS], variant_rows(report)),
        "## By language\n",
        markdown_table(["language", *STAT_COLUMNS], language_rows(report)),
        "## Targets\n",
        markdown_table(["target", "goal", "measured", "verdict"], target_rows(report)),
    ]
    if report.examples:
        rows: list[list[Cell]] = [
            [f"`{e.id}`", e.outcome, e.error or "-",
             (e.message or "").splitlines()[0][:160].replace("|", "\\|") if e.message else "-"]
            for e in report.examples]
        parts += ["## Examples of misses (edits and diffs in results.json)\n",
                  markdown_table(["case", "outcome", "error", "message"], rows)]
    return "\n".join(parts)


def write_markdown(path: Path, report: ApplyBenchReport) -> Path:
    return write_text(path, markdown(report))


def plot(path: Path, report: ApplyBenchReport) -> Path:
    """Stacked bars per format: exact, refused, wrong, crash (% of cases)."""
    names = [VARIANT_LABELS.get(s.name, s.name) for s in report.by_variant]
    series = {
        "exact": [s.exact_pct for s in report.by_variant],
        "refused": [s.refused_pct for s in report.by_variant],
        "wrong": [s.wrong_pct for s in report.by_variant],
        "crash": [s.crash_pct for s in report.by_variant],
    }
    colors = {"exact": "#2e7d32", "refused": "#f9a825", "wrong": "#c62828", "crash": "#6a1b9a"}
    return bar_chart(path, names, series, title=f"splice apply: {report.cases} real edits",
                     ylabel="% of cases", stacked=True, colors=colors)
