"""Scratch trees: a private copy of a repo for commands to change, and what they changed.

A git repo gets a detached `git worktree` at HEAD with the user's uncommitted changes
(staged, unstaged and untracked, not ignored) copied over, so the scratch shows what the
user sees. Anything else is copied, minus .git, .splice and cache or dependency dirs.
`changes()` compares the scratch with the original: the agent hands that list to apply's
all-or-none writer. The original's working tree is never written; git only records the
worktree under .git/worktrees until cleanup() removes and prunes it.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from splice.core import owner
from splice.core.errors import SandboxError

# Never copied into a scratch, never reported as a change.
SKIP_DIRS = frozenset({
    ".git", ".splice", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".tox", ".nox", ".cache",
    ".gradle", ".idea", ".eggs",
})
SCRATCH_PREFIX = "splice-scratch-"
# A directory holding this file says it is a cache (Rust's target/, many tools' caches).
CACHEDIR_TAG = "CACHEDIR.TAG"

Stamp = tuple[int, int, int]  # size, mtime_ns, mode


class ScratchChange(BaseModel):
    """One file the scratch has and the original does not, or has differently."""

    path: str  # relative to the original root, with forward slashes
    action: Literal["added", "modified", "deleted"]
    content: bytes | None = None  # the new bytes; None when deleted
    symlink: bool = False  # content is then the link target


def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    # No index refreshes in the user's repo, no prompts, and no LFS downloads on checkout.
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0",
           "GIT_LFS_SKIP_SMUDGE": "1"}
    done = subprocess.run(["git", "-c", "core.hooksPath=/dev/null", *args], cwd=cwd,
                          env=env, capture_output=True, check=False)
    if check and done.returncode != 0:
        raise SandboxError(f"git {args[0]} failed in {cwd}: "
                           f"{done.stderr.decode(errors='replace').strip()}",
                           hint="Check the repository, or pass a plain directory.")
    return done


def _git_toplevel(root: Path) -> Path | None:
    """The work tree's top when `root` is in a git repo with at least one commit."""
    if shutil.which("git") is None:
        return None
    top = _git(root, "rev-parse", "--show-toplevel", check=False)
    if top.returncode != 0:
        return None
    if _git(root, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode != 0:
        return None  # no commit yet: nothing to check out
    return Path(top.stdout.decode().strip()).resolve()


def _skip_dir(path: Path, name: str) -> bool:
    return name in SKIP_DIRS or (path / name / CACHEDIR_TAG).is_file()


def _special(path: Path) -> bool:
    """A socket, fifo or device: nothing to copy (and reading a fifo would block)."""
    try:
        mode = path.lstat().st_mode
    except OSError:
        return True
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode))


def _snapshot(root: Path) -> dict[str, Stamp]:
    """size, mtime and mode of every file and symlink under root (skipped dirs pruned)."""
    found: dict[str, Stamp] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        keep = []
        for name in dirnames:
            if _skip_dir(here, name):
                continue
            if (here / name).is_symlink():
                filenames.append(name)  # a link to a dir is an entry, not a place to walk
            else:
                keep.append(name)
        dirnames[:] = keep
        for name in filenames:
            if name == ".git":  # a worktree's pointer to its repo, not content
                continue
            path = here / name
            with contextlib.suppress(OSError):
                st = path.lstat()
                if stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode):
                    found[path.relative_to(root).as_posix()] = (
                        st.st_size, st.st_mtime_ns, st.st_mode)
    return found


def _read(path: Path) -> tuple[bytes, bool] | None:
    """(bytes or link target, is_symlink), or None when there is no such file."""
    try:
        if path.is_symlink():
            return os.readlink(path).encode(), True
        if path.is_file():
            return path.read_bytes(), False
    except OSError:
        return None
    return None


def _copy_entry(src: Path, dst: Path) -> None:
    """Make dst what src is now: a copy, a symlink, or nothing."""
    if dst.is_symlink() or dst.is_file():
        dst.unlink()
    if src.is_symlink():
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(os.readlink(src), dst)
    elif src.is_file():
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)


