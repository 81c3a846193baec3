"""Pydantic models at the apply worker's boundary."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Format = Literal["auto", "lazy", "search_replace", "udiff", "patch", "whole"]
Action = Literal["modified", "added", "deleted", "moved", "unchanged"]


class MergeResult(BaseModel):
    """The outcome of merging one edit into one file's text."""

    text: str = Field(description="the new file text (== original when already applied)")
    fmt: str = Field(description="the edit format used (auto resolved)")
    already_applied: bool = Field(False, description="the edit was already in the file")
    changed_lines: list[tuple[int, int]] = Field(
        default_factory=list, description="1-based inclusive line ranges of the new text "
                                          "that the edit wrote (a deletion marks one line)")
    rungs: list[str] = Field(default_factory=list,
                             description="matching rung used per hunk/segment: exact, "
                                         "rstrip, indent, fuzzy")
    hunks: int = Field(0, description="hunks, blocks or segments in the edit")


class Edit(BaseModel):
    """One edit for apply_edits. `path` may be omitted for a `*** Begin Patch` text,
    which names its own files."""

    path: str | None = None
    edit: str
    fmt: Format = "auto"
    force: bool = False

    def __init__(self, path: str | None = None, edit: str | None = None,
                 fmt: Format = "auto", force: bool = False, **data: Any) -> None:
        # positional construction, Edit("app.py", text), reads naturally in scripts
        if edit is None:
            edit = data.pop("edit", None)
        super().__init__(path=path, edit=edit, fmt=fmt, force=force, **data)


class FileChange(BaseModel):
    path: str
    action: Action
    fmt: str
    already_applied: bool = False
    new_path: str | None = None  # for moves
    diff: str = ""
    rungs: list[str] = Field(default_factory=list)


class ApplyReport(BaseModel):
    """What apply_edits did (or, with dry_run, would do)."""

    root: str
    files: list[FileChange]
    dry_run: bool = False
    undo_id: str | None = Field(None, description="journal entry `splice undo` restores")

    @property
    def changed(self) -> list[FileChange]:
        return [f for f in self.files if f.action != "unchanged"]

    def render(self) -> str:
        """A short, readable account: one line per file, then the diffs."""
        out = []
        for f in self.files:
            target = f" -> {f.new_path}" if f.new_path else ""
            note = " (already applied)" if f.already_applied else ""
            out.append(f"{f.action:<9} {f.path}{target} [{f.fmt}]{note}")
        diffs = [f.diff for f in self.files if f.diff]
        if diffs:
            out.append("")
            out.extend(d.rstrip("\n") for d in diffs)
        if self.dry_run:
            out.append("(dry run: nothing written)")
        return "\n".join(out)


class UndoReport(BaseModel):
    root: str
    undo_id: str
    restored: list[str]
    removed: list[str]
    conflicts: list[str] = Field(default_factory=list,
                                 description="files left as found (changed after a crash)")
    note: str = ""
