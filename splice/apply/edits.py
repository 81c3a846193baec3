"""apply_edits: merge many edits into many files, then write them all or none."""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from splice.apply.formats import patch
from splice.apply.formats.detect import detect
from splice.apply.merge import merge, merge_patch_op
from splice.apply.models import Action, ApplyReport, Edit, FileChange
from splice.apply.text import split_doc, split_edit
from splice.core.dirfd import RootDir
from splice.core.errors import FileMissing, MalformedEdit, WriteFailed
from splice.core.journal import FileWrite, commit, locked
from splice.core.protect import check_writable, load_patterns
from splice.core.repo import Repo, TextFile


@dataclass
class _State:
    """One path's planned fate while the edits are merged (nothing written yet)."""

    rel: str
    original: bytes | None  # on disk before (None: did not exist)
    file: TextFile | None  # how to encode it back
    text: str | None  # planned text; None: absent (deleted or never there)
    mode: int | None = None
    fmts: list[str] = field(default_factory=list)
    already: list[bool] = field(default_factory=list)
    rungs: list[str] = field(default_factory=list)
    moved_to: str | None = None
    moved_from: str | None = None


class _Plan:
    def __init__(self, repo: Repo, rd: RootDir) -> None:
        self.repo = repo
        self.rd = rd
        self.patterns = load_patterns(repo.root)
        self.states: dict[str, _State] = {}
        self.order: list[str] = []

    def state(self, path: str, action: str = "write") -> _State:
        """The planned fate of `path`; every path planned here may be written, so a
        protected one is refused before anything is merged."""
        rel = self.repo.relpath(path)
        check_writable(rel, self.patterns, raw=path, root=self.repo.root, action=action)
        if rel in self.states:
            return self.states[rel]
        found = self.repo.read_file(rel, self.rd)  # refuses binary / oversized / non-files
        if found is not None:
            file, original, mode = found
            st = _State(rel, original, file, file.text, mode)
        else:
            st = _State(rel, None, None, None)
        self.states[rel] = st
        self.order.append(rel)
        return st

    def existing(self, path: str, action: str = "write") -> _State:
        st = self.state(path, action)
        if st.text is None:
            raise FileMissing(f"{st.rel}: no such file in the repository",
                              hint="Check the path; to create a file send the whole file "
                                   "(or a patch with *** Add File:).", path=st.rel)
        return st

    def record(self, st: _State, fmt: str, already: bool, rungs: list[str]) -> None:
        st.fmts.append(fmt)
        st.already.append(already)
        st.rungs.extend(rungs)

    # -- one edit ------------------------------------------------------------------
    def add(self, edit: Edit) -> None:
        lines = split_edit(edit.edit)
        if not lines and edit.fmt != "whole":
            # an empty edit is a mistake (an empty stdin, a lost message), not an empty file
            raise MalformedEdit(f"{edit.path or 'the edit'}: the edit is empty.",
                                hint="Send the changed lines with markers, SEARCH/REPLACE "
                                     "blocks, a diff, a patch or the whole file; to empty "
                                     "a file on purpose use fmt 'whole'.", path=edit.path)
        fmt = edit.fmt if edit.fmt != "auto" else detect(lines, edit.path)
        if fmt == "patch":
            ops = patch.parse(lines)
            if edit.path and len(ops) == 1 and ops[0].kind == "update":
                # the caller named the file: trust that over the patch's own spelling
                # of it (models often shorten paths)
                ops[0].path = edit.path
            if edit.path:
                self.confine(edit.path, ops)
            for op in ops:
                self.add_patch_op(op, force=edit.force)
            return
        if not edit.path:
            raise MalformedEdit("the edit names no file.",
                                hint="Give the file's path (only a *** Begin Patch text names "
                                     "its own files).")
        st = self.state(edit.path)
        if st.text is None and fmt == "whole":
            st.text = "\n".join(lines) + ("\n" if lines else "")
            self.record(st, fmt, False, ["exact"])
            return
        st = self.existing(edit.path)
        assert st.text is not None
        result = merge(st.text, edit.edit, fmt=fmt, path=st.rel, force=edit.force)
        st.text = result.text
        self.record(st, result.fmt, result.already_applied, result.rungs)

    def confine(self, path: str, ops: list[patch.PatchOp]) -> None:
        """An edit sent for one file touches only that file: a patch inside it that adds,
        deletes or moves others is refused (send it with no path to apply it whole)."""
        own = self.repo.relpath(path)
        named = [p for op in ops for p in (op.path, op.move_to) if p]
        for raw in [path, *named]:  # a protected path is the clearer refusal
            check_writable(self.repo.relpath(raw), self.patterns, raw=raw,
                           root=self.repo.root)
        others = [p for p in named if self.repo.relpath(p) != own]
        if others:
            raise MalformedEdit(
                f"the edit for {own} is a patch that also touches "
                f"{', '.join(dict.fromkeys(others))}; an edit for one file may change only "
                "that file.",
                hint=f"Send a patch that changes only {own} (no *** Delete File, *** Add "
                     "File or *** Move to for other paths), or apply the multi-file patch "
                     "on purpose without a path (`splice apply --edit PATCH` with no FILE, "
                     "or apply_edits with path=None).", path=own,
                details={"other_paths": list(dict.fromkeys(others))})

    def add_patch_op(self, op: patch.PatchOp, *, force: bool) -> None:
        if op.kind == "add":
            st = self.state(op.path)
            if st.text is not None:
                result = merge_patch_op(st.text, split_doc(st.text), op, path=st.rel,
                                        force=force)
                st.text = result.text
                self.record(st, "patch", result.already_applied, [])
                return
            st.text = "\n".join(op.content) + ("\n" if op.content else "")
            self.record(st, "patch", False, ["exact"])
            return
        st = self.existing(op.path, "delete" if op.kind == "delete" else
                           "move" if op.move_to else "write")
        assert st.text is not None
        if op.kind == "delete":
            st.text = None
            self.record(st, "patch", False, [])
            return
        result = merge_patch_op(st.text, split_doc(st.text), op, path=st.rel, force=force)
        if op.move_to:
            dest = self.state(op.move_to, "move a file to")
            if dest.text is not None:
                raise MalformedEdit(f"the patch moves {st.rel} to {dest.rel}, which already "
                                    "exists.", hint="Move to a new path, or delete the "
                                                    "target first.", path=dest.rel)
            # permission bits travel with the file, never more than it had (no set-id)
            dest.text, dest.file = result.text, st.file
            dest.mode = None if st.mode is None else st.mode & 0o777
            dest.moved_from = st.rel
            st.text, st.moved_to = None, dest.rel
            self.record(dest, "patch", False, result.rungs)
            self.record(st, "patch", False, result.rungs)
            return
        st.text = result.text
        self.record(st, "patch", result.already_applied, result.rungs)

    # -- the outcome -------------------------------------------------------------------
    def encode(self, st: _State) -> bytes:
        assert st.text is not None
        file = st.file or TextFile(path=st.rel, text=st.text)
        try:
            return file.encode(st.text)
        except UnicodeEncodeError as exc:
            raise MalformedEdit(f"{st.rel}: the edit adds characters its {file.encoding} "
                                "encoding cannot hold.",
                                hint="Use characters the file's encoding has.",
                                path=st.rel) from exc

    def writes(self) -> tuple[list[FileWrite], dict[str, bytes | None]]:
        writes: list[FileWrite] = []
        originals: dict[str, bytes | None] = {}
        for rel in self.order:
            st = self.states[rel]
            data = None if st.text is None else self.encode(st)
            if data == st.original:
                continue
            writes.append(FileWrite(rel, data, st.mode))
            originals[rel] = st.original
        return writes, originals

    def report(self, dry_run: bool, undo_id: str | None) -> ApplyReport:
        files = []
        for rel in self.order:
            st = self.states[rel]
            if st.moved_from or not st.fmts:
                continue
            before = st.file.text if st.file is not None else ""
            action: Action
            if st.moved_to:
                after_st = self.states[st.moved_to]
                after, action, name_after = after_st.text or "", "moved", st.moved_to
            else:
                after, name_after = st.text or "", rel
                if st.original is None:
                    action = "added" if st.text is not None else "unchanged"
                elif st.text is None:
                    action = "deleted"
                else:
                    action = "unchanged" if after == before else "modified"
            diff = unified(before, after, rel if st.original is not None else None,
                           name_after if st.text is not None or st.moved_to else None)
            files.append(FileChange(
                path=rel, action=action, fmt="+".join(dict.fromkeys(st.fmts)),
                already_applied=all(st.already) and action == "unchanged",
                new_path=st.moved_to, diff=diff, rungs=st.rungs))
        return ApplyReport(root=str(self.repo.root), files=files, dry_run=dry_run,
                           undo_id=undo_id)


