"""`undo`: put back the files of the latest apply, from its journal entry."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from splice.apply.errors import NothingToUndo, UndoConflict
from splice.apply.models import UndoReport
from splice.apply.writer import JOURNAL_DIR, MANIFEST, FileWrite, commit_writes, sha256
from splice.core.repo import STATE_DIR, Repo


def journal_entries(repo: Repo) -> list[Path]:
    folder = repo.root / STATE_DIR / JOURNAL_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and (p / MANIFEST).is_file())


def undo(root: str | os.PathLike[str], *, force: bool = False) -> UndoReport:
    """Restore the files the latest apply changed, and forget that journal entry.

    Refuses (UndoConflict) when a file changed since that apply, unless `force`.
    """
    repo = Repo(root)
    entries = journal_entries(repo)
    if not entries:
        raise NothingToUndo("there is nothing to undo: no apply has been journaled in "
                            f"{repo.root}.", hint="Only edits made by splice apply can be "
                            "undone.")
    folder = entries[-1]
    manifest = json.loads((folder / MANIFEST).read_text())
    changed: list[str] = []
    writes: list[FileWrite] = []
    originals: dict[str, bytes | None] = {}
    for entry in manifest["files"]:
        rel = entry["path"]
        target = repo.resolve(rel)
        current = target.read_bytes() if target.is_file() else None
        expected = entry["written_sha256"]
        if (current is None) != (expected is None) or (
                current is not None and sha256(current) != expected):
            changed.append(rel)
        backup = folder / entry["backup"] if entry["backup"] else None
        data = backup.read_bytes() if backup is not None else None
        if data == current:
            continue
        writes.append(FileWrite(rel, data, entry.get("mode")))
        originals[rel] = current
    if changed and not force:
        raise UndoConflict(
            f"cannot undo apply {manifest['id']}: {', '.join(changed)} changed since "
            "(undoing would lose that work).",
            hint="Undo by hand, or force it to put back the files as they were before the "
                 "apply anyway.", details={"changed": changed, "undo_id": manifest["id"]})
    if writes:
        journal_id = commit_writes(repo, writes, originals)
        # the undo itself is not undoable: drop the journal it wrote
        shutil.rmtree(repo.root / STATE_DIR / JOURNAL_DIR / journal_id, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
    return UndoReport(root=str(repo.root), undo_id=manifest["id"],
                      restored=[w.rel for w in writes if w.data is not None],
                      removed=[w.rel for w in writes if w.data is None])