class ScratchTree:
    """A throwaway copy of `original` to run commands in. Use as a context manager."""

    def __init__(self, original: Path, path: Path, kind: Literal["worktree", "copy"],
                 holder: Path, git_top: Path | None, worktree: Path | None) -> None:
        self.original = original
        self.path = path
        self.kind = kind
        self._holder = holder
        self._git_top = git_top
        self._worktree = worktree
        self._base: dict[str, Stamp] = {}
        self._cleaned = False

    @classmethod
    def create(cls, repo_root: str | os.PathLike[str], *,
               parent_dir: str | os.PathLike[str] | None = None) -> ScratchTree:
        root = Path(repo_root).resolve()
        if not root.is_dir():
            raise SandboxError(f"{root} is not a directory", path=str(root),
                               hint="Pass the repository's root directory.")
        holder = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=parent_dir))
        try:
            owner.mark(holder, root)  # `splice gc` removes it if this process dies
            top = _git_toplevel(root)
            if top is not None:
                tree = cls._from_git(root, top, holder)
            else:
                tree = cls._from_copy(root, holder)
            tree._base = _snapshot(tree.path)
            return tree
        except BaseException:
            shutil.rmtree(holder, ignore_errors=True)
            raise

    @classmethod
    def _from_git(cls, root: Path, top: Path, holder: Path) -> ScratchTree:
        worktree = holder / (top.name or "repo")
        _git(top, "worktree", "add", "--detach", "--quiet", str(worktree), "HEAD")
        tree = cls(root, worktree / root.relative_to(top), "worktree", holder, top, worktree)
        try:
            changed = _git(top, "diff", "--name-only", "--no-renames", "-z", "HEAD").stdout
            untracked = _git(top, "ls-files", "--others", "--exclude-standard", "-z").stdout
            for raw in {*changed.split(b"\0"), *untracked.split(b"\0")} - {b""}:
                rel = os.fsdecode(raw)
                if any(part in SKIP_DIRS for part in Path(rel).parts[:-1]):
                    continue  # an unignored node_modules or .venv: still not carried over
                src, dst = top / rel, worktree / rel
                if src.is_dir() and not src.is_symlink():
                    continue  # a submodule or nested repo: not carried over
                _copy_entry(src, dst)
        except BaseException:
            tree.cleanup()
            raise
        return tree

    @classmethod
    def _from_copy(cls, root: Path, holder: Path) -> ScratchTree:
        target = holder / (root.name or "repo")

        def ignore(directory: str, names: list[str]) -> set[str]:
            here = Path(directory)
            return {n for n in names if _skip_dir(here, n) or _special(here / n)}

        shutil.copytree(root, target, symlinks=True, ignore=ignore)
        return cls(root, target, "copy", holder, None, None)

    # -- what changed ----------------------------------------------------------------

    def _git_ignored(self, paths: list[str]) -> set[str]:
        if self._worktree is None or not paths:
            return set()
        done = subprocess.run(
            ["git", "check-ignore", "-z", "--stdin"], cwd=self.path,
            input=b"\0".join(p.encode() for p in paths) + b"\0", capture_output=True,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"}, check=False)
        return {os.fsdecode(p) for p in done.stdout.split(b"\0") if p}

    def changes(self) -> list[ScratchChange]:
        """Files that differ between the scratch and the original, sorted by path."""
        now = _snapshot(self.path)
        touched = [rel for rel, st in now.items() if self._base.get(rel) != st]
        new = [rel for rel in touched if rel not in self._base]
        ignored = self._git_ignored(new)
        result: list[ScratchChange] = []
        for rel in touched:
            if rel in ignored:
                continue
            current = _read(self.path / rel)
            if current is None:
                continue
            before = _read(self.original / rel)
            if before == current:
                continue
            result.append(ScratchChange(path=rel, action="modified" if before else "added",
                                     content=current[0], symlink=current[1]))
        for rel in self._base.keys() - now.keys():
            if _read(self.original / rel) is not None:
                result.append(ScratchChange(path=rel, action="deleted"))
        return sorted(result, key=lambda c: c.path)

    def diff(self) -> str:
        """A unified diff (a/ and b/ prefixes) of changes() against the original."""
        out: list[str] = []
        for change in self.changes():
            before = _read(self.original / change.path)
            old = before[0] if before else b""
            new = change.content or b""
            a = "/dev/null" if change.action == "added" else f"a/{change.path}"
            b = "/dev/null" if change.action == "deleted" else f"b/{change.path}"
            out.append(f"diff --git a/{change.path} b/{change.path}\n")
            if change.action != "modified":
                out.append(f"{'new' if change.action == 'added' else 'deleted'} file mode "
                           f"{'120000' if change.symlink else '100644'}\n")
            if b"\0" in old or b"\0" in new:
                out.append(f"Binary files {a} and {b} differ\n")
                continue
            lines = difflib.unified_diff(_lines(old), _lines(new), fromfile=a, tofile=b)
            out.extend(_mark_no_newline(line) for line in lines)
        return "".join(out)

    # -- lifecycle -------------------------------------------------------------------

    def cleanup(self) -> None:
        """Remove the scratch; for a worktree also `git worktree remove` and prune."""
        if self._cleaned:
            return
        self._cleaned = True
        if self._git_top is not None and self._worktree is not None:
            _git(self._git_top, "worktree", "remove", "--force", str(self._worktree),
                 check=False)
            shutil.rmtree(self._holder, ignore_errors=True)
            _git(self._git_top, "worktree", "prune", check=False)
        shutil.rmtree(self._holder, ignore_errors=True)

    def __enter__(self) -> ScratchTree:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8", errors="replace").splitlines(keepends=True)


def _mark_no_newline(line: str) -> str:
    if line.endswith("\n"):
        return line
    return line + "\n\\ No newline at end of file\n"
