"""`undo`: put back the files of the latest apply (or run), from its journal entry.

Taking the writers' lock first rolls back any write a crash cut short; when that happened,
the rollback is what this undo reports, and nothing older is undone.
"""

from __future__ import annotations

import os

from splice.apply.errors import NothingToUndo, UndoConflict
from splice.apply.models import UndoReport
from splice.core.errors import WriteFailed
from splice.core.journal import FileWrite, commit, drop, locked, read_backup, sha256, undoable
from splice.core.repo import Repo


def undo(root: str | os.PathLike[str], *, force: bool = False) -> UndoReport:
    """Restore the files the latest apply changed, and forget that journal entry.

    Refuses (UndoConflict) when a file changed since that apply, unless `force`.
    """
    repo = Repo(root)
    with locked(repo.root, create=False) as held:
        rolled = [r for r in held.recovered if r.changed_tree]
        if rolled:
            last = rolled[-1]
            return UndoReport(root=str(repo.root), undo_id=last.id, restored=last.restored,
                              removed=last.removed, conflicts=last.conflicts,
                              note=f"rolled back an interrupted {last.kind}; nothing older "
                                   "was undone")
        rd = held.rd
        entries = undoable(rd)
        if not entries:
            raise NothingToUndo("there is nothing to undo: no apply has been journaled in "
                                f"{repo.root}.", hint="Only edits made by splice apply or "
                                "splice run can be undone.")
        folder, manifest = entries[-1]
        changed: list[str] = []
        writes: list[FileWrite] = []
        currents: dict[str, bytes | None] = {}
        try:
            for entry in manifest.files:
                rel = entry.path
                current = rd.read(rel)
                expected = entry.written_sha256
                if (current is None) != (expected is None) or (
                        current is not None and sha256(current) != expected):
                    changed.append(rel)
                data = read_backup(rd, folder, entry)
                if data == current:
                    continue
                writes.append(FileWrite(rel, data, entry.orig_mode))
                currents[rel] = current
        except OSError as exc:
            raise WriteFailed(f"cannot read what apply {manifest.id} wrote: "
                              f"{exc.strerror or exc}", hint="Nothing was changed.") from exc
        if changed and not force:
            raise UndoConflict(
                f"cannot undo {manifest.kind} {manifest.id}: {', '.join(changed)} changed "
                "since (undoing would lose that work).",
                hint="Undo by hand, or force it to put back the files as they were before "
                     "the apply anyway.", details={"changed": changed, "undo_id": manifest.id})
        if writes:
            # the undo is journaled too (a kill mid-undo rolls back to before the undo),
            # and once committed it drops the entry it took back
            commit(rd, writes, currents, kind="undo", keep=False, undoes=manifest.id)
        else:
            drop(rd, folder)
    return UndoReport(root=str(repo.root), undo_id=manifest.id,
                      restored=[w.rel for w in writes if w.data is not None],
                      removed=[w.rel for w in writes if w.data is None])
