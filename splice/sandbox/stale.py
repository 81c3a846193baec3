"""`splice gc`: remove what a killed run left behind.

A kill -9 skips every cleanup: the scratch folders (`splice-scratch-*` from the sandbox,
`splice-run-*` from a plain copy) stay in the temp dir and a git worktree stays registered
in the user's repo. Each scratch folder names its owner process (core/owner.py); a folder
whose owner is dead is removed, with its worktree. A folder with no owner file (made by an
older splice) goes only once it is a day old, so a run in progress is never touched.
The journal's interrupted writes are rolled back on the way (taking the writers' lock).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from pydantic import BaseModel

from splice.core import owner
from splice.core.journal import locked
from splice.sandbox.scratch import SKIP_DIRS

PREFIXES = ("splice-scratch-", "splice-run-")
# journal temps (.NAME.splice-XXXX.tmp, -back for rollbacks; older writers used 8 hex
# digits) and an older write-back's mkstemp and backup names
TEMP_NAME = re.compile(r"^\..+\.splice-[0-9a-f]{4,8}(-back)?\.tmp$"
                       r"|^\.splice-[a-z0-9_]{8}$|^\.splice-backup-.+-\d+$")
UNOWNED_AGE_S = 24 * 3600


class GcReport(BaseModel):
    repo: str
    rolled_back: list[str] = []  # interrupted writes put back: "<id> (<kind>): files"
    worktrees: list[str] = []  # git worktrees removed from the repo
    scratch: list[str] = []  # scratch folders removed from the temp dir
    temps: list[str] = []  # stray temp files a crashed writer left beside the user's files
    in_use: int = 0  # scratch folders left because their owner still runs
    unowned: int = 0  # left: no owner file (an older splice) and less than a day old

    @property
    def removed_anything(self) -> bool:
        return bool(self.rolled_back or self.worktrees or self.scratch or self.temps)

    def render(self) -> str:
        lines = [f"rolled back {r}" for r in self.rolled_back]
        lines += [f"removed worktree {w}" for w in self.worktrees]
        lines += [f"removed scratch {s}" for s in self.scratch]
        lines += [f"removed stray temp file {t}" for t in self.temps]
        if not lines:
            lines.append("nothing to remove")
        if self.in_use:
            lines.append(f"kept {self.in_use} scratch folder(s) in use by running processes")
        if self.unowned:
            lines.append(f"kept {self.unowned} scratch folder(s) with no owner recorded, "
                         "younger than a day")
        return "\n".join(lines)


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"}
    return subprocess.run(["git", "-c", "core.hooksPath=/dev/null", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)


def _stale(holder: Path) -> bool | None:
    """True: remove it; False: in use; None: not a splice scratch folder."""
    if not holder.is_dir() or holder.is_symlink() or not holder.name.startswith(PREFIXES):
        return None
    found = owner.read(holder)
    if found is not None:
        return not owner.alive(found)
    try:
        return time.time() - holder.stat().st_mtime > UNOWNED_AGE_S
    except OSError:
        return None


def _worktrees(repo: Path) -> list[Path]:
    if shutil.which("git") is None or not (repo / ".git").exists():
        return []
    done = _git(repo, "worktree", "list", "--porcelain")
    if done.returncode != 0:
        return []
    paths = [Path(line[len("worktree "):]) for line in done.stdout.splitlines()
             if line.startswith("worktree ")]
    return paths[1:]  # the first is the main work tree


def _sweep_temps(root: Path) -> list[str]:
    """Temp files of a crashed writer that no journal names (an older splice's, say)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS and not (here / d).is_symlink()]
        for name in filenames:
            if TEMP_NAME.match(name):
                path = here / name
                path.unlink(missing_ok=True)
                found.append(path.relative_to(root).as_posix())
    return sorted(found)


def collect(repo: str | os.PathLike[str], *, temp_dir: str | os.PathLike[str] | None = None,
            sweep: bool = False) -> GcReport:
    """Roll back interrupted writes in `repo`, remove its dead runs' worktrees, and the
    scratch folders in `temp_dir` (the system's) whose owner process is dead. With
    `sweep`, also walk the repo for stray temp files no journal names."""
    root = Path(repo).resolve()
    report = GcReport(repo=str(root))
    with locked(root, create=False) as held:
        report.rolled_back = [f"{r.id} ({r.kind}): {', '.join(r.restored + r.removed) or '-'}"
                              for r in held.recovered]
        if sweep:  # under the lock: no splice writer is between its temp and its rename
            report.temps = _sweep_temps(root)
    for tree in _worktrees(root):
        holder = tree.parent
        if _stale(holder) or (not tree.exists() and holder.name.startswith(PREFIXES)):
            _git(root, "worktree", "remove", "--force", str(tree))
            shutil.rmtree(holder, ignore_errors=True)
            report.worktrees.append(str(tree))
    temp = Path(temp_dir) if temp_dir is not None else Path(tempfile.gettempdir())
    prune = {root}
    for holder in sorted(temp.glob("splice-*")):
        verdict = _stale(holder)
        if verdict is None:
            continue
        if not verdict:
            if owner.read(holder) is None:
                report.unowned += 1
            else:
                report.in_use += 1
            continue
        found = owner.read(holder)
        if found is not None:
            prune.add(Path(found.repo))
        shutil.rmtree(holder, ignore_errors=True)
        report.scratch.append(str(holder))
    for repo_root in prune:
        if (repo_root / ".git").exists() and shutil.which("git"):
            _git(repo_root, "worktree", "prune")
    return report
