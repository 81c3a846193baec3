"""The benches give the same figures on a local pool as in this process."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from splice.cli import app
from tests.bench.test_apply_corpus_cli import fixture_corpus
from tests.bench.test_search_bench import make_taskset
from tests.bench.tokens_fixture import header_task, make_repo, miss_task, write_tasks


def _json(args: list[str]) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_bench_apply_on_a_pool_matches_serial(tmp_path: Path) -> None:
    root = fixture_corpus(tmp_path / "corpus")
    base = ["bench", "apply", "--local", str(root), "--json", "--repeat", "1"]
    serial = _json([*base, "--out", str(tmp_path / "a")])
    pooled = _json([*base, "--out", str(tmp_path / "b"), "--workers", "2"])
    assert pooled["executor"] == {"kind": "local", "address": None, "nodes": 1, "workers": 2}
    assert serial["executor"]["workers"] == 1
    outcome = lambda report: [(r["id"], r["outcome"]) for r in report["results"]]  # noqa: E731
    assert outcome(pooled) == outcome(serial) and len(outcome(serial)) == 24


def test_bench_search_on_a_pool_matches_serial(tmp_path: Path) -> None:
    tasks, repos = make_taskset(tmp_path)
    base = ["bench", "search", "--tasks", str(tasks), "--repos", str(repos), "--json"]
    serial = _json([*base, "--out", str(tmp_path / "a.json")])
    pooled = _json([*base, "--out", str(tmp_path / "b.json"), "--workers", "2"])
    assert pooled["executor"]["workers"] == 2
    pick = lambda b: [(r["instance_id"], r["top1"], r["top5"], r["line_recall"],  # noqa: E731
                       r["found_files"]) for r in b["rows"]]
    assert pick(pooled) == pick(serial)


def test_bench_tokens_on_a_pool_matches_serial(tmp_path: Path) -> None:
    make_repo(tmp_path / "repos" / "local__fixture")
    tasks = write_tasks(tmp_path / "tasks.jsonl", header_task(), miss_task())
    base = ["bench", "tokens", "--tasks", str(tasks), "--repos", str(tmp_path / "repos"),
            "--json"]
    serial = _json([*base, "--out", str(tmp_path / "a")])
    pooled = _json([*base, "--out", str(tmp_path / "b"), "--workers", "2"])
    assert pooled["executor"]["workers"] == 2
    assert pooled["totals"] == serial["totals"]
    assert [r["policies"] for r in pooled["rows"]] == [r["policies"] for r in serial["rows"]]


def test_bench_compact_on_a_pool_matches_serial(tmp_path: Path) -> None:
    from tests.bench.test_compact_bench import _task_fixture

    tasks, repos = _task_fixture(tmp_path)
    base = ["bench", "compact", "--tasks", str(tasks), "--repos", str(repos),
            "--no-test-output", "--repeat", "1", "--json"]
    serial = _json([*base, "--out", str(tmp_path / "a.json")])
    pooled = _json([*base, "--out", str(tmp_path / "b.json"), "--workers", "2"])
    assert pooled["executor"]["workers"] == 2 and serial["executor"]["workers"] == 1
    pick = lambda r: [(c["name"], c["tokens_after"], c["gold_kept"]) for c in r["cases"]]  # noqa: E731
    assert pick(pooled) == pick(serial) and pick(serial)
