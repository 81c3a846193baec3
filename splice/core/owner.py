"""Who owns a scratch folder: a small file naming the process, so `splice gc` can tell a
folder in use from one a kill -9 left behind."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from pydantic import BaseModel, ValidationError

OWNER_FILE = ".splice-owner.json"


class Owner(BaseModel):
    pid: int
    started: int | None  # the process's start time (clock ticks since boot): pid reuse check
    repo: str  # the repository the scratch was made from


def process_start(pid: int) -> int | None:
    """Field 22 of /proc/PID/stat, or None where there is no /proc or no such process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(raw.rsplit(")", 1)[1].split()[19])


def mark(holder: Path, repo: Path) -> None:
    """Record this process as the owner of `holder` (a folder outside the scratch tree)."""
    owner = Owner(pid=os.getpid(), started=process_start(os.getpid()), repo=str(repo))
    (holder / OWNER_FILE).write_text(owner.model_dump_json())


def read(holder: Path) -> Owner | None:
    try:
        return Owner.model_validate_json((holder / OWNER_FILE).read_text())
    except (OSError, ValidationError):
        return None


def alive(owner: Owner) -> bool:
    """The owning process still runs (the same one, not a later process with its pid)."""
    try:
        os.kill(owner.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    started = process_start(owner.pid)
    with contextlib.suppress(TypeError):
        return owner.started is None or started is None or started == owner.started
    return True
