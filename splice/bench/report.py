"""Output every benchmark shares: a table for people, JSON for machines, a bar chart PNG."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from rich import box
from rich.console import Console
from rich.table import Table

Cell = str | int | float | None


def format_cell(value: Cell, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return value


def print_table(console: Console, title: str, columns: Sequence[str],
                rows: Sequence[Sequence[Cell]]) -> None:
    """A rich table; numbers right-aligned."""
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    numeric = [all(isinstance(r[i], int | float) or r[i] is None for r in rows) and rows
               for i in range(len(columns))]
    for i, col in enumerate(columns):
        table.add_column(col, justify="right" if numeric[i] else "left", no_wrap=i == 0)
    for row in rows:
        table.add_row(*(format_cell(v) for v in row))
    console.print(table)


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    """A GitHub-flavoured markdown table."""
    lines = ["| " + " | ".join(columns) + " |",
             "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(format_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def write_text(path: Path, text: str) -> Path:
    """Write atomically (temp file in the same folder, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; results are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def write_json(path: Path, payload: BaseModel | dict[str, Any] | list[Any]) -> Path:
    if isinstance(payload, BaseModel):
        text = payload.model_dump_json(indent=2)
    else:
        text = json.dumps(payload, indent=2, default=str)
    return write_text(path, text + "\n")


def bar_chart(path: Path, categories: Sequence[str], series: Mapping[str, Sequence[float]], *,
              title: str, ylabel: str, stacked: bool = False,
              colors: dict[str, str] | None = None) -> Path:
    """A grouped (or stacked) bar chart PNG: one bar group per category, one bar per series."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(max(6.0, 1.1 * len(categories) + 2), 4.5))
    xs = list(range(len(categories)))
    width = 0.8 if stacked else 0.8 / max(1, len(series))
    bottoms = [0.0] * len(categories)
    for k, (name, values) in enumerate(series.items()):
        color = (colors or {}).get(name)
        if stacked:
            ax.bar(xs, values, width, bottom=bottoms, label=name, color=color)
            bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
        else:
            offset = (k - (len(series) - 1) / 2) * width
            ax.bar([x + offset for x in xs], values, width, label=name, color=color)
    ax.set_xticks(xs, list(categories), rotation=20, ha="right")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))  # beside the bars, not over them
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
