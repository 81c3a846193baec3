"""The merge front door: one edit, one file's text, no I/O."""

from __future__ import annotations

from splice.apply.cutoff import check_cut_off
from splice.apply.formats import lazy, patch, search_replace, udiff
from splice.apply.formats.detect import FORMATS, detect
from splice.apply.formats.hunks import Hunk, apply_hunks
from splice.apply.formats.markers import marker_checker
from splice.apply.formats.whole import merge_whole
from splice.apply.matching import Matcher
from splice.apply.models import MergeResult
from splice.apply.safety import check_lazy, check_syntax, check_whole
from splice.apply.text import BOM, Doc, Replacement, render, split_doc, split_edit
from splice.core.errors import MalformedEdit


def merge(original: str, edit: str, *, fmt: str = "auto", path: str | None = None,
          instruction: str | None = None, seen_lines: list[tuple[int, int]] | None = None,
          force: bool = False) -> MergeResult:
    """Merge `edit` into `original` and return the new text.

    Pure: no I/O. Raises ApplyError subclasses (NoMatch, AmbiguousMatch, MalformedEdit,
    SyntaxBroken, SuspiciousDeletion) whose message can go straight back to a model.
    `force` skips the SyntaxBroken and SuspiciousDeletion guards, never the matching.
    `instruction` (what the writer says it changes) and `seen_lines` (1-based inclusive ranges
    of the original the writer was shown) are evidence that narrows where an edit goes.
    """
    if fmt != "auto" and fmt not in FORMATS:
        raise MalformedEdit(f"unknown edit format {fmt!r}.",
                            hint=f"Use one of: auto, {', '.join(FORMATS)}.", path=path)
    lines = split_edit(edit)
    if not lines and fmt != "whole":
        raise MalformedEdit("the edit is empty.",
                            hint="Send the changed lines with markers, SEARCH/REPLACE "
                                 "blocks, a diff, a patch or the whole file.", path=path)
    used = detect(lines, path) if fmt == "auto" else fmt
    doc = split_doc(original)
    if used in ("lazy", "whole") and not force:
        check_cut_off(doc.keys("strip"), lines, marker_checker(path), path)
    if used == "patch":
        op = patch.pick_op(patch.parse(lines), path)
        return merge_patch_op(original, doc, op, path=path, force=force,
                              seen_lines=seen_lines)
    if used == "search_replace":
        return merge_hunks(original, doc, search_replace.parse(lines, path), used,
                           path=path, force=force, seen_lines=seen_lines)
    if used == "udiff":
        diff = udiff.pick_file(udiff.parse(lines, path), path)
        return merge_hunks(original, doc, diff.hunks, used, path=path, force=force,
                           seen_lines=seen_lines)
    if used == "lazy":
        matcher = Matcher(doc, path)
        segments = lazy.split_segments(lines, path)
        if segments is None:  # asked for lazy but no markers: the snippet is the file
            return _merge_whole(original, doc, lines, edit, path=path, force=force,
                                fmt="lazy")
        placed = lazy.merge_lazy(doc, lines, path=path, matcher=matcher, segments=segments,
                                 instruction=instruction, seen_lines=seen_lines,
                                 source=original[1:] if doc.bom else original)
        if not force:
            check_lazy(doc, placed.reps, placed.blind, lines, path)
        result = finish(original, doc, placed.reps, used, placed.rungs,
                        path=path, force=force)
        return result.model_copy(update={"assumed_marker": placed.assumed_marker})
    return _merge_whole(original, doc, lines, edit, path=path, force=force,
                        said_whole=fmt == "whole")


def _merge_whole(original: str, doc: Doc, lines: list[str], edit: str, *, path: str | None,
                 force: bool, fmt: str = "whole", said_whole: bool = False) -> MergeResult:
    """The edit as the whole new file: asked for (fmt="whole"), or detected and plausible."""
    if not force and doc.lines:
        check_whole(doc, lines, path, said_whole=said_whole)
        if not said_whole:  # a marker written another way would land in the file
            lazy.check_lookalike_markers(doc.lines, lines, path)
    final = edit.endswith(("\n", "\r")) if not doc.lines else None
    return finish(original, doc, merge_whole(doc, lines), fmt, ["exact"], path=path,
                  force=force, edit_final_newline=final)


