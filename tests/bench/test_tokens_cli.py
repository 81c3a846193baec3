"""`splice bench tokens`: task loading with --repos (plain and git), the CLI, --live's no-key exit."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import anyio
from typer.testing import CliRunner

from splice.bench.tasks import Task
from splice.bench.tokens.policies import SpliceSettings
from splice.bench.tokens.replay import checkout, replay_task
from splice.cli import app
from tests.bench.tokens_fixture import header_task, make_repo, miss_task, write_tasks


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def test_cli_json_on_the_fixture(tmp_path: Path) -> None:
    make_repo(tmp_path / "repos" / "local__fixture")
    tasks = write_tasks(tmp_path / "tasks.jsonl", header_task(), miss_task())
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["bench", "tokens", "--tasks", str(tasks), "--repos",
                                      str(tmp_path / "repos"), "--json", "--out", str(out),
                                      "--workers", "2", "--plot"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["tasks"] == report["tasks_scored"] == 2
    assert [r["instance_id"] for r in report["rows"]] == ["fixture-1", "fixture-2"]
    assert set(report["totals"]) == {"naive", "careful", "splice"}
    assert all(t["edit_ok"] == 2 for t in report["totals"].values())
    assert "splice_vs_naive" in report["savings"]
    assert json.loads((out / "results.json").read_text())["tasks"] == 2
    assert "| policy |" in (out / "results.md").read_text()
    assert (out / "tokens.png").stat().st_size > 0


def test_cli_names_a_missing_checkout(tmp_path: Path) -> None:
    tasks = write_tasks(tmp_path / "tasks.jsonl", header_task())
    (tmp_path / "repos").mkdir()
    result = CliRunner().invoke(app, ["bench", "tokens", "--tasks", str(tasks), "--repos",
                                      str(tmp_path / "repos"), "--json", "--out",
                                      str(tmp_path / "out")])
    assert result.exit_code == 0
    row = json.loads(result.stdout)["rows"][0]
    assert "no checkout of local/fixture" in row["error"]


def test_tasks_without_repos_is_a_usage_error(tmp_path: Path) -> None:
    tasks = write_tasks(tmp_path / "tasks.jsonl", header_task())
    result = CliRunner().invoke(app, ["bench", "tokens", "--tasks", str(tasks)])
    assert result.exit_code == 2
    assert "--tasks and --repos together" in result.stderr


def test_live_without_a_key_says_what_to_set(tmp_path: Path, monkeypatch) -> None:
    for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL",
                 "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    make_repo(tmp_path / "repos" / "local__fixture")
    tasks = write_tasks(tmp_path / "tasks.jsonl", header_task())
    result = CliRunner().invoke(app, ["bench", "tokens", "--live", "--tasks", str(tasks),
                                      "--repos", str(tmp_path / "repos")])
    assert result.exit_code != 0
    assert "ANTHROPIC_API_KEY" in result.stderr
    assert "--base-url" in result.stderr


def test_a_git_repo_is_checked_out_at_base_commit(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repos" / "local__fixture")
    _git(root, "init", "-q")
    _git(root, "-c", "user.email=t@t", "-c", "user.name=t", "add", ".")
    _git(root, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "base")
    base = _git(root, "rev-parse", "HEAD")
    core = root / "pkg" / "core.py"
    core.write_text(core.read_text().replace('key != "charset"', 'key not in ("charset",)'))
    _git(root, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qam", "later")
    task = Task.model_validate({**header_task(), "base_commit": base})
    with checkout(task, tmp_path / "repos") as tree:
        assert tree != root.resolve()
        assert 'key != "charset"' in (tree / "pkg" / "core.py").read_text()
        seen = tree
    assert not seen.exists()
    row = anyio.run(replay_task, task, tmp_path / "repos", SpliceSettings())
    assert not row.error and row.policies["splice"]["edit_ok"]
    # HEAD no longer holds the lines the gold patch changes: only base_commit fits it
    assert 'key != "charset"' not in core.read_text()
    bad = Task.model_validate({**header_task(), "base_commit": "0" * 40})
    row = anyio.run(replay_task, bad, tmp_path / "repos", SpliceSettings())
    assert "cannot check out" in row.error
