"""A repo root opened once, and every path below it reached through directory fds.

Each step of a path is opened relative to the directory before it with O_NOFOLLOW, so a
directory that another process swaps for a symlink between a check and a write makes the
walk fail instead of redirecting the write outside the root. Callers give paths already
confined and resolved (Repo.relpath): any symlink met here is a race, never a feature.

Only OSError leaves this module; the journal turns it into a typed error.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | getattr(os, "O_NONBLOCK", 0)


def split_rel(rel: str) -> list[str]:
    """The parts of a root-relative POSIX path; refuses '', '.', '..' and absolute paths."""
    parts = rel.split("/")
    if rel.startswith("/") or "\x00" in rel or any(p in ("", ".", "..") for p in parts):
        raise OSError(errno.EINVAL, f"not a plain relative path: {rel!r}")
    return parts


class RootDir:
    """The root directory held open; use as a context manager (or call close)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __enter__(self) -> RootDir:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- walking ---------------------------------------------------------------------
    @contextlib.contextmanager
    def parent(self, rel: str, *, create: bool = False) -> Iterator[tuple[int, str]]:
        """(fd of the folder holding `rel`, its last name); folders made when `create`."""
        parts = split_rel(rel)
        fd = os.dup(self.fd)
        try:
            for name in parts[:-1]:
                try:
                    nxt = os.open(name, _DIR_FLAGS, dir_fd=fd)
                except FileNotFoundError:
                    if not create:
                        raise
                    with contextlib.suppress(FileExistsError):
                        os.mkdir(name, 0o777, dir_fd=fd)
                    nxt = os.open(name, _DIR_FLAGS, dir_fd=fd)
                os.close(fd)
                fd = nxt
            yield fd, parts[-1]
        finally:
            os.close(fd)

    def missing_dirs(self, rel: str) -> list[str]:
        """The folders above `rel` that do not exist yet, outermost first."""
        parts = split_rel(rel)
        out: list[str] = []
        for i in range(1, len(parts)):
            folder = "/".join(parts[:i])
            if out or self.lstat(folder) is None:
                out.append(folder)
        return out

    # -- reading ---------------------------------------------------------------------
    def lstat(self, rel: str) -> os.stat_result | None:
        """The entry's own stat (a symlink is not followed), None when absent."""
        try:
            with self.parent(rel) as (fd, name):
                return os.stat(name, dir_fd=fd, follow_symlinks=False)
        except (FileNotFoundError, NotADirectoryError):
            return None

    def read(self, rel: str, limit: int | None = None) -> bytes | None:
        """A regular file's bytes, None when absent; a symlink or special file is an error."""
        try:
            with self.parent(rel) as (dfd, name):
                fd = os.open(name, _READ_FLAGS, dir_fd=dfd)
        except (FileNotFoundError, NotADirectoryError):
            return None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise OSError(errno.EISDIR if stat.S_ISDIR(st.st_mode) else errno.EINVAL,
                              f"{rel} is not a regular file")
            if limit is not None and st.st_size > limit:
                raise OSError(errno.EFBIG, f"{rel} is {st.st_size} bytes")
            chunks = []
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
            return b"".join(chunks)
        finally:
            os.close(fd)

    # -- writing ---------------------------------------------------------------------
    def mkdir(self, rel: str) -> None:
        """Make one folder (its parent must exist); an existing folder is fine."""
        with self.parent(rel) as (dfd, name):
            try:
                os.mkdir(name, 0o777, dir_fd=dfd)
            except FileExistsError:
                os.close(os.open(name, _DIR_FLAGS, dir_fd=dfd))  # a folder, not a link

    def write_new(self, rel: str, data: bytes, mode: int | None = None, *,
                  sync: bool = True, create: bool = False, keep_dir: bool = False
                  ) -> int | None:
        """Create `rel` (it must not exist), write and fsync it; with `create`, missing
        folders above it are made too. With `keep_dir`, returns an fd of the folder it was
        made in (the caller closes it): the one sure way to remove it again, wherever
        that folder is moved meanwhile."""
        with self.parent(rel, create=create) as (dfd, name):
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                         | os.O_CLOEXEC, 0o644 if mode is None else mode, dir_fd=dfd)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                if mode is not None:
                    os.fchmod(fd, mode)
                if sync:
                    os.fsync(fd)
            except BaseException:
                os.close(fd)
                with contextlib.suppress(OSError):
                    os.unlink(name, dir_fd=dfd)
                raise
            os.close(fd)
            return os.dup(dfd) if keep_dir else None

    def rename(self, rel_from: str, rel_to: str) -> None:
        """Atomically move one entry over another within the same folder."""
        with self.parent(rel_from) as (src_fd, src), self.parent(rel_to) as (dst_fd, dst):
            os.replace(src, dst, src_dir_fd=src_fd, dst_dir_fd=dst_fd)

    def unlink(self, rel: str, *, missing_ok: bool = True) -> None:
        try:
            with self.parent(rel) as (fd, name):
                os.unlink(name, dir_fd=fd)
        except (FileNotFoundError, NotADirectoryError):
            if not missing_ok:
                raise

    def rmdir(self, rel: str) -> bool:
        """Remove an empty folder; False when it is not empty or gone."""
        try:
            with self.parent(rel) as (fd, name):
                os.rmdir(name, dir_fd=fd)
        except OSError:
            return False
        return True

    def fsync_dir(self, rel: str | None = None) -> None:
        """Make the entries of a folder (the root when None) durable."""
        if rel is None:
            os.fsync(self.fd)
            return
        with self.parent(rel + "/x") as (fd, _):
            os.fsync(fd)

    def listdir(self, rel: str) -> list[str]:
        with self.parent(rel + "/x") as (fd, _):
            return os.listdir(fd)


def unlink_at(dir_fd: int, name: str) -> None:
    """Remove `name` from the folder held open as `dir_fd` (gone already is fine)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(name, dir_fd=dir_fd)
