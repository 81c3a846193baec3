"""The calls into the workers that every tool set shares, each against a repo root.

Workers are imported inside each call so that importing a tool set stays light.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import anyio

from splice.core.errors import FileMissing, SpliceError
from splice.core.repo import Repo

if TYPE_CHECKING:
    from splice.apply import ApplyReport
    from splice.compact import CompactResult
    from splice.core.callsites import CallersReport
    from splice.sandbox import CommandResult, Sandbox
    from splice.search import SearchResult


def scope_paths(repo: Repo, scope: str | None) -> list[str]:
    """`scope` (the root, a folder or a file inside it) as root-relative search paths."""
    if scope is None:
        return []
    target = repo.resolve(scope)
    if not target.exists():
        raise FileMissing(f"{scope}: no such directory in the repository",
                          hint="Give the repository root or a directory inside it, "
                               "or leave it out.", path=scope)
    rel = target.relative_to(repo.root).as_posix()
    return [] if rel == "." else [rel]


async def search_repo(root: Path, query: str, max_tokens: int,
                      paths: Sequence[str] = ()) -> SearchResult:
    from splice.search import SearchRequest, search

    return await search(SearchRequest(query=query, repo=str(root), max_tokens=max_tokens,
                                      paths=list(paths)))


async def edit_repo(root: Path, path: str, edit: str, *, dry_run: bool = False,
                    force: bool = False, lock: anyio.Lock | None = None,
                    instruction: str | None = None,
                    seen_lines: list[tuple[int, int]] | None = None) -> ApplyReport:
    """Merge one edit into one file, all or nothing, off the event loop.

    With a lock, writers take turns, but only for the write: the merge runs before it, so
    one slow merge holds no other call back. A file that changed while its edit was being
    merged is merged again under the lock, so two concurrent edits never lose either.
    """
    from splice.apply import Edit, apply_edits
    from splice.apply.edits import premerge

    rel = Repo(root).relpath(path)
    change = Edit(path=rel, edit=edit, fmt="auto", force=force, instruction=instruction,
                  seen_lines=seen_lines)
    if lock is not None and not dry_run:
        await anyio.to_thread.run_sync(premerge, root, change)

    def write() -> ApplyReport:
        return apply_edits(root, [change], dry_run=dry_run)

    if lock is None:
        return await anyio.to_thread.run_sync(write)
    async with lock:
        return await anyio.to_thread.run_sync(write)


def text_before_edit(root: Path, path: str) -> str | None:
    """What an edit's file holds before it (None: new, unreadable or outside the repo),
    to tell afterwards which signatures the edit changed."""
    from splice.search.callers import text_before_edit as before

    try:
        return before(root, Repo(root).relpath(path))
    except SpliceError:  # the edit itself reports a bad path
        return None


async def edit_callers(root: Path, path: str, before: str | None,
                       report: ApplyReport) -> CallersReport | None:
    """After `report` modified `path`: its changed signatures and their call sites, or None.
    Finding them never fails the edit, which is already written."""
    from splice.search.callers import callers_after_edit

    try:
        rel = Repo(root).relpath(path)
        if report.dry_run or not any(f.path == rel and f.action == "modified"
                                     for f in report.files):
            return None
        return await callers_after_edit(root, rel, before)
    except (SpliceError, OSError):  # the edit stands; a retry would apply it twice
        return None


async def run_in_sandbox(root: Path, command: str, timeout_s: float,
                         sandbox: Sandbox | None = None) -> CommandResult:
    from splice.sandbox import Sandbox

    return await (sandbox or Sandbox(root)).run(command, timeout_s=timeout_s)


async def compact_text(text: str, query: str, *, ratio: float | None = None,
                       max_tokens: int | None = None) -> CompactResult:
    from splice.compact import CompactRequest, compact

    return await compact(CompactRequest(text=text, query=query, ratio=ratio,
                                        max_tokens=max_tokens))
