"""Unified diffs as models write them: line numbers are hints, context decides.

Tolerated: missing `---`/`+++` headers, `@@ ... @@` without numbers, wrong counts,
context lines that lost their leading space, `\\ No newline at end of file`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from splice.apply.formats.hunks import Hunk, take_line
from splice.core.errors import MalformedEdit

HUNK_HEADER = re.compile(r"^@@+\s*(?:-(\d+)(?:,(\d+))?\s+\+(\d+)(?:,(\d+))?)?.*$")
GIT_HEADERS = ("diff --git ", "index ", "new file mode", "deleted file mode", "old mode",
               "new mode", "similarity index", "rename from", "rename to", "copy from",
               "copy to", "dissimilarity index", "Binary files ")


@dataclass
class FileDiff:
    old_path: str | None = None
    new_path: str | None = None
    hunks: list[Hunk] = field(default_factory=list)


def _strip_prefix(name: str) -> str | None:
    name = name.split("\t")[0].strip()
    if name == "/dev/null":
        return None
    if name.startswith(("a/", "b/")):
        return name[2:]
    return name


def looks_like(lines: list[str]) -> bool:
    has_hunk = any(line.startswith("@@") for line in lines)
    has_change = any(line[:1] in "+-" and not line.startswith(("---", "+++")) for line in lines)
    has_headers = any(
        line.startswith("--- ") and i + 1 < len(lines) and lines[i + 1].startswith("+++ ")
        for i, line in enumerate(lines))
    return (has_hunk and has_change) or (has_headers and has_change)


def parse(lines: list[str], path: str | None = None) -> list[FileDiff]:
    files: list[FileDiff] = []
    current: FileDiff | None = None
    hunk: Hunk | None = None
    i = 0
    n = len(lines)

    def close_hunk() -> None:
        nonlocal hunk
        if hunk is not None and (hunk.old or hunk.new):
            assert current is not None
            # trailing blank "context" is usually the model's blank line after the diff
            while hunk.old and hunk.new and hunk.old[-1] == "" and hunk.new[-1] == "":
                hunk.old.pop()
                hunk.new.pop()
            current.hunks.append(hunk)
        hunk = None

    while i < n:
        line = lines[i]
        if line.startswith("--- ") and i + 1 < n and lines[i + 1].startswith("+++ "):
            close_hunk()
            current = FileDiff(_strip_prefix(line[4:]), _strip_prefix(lines[i + 1][4:]))
            files.append(current)
            i += 2
            continue
        if hunk is None and line.startswith(GIT_HEADERS):
            i += 1
            continue
        if line.startswith("@@"):
            close_hunk()
            if current is None:
                current = FileDiff()
                files.append(current)
            m = HUNK_HEADER.match(line)
            hint = None
            if m and m.group(1) is not None:
                hint = int(m.group(1)) - 1  # unclamped: a shifted "-0" still tells the offset
            count = sum(len(f.hunks) for f in files) + 1
            hunk = Hunk(old=[], new=[], label=f"hunk {count}", hint=hint)
            i += 1
            continue
        if hunk is None:
            if line[:1] in ("+", "-", " ") and (current is not None or path is not None):
                if current is None:
                    current = FileDiff()
                    files.append(current)
                hunk = Hunk(old=[], new=[], label=f"hunk {len(current.hunks) + 1}")
            else:
                i += 1  # prose around the diff
                continue
        if line.startswith("\\"):
            pass  # "\ No newline at end of file": the original's final newline is kept
        elif not take_line(hunk, line):
            hunk.old.append(line)  # a context line that lost its leading space
            hunk.new.append(line)
        i += 1
    close_hunk()
    files = [f for f in files if f.hunks]
    if not files:
        raise MalformedEdit("the unified diff has no hunks.",
                            hint="Send hunks that start with @@ and lines prefixed by ' ', "
                                 "'-' or '+'.", path=path)
    return files


def pick_file(files: list[FileDiff], path: str | None) -> FileDiff:
    """The diff for `path` (or the only one)."""
    if len(files) == 1:
        return files[0]
    if path:
        want = path.replace("\\", "/").lstrip("./")
        for f in files:
            for name in (f.new_path, f.old_path):
                if name and (name == want or want.endswith("/" + name)
                             or name.endswith("/" + want)):
                    return f
    names = ", ".join(str(f.new_path or f.old_path) for f in files)
    raise MalformedEdit(f"the diff touches several files ({names}) and none is {path}.",
                        hint="Send one file's diff per edit, or use apply_edits.", path=path)
