"""How the splice agent finds a file no search span or grep hit pointed to: it lists the
folders the search and greps pointed to and the folders above them (`ls A A/.. ...`, each
folder's own entries, not recursive), then goes down the subfolder that leads to the file,
one `ls` a call, until a listing shows it; never the whole repository's file list.

A whole listing of a large repository (Django: 6,000+ files, about 72,000 tokens) stays in
the conversation and is re-sent with every later call; a few folders' entries are a few
hundred tokens. Like the whole listing it replaces, this picks the right entry of what it
lists (the replay knows which file is wanted: generous to every policy alike).
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from splice.bench.tokens.repoview import Hit, RepoView, is_test_path

MAX_LIST_FILES = 3  # located files whose folders (and the folders above) the first ls shows


def list_call(view: RepoView, dirs: list[str] | None = None) -> tuple[str, dict[str, Any], str]:
    """One listing: the whole repository (`git ls-files`), or each folder's own entries
    (`ls`: files, and subfolders with a trailing /), folder by folder."""
    if dirs is None:
        return "list", {"path": "."}, "\n".join(view.all_files)
    blocks = []
    for folder in dirs:
        entries = sorted({_entry(f, folder) for f in view.all_files if _under(f, folder)})
        blocks.append(f"{folder or '.'}:\n" + "\n".join(entries))
    return "list", {"paths": [d or "." for d in dirs]}, "\n\n".join(blocks)


def _under(path: str, folder: str) -> bool:
    return not folder or path.startswith(folder + "/")


def _entry(path: str, folder: str) -> str:
    rest = path[len(folder) + 1:] if folder else path
    head, sep, _ = rest.partition("/")
    return head + "/" if sep else head


def _ancestors(path: str) -> list[str]:
    """The folders above a file, nearest first, ending with the root ("")."""
    parents = [p.as_posix() for p in PurePosixPath(path).parents]
    return ["" if p == "." else p for p in parents]


def folder_levels(hits: list[Hit], wanted: list[str]) -> list[list[str]]:
    """The `ls` calls the agent makes, in order: first the folders of the first
    MAX_LIST_FILES source files it was pointed to (in the order the search and greps showed
    them, test files skipped) and every folder above them; then, while a wanted file is
    not in a folder listed, the subfolder on its way down from the nearest listed folder."""
    located = [h.path for h in hits if not is_test_path(h.path)] or [h.path for h in hits]
    first = list(dict.fromkeys(a for p in list(dict.fromkeys(located))[:MAX_LIST_FILES]
                               for a in _ancestors(p)))
    if not first:
        first = [""]
    levels = [first]
    listed = set(first)  # holds the root: every file's ancestors end there
    while todo := [p for p in wanted if _ancestors(p)[0] not in listed]:
        steps = []
        for path in todo:
            parents = _ancestors(path)
            nearest = next(i for i, a in enumerate(parents) if a in listed)
            steps.append(parents[nearest - 1])  # the next folder down towards it
        levels.append(list(dict.fromkeys(steps)))
        listed.update(steps)
    return levels
