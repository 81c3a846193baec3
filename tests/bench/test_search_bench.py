import difflib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from splice.bench.search_bench import line_recall, ordered_files, pct, run_bench
from splice.bench.tasks import Task, write_tasks
from splice.cli import app
from splice.core.spans import Span
from splice.search.index import forget_memory

AUTH = '''import time


def verify_token(store, token):
    expires = store.get(token)
    if expires < time.time():
        raise ValueError("expired")
    return True


def other():
    return 1
'''

PATCH = "".join(difflib.unified_diff(
    AUTH.splitlines(keepends=True),
    AUTH.replace('ValueError("expired")', 'PermissionError("expired")').splitlines(keepends=True),
    "a/pkg/auth.py", "b/pkg/auth.py"))


def make_taskset(tmp_path: Path) -> tuple[Path, Path]:
    repo = tmp_path / "repos" / "org__demo"
    (repo / "pkg").mkdir(parents=True)
    (repo / "pkg" / "auth.py").write_text(AUTH)
    (repo / "pkg" / "misc.py").write_text("def helper():\n    return 'token'\n")
    tasks = tmp_path / "tasks.jsonl"
    write_tasks([Task(instance_id="demo-1", repo="org/demo", problem_statement=(
        "verify_token should raise PermissionError, not ValueError, when a token expired"),
        patch=PATCH)], tasks)
    forget_memory()
    return tasks, tmp_path / "repos"


def test_metrics() -> None:
    spans = [Span(path="b.py", start_line=1, end_line=3), Span(path="a.py", start_line=5, end_line=9),
             Span(path="b.py", start_line=20, end_line=22)]
    assert ordered_files(spans) == ["b.py", "a.py"]
    assert line_recall(spans, {"a.py": {5, 6, 100}, "b.py": {21}}) == 0.75
    assert line_recall(spans, {}) == 0.0
    assert pct([5, 1, 3, 2, 4], 0.5) == 3 and pct([1, 2, 3, 4, 100], 0.95) == 100 and pct([], 0.5) == 0


async def test_run_bench_on_a_tiny_taskset(tmp_path: Path) -> None:
    tasks, repos = make_taskset(tmp_path)
    bench = await run_bench(tasks, repos, max_tokens=500)
    row = bench.rows[0]
    assert row.gold_files == ["pkg/auth.py"] and row.found_files[0] == "pkg/auth.py"
    assert row.top1 and row.top5 and bench.acc_top5 == 1.0
    assert row.line_recall == 1.0 and 0 < row.tokens <= 500
    assert row.cold_ms > 0 and row.warm_ms > 0


def test_cli_bench_search_writes_json_and_plot(tmp_path: Path) -> None:
    tasks, repos = make_taskset(tmp_path)
    out = tmp_path / "out" / "results.json"
    res = CliRunner().invoke(app, ["bench", "search", "--tasks", str(tasks), "--repos", str(repos),
                                   "--out", str(out), "--plot"])
    assert res.exit_code == 0, res.output
    assert "all gold files in top 5" in res.output and "100.0%" in res.output
    assert json.loads(out.read_text())["tasks"] == 1
    assert out.with_suffix(".png").stat().st_size > 1000


def test_cli_bench_search_bad_task_file(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["bench", "search", "--tasks", str(tmp_path / "none.jsonl"),
                                   "--repos", str(tmp_path)])
    assert res.exit_code == 1 and "not found" in " ".join(res.output.split())


@pytest.mark.slow  # about forty searches and two new processes
async def test_large_repo_timings_with_a_cold_search_in_a_new_process(tmp_path: Path) -> None:
    from splice.bench.search_bench import bench_index_dir, drop_index
    from splice.bench.search_large import large_rows, measure_large

    _, repos = make_taskset(tmp_path)
    root = repos / "org__demo"
    with bench_index_dir():
        lg = await measure_large(root, 500, drop_index, rounds=1)
    assert lg.files == 2 and lg.lines == AUTH.count("\n") + 2
    assert lg.rg_pass_ms > 0 and lg.read_pass_ms >= 0
    assert lg.cold_first_search_ms > 0 and lg.cold_parsed >= 1  # parsed in the child process
    assert lg.checkout_index == "store"  # the copy's files were known by content
    assert lg.queries == 10 and lg.warm_p50_ms > 0 and lg.lazy_p50_ms > 0
    rows = dict(large_rows(lg))
    assert "x rg" in rows["large: first search, new process, never indexed"]
