"""`splice apply`'s reading of the command line: which repo, which files, which format.

- The root comes from the path as typed: a FILE reached through a symlink into another
  repository is refused with the `--repo` that would edit it there (its undo journal lives
  in that repo, so an undo hint for this one would fail).
- Aider's SEARCH/REPLACE blocks carry their file name on the line above the fence: with no
  FILE those names are the files (several files: all or none); with FILE, each name must be
  FILE's path or a tail of it.
- `--fmt` naming a format the edit plainly is not is said as such, with what it looks like.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from splice.apply.formats import search_replace
from splice.apply.formats.detect import MISMATCH_HINT, detect, mismatch
from splice.apply.text import split_edit
from splice.core.errors import InvalidRequest, MalformedEdit


def find_root(start: Path) -> Path:
    """The git work tree containing `start` (a .git dir or file), else `start` itself."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def _lexical_root(start: Path) -> Path:
    """find_root without following symlinks: the repo the path, as typed, lies in."""
    start = Path(os.path.abspath(start))
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def choose_root(file: Path | None, repo: Path | None) -> Path:
    if repo is not None:
        return repo
    if file is None:
        return find_root(Path.cwd())
    typed = Path(os.path.abspath(file.expanduser()))
    real_root = find_root(typed.resolve().parent)
    typed_root = _lexical_root(typed.parent)
    if typed_root.resolve() != real_root and (typed_root / ".git").exists():
        raise InvalidRequest(
            f"{file} resolves to {typed.resolve()}, inside another repository "
            f"({real_root}) than the one it is typed in ({typed_root})",
            hint=f"To edit it there, pass --repo {real_root} (`splice undo --repo "
                 f"{real_root}` then takes it back).", path=str(file))
    return real_root


def _tail_matches(name: str, target: Path, root: Path) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if PurePosixPath(name).is_absolute():
        return Path(name).resolve() == target
    try:
        rel = target.relative_to(root.resolve()).parts
    except ValueError:
        rel = target.parts
    return len(parts) <= len(rel) and tuple(rel[-len(parts):]) == tuple(parts)


def plan_edits(text: str, file: Path | None, fmt: str, root: Path) -> list[tuple[str | None, str]]:
    """(path, edit text) pairs for apply_edits; raises with what to send instead."""
    lines = split_edit(text)
    if fmt != "auto":
        wrong = mismatch(fmt, lines, str(file) if file else None)
        if wrong:
            raise MalformedEdit(wrong, hint=MISMATCH_HINT, path=str(file) if file else None)
    target = str(file.expanduser().resolve()) if file is not None else None
    if (fmt if fmt != "auto" else detect(lines, target)) != "search_replace":
        return [(target, text)]
    groups = search_replace.blocks_by_file(lines)
    named = [(name, block) for name, block in groups if name is not None]
    if file is not None:
        resolved = file.expanduser().resolve()
        for name, _ in named:
            if not _tail_matches(name, resolved, root):
                raise MalformedEdit(
                    f"the edit names {name} above its SEARCH block, but the file given is "
                    f"{file}", hint="Pass the file the blocks are for, or leave FILE out "
                    "to apply each block to the file named above it.", path=str(file))
        return [(target, text)]
    if not named:
        raise MalformedEdit("the edit names no file: give FILE, or write the file's path "
                            "on the line above each block (or its ``` fence), as Aider does.")
    if len(named) != len(groups):
        raise MalformedEdit("the first SEARCH block has no file name above it, later ones "
                            "do.", hint="Write the file's path above each block, or give FILE.")
    out: list[tuple[str | None, str]] = []
    for name, block in named:
        path = root / name
        if not path.exists() and (Path.cwd() / name).exists():
            path = Path.cwd() / name
        out.append((str(path.resolve()), "\n".join(block) + "\n"))
    return out


def hunk_count(text: str, fmt: str) -> int | None:
    """How many blocks (SEARCH/REPLACE) or hunks (udiff) an edit holds; None otherwise."""
    lines = split_edit(text)
    if fmt == "search_replace":
        return sum(1 for line in lines if search_replace.SEARCH.match(line))
    if fmt == "udiff":
        return sum(1 for line in lines if line.startswith("@@"))
    return None
