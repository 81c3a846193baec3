"""The `*** Begin Patch` envelope (Codex / OpenAI apply_patch style).

    *** Begin Patch
    *** Update File: src/app.py
    *** Move to: src/main.py        (optional)
    @@ def handler(request):        (optional context line(s) to seek first)
     context
    -old
    +new
    *** End of File                 (optional: the chunk ends the file)
    *** Add File: NOTES.md
    +whole new file, every line prefixed with +
    *** Delete File: old.py
    *** End Patch
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from splice.apply.formats.hunks import Hunk, take_line
from splice.core.errors import MalformedEdit

BEGIN = "*** Begin Patch"
END = "*** End Patch"
UPDATE = "*** Update File:"
ADD = "*** Add File:"
DELETE = "*** Delete File:"
MOVE = "*** Move to:"
EOF_MARK = "*** End of File"

HINT = ("A patch is: *** Begin Patch, then per file *** Update File: PATH (chunks of ' ', "
        "'-', '+' lines, each chunk optionally after an '@@ context' line), *** Add File: PATH "
        "(lines prefixed '+') or *** Delete File: PATH, then *** End Patch.")


@dataclass
class PatchOp:
    kind: Literal["update", "add", "delete"]
    path: str
    move_to: str | None = None
    hunks: list[Hunk] = field(default_factory=list)
    content: list[str] = field(default_factory=list)  # lines of an added file


def looks_like(lines: list[str]) -> bool:
    return any(line.strip() == BEGIN or line.startswith((UPDATE, ADD, DELETE))
               for line in lines[:50])


def _path_after(line: str, prefix: str, where: int) -> str:
    path = line[len(prefix):].strip()
    if not path:
        raise MalformedEdit(f"line {where} of the patch (`{line}`) names no file.", hint=HINT)
    return path


def parse(lines: list[str]) -> list[PatchOp]:
    ops: list[PatchOp] = []
    op: PatchOp | None = None
    hunk: Hunk | None = None
    pending_anchors: list[str] = []
    started = False

    def close_hunk() -> None:
        nonlocal hunk
        if hunk is not None and op is not None and (hunk.old or hunk.new):
            while hunk.old and hunk.new and hunk.old[-1] == "" and hunk.new[-1] == "":
                hunk.old.pop()  # blank lines between file sections, not context
                hunk.new.pop()
            op.hunks.append(hunk)
        hunk = None

    def new_hunk() -> Hunk:
        assert op is not None
        return Hunk(old=[], new=[], label=f"chunk {len(op.hunks) + 1} of {op.path}",
                    anchors=list(pending_anchors))

    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped == BEGIN:
            started = True
            continue
        if stripped == END:
            break
        if not started and not line.startswith((UPDATE, ADD, DELETE)):
            continue  # prose before the envelope
        started = True
        if line.startswith((UPDATE, ADD, DELETE)):
            close_hunk()
            pending_anchors = []
            if line.startswith(UPDATE):
                op = PatchOp("update", _path_after(line, UPDATE, number))
            elif line.startswith(ADD):
                op = PatchOp("add", _path_after(line, ADD, number))
            else:
                op = PatchOp("delete", _path_after(line, DELETE, number))
            ops.append(op)
            continue
        if op is None:
            if stripped:
                raise MalformedEdit(f"line {number} of the patch comes before any "
                                    "*** Update/Add/Delete File line.", hint=HINT)
            continue
        if line.startswith(MOVE):
            if op.kind != "update":
                raise MalformedEdit(f"*** Move to (line {number}) only follows "
                                    "*** Update File.", hint=HINT)
            op.move_to = _path_after(line, MOVE, number)
            continue
        if op.kind == "add":
            if line.startswith("+"):
                op.content.append(line[1:])
            elif stripped:
                raise MalformedEdit(f"line {number} of the patch: every line of an added "
                                    "file must start with '+'.", hint=HINT)
            else:
                op.content.append("")
            continue
        if op.kind == "delete":
            if stripped:
                raise MalformedEdit(f"line {number} of the patch follows *** Delete File; "
                                    "a deleted file takes no lines.", hint=HINT)
            continue
        if stripped == EOF_MARK:
            if hunk is None:
                hunk = new_hunk()
            hunk.at_eof = True
            close_hunk()
            pending_anchors = []
            continue
        if line.startswith("@@"):
            if hunk is not None and (hunk.old or hunk.new):
                close_hunk()
                pending_anchors = []
            anchor = line[2:].strip()
            if anchor.endswith("@@"):  # "@@ -1,3 +1,4 @@ def f" style: keep the tail
                anchor = ""
            elif "@@" in anchor:
                anchor = anchor.split("@@", 1)[1].strip()
            if anchor:
                pending_anchors.append(anchor)
            hunk = None
            continue
        if hunk is None:
            hunk = new_hunk()
        if not take_line(hunk, line):
            raise MalformedEdit(f"line {number} of the patch (`{line}`) does not start with "
                                "' ', '-' or '+'.", hint=HINT)
    close_hunk()
    if not ops:
        raise MalformedEdit("the patch names no file to change.", hint=HINT)
    for op in ops:
        if op.kind == "update" and not op.hunks and not op.move_to:
            raise MalformedEdit(f"the patch's *** Update File: {op.path} has no changes.",
                                hint=HINT)
    return ops


def pick_op(ops: list[PatchOp], path: str | None) -> PatchOp:
    """The one operation a single-file merge performs."""
    if len(ops) == 1:
        return ops[0]
    if path:
        want = path.replace("\\", "/").lstrip("./")
        matches = [op for op in ops if op.path == want or want.endswith("/" + op.path)
                   or op.path.endswith("/" + want)]
        if len(matches) == 1:
            return matches[0]
    names = ", ".join(op.path for op in ops)
    raise MalformedEdit(f"the patch touches several files ({names}); merge() edits one.",
                        hint="Apply multi-file patches with apply_edits (or `splice apply` "
                             "without a FILE).", path=path)
