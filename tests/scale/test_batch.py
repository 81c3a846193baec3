"""`splice batch` end to end with the scripted provider on the demo repo."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from splice.cli import app
from tests.processes import default_sigint
from tests.scale.helpers import batch_args, batch_setup, comparable

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str]) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(app, args)
    return result.exit_code, json.loads(result.stdout)


def test_rows_errors_executor_and_resume(tmp_path: Path) -> None:
    paths = batch_setup(tmp_path)
    cart = paths["repos"] / "shop" / "shop" / "cart.py"
    before = cart.read_text()
    out = tmp_path / "out"
    code, report = _run(batch_args(paths, out))
    assert code == 1  # one task failed: the exit code says so, the batch still finished
    rows = {r["instance_id"]: r for r in report["rows"]}
    assert set(rows) == {"shop-0", "shop-1", "shop-2", "gone-1"}
    assert rows["gone-1"]["status"] == "error"
    assert "no-such-repo" in rows["gone-1"]["error"]
    for name in ("shop-0", "shop-1", "shop-2"):
        row = rows[name]
        assert row["status"] == "finished", row["error"]
        assert "+        return self.subtotal() - self.discount()" in row["diff"]
        assert "shop/cart.py" in row["changed_files"]
        assert row["usage"]["model_tokens"] > 0
        assert Path(row["trace"]).is_dir() and Path(row["trace"]).parent == out / "traces"
        assert row["executor"] == {"kind": "local", "address": None, "nodes": 1, "workers": 1}
    assert report["executor"]["kind"] == "local"
    assert report["summary"]["by_status"] == {"error": 1, "finished": 3}
    lines = (out / "results.jsonl").read_text().splitlines()
    assert len(lines) == 4
    assert cart.read_text() == before  # the fix lives in the row's diff, not the checkout

    code, again = _run(batch_args(paths, out))
    assert again["summary"]["ran_now"] == 0 and again["summary"]["skipped"] == 4
    assert len((out / "results.jsonl").read_text().splitlines()) == 4


def test_local_pool_gives_the_same_rows_as_serial(tmp_path: Path) -> None:
    paths = batch_setup(tmp_path)
    _, serial = _run(batch_args(paths, tmp_path / "serial"))
    _, pooled = _run(batch_args(paths, tmp_path / "pool", "--workers", "2"))
    assert pooled["executor"] == {"kind": "local", "address": None, "nodes": 1, "workers": 2}
    assert comparable(pooled["rows"]) == comparable(serial["rows"])


CTRL_C_TASKS = 6  # about 0.1 s each: the signal lands while some are still to run


def test_ctrl_c_stops_cleanly_and_a_rerun_resumes(tmp_path: Path) -> None:
    paths = batch_setup(tmp_path, tasks=CTRL_C_TASKS, missing=False)
    out = tmp_path / "out"
    args = [sys.executable, "-m", "splice", *batch_args(paths, out)]
    proc = subprocess.Popen(args, cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
                            preexec_fn=default_sigint)
    results = out / "results.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if results.exists() and results.read_text().count("\n") >= 1:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    written = results.read_text().splitlines()
    assert 1 <= len(written) < CTRL_C_TASKS
    assert proc.returncode == 130, err
    assert "resume" in err
    assert all(json.loads(line)["status"] == "finished" for line in written)

    code, report = _run(batch_args(paths, out))
    assert code == 0
    assert report["summary"]["skipped"] == len(written)
    assert report["summary"]["ran_now"] == CTRL_C_TASKS - len(written)
    assert sorted(r["instance_id"] for r in report["rows"]) == sorted(
        f"shop-{i}" for i in range(CTRL_C_TASKS))
