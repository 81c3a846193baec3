"""The kill -9 probe: kill a multi-file write at a random moment, then check what the
next splice command leaves.

Each trial forks a child that runs one write (a multi-file apply, the same with slowed
renames, an undo, or a run's write-back) and SIGKILLs it after a delay drawn uniformly
from 0 to 1.2 x that write's measured duration. Then the next splice command runs (in
process, or `python -m splice gc` as a real subprocess every `cli_every` trials) and:

- the tree must be exactly the before- or the after-state (bytes and modes): no mix;
- no temp file may be left beside the user's files, no unfinished journal in .splice/;
- `undo` must then bring back the before-state exactly (or say there is nothing to undo
  when the tree already is it).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

from splice.bench.safety.tree import Snapshot, snapshot, stray_temps

MODES = ("apply", "apply-slow", "undo", "writeback", "apply-cli")
SHARE = {"apply": 0.4, "apply-slow": 0.3, "undo": 0.15, "writeback": 0.15}
# kill delay as a share of the median duration: a real `python -m splice apply` spends
# most of its life starting up, so its kills are drawn from the later part
WINDOW = {"apply-cli": (0.5, 1.05)}
SLOW_RENAME_S = 0.002


def _module(i: int) -> str:
    return "".join(f"def f{i}_{k}(x):\n    return x + {k}\n\n" for k in range(60))


def seed_tree(root: Path) -> None:
    """Nine files the write changes, one it deletes, one it moves into a new folder."""
    root.mkdir(parents=True, exist_ok=True)
    for i in range(6):
        (root / f"m{i}.py").write_text(_module(i))
    (root / "pkg").mkdir(exist_ok=True)
    for name in ("a", "b"):
        (root / "pkg" / f"{name}.py").write_text(_module(ord(name)))
    (root / "run.sh").write_text("#!/bin/sh\necho one\n")
    (root / "run.sh").chmod(0o755)
    (root / "old.py").write_text("OLD = 1\n")
    (root / "mv.py").write_text("MOVED = 1\n")


def _hunk(i: int) -> str:
    return f"@@\n def f{i}_3(x):\n-    return x + 3\n+    return x + 300\n"


PATCH = ("*** Begin Patch\n"
         + "".join(f"*** Update File: m{i}.py\n{_hunk(i)}" for i in range(6))
         + "".join(f"*** Update File: pkg/{n}.py\n{_hunk(ord(n))}" for n in ("a", "b"))
         + "*** Update File: run.sh\n@@\n-echo one\n+echo two\n"
         + "*** Add File: new/deep/n.py\n+NEW = 1\n"
         + "*** Delete File: old.py\n"
         + "*** Update File: mv.py\n*** Move to: lib/mv.py\n@@\n-MOVED = 1\n+MOVED = 2\n"
         + "*** End Patch\n")


class ModeStats(BaseModel):
    trials: int = 0
    finished_before_kill: int = 0  # the child was done before the signal came
    rolled_back: int = 0  # the next command rolled an interrupted write back
    ended_before: int = 0  # tree == before-state after the next command
    ended_after: int = 0  # tree == after-state after the next command
    mixed: int = 0  # anything else (must be 0)
    stray_temps: int = 0  # trials leaving temp files (must be 0)
    unfinished_journals: int = 0  # trials leaving a journal without commit (must be 0)
    undo_wrong: int = 0  # undo did not give back the before-state exactly (must be 0)
    untyped: int = 0  # exceptions that were not SpliceError (must be 0)
    via_cli: int = 0  # trials whose next command was `python -m splice gc`
    median_write_ms: float = 0.0


class KillsReport(BaseModel):
    kills: int
    seed: int
    modes: dict[str, ModeStats]
    mixed: int
    stray_temps: int
    unfinished_journals: int
    undo_wrong: int
    untyped: int
    notes: list[str] = []


def _restore(root: Path, snap: Snapshot) -> None:
    for child in root.iterdir():
        if child.name == ".splice":
            shutil.rmtree(child)
        elif child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    for rel, (kind, data, mode) in sorted(snap.items()):
        full = root / rel
        if kind == "dir":
            full.mkdir(exist_ok=True)
        elif kind == "file":
            full.parent.mkdir(parents=True, exist_ok=True)
            full.write_bytes(data)
            full.chmod(mode)


class _Setup:
    """The before/after states and the action per mode, measured once."""

    def __init__(self, work: Path) -> None:
        from splice.apply import Edit, apply_edits

        self.root = work / "repo"
        self.patch_file = work / "edit.patch"
        self.patch_file.write_text(PATCH)
        seed_tree(self.root)
        self.before = snapshot(self.root, skip_state=True)
        apply_edits(self.root, [Edit(None, PATCH)])
        self.after = snapshot(self.root, skip_state=True)
        self.changes: dict[str, bytes | None] = {}
        for rel in self.before.keys() | self.after.keys():
            old, new = self.before.get(rel), self.after.get(rel)
            entry = new or old
            if old != new and entry is not None and entry[0] == "file":
                self.changes[rel] = None if new is None else new[1]
        self.baseline = {rel: _sha(self.before[rel][1]) if rel in self.before else None
                         for rel in self.changes}

    def prepare(self, mode: str) -> None:
        _restore(self.root, self.before)
        if mode == "undo":
            from splice.apply import Edit, apply_edits

            apply_edits(self.root, [Edit(None, PATCH)])

    def action(self, mode: str) -> Callable[[], object]:
        from splice.agent.workspace import commit_changes
        from splice.apply import Edit, apply_edits, undo

        if mode in ("apply", "apply-slow"):
            return lambda: apply_edits(self.root, [Edit(None, PATCH)])
        if mode == "undo":
            return lambda: undo(self.root)
        return lambda: commit_changes(self.root, self.changes, self.baseline)


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _slow_renames() -> None:
    from splice.core import journal

    real = journal.replace_file

    def slow(rd: object, tmp: str, rel: str) -> None:
        time.sleep(SLOW_RENAME_S)
        real(rd, tmp, rel)  # type: ignore[arg-type]

    journal.replace_file = slow  # type: ignore[assignment]


def _fork_and_kill(action: Callable[[], object], slow: bool, delay: float | None
                   ) -> tuple[bool, float]:
    """Run `action` in a child; kill it after `delay` (None: let it finish).

    Returns (finished on its own, seconds from start to exit or kill)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: signal readiness, write, leave without cleanup
        os.close(r)
        code = 0
        try:
            if slow:
                _slow_renames()
            os.write(w, b"x")
            action()
        except BaseException:  # noqa: BLE001 - the parent judges the tree, not the child
            code = 1
        os._exit(code)
    os.close(w)
    os.read(r, 1)
    os.close(r)
    start = time.perf_counter()
    if delay is not None:
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return os.WIFEXITED(status), time.perf_counter() - start


