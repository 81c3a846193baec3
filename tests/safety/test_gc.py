"""What a killed run leaves (a git worktree, scratch copies) goes with the next run or gc."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from splice.core import owner
from splice.sandbox.stale import collect

PROJECT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _git_repo(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "app.py").write_text("X = 1\n")
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "init"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return root


def _worktrees(root: Path) -> list[str]:
    out = subprocess.run(["git", "worktree", "list", "--porcelain"], cwd=root, check=True,
                         capture_output=True, text=True).stdout
    return [line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("worktree ")]


def _scratch_then_die(repo: Path, parent: Path) -> Path:
    """A child makes a ScratchTree (a git worktree) and is killed with SIGKILL."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            from splice.sandbox import ScratchTree

            tree = ScratchTree.create(repo, parent_dir=parent)
            os.write(w, str(tree.path).encode())
            os.close(w)
            signal.pause()
        finally:
            os._exit(0)
    os.close(w)
    path = Path(os.read(r, 4096).decode())
    os.close(r)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return path


def test_gc_removes_a_dead_runs_worktree_and_keeps_a_live_one(tmp_path: Path) -> None:
    from splice.sandbox import ScratchTree

    repo = _git_repo(tmp_path / "repo")
    scratch_dir = tmp_path / "tmp"
    scratch_dir.mkdir()
    dead = _scratch_then_die(repo, scratch_dir)
    assert dead.exists() and str(dead) in _worktrees(repo)  # what kill -9 leaves
    with ScratchTree.create(repo, parent_dir=scratch_dir) as live:
        report = collect(repo, temp_dir=scratch_dir)
        assert report.worktrees == [str(dead)]
        assert report.in_use == 1
        assert not dead.parent.exists()
        assert live.path.exists() and str(live.path) in _worktrees(repo)
    assert _worktrees(repo) == [str(repo.resolve())]
    again = collect(repo, temp_dir=scratch_dir)
    assert not again.removed_anything


def test_gc_removes_a_dead_copy_and_an_old_unowned_one(tmp_path: Path) -> None:
    repo = tmp_path / "plain"
    repo.mkdir()
    scratch_dir = tmp_path / "tmp"
    scratch_dir.mkdir()
    dead = Path(tempfile.mkdtemp(prefix="splice-run-", dir=scratch_dir))
    pid = os.fork()
    if pid == 0:
        owner.mark(dead, repo)
        os._exit(0)
    os.waitpid(pid, 0)  # the owner has exited: its folder is garbage
    old = Path(tempfile.mkdtemp(prefix="splice-scratch-", dir=scratch_dir))
    os.utime(old, (0, 0))
    young = Path(tempfile.mkdtemp(prefix="splice-scratch-", dir=scratch_dir))
    unrelated = scratch_dir / "someone-else"
    unrelated.mkdir()
    report = collect(repo, temp_dir=scratch_dir)
    assert sorted(report.scratch) == sorted([str(dead), str(old)])
    assert report.unowned == 1
    assert young.exists() and unrelated.exists()


def test_gc_command_json_and_the_run_does_it_first(tmp_path: Path) -> None:
    repo = _git_repo(tmp_path / "repo")
    dead = _scratch_then_die(repo, Path(tempfile.gettempdir()))
    done = subprocess.run([sys.executable, "-m", "splice", "gc", "--repo", str(repo), "--json"],
                          cwd=PROJECT, capture_output=True, text=True, check=True)
    payload = json.loads(done.stdout)
    assert str(dead) in payload["worktrees"]
    assert not dead.exists()

    from rich.console import Console

    from splice.commands.display.run_flow import _collect_garbage
    from splice.core.repo import Repo

    dead = _scratch_then_die(repo, Path(tempfile.gettempdir()))
    console = Console(record=True, width=200)
    _collect_garbage(Repo(repo), console)
    assert f"removed worktree {dead}" in console.export_text()
    assert _worktrees(repo) == [str(repo.resolve())]


def test_gc_sweeps_temp_files_no_journal_names(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "pkg").mkdir(parents=True)
    (repo / "app.py").write_text("X = 1\n")
    strays = ["pkg/.mod.py.splice-1a2b3c4d.tmp", ".app.py.splice-beef.tmp", ".splice-k2j4_x9q",
              "pkg/.splice-backup-mod.py-4242"]
    keep = ["pkg/notes.tmp", ".splicerc", "pkg/.mod.py.splice-zz.tmp"]
    for rel in strays + keep:
        (repo / rel).write_text("x")
    report = collect(repo, temp_dir=tmp_path / "none", sweep=True)
    assert report.temps == sorted(strays)
    assert all((repo / rel).exists() for rel in keep)
    assert not any((repo / rel).exists() for rel in strays)
