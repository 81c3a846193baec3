"""One crash-safe, journaled writer for every change splice makes to a user's tree.

`splice apply`, the agent's write-back at the end of `splice run` and `splice undo` all
write here, so each of them is all-or-none and (apply and run) undoable. Order of work,
under an exclusive lock on `.splice/lock`:

1. the journal `.splice/undo/<id>/`: a copy of each original and a manifest naming every
   target and every temp file, fsynced (the write-ahead record);
2. the new bytes go to temp files beside their targets, fsynced;
3. temps are renamed over their targets and deletions done;
4. a `committed` marker is fsynced into the journal.

A failure in 2-3 puts back what was done and raises WriteFailed. A kill -9 anywhere leaves
a journal without `committed`: the next splice command that takes the lock rolls it back
(recovery.py) before doing anything else. Every path is reached through directory fds
(dirfd.py), so a symlink swapped in meanwhile cannot redirect a write.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import secrets
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ValidationError

from splice.core.dirfd import RootDir, unlink_at
from splice.core.errors import WriteFailed
from splice.core.protect import check_writable
from splice.core.repo import STATE_DIR, ensure_state_dir

if TYPE_CHECKING:
    from splice.core.recovery import Rollback

JOURNAL_DIR = "undo"
JOURNALS = f"{STATE_DIR}/{JOURNAL_DIR}"
MANIFEST = "manifest.json"
COMMITTED = "committed"
LOCK = f"{STATE_DIR}/lock"
VERSION = 2
KEEP_JOURNALS = 100  # older undo entries are pruned so .splice/ does not grow forever
TEMP_TAG = ".splice-"  # every temp file splice leaves beside a target has it in its name


@dataclass
class FileWrite:
    """One file's fate: new bytes (None = delete it)."""

    rel: str
    data: bytes | None
    mode: int | None = None  # permission bits for the new bytes (None: keep or default)


class Entry(BaseModel):
    path: str
    existed: bool
    backup: str | None = None
    mode: int | None = None  # bits the new bytes were written with
    orig_mode: int | None = None
    written_sha256: str | None = None
    temp: str | None = None  # root-relative temp file holding the new bytes


class Manifest(BaseModel):
    version: int = 1  # entries written before the journal had a commit marker
    id: str
    created: float
    kind: str = "apply"  # apply | run | undo
    keep: bool = True  # kept for `splice undo` once committed
    undoes: str | None = None  # an undo: the journal it takes back
    made_dirs: list[str] = []
    files: list[Entry]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def new_journal_id() -> str:
    # sortable by time; the random tail keeps two writes in one microsecond apart
    return (f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{time.time_ns() % 10**9:09d}-"
            f"{secrets.token_hex(2)}")


def temp_name(rel: str, journal_id: str, suffix: str = "") -> str:
    head, _, name = rel.rpartition("/")
    tmp = f".{name}{TEMP_TAG}{journal_id[-4:]}{suffix}.tmp"
    return f"{head}/{tmp}" if head else tmp


def replace_file(rd: RootDir, tmp_rel: str, rel: str) -> None:
    """The rename that makes a write visible (a seam tests and probes break or slow)."""
    rd.rename(tmp_rel, rel)


def _parent(rel: str) -> str | None:
    return rel.rpartition("/")[0] or None


# -- the lock, and recovery on taking it ----------------------------------------------------
@dataclass
class Held:
    """The open root while the lock is held, and what recovery rolled back on taking it."""

    rd: RootDir
    recovered: list[Rollback] = field(default_factory=list)


@contextlib.contextmanager
def locked(root: str | os.PathLike[str], *, create: bool = True) -> Iterator[Held]:
    """The root opened once, with the writers' lock held and any interrupted write undone.

    With create=False and no `.splice/` yet, nothing can need recovery: no lock is taken.
    """
    from splice.core.recovery import recover

    path = Path(root)
    if (path / STATE_DIR).is_symlink():  # a cloned repo could ship one pointing anywhere
        raise WriteFailed(f"{path / STATE_DIR} is a symlink; splice keeps its journal only "
                          "in a real folder.", hint="Remove the link (splice recreates the "
                          "folder), then run the command again.", path=STATE_DIR)
    try:
        if create:
            ensure_state_dir(path)
        rd = RootDir(path)
    except OSError as exc:
        raise WriteFailed(f"cannot open {path} for writing: {exc.strerror or exc}",
                          hint="Check that the repository and its .splice/ are writable.") \
            from exc
    with rd:
        if rd.lstat(STATE_DIR) is None:
            yield Held(rd)
            return
        try:
            with rd.parent(LOCK) as (dfd, name):
                fd = os.open(name, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC,
                             0o644, dir_fd=dfd)
        except OSError as exc:
            raise WriteFailed(f"cannot take the lock {LOCK}: {exc.strerror or exc}",
                              hint="Check that .splice/ is a writable folder (not a link).") \
                from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                recovered = recover(rd)
            except OSError as exc:
                raise WriteFailed(f"cannot finish an interrupted write: {exc.strerror or exc}",
                                  hint="Check .splice/undo/ and the files it names; nothing "
                                       "new was written.") from exc
            yield Held(rd, recovered)
        finally:
            os.close(fd)  # closing drops the flock


