"""Snapshots of a whole tree (bytes, modes, links) and the fixture repos the probes use."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

# path -> ("file", bytes, mode) | ("link", target, 0) | ("dir", b"", mode)
Snapshot = dict[str, tuple[str, bytes, int]]

APP_PY = "def main():\n    return 1\n"
OTHER_PY = "def helper():\n    return 2\n"
HOOK_SAMPLE = "#!/bin/sh\necho sample hook\n"


def snapshot(root: Path, *, skip_state: bool = False) -> Snapshot:
    """Every entry under root, .git included; `.splice/` left out when skip_state."""
    out: Snapshot = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if skip_state and here == root and ".splice" in dirnames:
            dirnames.remove(".splice")
        for name in [*dirnames, *filenames]:
            full = here / name
            rel = full.relative_to(root).as_posix()
            st = full.lstat()
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", os.readlink(full).encode(), 0)
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("dir", b"", st.st_mode & 0o7777)
            else:
                out[rel] = ("file", full.read_bytes(), st.st_mode & 0o7777)
    return out


def stray_temps(root: Path) -> list[str]:
    """Temp files a write left beside the user's files (anything under .splice/ aside)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        if Path(dirpath) == root and ".splice" in dirnames:
            dirnames.remove(".splice")
        for name in filenames:
            if ".splice-" in name or name.endswith(".tmp"):
                found.append((Path(dirpath) / name).relative_to(root).as_posix())
    return found


def make_git_repo(root: Path) -> Path:
    """A small git repo with a sample hook, a config, two modules and tempting links."""
    root.mkdir(parents=True, exist_ok=True)
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(root)], check=True, capture_output=True)
    hooks = root / ".git" / "hooks"
    hooks.mkdir(parents=True, exist_ok=True)
    sample = hooks / "pre-commit.sample"
    sample.write_text(HOOK_SAMPLE)
    sample.chmod(0o755)
    if not (root / ".git" / "config").exists():
        (root / ".git" / "config").write_text("[core]\n\tbare = false\n")
    (root / "app.py").write_text(APP_PY)
    (root / "other.py").write_text(OTHER_PY)
    (root / "a").mkdir(exist_ok=True)
    (root / "a" / "keep.txt").write_text("keep\n")
    (root / "sub" / ".git").mkdir(parents=True, exist_ok=True)
    (root / "sub" / ".git" / "config").write_text("[core]\n")
    (root / "secrets").mkdir(exist_ok=True)
    (root / "secrets" / "key.txt").write_text("not for edits\n")
    (root / "pyproject.toml").write_text('[tool.splice]\nprotected = ["secrets"]\n')
    (root / "x").symlink_to(".git")
    (root / "hooks").symlink_to(".git/hooks")
    (root / "cfg").symlink_to(".git/config")
    return root
