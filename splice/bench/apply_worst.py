"""`splice bench apply --worst`: the slowest merges splice should meet, timed.

Large real files (the corpus's biggest, up to 256 KB) take large edits (up to 64 KB) in
every format, written both right and with the defects that send a matcher searching (a
typo, a line left out, a lone changed line); synthetic files of repeated lines give every
anchor thousands of candidates. Each merge is timed in seconds and as a ratio to a
baseline measured in the same process just before it (tokenising the same original), so
a busy machine shows in both. A merge either finishes or refuses: past the time limit it
counts as a stall.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence

from pydantic import BaseModel

from splice.bench.apply_bench import CaseTimeout, _deadline
from splice.bench.apply_corpus import ChangedFile
from splice.core.errors import ApplyError
from splice.core.tokens import count_tokens

MAX_FILE = 256 * 1024
MAX_EDIT = 64 * 1024
LIMIT_S = 1.0  # the target: no merge of these sizes takes longer
STALL_S = 30.0  # past this a merge is stopped and counted as a stall
FILES = 6


class WorstCase(BaseModel):
    name: str
    source: str
    path: str = "synthetic.py"
    file_bytes: int
    edit_bytes: int
    fmt: str
    original: str
    edit: str


class WorstResult(BaseModel):
    name: str
    source: str
    file_bytes: int
    edit_bytes: int
    outcome: str  # merged | refused | stalled | crash
    seconds: float
    cpu_seconds: float  # this process's CPU time: what the merge cost on a busy machine
    baseline_seconds: float
    ratio: float
    baseline_cpu_seconds: float = 0.0  # CPU time of tokenising the same original
    cpu_ratio: float = 0.0  # cpu_seconds / baseline_cpu_seconds: comparable across loads
    error: str | None = None


class WorstReport(BaseModel):
    command: str
    limit_s: float
    worst_seconds: float
    worst_case: str
    worst_cpu_seconds: float
    worst_cpu_case: str
    over_limit_cpu: int
    worst_cpu_ratio: float = 0.0  # the worst CPU case's cpu_ratio
    median_cpu_ratio: float = 0.0
    median_ratio: float
    over_limit: int
    results: list[WorstResult]


def _sr(search: str, replace: str) -> str:
    return f"<<<<<<< SEARCH\n{search}=======\n{replace}>>>>>>> REPLACE\n"


def _stretch(lines: list[str], size: int) -> tuple[int, int]:
    """A stretch of about `size` bytes from the middle of the file."""
    start = len(lines) // 4
    end, acc = start, 0
    while end < len(lines) and acc + len(lines[end]) <= size:
        acc += len(lines[end])
        end += 1
    return start, end


def _changed(lines: list[str], comment: str) -> list[str]:
    """Every fifth line gets a comment line above it (valid in any language)."""
    out: list[str] = []
    for k, line in enumerate(lines):
        if k % 5 == 2 and line.strip():
            out.append(line[: len(line) - len(line.lstrip())] + f"{comment} changed here\n")
        out.append(line)
    return out


def _typo(text: str) -> str:
    at = text.find("def ") if "def " in text else len(text) // 2
    return text[:at] + text[at + 1] + text[at] + text[at + 2:]


def cases_for(text: str, source: str, comment: str) -> Iterator[WorstCase]:
    lines = text.splitlines(keepends=True)
    for size in (25 * 1024, MAX_EDIT * 3 // 4):
        a, b = _stretch(lines, size)
        if b - a < 10:
            continue
        search, new = "".join(lines[a:b]), _changed(lines[a:b], comment)
        replace = "".join(new)
        kb = f"{size // 1024}KB"
        yield WorstCase(name=f"sr-{kb}", source=source, file_bytes=len(text),
                        edit_bytes=0, fmt="auto", original=text, edit=_sr(search, replace))
        missing = "".join(lines[a:a + 5] + lines[a + 6:b])
        yield WorstCase(name=f"sr-{kb}-missing-line", source=source, file_bytes=len(text),
                        edit_bytes=0, fmt="auto", original=text,
                        edit=_sr(missing, "".join(new[:5] + new[6:])))
        yield WorstCase(name=f"sr-{kb}-typo", source=source, file_bytes=len(text),
                        edit_bytes=0, fmt="auto", original=text,
                        edit=_sr(_typo(search), replace))
        marker = f"{comment} ... existing code ...\n"
        yield WorstCase(name=f"lazy-{kb}-segment", source=source, file_bytes=len(text),
                        edit_bytes=0, fmt="auto", original=text,
                        edit=marker + replace + marker)
        segs = []
        for k in range(a, b - 4, 8):
            indent = lines[k + 2][: len(lines[k + 2]) - len(lines[k + 2].lstrip())]
            segs += [marker, *lines[k:k + 2], f"{indent}{comment} changed here\n",
                     *lines[k + 2:k + 5]]
        yield WorstCase(name=f"lazy-{kb}-many-segments", source=source,
                        file_bytes=len(text), edit_bytes=0, fmt="auto", original=text,
                        edit="".join(segs) + marker)
        body = "".join(f"-{x}" for x in lines[a:b]) + "".join(f"+{x}" for x in new)
        yield WorstCase(name=f"udiff-{kb}", source=source, file_bytes=len(text),
                        edit_bytes=0, fmt="auto", original=text,
                        edit=f"--- a/f\n+++ b/f\n@@ -{a + 1},{b - a} +{a + 1},{b - a} @@\n"
                             + body)
    whole = "".join(lines[:-1]) + "x = 1\n"
    yield WorstCase(name="whole-file", source=source, file_bytes=len(text), edit_bytes=0,
                    fmt="auto", original=text, edit=whole)
    yield WorstCase(name="fragment", source=source, file_bytes=len(text), edit_bytes=0,
                    fmt="auto", original=text, edit=lines[len(lines) // 2])


def repetitive(comment: str = "#") -> Iterator[WorstCase]:
    """Files of a few lines repeated: every anchor has thousands of candidates."""
    unit = ["    }\n", "    return x;\n", "\n"]
    text = "".join(unit * (MAX_FILE // sum(map(len, unit))))[:MAX_FILE]
    text = text[: text.rfind("\n") + 1]
    chunk = "".join(unit * (MAX_EDIT // 2 // sum(map(len, unit))))
    marker = f"{comment} ... existing code ...\n"
    for name, edit in (
            ("repeated-sr", _sr(chunk, chunk.replace("x;", "y;", 1))),
            ("repeated-lazy", marker + chunk.replace("x;", "y;", 1) + marker),
            ("repeated-lazy-many", "".join(marker + "    }\n    return y;\n" for _ in range(2000))
             + marker),
            ("repeated-sr-typo", _sr(chunk.replace("return", "retrun", 1), chunk))):
        yield WorstCase(name=name, source="synthetic", file_bytes=len(text), edit_bytes=0,
                        fmt="auto", original=text, edit=edit)


def short_defs(comment: str = "#") -> Iterator[WorstCase]:
    """A file of many short functions (half its lines blank): a SEARCH/REPLACE that needs
    a loose rung (a typo) pairs its old and new sides line by line, and blank lines
    occur everywhere on both sides."""
    text = "".join(f"def f_{i}(x):\n    return x + {i}\n\n\n" for i in range(20_000))
    text = text[: text.rfind("\n\n\ndef", 0, MAX_FILE) + 3]
    for c in cases_for(text, "synthetic-short-defs", comment):
        if c.name.startswith("sr-") and c.name.endswith("-typo"):
            c.name = f"short-defs-{c.name}"
            yield c


def worst_cases(files: Sequence[ChangedFile], comment_of: Callable[[str], str]) -> list[WorstCase]:
    big = sorted((f for f in files if len(f.old.encode()) <= MAX_FILE),
                 key=lambda f: -len(f.old))[:FILES]
    out = []
    for f in big:
        for c in cases_for(f.old, f"{f.package}:{f.path}", comment_of(f.language)):
            c.path = f.path
            out.append(c)
    out += list(repetitive())
    out += list(short_defs())
    for c in out:
        c.edit_bytes = len(c.edit.encode())
    return [c for c in out if c.edit_bytes <= MAX_EDIT + 8 * 1024]


MergeFn = Callable[[str, str, str], object]


def run_worst(cases: Sequence[WorstCase], merge_fn: MergeFn, *, command: str,
              on_case: Callable[[], None] | None = None) -> WorstReport:
    results: list[WorstResult] = []
    for c in cases:
        t0, c0 = time.perf_counter(), time.process_time()
        count_tokens(c.original)
        base, base_cpu = time.perf_counter() - t0, time.process_time() - c0
        start, cpu_start = time.perf_counter(), time.process_time()
        error = None
        try:
            with _deadline(STALL_S):
                merge_fn(c.original, c.edit, c.path)
            outcome = "merged"
        except ApplyError as exc:
            outcome, error = "refused", type(exc).__name__
        except CaseTimeout:
            outcome = "stalled"
        except Exception as exc:  # noqa: BLE001 - an engine bug: count it
            outcome, error = "crash", repr(exc)[:200]
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        results.append(WorstResult(name=c.name, source=c.source, file_bytes=c.file_bytes,
                                   edit_bytes=c.edit_bytes, outcome=outcome, seconds=seconds,
                                   cpu_seconds=cpu,
                                   baseline_seconds=base, ratio=seconds / base if base else 0,
                                   baseline_cpu_seconds=base_cpu,
                                   cpu_ratio=cpu / base_cpu if base_cpu else 0,
                                   error=error))
        if on_case:
            on_case()
    worst = max(results, key=lambda r: r.seconds)
    worst_cpu = max(results, key=lambda r: r.cpu_seconds)
    ratios = sorted(r.ratio for r in results)
    cpu_ratios = sorted(r.cpu_ratio for r in results)
    return WorstReport(command=command, limit_s=LIMIT_S, worst_seconds=worst.seconds,
                       worst_case=f"{worst.name} ({worst.source})",
                       worst_cpu_seconds=worst_cpu.cpu_seconds,
                       worst_cpu_case=f"{worst_cpu.name} ({worst_cpu.source})",
                       over_limit_cpu=sum(1 for r in results if r.cpu_seconds > LIMIT_S),
                       worst_cpu_ratio=worst_cpu.cpu_ratio,
                       median_cpu_ratio=cpu_ratios[len(cpu_ratios) // 2],
                       median_ratio=ratios[len(ratios) // 2],
                       over_limit=sum(1 for r in results if r.seconds > LIMIT_S),
                       results=results)
