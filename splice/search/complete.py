"""Completing a lazy index in the background: after a search answered from a partly parsed
index, a detached low-priority process parses the rest (blob store first, forked workers),
so the searches that follow find every definition parsed instead of looking for
candidates again; in a repo of POSTINGS_MIN_FILES files or more it then brings the word
postings up to date (postings.py: warm searches count their terms from them). One such process per repo at a time (a lock file next to the snapshot);
SPLICE_INDEX_BACKGROUND=0 turns it off.

    python -m splice.search.complete ROOT
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import anyio

from splice.core.repo import Repo
from splice.search.index import CACHE_VERSION, _load, build_index
from splice.search.occurrences import usable
from splice.search.ripgrep import Engine
from splice.search.store import POSTINGS_VERSION, postings_path, snapshot_path
from splice.search.symbol_index import SymbolIndex

STALE_LOCK_S = 600.0  # a lock older than this was left by a process that died
POSTINGS_MIN_FILES = 1000  # below this an rg pass is quick enough: no postings kept
RESTART_S = 60.0  # after this long a process may start another completer for a root (files
                  # added since the last one leave the postings stale until one runs)
_STARTED: set[Path] = set()  # roots this process started a completer for
_LAST_START: dict[Path, float] = {}  # root -> time.monotonic() of that start


def postings_wanted(root: Path, files: list[str]) -> bool:
    """A repo big enough for word postings (postings.py) whose postings are missing or no
    longer match its files (not one with too many folders to check: they never would)."""
    if len(files) < POSTINGS_MIN_FILES or usable(root) is not None:
        return False
    if not postings_path(root, POSTINGS_VERSION).exists():
        return True
    from splice.search import postings

    stored = postings.load(root)
    return stored is None or bool(stored.dirs)


def _lock_path(root: Path) -> Path:
    return snapshot_path(root, CACHE_VERSION).with_suffix(".lock")


def _take_lock(root: Path) -> Path | None:
    lock = _lock_path(root)
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        if lock.exists() and time.time() - lock.stat().st_mtime > STALE_LOCK_S:
            lock.unlink(missing_ok=True)
        os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        return lock
    except OSError:
        return None  # held by another completer, or no writable cache


def start(root: Path) -> bool:
    """Start a completer for `root` unless one runs, this process started one in the last
    RESTART_S, or the environment turned it off."""
    recent = root in _STARTED and time.monotonic() - _LAST_START.get(root, 0.0) < RESTART_S
    if os.environ.get("SPLICE_INDEX_BACKGROUND", "1") == "0" or recent \
            or _lock_path(root).exists():
        return False
    _STARTED.add(root)
    _LAST_START[root] = time.monotonic()
    try:
        _spawn([sys.executable, "-m", "splice.search.complete", str(root)])
    except OSError:
        return False
    return True


def _spawn(cmd: list[str]) -> None:
    """Detached: it outlives a short-lived caller (one `splice search`) and is never waited."""
    subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True,
                     cwd=Path(__file__).resolve().parents[2])


def merge_disk(index: SymbolIndex) -> None:
    """Take from the snapshot on disk what a completer parsed since this index was loaded
    (files unchanged since), so writing this index does not undo its work."""
    unparsed = index.unparsed()
    if not unparsed or index.root is None:
        return
    disk = _load(snapshot_path(index.root, CACHE_VERSION))
    if disk is None:
        return
    got = []
    for rel in unparsed:
        mine, theirs = index.files[rel], disk.files.get(rel)
        if theirs is not None and theirs.defs is not None and \
                (theirs.size, theirs.mtime_ns) == (mine.size, mine.mtime_ns):
            got.append((rel, theirs))
    index.set_entries(got)


async def complete(root: Path) -> int:
    """Parse every file of `root` the snapshot lacks; the number of files parsed (-1: another
    completer holds the lock)."""
    lock = _take_lock(root)
    if lock is None:
        return -1
    try:
        repo = Repo(root)
        files = await Engine(repo).files()
        _, report = await build_index(repo, files)
        if len(files) >= POSTINGS_MIN_FILES:
            from splice.search import postings  # numpy: not for every search's import

            await anyio.to_thread.run_sync(postings.refresh, root, files)
        return report.parsed
    finally:
        lock.unlink(missing_ok=True)


def main() -> None:
    with contextlib.suppress(OSError, AttributeError):
        os.nice(19)  # the user's searches come first
    anyio.run(complete, Path(sys.argv[1]).resolve())


if __name__ == "__main__":
    main()
