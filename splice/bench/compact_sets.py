"""Input sets of `splice bench compact` beyond the built-in releases: SWE-bench bug reports
(`--swebench dev|check|all`) and the captured tool outputs (`--tools DIR`), plus the
plain tokenizer pass every case is timed against (speed as a ratio in the same run)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from splice.bench.compact_tool_capture import load_fixtures
from splice.bench.compact_tool_gold import gold_line_numbers
from splice.compact import CompactRequest
from splice.compact.lines import split_lines
from splice.compact.tooloutput import clean_lines
from splice.core.errors import InvalidRequest

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "compact" / "fixtures" / "tools"
Input = tuple[str, str, CompactRequest, set[int]]  # (name, split, request, gold 1-based)


def swebench_inputs(split: str, ratio: float | None) -> list[Input]:
    """Every gold file of the split's tasks, whole, pre-fix; query = the bug report; gold =
    the lines the fix removes or changes (and the line before a pure insertion)."""
    from splice.bench.progress import track
    from splice.bench.swebench import checkout, load_tasks

    out: list[Input] = []
    for task in track(load_tasks(split), "SWE-bench tasks"):  # type: ignore[arg-type]
        root = checkout(task)
        for path, lines in task.gold_lines.items():
            file = root / path
            if not lines or not file.is_file():
                continue  # a file the fix adds has nothing to keep
            text = file.read_text(encoding="utf-8", errors="surrogateescape")
            request = CompactRequest(text=text, query=task.problem_statement, path=path,
                                     ratio=ratio)
            out.append((f"{task.instance_id} {path}", task.split, request, set(lines)))
    if not out:
        raise InvalidRequest(f"no SWE-bench task of split {split!r} has a gold file")
    return out


def tool_inputs(directory: Path = FIXTURES) -> list[Input]:
    """One input per captured tool output; gold by the tool's rule (compact_tool_gold)."""
    if not (directory / "manifest.json").is_file():
        raise InvalidRequest(f"{directory}: no manifest.json of captured tool output",
                             hint="Capture them: splice bench compact --capture-tools DIR.")
    out: list[Input] = []
    for captured, text in load_fixtures(directory):
        lines = clean_lines(split_lines(text), CompactRequest(text="").max_line_chars)
        gold = {i + 1 for i in gold_line_numbers(captured.kind, lines)}
        out.append((captured.kind, "tools", CompactRequest(text=text, query=captured.query),
                    gold))
    return out


def tokenizer_seconds(text: str, repeat: int) -> float:
    """Median wall time of one plain cl100k encode of `text` (the baseline of the speed
    ratio: this machine's speed drifts between runs, the ratio much less)."""
    from splice.compact.counting import encode

    encode(text)
    times = []
    for _ in range(max(repeat, 1)):
        start = time.perf_counter()
        encode(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times)
