"""Input sets of `splice bench compact`: the built-in releases' changelog sections and diffs,
SWE-bench bug reports
(`--swebench dev|check|all`) and the captured tool outputs (`--tools DIR`), plus the
plain tokenizer pass every case is timed against (speed as a ratio in the same run) and
the passes that bound compaction's speed from below (`floor_seconds`)."""

from __future__ import annotations

import difflib
import re
import statistics
import time
from pathlib import Path

from splice.bench.compact_tool_capture import load_fixtures
from splice.bench.compact_tool_gold import gold_line_numbers
from splice.bench.taskset_pypi import without_version_bumps
from splice.compact import CompactRequest
from splice.compact.lines import split_lines
from splice.compact.tooloutput import clean_lines
from splice.core.errors import InvalidRequest

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "compact" / "fixtures" / "tools"
Input = tuple[str, str, CompactRequest, set[int]]  # (name, split, request, gold 1-based)


def changelog_section(text: str, version: str) -> str:
    """The entries under the heading that names `version` (rst or markdown)."""
    lines = text.splitlines()
    heading = re.compile(rf"^(#+\s*)?(Version\s+)?v?{re.escape(version)}\b")
    underline = re.compile(r"^[=\-+~^#*]{3,}\s*$")
    start = next((i for i, line in enumerate(lines) if heading.match(line.strip())), None)
    if start is None:
        raise InvalidRequest(f"changelog has no section for {version}")
    body: list[str] = []
    for i in range(start + 1, len(lines)):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if underline.match(lines[i]) and i == start + 1:
            continue
        if (underline.match(nxt) and lines[i].strip()) or re.match(r"^#+\s", lines[i]):
            break
        body.append(lines[i])
    return "\n".join(line for line in body if not line.startswith("Released")).strip()


def release_diff(old: str, new: str, path: str) -> str:
    """The release's diff of one file, version bumps left out: no changelog names them,
    so the gold follows the search task set's rule (`without_version_bumps`)."""
    before = old.splitlines(keepends=True)
    after = without_version_bumps(before, new.splitlines(keepends=True))
    diff = difflib.unified_diff(before, after, f"a/{path}", f"b/{path}", n=3)
    return "".join(line if line.endswith("\n") else line + "\n" for line in diff)


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


def floor_seconds(request: CompactRequest, repeat: int) -> tuple[float, float]:
    """Median wall times of the two passes over a code input that compaction makes on its
    calling thread while the tokenizer runs beside it on the second core: the tree-sitter
    parse (scopes, statements; it holds the GIL) and one scan of the text per query term
    (`str.count` of each term in the lowered text, the least reading that finds every line
    a term is on when terms are looked for one at a time). (0, 0) for text without a
    grammar. Together they bound compaction's wall time from below: nothing else it does
    is counted here."""
    from splice.compact.terms import query_terms
    from splice.core.syntax import language_name, parse

    language = language_name(request.path)
    text = request.text or ""
    if not language or not text:
        return 0.0, 0.0
    terms = query_terms(request.query).terms

    def scan() -> None:
        lowered = text.lower()
        for term in terms:
            (text if term.exact else lowered).count(term.text)

    out = []
    for step in (lambda: parse(text, language), scan):
        step()
        times = []
        for _ in range(max(repeat, 1)):
            start = time.perf_counter()
            step()
            times.append(time.perf_counter() - start)
        out.append(statistics.median(times))
    return out[0], out[1]
