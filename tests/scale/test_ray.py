"""Ray on a real two-node local cluster (ray.cluster_utils.Cluster), never mocked.

Ray binds to the machine's interface address even when told 127.0.0.1, and test traffic
here may only reach loopback or a network namespace the test made itself: so the cluster
and everything that talks to it run under `unshare -rn` with only `lo` up. One cluster
start serves every check (it costs seconds)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from splice.cli import app
from tests.bench.tokens_fixture import header_task, make_repo, miss_task, write_tasks
from tests.scale.helpers import batch_args, batch_setup, comparable

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _namespaces_work() -> str | None:
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return "unshare or ip is not installed"
    done = subprocess.run(["unshare", "-rn", "sh", "-c", "ip link set lo up"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        return f"user network namespaces are unavailable here: {done.stderr.strip()}"
    return None


@pytest.fixture(scope="module")
def ray_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    reason = _namespaces_work()
    if reason:
        pytest.skip(f"Ray tests need a private network namespace: {reason}")
    work = tmp_path_factory.mktemp("ray")
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "RAY_USAGE_STATS_ENABLED": "0"}
    command = (f"ip link set lo up && exec {sys.executable} "
               f"{PROJECT_ROOT / 'tests/scale/ray_cluster_script.py'} {work}")
    done = subprocess.run(["unshare", "-rn", "sh", "-c", command], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stderr[-4000:]
    report = json.loads(lines[-1].removeprefix("RESULT "))
    report["work"] = str(work)
    return report


def test_two_nodes_on_loopback(ray_run: dict[str, Any]) -> None:
    info = ray_run["info"]
    assert info["kind"] == "ray" and info["nodes"] == 2 and info["workers"] == 2
    assert info["address"].startswith("127.0.0.1:")


def test_a_raising_and_a_killed_task_are_rows(ray_run: dict[str, Any]) -> None:
    faults = {i: (value, error) for i, value, error in ray_run["faults"]}
    assert faults[3] == (None, "ValueError: three is refused")
    assert faults[5][0] is None and "WorkerCrashedError" in faults[5][1]
    assert {i: v for i, (v, _) in faults.items() if i not in (3, 5)} == {
        0: 0, 1: 1, 2: 4, 4: 16, 6: 36}


def test_batch_on_ray_matches_serial(ray_run: dict[str, Any], tmp_path: Path) -> None:
    ray_batch = ray_run["batch"]
    assert ray_run["batch_exit"] == 1  # the task with no checkout is an error row
    assert ray_batch["executor"]["kind"] == "ray" and ray_batch["executor"]["nodes"] == 2
    assert all(r["executor"]["kind"] == "ray" for r in ray_batch["rows"])
    paths = batch_setup(tmp_path)
    serial = json.loads(CliRunner().invoke(app, batch_args(paths, tmp_path / "out")).stdout)
    assert comparable(ray_batch["rows"]) == comparable(serial["rows"])


def test_bench_tokens_on_ray_matches_serial(ray_run: dict[str, Any], tmp_path: Path) -> None:
    on_ray = ray_run["tokens"]
    assert ray_run["tokens_exit"] == 0
    assert on_ray["executor"]["kind"] == "ray" and on_ray["executor"]["nodes"] == 2
    make_repo(tmp_path / "repos" / "local__fixture")
    tasks = write_tasks(tmp_path / "tasks.jsonl", header_task(), miss_task())
    result = CliRunner().invoke(app, ["bench", "tokens", "--tasks", str(tasks), "--repos",
                                      str(tmp_path / "repos"), "--json", "--out",
                                      str(tmp_path / "out")])
    serial = json.loads(result.stdout)
    assert on_ray["totals"] == serial["totals"]
    assert [r["instance_id"] for r in on_ray["rows"]] == [r["instance_id"] for r in serial["rows"]]
    assert [r["policies"] for r in on_ray["rows"]] == [r["policies"] for r in serial["rows"]]