# -- one transaction ---------------------------------------------------------------------------
def commit_writes(root: str | os.PathLike[str], writes: Sequence[FileWrite],
                  originals: Mapping[str, bytes | None] | None = None, *,
                  kind: str = "apply", patterns: Sequence[str] = ()) -> str:
    """Take the lock and write every file or none; returns the journal id for undo."""
    with locked(root) as held:
        return commit(held.rd, writes, originals, kind=kind, patterns=patterns)


def commit(rd: RootDir, writes: Sequence[FileWrite],
           originals: Mapping[str, bytes | None] | None = None, *, kind: str = "apply",
           keep: bool = True, undoes: str | None = None,
           patterns: Sequence[str] = ()) -> str:
    """Write every file or none (the lock must be held). `originals`: what the caller
    read; a file that differs now changed underneath it and nothing is written."""
    for w in writes:
        check_writable(w.rel, patterns, action="delete" if w.data is None else "write")
    manifest, olds = _plan(rd, writes, originals, kind, keep, undoes)
    folder = f"{JOURNALS}/{manifest.id}"
    try:
        _write_journal(rd, folder, manifest, olds)
    except OSError as exc:
        drop(rd, folder)
        raise WriteFailed(f"could not write the undo journal: {exc.strerror or exc}",
                          hint="Nothing was changed. Check that .splice/ is writable and "
                               "there is free space.") from exc
    current = ""
    made_temps: list[tuple[int, str]] = []  # (fd of its folder, name) of each temp made
    try:
        for made in manifest.made_dirs:  # only these: a folder that vanished meanwhile
            current = made                # fails the write instead of being made anew
            rd.mkdir(made)
        for w, e in zip(writes, manifest.files, strict=True):
            if w.data is not None:
                current = w.rel
                assert e.temp is not None
                dir_fd = rd.write_new(e.temp, w.data, e.mode, keep_dir=True)
                assert dir_fd is not None
                made_temps.append((dir_fd, e.temp.rpartition("/")[2]))
        for w, e in zip(writes, manifest.files, strict=True):
            current = w.rel
            if w.data is None:
                rd.unlink(w.rel)
            else:
                assert e.temp is not None
                replace_file(rd, e.temp, w.rel)
        for folder_rel in dict.fromkeys(_parent(w.rel) for w in writes):
            rd.fsync_dir(folder_rel)
        for w in writes:
            if w.data is None:
                _remove_emptied(rd, w.rel)
        # a marker with content says the entry still has to finish (an undo, or not kept)
        pending = manifest.undoes is not None or not manifest.keep
        rd.write_new(f"{folder}/{COMMITTED}", b"finish" if pending else b"", sync=False)
        rd.fsync_dir(folder)
    except OSError as exc:
        from splice.core.recovery import rollback

        for dir_fd, name in made_temps:  # by the folder fd: found even if it was moved
            unlink_at(dir_fd, name)
        undone = rollback(rd, manifest)
        if not undone.leftovers:
            drop(rd, folder)  # else the next command's recovery finishes the job
        hint = "Every file was put back as it was."
        if undone.leftovers:
            hint = ("Some files could not be put back yet (" + "; ".join(undone.leftovers)
                    + "); the next splice command (`splice undo`, say) puts them back.")
        elif undone.conflicts:
            hint = "Files changed meanwhile were kept as found: " + "; ".join(undone.conflicts)
        raise WriteFailed(f"writing {current} failed part-way: {exc.strerror or exc}",
                          hint=hint, path=current) from exc
    finally:
        for dir_fd, _ in made_temps:
            os.close(dir_fd)
    finish(rd, manifest)
    return manifest.id


def _remove_emptied(rd: RootDir, rel: str) -> None:
    """Remove folders a deletion left empty, up to the root, as `git apply` does (a
    rollback brings them back with the file). A folder with anything left in it stays."""
    folder = _parent(rel)
    while folder and rd.rmdir(folder):
        folder = _parent(folder)


