import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from splice.bench.compact_bench import (
    BenchOptions,
    changelog_section,
    release_diff,
    run_bench,
    summarize,
)
from splice.bench.compact_report import write_plot
from splice.bench.tasks import Task, gold_lines, write_tasks
from splice.cli import app
from splice.core.errors import InvalidRequest

CHANGES = """\
Version 2.0.1
-------------

Released 2024-02-03

-   Fix ``parse_header`` dropping quoted values. :issue:`12`


Version 2.0.0
-------------

-   Big release.
"""

OLD = "".join(f"def helper_{i}(x):\n    return x * {i}\n\n\n" for i in range(40))
OLD += 'def parse_header(value):\n    parts = value.split(";")\n    return [p.strip() for p in parts]\n'
NEW = OLD.replace("    return [p.strip() for p in parts]",
                  "    return [p.strip().strip('\"') for p in parts]")


def test_changelog_section_takes_one_release() -> None:
    section = changelog_section(CHANGES, "2.0.1")
    assert "parse_header" in section and "Big release" not in section
    assert "Released" not in section
    md = "# Changelog\n\n## 1.2.3\n\n- Fixed `foo`.\n\n## 1.2.2\n\n- Old.\n"
    assert changelog_section(md, "1.2.3") == "- Fixed `foo`."
    with pytest.raises(InvalidRequest):
        changelog_section(CHANGES, "9.9.9")


def test_builtin_gold_leaves_version_bumps_out() -> None:
    old = '__version__ = "2.0.0"\n\n\n' + OLD
    new = '__version__ = "2.0.1"\n\n\n' + NEW
    gold = gold_lines(release_diff(old, new, "pkg/hdr.py"))["pkg/hdr.py"]
    fix = old.splitlines().index("    return [p.strip() for p in parts]") + 1
    assert gold == {fix}  # the fix, not the bump on line 1
    # a bump that shares its hunk with a real change stays, as in the search task set
    mixed = gold_lines(release_diff(old, new.replace("\n\n\n", "\nX = 1\n\n", 1), "p.py"))
    assert 1 in mixed["p.py"]


def _task_fixture(tmp_path: Path) -> tuple[Path, Path]:
    repo = tmp_path / "repos" / "acme__hdr"
    (repo / "pkg").mkdir(parents=True)
    (repo / "pkg" / "hdr.py").write_text(OLD)
    patch = release_diff(OLD, NEW, "pkg/hdr.py")
    assert gold_lines(patch)["pkg/hdr.py"]
    task = Task(instance_id="acme-1", repo="acme/hdr", problem_statement=changelog_section(
        CHANGES, "2.0.1"), patch=patch)
    tasks = tmp_path / "tasks.jsonl"
    write_tasks([task], tasks)
    return tasks, tmp_path / "repos"


def test_run_bench_on_a_task_file(tmp_path: Path) -> None:
    tasks, repos = _task_fixture(tmp_path)
    report = run_bench(BenchOptions(tasks=str(tasks), repos=str(repos), repeat=1,
                                    test_output=False, tools=False))
    (case,) = report.cases
    assert case.kind == "code" and case.gold_lines == 1
    assert case.gold_kept == 1  # the query names parse_header
    assert case.ratio <= 0.35
    assert report.summary.code_gold_retention == 1.0
    assert report.summary.median_tokens_per_s > 0
    assert case.tokens_per_thread_cpu_s > 0 and case.thread_cpu_seconds <= case.cpu_seconds + 1e-3
    png = tmp_path / "r.png"
    write_plot(report, png)
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_summary_targets_follow_the_numbers(tmp_path: Path) -> None:
    tasks, repos = _task_fixture(tmp_path)
    report = run_bench(BenchOptions(tasks=str(tasks), repos=str(repos), repeat=1,
                                    ratio=0.9, test_output=False, tools=False))
    summary = summarize(report.cases)
    assert summary.code_ratio > 0.5
    assert not summary.meets_code_target  # 0.9 of the tokens is not 3x fewer


def test_cli_bench_compact_writes_json(tmp_path: Path) -> None:
    tasks, repos = _task_fixture(tmp_path)
    out = tmp_path / "out" / "results.json"
    res = CliRunner().invoke(app, ["bench", "compact", "--tasks", str(tasks), "--repos",
                                   str(repos), "--no-test-output", "--no-tools", "--repeat", "1",
                                   "--out", str(out), "--plot"])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    assert data["cases"][0]["gold_kept"] == 1
    assert out.with_suffix(".png").exists()
    res = CliRunner().invoke(app, ["bench", "compact", "--tasks", str(tasks)])
    assert res.exit_code != 0


def test_task_split_labels_builtin_releases_tuned_tasks_and_the_rest() -> None:
    from splice.bench.compact_bench import task_split

    assert task_split("idna-3.7") == "dev"
    assert task_split("flask-3.0.3") == "held-out"
    assert task_split("sqlparse-0.4.4") == "dev2"
    assert task_split("pkg-1.0") == "fresh"


def test_tool_output_set_meets_its_rule_and_reports_speed_against_the_tokenizer(
        tmp_path: Path) -> None:
    report = run_bench(BenchOptions(code="none", tools=True, repeat=1))
    s = report.summary
    assert len(s.tool_ratio_by_kind) == 14 and s.tool_gold_retention == 1.0
    assert s.tool_ratio is not None and s.tool_ratio <= 0.3 and s.meets_tool_target
    assert all(c.tokenizer_seconds > 0 and c.vs_tokenizer > 0 for c in report.cases)
    assert s.median_tokenizer_tokens_per_s > 0 and s.median_vs_tokenizer > 0
    write_plot(report, tmp_path / "t.png")
    assert (tmp_path / "t.png").read_bytes()[:4] == b"\x89PNG"


def test_swebench_set_uses_the_bug_report_and_the_fix_lines(tmp_path: Path,
                                                           monkeypatch) -> None:
    from splice.bench import swebench

    repo = tmp_path / "rel"
    (repo / "pkg").mkdir(parents=True)
    (repo / "pkg" / "hdr.py").write_text(OLD)
    task = swebench.SweTask(instance_id="acme__hdr-1", repo="acme/hdr",
                            problem_statement="parse_header keeps the quotes of a value",
                            patch=release_diff(OLD, NEW, "pkg/hdr.py"), dist="hdr",
                            version="2.0.0", split="dev")
    monkeypatch.setattr(swebench, "load_tasks", lambda split: [task])
    monkeypatch.setattr(swebench, "checkout", lambda t: repo)
    report = run_bench(BenchOptions(code="swebench", swebench_split="dev", tools=False,
                                    repeat=1))
    (case,) = report.cases
    assert case.split == "dev" and case.gold_lines == 1 and case.gold_kept == 1
    assert case.ratio < 0.5  # auto: the reached definition, not the 40 helpers
    assert report.summary.meets_code_target


def test_floor_passes_are_timed_for_code_only() -> None:
    from splice.bench.compact_sets import floor_seconds
    from splice.compact import CompactRequest

    code = "".join(f"def parse_{i}(x):\n    return x + {i}\n\n" for i in range(200))
    parse, scan = floor_seconds(CompactRequest(text=code, query="parse config", path="m.py"), 2)
    assert parse > 0 and scan > 0
    assert floor_seconds(CompactRequest(text=code, query="parse", path="notes.txt"), 2) == (0, 0)
