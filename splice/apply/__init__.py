"""apply: merge short edits into files, fast, safely, atomically.

    from splice.apply import merge, apply_edits, undo, Edit
    merge(original, edit, fmt="auto", path="app.py") -> MergeResult
    apply_edits(root, [Edit("app.py", edit)], dry_run=False) -> ApplyReport
    undo(root) -> UndoReport
"""

from splice.apply.edits import apply_edits
from splice.apply.errors import NothingToUndo, UndoConflict
from splice.apply.merge import merge
from splice.apply.models import ApplyReport, Edit, FileChange, MergeResult, UndoReport
from splice.apply.undo import undo
from splice.apply.worker import ApplyRequest, apply_async
from splice.core.errors import (
    AmbiguousMatch,
    ApplyError,
    MalformedEdit,
    NoMatch,
    SuspiciousDeletion,
    SyntaxBroken,
    WriteFailed,
)

__all__ = [
    "AmbiguousMatch", "ApplyError", "ApplyReport", "ApplyRequest", "apply_async", "Edit", "FileChange", "MalformedEdit",
    "MergeResult", "NoMatch", "SuspiciousDeletion", "SyntaxBroken", "UndoReport",
    "NothingToUndo", "UndoConflict", "WriteFailed", "apply_edits", "merge", "undo",
]