def finish(rd: RootDir, manifest: Manifest) -> None:
    """After the commit marker: forget what an undo took back, prune old entries.

    Idempotent, so recovery can run it again after a kill."""
    if manifest.undoes:
        drop(rd, f"{JOURNALS}/{manifest.undoes}")
    if not manifest.keep:
        drop(rd, f"{JOURNALS}/{manifest.id}")
    with contextlib.suppress(OSError):
        _prune(rd)


def _plan(rd: RootDir, writes: Sequence[FileWrite],
          originals: Mapping[str, bytes | None] | None, kind: str, keep: bool,
          undoes: str | None) -> tuple[Manifest, list[bytes | None]]:
    journal_id = new_journal_id()
    entries: list[Entry] = []
    olds: list[bytes | None] = []
    made: list[str] = []
    for w in writes:
        try:
            st = rd.lstat(w.rel)
            old = rd.read(w.rel)
            if w.data is not None:
                made += [d for d in rd.missing_dirs(w.rel) if d not in made]
        except OSError as exc:
            raise WriteFailed(f"cannot read {w.rel} before writing it: {exc.strerror or exc}",
                              hint="Nothing was changed. A folder on the path may have been "
                                   "replaced by a link, or the file by something else.",
                              path=w.rel) from exc
        if originals is not None and w.rel in originals and originals[w.rel] != old:
            raise WriteFailed(f"{w.rel} changed while the edit was being made.",
                              hint="Nothing was changed. Read the file again and resend the "
                                   "edit.", path=w.rel)
        olds.append(old)
        orig_mode = None if st is None else st.st_mode & 0o777
        mode = (w.mode if w.mode is not None else orig_mode)
        entries.append(Entry(
            path=w.rel, existed=old is not None, orig_mode=orig_mode,
            mode=None if mode is None else mode & 0o777,
            written_sha256=None if w.data is None else sha256(w.data),
            temp=None if w.data is None else temp_name(w.rel, journal_id)))
    for i, e in enumerate(entries):
        if e.existed:
            e.backup = f"{i}.orig"
    manifest = Manifest(version=VERSION, id=journal_id, created=time.time(), kind=kind,
                        keep=keep, undoes=undoes, made_dirs=made, files=entries)
    return manifest, olds


def _write_journal(rd: RootDir, folder: str, manifest: Manifest,
                   olds: list[bytes | None]) -> None:
    for old, e in zip(olds, manifest.files, strict=True):
        if e.backup is not None and old is not None:
            rd.write_new(f"{folder}/{e.backup}", old, create=True)
    # written last and fsynced: a manifest cut short by a crash fails to parse, and then
    # no rename has happened yet either (recovery just drops the folder)
    rd.write_new(f"{folder}/{MANIFEST}", manifest.model_dump_json(indent=1).encode(),
                 create=True)
    rd.fsync_dir(folder)
    rd.fsync_dir(JOURNALS)


# -- reading journals back ---------------------------------------------------------------------
def read_manifest(rd: RootDir, folder: str) -> Manifest | None:
    try:
        raw = rd.read(f"{folder}/{MANIFEST}")
    except OSError:
        return None
    if raw is None:
        return None
    try:
        return Manifest.model_validate_json(raw)
    except ValidationError:
        return None


def is_committed(rd: RootDir, folder: str, manifest: Manifest) -> bool:
    return manifest.version < VERSION or rd.lstat(f"{folder}/{COMMITTED}") is not None


def journal_ids(rd: RootDir) -> list[str]:
    try:
        return sorted(rd.listdir(JOURNALS))
    except (FileNotFoundError, NotADirectoryError):
        return []


def undoable(rd: RootDir) -> list[tuple[str, Manifest]]:
    """Committed journals `splice undo` can take back, oldest first."""
    out = []
    for name in journal_ids(rd):
        folder = f"{JOURNALS}/{name}"
        manifest = read_manifest(rd, folder)
        if manifest is not None and manifest.keep and is_committed(rd, folder, manifest):
            out.append((folder, manifest))
    return out


def read_backup(rd: RootDir, folder: str, entry: Entry) -> bytes | None:
    if entry.backup is None:
        return None
    data = rd.read(f"{folder}/{entry.backup}")
    if data is None:
        raise FileNotFoundError(f"{folder}/{entry.backup}")
    return data


def drop(rd: RootDir, folder: str) -> None:
    """Remove a journal folder (flat: files only)."""
    with contextlib.suppress(OSError):
        for name in rd.listdir(folder):
            with contextlib.suppress(OSError):
                rd.unlink(f"{folder}/{name}")
    rd.rmdir(folder)


def _prune(rd: RootDir) -> None:
    # under the lock, after recovery, every entry left is a committed one
    for name in journal_ids(rd)[:-KEEP_JOURNALS]:
        drop(rd, f"{JOURNALS}/{name}")

