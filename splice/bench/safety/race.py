"""The symlink race: another process keeps swapping a folder of the repo for a symlink to
a folder outside, while splice writes into it.

The attacker loops: rename `pkg` away, put a symlink `pkg -> ../outside` in its place,
then swap back. The writer applies edits into `pkg/` (a whole file, a patch that adds a
file, a patch that moves one in). Outcome decided up front: every try either writes
inside the repo or fails with a typed SpliceError; the outside folder never changes.
"""

from __future__ import annotations

import ctypes
import os
import signal
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

from splice.bench.safety.tree import stray_temps

AT_FDCWD = -100
RENAME_EXCHANGE = 2
CANARY = "OUTSIDE = 'untouched'\n"


class RaceReport(BaseModel):
    tries: int
    written: int  # tries that wrote (inside the repo)
    refused: int  # tries that failed with a typed error
    outside_writes: int  # tries after which the outside folder had changed (must be 0)
    untyped: int  # exceptions that were not SpliceError (must be 0)
    untyped_kinds: dict[str, int] = {}
    swaps: int  # how many times the attacker swapped the folder (counted in 256s)
    fsync: bool = True
    stray_temps_after_recovery: int
    seconds: float


def _exchange() -> Callable[[Path, Path], None] | None:
    """renameat2(RENAME_EXCHANGE): swap two entries atomically (Linux, glibc 2.28+)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return None

    def swap(a: Path, b: Path) -> None:
        if fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) != 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err))

    return swap


def _attack(root: Path, outside: Path) -> None:
    """Swap root/pkg for a link to `outside` and back, forever (a child process).

    With renameat2 the folder and the link trade places atomically, so `pkg` is never
    missing; without it, three renames do the same with a short gap."""
    pkg, real, link = root / "pkg", root / ".pkg-real", root / ".pkg-link"
    swaps = 0
    counter = root.parent / "swaps"
    swap = _exchange()
    os.symlink(outside, link)
    while True:
        try:
            if swap is not None:
                swap(pkg, link)  # pkg is now the link, .pkg-link the folder
                swaps += 1
                swap(pkg, link)  # and back
            else:
                os.rename(pkg, real)
                os.rename(link, pkg)
                swaps += 1
                os.rename(pkg, link)
                os.rename(real, pkg)
        except OSError:
            _repair(pkg, real, link)
            if not link.is_symlink() and not link.exists():
                os.symlink(outside, link)
        if swaps % 256 == 0:
            counter.write_text(str(swaps))


def _repair(pkg: Path, real: Path, link: Path) -> None:
    """Put the real folder back as `pkg` (after an interrupted swap, or at the end)."""
    try:
        if pkg.is_symlink() and link.is_dir() and not link.is_symlink():
            os.rename(link, real)
        if link.is_symlink():
            link.unlink()
        if pkg.is_symlink():
            pkg.unlink()
        if real.is_dir():
            if pkg.is_dir():
                for entry in pkg.iterdir():
                    os.replace(entry, real / entry.name)
                pkg.rmdir()
            os.rename(real, pkg)
    except OSError:
        pass  # the next round tries again


def _outside_state(outside: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in outside.iterdir()}


def naive_write(root: Path, edit: object) -> None:
    """The baseline: check the path (realpath inside the root), then write by path, as
    a check-then-use writer does. Only whole-file edits; it shows the probe can fail."""
    from splice.core.repo import Repo

    rel = getattr(edit, "path", None)
    if rel is None:
        return
    target = Repo(root).resolve(rel)
    target.write_text(getattr(edit, "edit", ""))


def run_race(tries: int, *, baseline: bool = False, fsync: bool = True) -> RaceReport:
    """`tries` edits into a folder being swapped; with baseline, by `naive_write`.

    fsync=False turns fsync into a no-op in this process: durability has nothing to do
    with where a write lands, and without the flushes (which stall the attacker's renames
    on the file system journal) the attacker swaps many times per write."""
    if not fsync:
        os.fsync = lambda fd: None  # type: ignore[assignment]
    from splice.apply import Edit, apply_edits
    from splice.core.errors import SpliceError
    from splice.core.journal import locked

    # tmpfs when there is one: metadata operations there are fast, so the attacker swaps
    # the folder far more often per write than on a journaling disk
    shm = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="splice-race-", dir=shm) as tmp:
        base = Path(tmp)
        root, outside = base / "repo", base / "outside"
        (root / "pkg").mkdir(parents=True)
        outside.mkdir()
        (root / "pkg" / "mod.py").write_text("X = 0\n")
        (root / "top.py").write_text("TOP = 0\n")
        (outside / "mod.py").write_text(CANARY)
        before = _outside_state(outside)
        with locked(root):
            pass
        pid = os.fork()
        if pid == 0:
            try:
                _attack(root, outside)
            finally:
                os._exit(0)
        written = refused = outside_writes = untyped = 0
        kinds: dict[str, int] = {}
        start = time.perf_counter()
        try:
            for i in range(tries):
                kind = i % 3
                if kind == 0:
                    edit = Edit("pkg/mod.py", f"X = {i}\n", "whole")
                elif kind == 1:
                    edit = Edit(None, f"*** Begin Patch\n*** Add File: pkg/new{i}.py\n+N = {i}\n"
                                      "*** End Patch\n")
                else:
                    (root / "top.py").write_text(f"TOP = {i}\n")
                    edit = Edit(None, f"*** Begin Patch\n*** Update File: top.py\n"
                                      f"*** Move to: pkg/moved{i}.py\n@@\n-TOP = {i}\n"
                                      f"+TOP = -{i}\n*** End Patch\n")
                try:
                    if baseline:
                        naive_write(root, edit)
                    else:
                        apply_edits(root, [edit])
                    written += 1
                except SpliceError:
                    refused += 1
                except Exception as exc:  # noqa: BLE001 - the probe counts these
                    untyped += 1
                    kinds[type(exc).__name__] = kinds.get(type(exc).__name__, 0) + 1
                if _outside_state(outside) != before:
                    outside_writes += 1
                    for p in outside.iterdir():
                        if p.name != "mod.py":
                            p.unlink()
                    (outside / "mod.py").write_text(CANARY)
        finally:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        seconds = time.perf_counter() - start
        _repair(root / "pkg", root / ".pkg-real", root / ".pkg-link")
        with locked(root):
            pass  # the next splice command: recovers anything half done
        swaps_file = base / "swaps"
        swaps = int(swaps_file.read_text()) if swaps_file.exists() else 0
        return RaceReport(tries=tries, written=written, refused=refused,
                          outside_writes=outside_writes, untyped=untyped, untyped_kinds=kinds,
                          swaps=swaps, fsync=fsync, stray_temps_after_recovery=len(stray_temps(root)),
                          seconds=round(seconds, 2))
