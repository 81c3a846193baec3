"""`splice bench compact`'s report: the table, the plot, the markdown rows."""

from __future__ import annotations

from pathlib import Path

from splice.bench.compact_bench import CompactBenchReport


def print_table(report: CompactBenchReport) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="splice bench compact")
    for col in ("case", "set", "tokens", "after", "ratio", "gold kept", "tokens/s",
                "tokens/cpu-s", "tokens/thread-cpu-s"):
        table.add_column(col, justify="left" if col in ("case", "set") else "right")
    for c in report.cases:
        gold = f"{c.gold_kept}/{c.gold_lines}" if c.gold_lines else "-"
        table.add_row(c.name, c.split or c.kind, str(c.tokens_before), str(c.tokens_after),
                      f"{c.ratio:.3f}", gold, f"{c.tokens_per_s / 1e6:.2f}M",
                      f"{c.tokens_per_cpu_s / 1e6:.2f}M", f"{c.tokens_per_thread_cpu_s / 1e6:.2f}M")
    console = Console(width=max(Console().width, 140))
    console.print(table)
    s = report.summary
    console.print(
        f"code: {s.code_tokens_before} -> {s.code_tokens_after} tokens "
        f"({s.code_reduction}x fewer), gold-line retention {s.code_gold_retention:.1%} "
        f"(by set: {s.code_retention_by_split}; mean per file: "
        f"{s.code_macro_retention_by_split}; files keeping all: {s.code_files_all_kept_by_split}); "
        f"tool output: ratio {s.tool_ratio}, gold retention {s.tool_gold_retention} "
        f"({len(s.tool_ratio_by_kind)} kinds); "
        f"test runs: ratio {s.test_ratio}, gold retention {s.test_gold_retention}; "
        f"median {s.median_tokens_per_s / 1e6:.2f}M tokens/s wall, "
        f"{s.median_tokens_per_cpu_s / 1e6:.2f}M tokens/CPU-s of all threads, "
        f"{s.median_tokens_per_thread_cpu_s / 1e6:.2f}M tokens/CPU-s of the calling thread; "
        f"plain tokenizer {s.median_tokenizer_tokens_per_s / 1e6:.2f}M tokens/s, compaction at "
        f"{s.median_vs_tokenizer:.3f}x its speed (median per input; load average "
        f"{s.load_average}); the floor on code: the parse alone runs at "
        f"{s.median_parse_vs_tokenizer:.3f}x the tokenizer's speed, parse + one scan per "
        f"query term at {s.median_floor_vs_tokenizer:.3f}x",
        highlight=False)


def write_plot(report: CompactBenchReport, path: Path) -> None:
    """Code by set (tokens kept and gold lines kept) and tool output by kind."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s = report.summary
    fig, axes = plt.subplots(1, 2, figsize=(14, 6))
    sets = sorted(s.code_ratio_by_split)
    xs = range(len(sets))
    axes[0].bar([x - 0.2 for x in xs], [s.code_ratio_by_split[k] for k in sets], 0.4,
                label="tokens kept", color="tab:blue")
    axes[0].bar([x + 0.2 for x in xs], [s.code_retention_by_split[k] for k in sets], 0.4,
                label="gold lines kept", color="tab:green")
    axes[0].axhline(0.5, color="tab:blue", linestyle="--", linewidth=0.8)
    axes[0].axhline(0.9, color="tab:green", linestyle="--", linewidth=0.8)
    axes[0].set_xticks(list(xs), sets)
    axes[0].set_ylim(0, 1)
    axes[0].set_title("code for a bug report (targets: <= 0.5 tokens, >= 0.9 gold)")
    axes[0].legend()
    kinds = list(s.tool_ratio_by_kind)
    ys = range(len(kinds))
    axes[1].barh(list(ys), [s.tool_ratio_by_kind[k] for k in kinds], color="tab:blue")
    for y, k in zip(ys, kinds, strict=True):
        axes[1].text(s.tool_ratio_by_kind[k] + 0.01, y,
                     f"gold {s.tool_retention_by_kind[k]:.0%}", va="center", fontsize=8)
    axes[1].axvline(0.3, color="grey", linestyle="--", label="30%")
    axes[1].set_yticks(list(ys), kinds)
    axes[1].set_xlim(0, 1)
    axes[1].set_xlabel("tokens after / before")
    axes[1].set_title("tool output (every error/failure/summary line must stay)")
    fig.suptitle(f"splice compact: median {s.median_tokens_per_s / 1e6:.2f}M tokens/s wall, "
                 f"{s.median_vs_tokenizer:.2f}x a plain tokenizer pass")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def markdown_table(report: CompactBenchReport) -> str:
    """The results as a markdown table, for benchmarks/compact/README.md."""
    rows = ["| case | set | tokens | after | ratio | gold kept | tokens/s | tokens/CPU-s "
            "| tokens/thread-CPU-s |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for c in report.cases:
        gold = f"{c.gold_kept}/{c.gold_lines}" if c.gold_lines else "-"
        rows.append(f"| {c.name} | {c.split or c.kind} | {c.tokens_before} | {c.tokens_after} | "
                    f"{c.ratio:.3f} | {gold} | {c.tokens_per_s / 1e6:.2f}M | "
                    f"{c.tokens_per_cpu_s / 1e6:.2f}M | {c.tokens_per_thread_cpu_s / 1e6:.2f}M |")
    return "\n".join(rows) + "\n"
