"""Putting a tree back after a write that failed, or that a kill -9 cut short.

`rollback` undoes one transaction from its journal: a file holding the bytes the
transaction wrote gets its original back, a file that still holds its original is left
alone, and a file holding anything else (someone changed it after the crash) is kept as it
is and reported. Temp files the transaction named and folders it made go too.

`recover` runs whenever a splice command takes the writers' lock: every journal without
a commit marker is rolled back, a committed undo finishes forgetting what it undid.
"""

from __future__ import annotations

import os

from pydantic import BaseModel

from splice.core.dirfd import RootDir, unlink_at
from splice.core.journal import (
    COMMITTED,
    JOURNALS,
    Entry,
    Manifest,
    drop,
    finish,
    is_committed,
    journal_ids,
    read_backup,
    read_manifest,
    sha256,
    temp_name,
)

BACK_SUFFIX = "-back"


class Rollback(BaseModel):
    """What one rollback put back."""

    id: str
    kind: str
    restored: list[str] = []
    removed: list[str] = []
    conflicts: list[str] = []  # "path: why", files changed by someone else: kept as found
    leftovers: list[str] = []  # paths an OS error kept from being put back or removed
    # (a folder on the way is a link right now, say): the journal stays, recovery retries

    @property
    def changed_tree(self) -> bool:
        return bool(self.restored or self.removed)


def rollback(rd: RootDir, manifest: Manifest) -> Rollback:
    folder = f"{JOURNALS}/{manifest.id}"
    out = Rollback(id=manifest.id, kind=manifest.kind)
    for entry in reversed(manifest.files):
        try:
            _put_back(rd, folder, manifest.id, entry, out)
        except OSError as exc:
            out.leftovers.append(f"{entry.path}: {exc.strerror or exc}")
    for entry in manifest.files:
        for tmp in (entry.temp, temp_name(entry.path, manifest.id, BACK_SUFFIX)):
            if tmp is not None:
                try:
                    rd.unlink(tmp)
                except OSError:
                    # a folder on its path is a link right now (a race): keep the journal
                    # so the next command tries again
                    out.leftovers.append(tmp)
    for made in reversed(manifest.made_dirs):
        rd.rmdir(made)
    return out


def _put_back(rd: RootDir, folder: str, journal_id: str, entry: Entry, out: Rollback) -> None:
    current = rd.read(entry.path)
    original = read_backup(rd, folder, entry)
    if current == original:
        return
    ours = current is None or sha256(current) == entry.written_sha256
    if not ours:
        out.conflicts.append(f"{entry.path}: changed after the interrupted write; kept as is")
        return
    if original is None:
        rd.unlink(entry.path)
        out.removed.append(entry.path)
        return
    tmp = temp_name(entry.path, journal_id, BACK_SUFFIX)
    rd.unlink(tmp)
    dir_fd = rd.write_new(tmp, original, entry.orig_mode, create=True, keep_dir=True)
    assert dir_fd is not None
    try:
        rd.rename(tmp, entry.path)
    except OSError:
        unlink_at(dir_fd, tmp.rpartition("/")[2])  # its folder may have moved meanwhile
        raise
    finally:
        os.close(dir_fd)
    parent = entry.path.rpartition("/")[0] or None
    rd.fsync_dir(parent)
    out.restored.append(entry.path)


def recover(rd: RootDir) -> list[Rollback]:
    """Roll back every interrupted transaction (the lock must be held)."""
    done: list[Rollback] = []
    for name in journal_ids(rd):
        folder = f"{JOURNALS}/{name}"
        marker = rd.lstat(f"{folder}/{COMMITTED}")
        if marker is not None and marker.st_size == 0:
            continue  # committed and kept for undo: the common case, one stat
        manifest = read_manifest(rd, folder)
        if manifest is None:
            # the journal itself was being written: nothing outside it changed yet
            drop(rd, folder)
            continue
        if is_committed(rd, folder, manifest):
            if manifest.undoes or not manifest.keep:
                finish(rd, manifest)
            continue
        result = rollback(rd, manifest)
        done.append(result)
        if not result.leftovers:
            drop(rd, folder)
    return done
