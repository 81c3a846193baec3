"""Shared helpers: each behaviour is tested under every isolation level.

A level that does not work on this machine is not skipped: the test asserts that asking
for it is refused with a SandboxError that says why, which is the promised behaviour.
"""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import pytest

from splice.core.errors import SandboxError
from splice.sandbox import Sandbox, probe

LEVELS = ["bwrap", "unshare", "none"]
PY = sys.executable


def make_sandbox(level: str, root: Path, **kwargs: object) -> Sandbox | None:
    """A Sandbox at `level`, or None after checking that an unavailable level is refused."""
    sandbox = Sandbox(root, isolation=level, **kwargs)  # type: ignore[arg-type]
    reason = probe()[level]  # type: ignore[index]
    if reason is None:
        assert sandbox.level() == level
        return sandbox
    with pytest.raises(SandboxError, match="not available"):
        sandbox.level()
    return None


def write_script(root: Path, name: str, body: str) -> list[str]:
    path = root / name
    path.write_text(textwrap.dedent(body))
    return [PY, str(path)]


def live_cmdlines_with(marker: str) -> list[int]:
    """Pids of live (non-zombie) processes whose command line contains `marker`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if marker.encode() in cmdline:
            found.append(int(entry))
    return found


@pytest.fixture
def root(tmp_path: Path) -> Path:
    path = tmp_path / "root"
    path.mkdir()
    return path
