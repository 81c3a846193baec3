"""Edits written the way models write them, derived from a real old/new file pair.

For one changed file this makes one case per variant: lazy snippets with 1, 2 and 3
context lines and `... existing code ...` markers in the file's comment syntax, Aider-style
SEARCH/REPLACE blocks, unified diffs whose line numbers are off by a seeded offset,
`*** Begin Patch` updates, and the whole new file as a control. The expected result
is always the new file. Everything is deterministic for a given seed.

Edits use "\\n" line endings whatever the file uses, as a model's output does; keeping
the original's line endings is the engine's job.
"""

from __future__ import annotations

import difflib
import random
import re
from dataclasses import dataclass

from pydantic import BaseModel

from splice.bench.apply_corpus import ChangedFile
from splice.bench.tokens.edits import lazy as anchored_lazy
from splice.core.syntax import LINE_COMMENTS

VARIANTS: tuple[str, ...] = ("lazy-1", "lazy-2", "lazy-3", "lazy-anchored", "search_replace",
                             "udiff", "patch", "whole")
# lazy-N writes exactly N context lines whatever they hold (often a blank line or a lone
# bracket, which anchors nothing). lazy-anchored writes 2 and grows them past blank, bland or
# repeated lines, as a model picks lines worth matching; it is the token benchmark's writer.
ANCHORED = "lazy-anchored"
FORMATS: tuple[str, ...] = ("lazy", "search_replace", "udiff", "patch", "whole")

# Marker wording varies the way models vary it; every one starts and ends with "...".
MARKER_TEXTS = ("... existing code ...", "... existing code ...", "... existing code ...",
                "... rest of the code unchanged ...", "... keep existing code ...")
SR_MAX_CONTEXT = 12      # Aider's models add lines until the SEARCH text is unique
UDIFF_CONTEXT = 3        # `diff -u`'s default, which models copy
PATCH_CONTEXT = 3        # the Codex apply_patch instructions ask for 3 lines
MAX_LINE_OFFSET = 40


class Case(BaseModel):
    """One edit to apply: merge(original, edit, fmt=fmt, path=path) should give expected."""

    id: str
    package: str
    path: str
    language: str
    fmt: str
    variant: str
    original: str
    edit: str
    expected: str


def variant_format(variant: str) -> str:
    return "lazy" if variant.startswith("lazy-") else variant


def split_lines(text: str) -> list[str]:
    """Lines without their endings (only \\r\\n, \\r, \\n end a line; form feeds do not)."""
    body = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = body.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


@dataclass(frozen=True)
class Hunk:
    """A changed stretch: old lines [i1, i2) became new lines [j1, j2)."""

    i1: int
    i2: int
    j1: int
    j2: int


@dataclass(frozen=True)
class Block:
    """Old lines [a, b) <-> new lines [c, d): some hunks plus unchanged context around them."""

    a: int
    b: int
    c: int
    d: int
    hunks: tuple[Hunk, ...]


