"""The package type-checks: "types everywhere" holds only while something checks them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_mypy_finds_no_errors_in_the_package(tmp_path: Path) -> None:
    # the config (pyproject's [tool.mypy], with the pydantic plugin) is the project's own;
    # the cache goes to tmp so the run leaves the checkout as it was
    done = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path), "splice"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
