"""Errors only the apply worker raises (the shared ones live in splice.core.errors)."""

from __future__ import annotations

from splice.core.errors import ApplyError


class NothingToUndo(ApplyError):
    code = "nothing_to_undo"


class UndoConflict(ApplyError):
    """Files changed after the edit being undone; undoing would lose that work."""

    code = "undo_conflict"