def merge_hunks(original: str, doc: Doc, hunks: list[Hunk], fmt: str, *, path: str | None,
                force: bool, seen_lines: list[tuple[int, int]] | None = None) -> MergeResult:
    outcome = apply_hunks(doc, hunks, path=path, seen_lines=seen_lines)
    if outcome.already_applied:
        return MergeResult(text=original, fmt=fmt, already_applied=True, hunks=len(hunks))
    return finish(original, doc, outcome.replacements, fmt, outcome.rungs, path=path,
                  force=force, edit_final_newline=True, hunks=len(hunks))


def merge_patch_op(original: str, doc: Doc, op: patch.PatchOp, *, path: str | None,
                   force: bool, seen_lines: list[tuple[int, int]] | None = None
                   ) -> MergeResult:
    if op.kind == "delete":
        raise MalformedEdit(f"the patch deletes {op.path}; merge() cannot express a deletion.",
                            hint="Apply it with apply_edits (or `splice apply`).", path=path)
    if op.kind == "add":
        if doc.lines and doc.lines != op.content:
            raise MalformedEdit(f"the patch adds {op.path}, but that file already exists "
                                "with other content.",
                                hint="Use *** Update File: for an existing file.", path=path)
        if doc.lines:
            return MergeResult(text=original, fmt="patch", already_applied=True, hunks=1)
        return finish(original, doc, [Replacement(0, 0, list(op.content))], "patch",
                      ["exact"], path=path, force=force, edit_final_newline=True, hunks=1)
    if not op.hunks:  # a pure move
        return MergeResult(text=original, fmt="patch", already_applied=False, hunks=0)
    return merge_hunks(original, doc, op.hunks, "patch", path=path, force=force,
                       seen_lines=seen_lines)


def _shared_ends(original: str, merged: str, doc: Doc, first: int,
                 tail: int) -> tuple[int, int]:
    """Characters the texts share at each end, from line bookkeeping (checked)."""
    if first < 0:
        return 0, 0
    prefix = sum(map(len, doc.lines[:first])) + sum(map(len, doc.ends[:first]))
    suffix = 0
    if tail:
        suffix = sum(map(len, doc.lines[-tail:])) + sum(map(len, doc.ends[-tail:]))
    if prefix + suffix > min(len(original), len(merged)):
        return 0, 0
    if original[:prefix] != merged[:prefix]:
        prefix = 0
    if suffix and original[-suffix:] != merged[-suffix:]:
        suffix = 0
    return prefix, suffix


def finish(original: str, doc: Doc, reps: list[Replacement], fmt: str, rungs: list[str], *,
           path: str | None, force: bool, edit_final_newline: bool | None = None,
           hunks: int | None = None) -> MergeResult:
    """Render the replacements, refuse broken syntax, report what changed."""
    rendered = render(doc, reps, edit_final_newline=edit_final_newline)
    count = len(reps) if hunks is None else hunks
    if rendered.text == original:
        return MergeResult(text=original, fmt=fmt, already_applied=True, rungs=rungs,
                           hunks=count)
    if not force:
        body_old = original[1:] if doc.bom else original
        body_new = rendered.text[1:] if rendered.text.startswith(BOM) else rendered.text
        prefix, suffix = _shared_ends(body_old, body_new, doc, rendered.first_changed,
                                      rendered.unchanged_tail)
        check_syntax(body_old, body_new, path, prefix_chars=prefix, suffix_chars=suffix)
    return MergeResult(text=rendered.text, fmt=fmt, already_applied=False,
                       changed_lines=rendered.changed, rungs=rungs, hunks=count)