def unified(before: str, after: str, old_name: str | None, new_name: str | None) -> str:
    if before == after and old_name == new_name:
        return ""
    a = before.splitlines(keepends=True)
    b = after.splitlines(keepends=True)
    lines = difflib.unified_diff(a, b, f"a/{old_name}" if old_name else "/dev/null",
                                 f"b/{new_name}" if new_name else "/dev/null", n=3)
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line.rstrip("\r") + "\n")
        if not line.endswith(("\n", "\r")):
            out.append("\\ No newline at end of file\n")
    return "".join(out)


def apply_edits(root: str | os.PathLike[str], edits: Sequence[Edit | dict[str, object]], *,
                dry_run: bool = False) -> ApplyReport:
    """Merge every edit first (any error raises, nothing written); then write every
    changed file or none, journaled for `undo`."""
    repo = Repo(root)
    parsed = [raw if isinstance(raw, Edit) else Edit.model_validate(raw) for raw in edits]
    # the lock is held from the first read to the last rename: no other splice writer
    # changes a file between our reading it and replacing it
    with locked(repo.root, create=not dry_run) as held:
        plan = _Plan(repo, held.rd)
        try:
            for edit in parsed:
                plan.add(edit)
            writes, originals = plan.writes()
            undo_id = None
            if writes and not dry_run:
                undo_id = commit(held.rd, writes, originals, patterns=plan.patterns)
        except OSError as exc:  # a race the typed checks did not name
            raise WriteFailed(f"the edit could not be applied: {exc.strerror or exc}",
                              hint="Nothing was changed. Try again; if it repeats, check "
                                   "the files and folders named in the edit.") from exc
    return plan.report(dry_run, undo_id)
