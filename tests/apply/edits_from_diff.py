"""Derive an edit in every format from a before/after pair (test helper)."""

from __future__ import annotations

import difflib

MARKER = "# ... existing code ..."


def _groups(a: list[str], b: list[str], ctx: int) -> list[list[tuple[str, int, int, int, int]]]:
    return list(difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(ctx))


def text(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def search_replace(a: list[str], b: list[str], ctx: int = 2) -> str:
    out: list[str] = []
    for g in _groups(a, b, ctx):
        i1, i2, j1, j2 = g[0][1], g[-1][2], g[0][3], g[-1][4]
        out += ["<<<<<<< SEARCH", *a[i1:i2], "=======", *b[j1:j2], ">>>>>>> REPLACE"]
    return text(out)


def udiff(a: list[str], b: list[str], ctx: int = 3, shift: int = 0) -> str:
    out = []
    for line in difflib.unified_diff(a, b, "a/f", "b/f", lineterm="", n=ctx):
        if line.startswith("@@") and shift:
            old, new = line.split(" ")[1:3]
            o = old[1:].split(",")
            n = new[1:].split(",")
            o[0] = str(int(o[0]) + shift)
            n[0] = str(int(n[0]) + shift)
            line = f"@@ -{','.join(o)} +{','.join(n)} @@"
        out.append(line)
    return text(out)


def patch(a: list[str], b: list[str], ctx: int = 3) -> str:
    out = ["*** Begin Patch", "*** Update File: f"]
    for g in _groups(a, b, ctx):
        out.append("@@")
        for tag, i1, i2, j1, j2 in g:
            if tag == "equal":
                out += [" " + x for x in a[i1:i2]]
            else:
                out += ["-" + x for x in a[i1:i2]] + ["+" + x for x in b[j1:j2]]
    out.append("*** End Patch")
    return text(out)


def lazy(a: list[str], b: list[str], ctx: int = 2) -> str:
    out: list[str] = []
    groups = _groups(a, b, ctx)
    for g in groups:
        if g[0][1] > 0:
            out.append(MARKER)
        out += b[g[0][3]:g[-1][4]]
    if groups and groups[-1][-1][2] < len(a):
        out.append(MARKER)
    return text(out)
