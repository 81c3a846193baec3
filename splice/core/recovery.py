"""Putting a tree back after a write that failed, or that a kill -9 cut short.

`rollback` undoes one transaction from its journal: a file holding the bytes the
transaction wrote gets its original back, a file that still holds its original is left
alone, and a file holding anything else (someone changed it after the crash) is kept as it
is and reported. Temp files the transaction named and folders it made go too.

`recover` runs whenever a splice command takes the writers' lock: every journal without
a commit marker is rolled back, a committed undo finishes forgetting what it undid.
"""

from __future__ import annotations

from pydantic import BaseModel

from splice.core.dirfd import RootDir
from splice.core.journal import (
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
    conflicts: list[str] = []  # "path: why", files left as they were found


def rollback(rd: RootDir, manifest: Manifest) -> Rollback:
    folder = f"{JOURNALS}/{manifest.id}"
    out = Rollback(id=manifest.id, kind=manifest.kind)
    for entry in reversed(manifest.files):
        try:
            _put_back(rd, folder, manifest.id, entry, out)
        except OSError as exc:
            out.conflicts.append(f"{entry.path}: {exc.strerror or exc}")
    for entry in manifest.files:
        for tmp in (entry.temp, temp_name(entry.path, manifest.id, BACK_SUFFIX)):
            if tmp is not None:
                try:
                    rd.unlink(tmp)
                except OSError:
                    pass  # its folder is a link or gone: nothing of ours is there
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
    rd.write_new(tmp, original, entry.orig_mode)
    rd.rename(tmp, entry.path)
    parent = entry.path.rpartition("/")[0] or None
    rd.fsync_dir(parent)
    out.restored.append(entry.path)


def recover(rd: RootDir) -> list[Rollback]:
    """Roll back every interrupted transaction (the lock must be held)."""
    done: list[Rollback] = []
    for name in journal_ids(rd):
        folder = f"{JOURNALS}/{name}"
        manifest = read_manifest(rd, folder)
        if manifest is None:
            # the journal itself was being written: nothing outside it changed yet
            drop(rd, folder)
            continue
        if is_committed(rd, folder, manifest):
            if manifest.undoes or not manifest.keep:
                finish(rd, manifest)
            continue
        done.append(rollback(rd, manifest))
        drop(rd, folder)
    return done