def _spawn_and_kill(cmd: list[str], cwd: Path, delay: float | None) -> tuple[bool, float]:
    """Run a real process; SIGKILL it after `delay` (None: let it finish)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=delay)
        finished = True
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        finished = False
    return finished, time.perf_counter() - start


def _run_write(setup: _Setup, mode: str, delay: float | None, project: Path
               ) -> tuple[bool, float]:
    if mode == "apply-cli":
        cmd = [sys.executable, "-m", "splice", "apply", "--repo", str(setup.root), "--edit",
               str(setup.patch_file), "--json"]
        return _spawn_and_kill(cmd, project, delay)
    return _fork_and_kill(setup.action(mode), mode == "apply-slow", delay)


def _next_command(root: Path, via_cli: bool, project: Path) -> int:
    """Run the next splice command; returns how many writes it rolled back."""
    if via_cli:
        done = subprocess.run([sys.executable, "-m", "splice", "gc", "--repo", str(root),
                               "--json"], cwd=project, capture_output=True, text=True,
                              check=True)
        import json

        return len(json.loads(done.stdout)["rolled_back"])
    from splice.core.journal import locked

    with locked(root, create=False) as held:
        return len(held.recovered)


def _unfinished(root: Path) -> int:
    from splice.core.dirfd import RootDir
    from splice.core.journal import JOURNALS, is_committed, journal_ids, read_manifest

    with RootDir(root) as rd:
        left = 0
        for name in journal_ids(rd):
            manifest = read_manifest(rd, f"{JOURNALS}/{name}")
            if manifest is None or not is_committed(rd, f"{JOURNALS}/{name}", manifest):
                left += 1
        return left


def _trial(setup: _Setup, mode: str, delay: float, via_cli: bool, project: Path,
           stats: ModeStats) -> None:
    from splice.apply import NothingToUndo, undo
    from splice.core.errors import SpliceError

    setup.prepare(mode)
    finished, _ = _run_write(setup, mode, delay, project)
    stats.trials += 1
    stats.finished_before_kill += finished
    stats.via_cli += via_cli
    root = setup.root
    try:
        stats.rolled_back += _next_command(root, via_cli, project) > 0
    except (SpliceError, subprocess.CalledProcessError):
        stats.untyped += 0  # a typed refusal; the tree checks below still judge it
    except Exception:  # noqa: BLE001 - counted
        stats.untyped += 1
    now = snapshot(root, skip_state=True)
    stats.stray_temps += bool(stray_temps(root))
    stats.unfinished_journals += bool(_unfinished(root))
    if now == setup.before:
        stats.ended_before += 1
    elif now == setup.after:
        stats.ended_after += 1
    else:
        stats.mixed += 1
        return
    try:
        undo(root)
        stats.undo_wrong += snapshot(root, skip_state=True) != setup.before
    except NothingToUndo:
        stats.undo_wrong += now != setup.before
    except SpliceError:
        stats.undo_wrong += 1
    except Exception:  # noqa: BLE001 - counted
        stats.untyped += 1


def run_kills(kills: int, *, seed: int = 0, cli_every: int = 25, cli_kills: int = 0,
              project: Path | None = None) -> KillsReport:
    """`kills` forked writers shared among the modes, plus `cli_kills` real
    `python -m splice apply` processes."""
    rng = random.Random(seed)
    project = project or Path.cwd()
    counts = {m: max(1, round(kills * SHARE[m])) for m in SHARE}
    counts["apply"] += kills - sum(counts.values())
    counts["apply-cli"] = cli_kills
    modes = {m: ModeStats() for m in MODES if counts[m]}
    with tempfile.TemporaryDirectory(prefix="splice-kills-") as tmp:
        setup = _Setup(Path(tmp))
        n = 0
        for mode in MODES:
            if not counts[mode]:
                continue
            spans = []
            for _ in range(5 if mode != "apply-cli" else 3):
                setup.prepare(mode)
                spans.append(_run_write(setup, mode, None, project)[1])
            span = statistics.median(spans)
            modes[mode].median_write_ms = round(span * 1000, 2)
            low, high = WINDOW.get(mode, (0.0, 1.2))
            for _ in range(counts[mode]):
                n += 1
                _trial(setup, mode, rng.uniform(low * span, high * span),
                       cli_every > 0 and n % cli_every == 0, project, modes[mode])
    total = {k: sum(getattr(s, k) for s in modes.values())
             for k in ("mixed", "stray_temps", "unfinished_journals", "undo_wrong", "untyped")}
    return KillsReport(kills=sum(s.trials for s in modes.values()), seed=seed, modes=modes,
                       **total)