def diff_hunks(old: list[str], new: list[str]) -> list[Hunk]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [Hunk(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes()
            if tag != "equal"]


def group_hunks(hunks: list[Hunk], n_old: int, contexts: list[int]) -> list[Block]:
    """Blocks with contexts[k] unchanged lines around hunk k; touching blocks merge,
    so the old lines between two blocks are never empty."""
    blocks: list[Block] = []
    for hunk, ctx in zip(hunks, contexts, strict=True):
        a, b = max(0, hunk.i1 - ctx), min(n_old, hunk.i2 + ctx)
        if blocks and a <= blocks[-1].b:
            prev = blocks.pop()
            a, b, members = min(a, prev.a), max(b, prev.b), prev.hunks + (hunk,)
        else:
            members = (hunk,)
        first, last = members[0], members[-1]
        blocks.append(Block(a, b, first.j1 - (first.i1 - a), last.j2 + (b - last.i2), members))
    return blocks


def block_lines(block: Block, old: list[str], new: list[str]) -> list[tuple[str, str]]:
    """The block as (' ' | '-' | '+', line) pairs in diff order."""
    out: list[tuple[str, str]] = []
    pos = block.a
    for h in block.hunks:
        out += [(" ", line) for line in old[pos:h.i1]]
        out += [("-", line) for line in old[h.i1:h.i2]]
        out += [("+", line) for line in new[h.j1:h.j2]]
        pos = h.i2
    out += [(" ", line) for line in old[pos:block.b]]
    return out


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _marker(language: str, lines: list[str], rng: random.Random) -> str:
    """A marker indented like the first non-blank line it stands for."""
    indent = next((_indent(line) for line in lines if line.strip()), "")
    return f"{indent}{LINE_COMMENTS[language][0]} {rng.choice(MARKER_TEXTS)}"


def lazy_edit(old: list[str], new: list[str], language: str, ctx: int,
              rng: random.Random) -> str:
    """The new file's changed regions with `ctx` lines of context, markers elsewhere."""
    hunks = diff_hunks(old, new)
    blocks = group_hunks(hunks, len(old), [ctx] * len(hunks))
    out: list[str] = []
    prev_b = 0
    for k, block in enumerate(blocks):
        if k > 0 or block.a > 0:
            out.append(_marker(language, old[prev_b:block.a], rng))
        out += new[block.c:block.d]
        prev_b = block.b
    if prev_b < len(old):
        out.append(_marker(language, old[prev_b:], rng))
    return "\n".join(out) + "\n"


def occurrences(haystack: list[str], needle: list[str]) -> int:
    if not needle:
        return len(haystack) + 1
    n = len(needle)
    return sum(1 for i in range(len(haystack) - n + 1)
               if haystack[i] == needle[0] and haystack[i:i + n] == needle)


def search_replace_blocks(old: list[str], new: list[str], start_ctx: int) -> list[Block]:
    """Blocks with `start_ctx` context lines, each grown until its SEARCH part is unique."""
    hunks = diff_hunks(old, new)
    contexts = [start_ctx] * len(hunks)
    while True:
        blocks = group_hunks(hunks, len(old), contexts)
        grown = False
        index = 0
        for block in blocks:
            members = range(index, index + len(block.hunks))
            index += len(block.hunks)
            if occurrences(old, old[block.a:block.b]) > 1 and max(
                    contexts[m] for m in members) < SR_MAX_CONTEXT:
                for m in members:
                    contexts[m] += 1
                grown = True
        if not grown:
            return blocks


def search_replace_edit(path: str, language: str, old: list[str], new: list[str],
                        rng: random.Random) -> str:
    """Aider's `diff` edit format: the path, then a fenced SEARCH/REPLACE block per change."""
    fence = "```" + language
    parts: list[str] = []
    for block in search_replace_blocks(old, new, rng.choice((1, 2, 3))):
        parts += [path, fence, "<<<<<<< SEARCH", *old[block.a:block.b], "=======",
                  *new[block.c:block.d], ">>>>>>> REPLACE", "```", ""]
    return "\n".join(parts)


def _range(start: int, end: int, offset: int) -> str:
    length = end - start
    first = start + 1 if length else start  # an empty range names the line before it
    shifted = first + offset
    if shifted < 1:
        shifted = first + abs(offset)
    return f"{shifted},{length}"


def udiff_edit(path: str, old: list[str], new: list[str], rng: random.Random) -> str:
    """`diff -u` output whose hunk line numbers are all off by one seeded offset."""
    offset = rng.choice([o for o in range(-MAX_LINE_OFFSET, MAX_LINE_OFFSET + 1) if o])
    hunks = diff_hunks(old, new)
    out = [f"--- a/{path}", f"+++ b/{path}"]
    for block in group_hunks(hunks, len(old), [UDIFF_CONTEXT] * len(hunks)):
        out.append(f"@@ -{_range(block.a, block.b, offset)} "
                   f"+{_range(block.c, block.d, offset)} @@")
        out += [tag + line for tag, line in block_lines(block, old, new)]
    return "\n".join(out) + "\n"


_SCOPE = re.compile(
    r"^(async\s+)?(def|class|fn|impl|pub|function|export|interface|type|struct|enum|trait|"
    r"mod|public|private|protected|static|func)\s")


def enclosing_line(old: list[str], start: int) -> str | None:
    """The def/class/fn/impl line that encloses old line `start`, as a Codex @@ header."""
    first = next((line for line in old[start:] if line.strip()), "")
    depth = len(_indent(first))
    for line in reversed(old[:start]):
        stripped = line.strip()
        if not stripped or len(_indent(line)) >= depth:
            continue
        if _SCOPE.match(stripped) or stripped.endswith("{"):
            return line
    return None


def patch_edit(path: str, old: list[str], new: list[str]) -> str:
    """A Codex `*** Begin Patch` update with 3 context lines and @@ scope headers."""
    hunks = diff_hunks(old, new)
    out = ["*** Begin Patch", f"*** Update File: {path}"]
    for block in group_hunks(hunks, len(old), [PATCH_CONTEXT] * len(hunks)):
        scope = enclosing_line(old, block.a)
        out.append(f"@@ {scope.strip()}" if scope else "@@")
        out += [tag + line for tag, line in block_lines(block, old, new)]
        if block.b == len(old):
            out.append("*** End of File")
    out.append("*** End Patch")
    return "\n".join(out) + "\n"


def whole_edit(new: list[str]) -> str:
    return "\n".join(new) + "\n"


def make_cases(file: ChangedFile, seed: int,
               variants: tuple[str, ...] = VARIANTS) -> list[Case]:
    """One case per variant for a changed file."""
    old, new = split_lines(file.old), split_lines(file.new)
    cases: list[Case] = []
    for variant in variants:
        rng = random.Random(f"{seed}:{file.package}:{file.path}:{variant}")
        if variant == ANCHORED:
            edit = anchored_lazy(old, new, file.path, context=2)
        elif variant.startswith("lazy-"):
            edit = lazy_edit(old, new, file.language, int(variant.split("-")[1]), rng)
        elif variant == "search_replace":
            edit = search_replace_edit(file.path, file.language, old, new, rng)
        elif variant == "udiff":
            edit = udiff_edit(file.path, old, new, rng)
        elif variant == "patch":
            edit = patch_edit(file.path, old, new)
        elif variant == "whole":
            edit = whole_edit(new)
        else:
            raise ValueError(f"unknown variant {variant!r}; known: {', '.join(VARIANTS)}")
        cases.append(Case(id=f"{file.package}:{file.path}:{variant}", package=file.package,
                          path=file.path, language=file.language,
                          fmt=variant_format(variant), variant=variant, original=file.old,
                          edit=edit, expected=file.new))
    return cases
