"""How the splice agent finds a file no search span or grep hit pointed to: it lists the
folders the search and greps pointed to and every folder above them, each with its
subfolders' entries (`ls A A/*/ B B/*/ ...`), then, while the file is not shown, goes down
the folder that leads to it, one `ls` a call; never the whole repository's file list.

A whole listing of a large repository (Django: 6,000+ files, about 72,000 tokens) stays in
the conversation and is re-sent with every later call; a few folders' entries are a few
hundred to a few thousand tokens. (Each folder's own entries alone, `ls A`, cost a second
call whenever the file sits one folder below: on the changelog set that made small repos,
whose whole listing is short, dearer.) Like the whole listing it replaces, this picks the
right entry of what it lists (the replay knows which file is wanted: generous to every
policy alike).
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from splice.bench.tokens.repoview import Hit, RepoView, is_test_path

MAX_LIST_FILES = 3  # located files whose folders (and the folders above) the first ls shows


def _ancestors(path: str) -> list[str]:
    """The folders above a file or folder, nearest first, ending with the root ("")."""
    return ["" if p.as_posix() == "." else p.as_posix() for p in PurePosixPath(path).parents]


def _entries(view: RepoView, folder: str) -> list[str]:
    """A folder's own entries, as ls shows them: files, and subfolders with a trailing /."""
    out = set()
    for path in view.all_files:
        if folder and not path.startswith(folder + "/"):
            continue
        head, sep, _ = (path[len(folder) + 1:] if folder else path).partition("/")
        out.add(head + "/" if sep else head)
    return sorted(out)


def list_call(view: RepoView, dirs: list[str] | None = None) -> tuple[str, dict[str, Any], str]:
    """One listing: the whole repository (`git ls-files`), or `ls A A/*/ ...`: each folder's
    entries and each of its subfolders' entries."""
    if dirs is None:
        return "list", {"path": "."}, "\n".join(view.all_files)
    blocks, paths = [], []
    for folder in dirs:
        entries = _entries(view, folder)
        blocks.append(f"{folder or '.'}:\n" + "\n".join(entries))
        paths += [folder or ".", f"{folder}/*/" if folder else "*/"]
        for sub in (e[:-1] for e in entries if e.endswith("/")):
            inner = f"{folder}/{sub}" if folder else sub
            if inner not in dirs:
                blocks.append(f"{inner}:\n" + "\n".join(_entries(view, inner)))
    return "list", {"paths": paths}, "\n\n".join(blocks)


def first_level(hits: list[Hit]) -> list[str]:
    """The folders of the agent's first `ls`: those of the first MAX_LIST_FILES source
    files it was pointed to (in the order the search and greps showed them, test files
    skipped) and every folder above them."""
    located = [h.path for h in hits if not is_test_path(h.path)] or [h.path for h in hits]
    return list(dict.fromkeys(a for p in list(dict.fromkeys(located))[:MAX_LIST_FILES]
                              for a in _ancestors(p))) or [""]


def folder_levels(hits: list[Hit], wanted: list[str],
                  listed: list[str] | None = None) -> list[list[str]]:
    """The folders of each `ls` call the agent makes, in order: first `first_level`; then,
    while a wanted file is in no folder shown, the folder on its way down from the nearest
    one shown. `listed`: the first level, already listed (beside the names grep): only
    the calls still to make."""
    levels = _levels_from(listed or first_level(hits), wanted)
    return levels[1:] if listed else levels


def _levels_from(first: list[str], wanted: list[str]) -> list[list[str]]:
    levels: list[list[str]] = []
    shown: set[str] = set()  # folders whose entries a call showed (listed ones and their
    level = first            # subfolders); the root is always in the first call
    while level:
        levels.append(level)
        shown.update(level)
        shown.update(a for p in wanted for a in _ancestors(p) if a and _ancestors(a)[0] in level)
        steps = []
        for path in wanted:
            parents = _ancestors(path)
            nearest = next(i for i, a in enumerate(parents) if a in shown)
            if nearest > 0:
                steps.append(parents[nearest - 1])  # the next folder down towards it
        level = list(dict.fromkeys(steps))
    return levels
