"""Ctrl-C during a model call: exit 130, the run marked interrupted, the way back printed."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.agent.fake_servers import FakeAPI, message, tool_use
from tests.agent.helpers import make_repo
from tests.processes import default_sigint

ROOT = Path(__file__).resolve().parents[2]


def test_sigint_mid_run(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    slow = message(tool_use("late", "finish", summary="late"))
    slow.delay_s = 30
    with FakeAPI([message(tool_use("r", "read", path="calc.py")), slow]) as api:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC", "OPENAI"))}
        env.update(ANTHROPIC_API_KEY="sk-ant-fake-key-0123456789abcdef",
                   ANTHROPIC_BASE_URL=api.url, COLUMNS="200")
        proc = subprocess.Popen(
            [sys.executable, "-m", "splice", "run", "fix add", "--repo", str(repo),
             "--model", "claude-sonnet-4-6"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            preexec_fn=default_sigint)
        deadline = time.monotonic() + 30
        while len(api.requests) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, (out, err)
    assert "interrupted" in err and "splice run --resume" in err
    run = next((repo / ".splice" / "runs").iterdir())
    checkpoint = json.loads((run / "checkpoint.json").read_text())
    assert checkpoint["status"] == "interrupted" and checkpoint["step"] == 1
    for f in run.iterdir():
        assert "sk-ant-fake-key" not in f.read_text()
    assert "return a - b" in (repo / "calc.py").read_text()
