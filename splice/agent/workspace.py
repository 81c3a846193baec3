"""Where a run works: a scratch copy of the user's tree, and the one way back.

The loop only needs the small `Workspace` protocol. `CopyWorkspace` is a plain temp copy
(what tests use, and the fallback anywhere); the sandbox's ScratchTree (a git worktree
where possible) is adapted to the same protocol in splice.agent.toolset. The user's
tree changes only through `commit_changes`: every file or none, and only files the user
has not touched since the copy was taken.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol, runtime_checkable

from splice.core import owner
from splice.core.errors import SpliceError, WriteFailed
from splice.core.journal import FileWrite, commit, locked
from splice.core.protect import load_patterns, protected_reason

# Never copied, never compared, never written back.
SKIP_DIRS = frozenset({".git", ".splice", ".hg", ".svn", "__pycache__", ".pytest_cache",
                       ".mypy_cache", ".ruff_cache", "node_modules", ".venv", ".tox"})

RUN_PREFIX = "splice-run-"
Changes = dict[str, bytes | None]  # relpath -> new bytes, or None for a deleted file


@runtime_checkable
class Workspace(Protocol):
    """A scratch tree the tools act in, and what differs from the user's tree."""

    @property
    def root(self) -> Path: ...

    @property
    def source(self) -> Path: ...

    def changes(self) -> Changes: ...

    def diff(self) -> str: ...

    def restore(self, changes: Mapping[str, bytes | None]) -> None: ...

    def commit(self) -> list[str]: ...

    def cleanup(self) -> None: ...


def walk_files(root: Path) -> dict[str, Path]:
    """Relative POSIX path -> absolute path of every regular file, skipping SKIP_DIRS."""
    out: dict[str, Path] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in filenames:
            full = Path(dirpath) / name
            if full.is_symlink() or not full.is_file():
                continue
            out[full.relative_to(root).as_posix()] = full
    return out


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def unified_diff(source: Path, changes: Mapping[str, bytes | None]) -> str:
    """A git-style unified diff of `changes` against the files under `source`."""
    parts: list[str] = []
    for rel in sorted(changes):
        old_path = source / rel
        old = old_path.read_bytes() if old_path.is_file() else None
        new = changes[rel]
        old_text = _as_text(old)
        new_text = _as_text(new)
        if old_text is None or new_text is None:
            parts.append(f"Binary files a/{rel} and b/{rel} differ\n")
            continue
        diff = difflib.unified_diff(
            old_text.splitlines(keepends=True) if old is not None else [],
            (new_text or "").splitlines(keepends=True) if new is not None else [],
            fromfile=f"a/{rel}" if old is not None else "/dev/null",
            tofile=f"b/{rel}" if new is not None else "/dev/null",
        )
        for line in diff:
            parts.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(parts)


def _as_text(data: bytes | None) -> str | None:
    if data is None:
        return ""
    if b"\x00" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


def commit_changes(source: Path, changes: Mapping[str, bytes | None],
                   baseline: Mapping[str, str | None]) -> list[str]:
    """Write `changes` into `source`: all files or none, journaled so `splice undo` takes
    the run back and a kill -9 part-way is rolled back by the next splice command.

    `baseline` maps each path to the sha256 it had when the scratch copy was taken (None:
    it did not exist). A file the user changed since is refused before anything is written;
    protected paths (.git/, .splice/, the repo's own) are refused by the writer.
    """
    source = Path(source)
    with locked(source) as held:
        moved: list[str] = []
        currents: dict[str, bytes | None] = {}
        writes: list[FileWrite] = []
        for rel in sorted(changes):
            try:
                now = held.rd.read(rel)
            except OSError as exc:
                raise WriteFailed(f"cannot read {rel} in your tree: {exc.strerror or exc}",
                                  hint="Nothing was written.", path=rel) from exc
            if (None if now is None else digest(now)) != baseline.get(rel):
                moved.append(rel)
            currents[rel] = now
            writes.append(FileWrite(rel, changes[rel]))
        if moved:
            raise SpliceError(
                f"refusing to apply: {len(moved)} file(s) changed in your tree while the run "
                f"worked: {', '.join(moved[:5])}",
                hint="Nothing was written. Re-run the task on the current tree.",
                details={"changed_meanwhile": moved})
        commit(held.rd, writes, currents, kind="run", patterns=load_patterns(source))
    return sorted(changes)


class TrackedWorkspace:
    """A scratch tree plus the sha256 of each file it started with.

    Changes are what differs from that start; committing refuses any file the user
    changed meanwhile. `on_cleanup` removes the tree (a temp dir, a git worktree).
    """

    def __init__(self, source: Path, root: Path, baseline: dict[str, str],
                 on_cleanup: Callable[[], None] | None = None) -> None:
        self._source = Path(source).resolve()
        self._root = Path(root)
        self._baseline = baseline
        self._on_cleanup = on_cleanup

    @classmethod
    def around(cls, source: str | os.PathLike[str], root: str | os.PathLike[str],
               on_cleanup: Callable[[], None] | None = None) -> TrackedWorkspace:
        """Track an already-made scratch tree (the sandbox's ScratchTree, say)."""
        baseline = {rel: digest(full.read_bytes()) for rel, full in walk_files(Path(root)).items()}
        return cls(Path(source), Path(root), baseline, on_cleanup)

    @property
    def root(self) -> Path:
        return self._root

    @property
    def source(self) -> Path:
        return self._source

    def changes(self) -> Changes:
        """What differs from the start; protected paths (a `.GIT/` the run made, say) are
        never part of it, so they never reach the user's tree."""
        now = walk_files(self._root)
        patterns = load_patterns(self._source)
        now = {rel: full for rel, full in now.items() if protected_reason(rel, patterns) is None}
        out: Changes = {}
        for rel, full in now.items():
            data = full.read_bytes()
            if self._baseline.get(rel) != digest(data):
                out[rel] = data
        for rel in self._baseline:
            if rel not in now and protected_reason(rel, patterns) is None:
                out[rel] = None
        return out

    def diff(self) -> str:
        return unified_diff(self._source, self.changes())

    def restore(self, changes: Mapping[str, bytes | None]) -> None:
        """Replay saved changes onto this fresh copy (resuming a run)."""
        for rel, data in changes.items():
            target = self._root / rel
            if data is None:
                target.unlink(missing_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)

    def commit(self) -> list[str]:
        changes = self.changes()
        baseline: dict[str, str | None] = {rel: self._baseline.get(rel) for rel in changes}
        return commit_changes(self._source, changes, baseline)

    def cleanup(self) -> None:
        if self._on_cleanup is not None:
            self._on_cleanup()


class CopyWorkspace(TrackedWorkspace):
    """A temp-directory copy of `source`: works for any tree, git or not."""

    @classmethod
    def create(cls, source: str | os.PathLike[str]) -> CopyWorkspace:
        src = Path(source).resolve()
        holder = Path(tempfile.mkdtemp(prefix=RUN_PREFIX))
        owner.mark(holder, src)  # `splice gc` removes it if this process dies
        root = holder / "tree"
        root.mkdir()
        baseline: dict[str, str] = {}
        for rel, full in walk_files(src).items():
            dest = root / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(full, dest)
            baseline[rel] = digest(dest.read_bytes())
        return cls(src, root, baseline,
                   on_cleanup=lambda: shutil.rmtree(holder, ignore_errors=True))
