"""Whole-file lazy edits with marker variants, SEARCH/REPLACE blocks with the defects models
make (a line left out, a line added, a typo, a block copied from a sibling file, cut off),
short fragments sent as if they were the file, and the udiff / patch / whole controls."""

from __future__ import annotations

import difflib
import random
from collections.abc import Iterator

from splice.bench.apply_cases import (
    patch_edit,
    search_replace_blocks,
    udiff_edit,
)
from splice.bench.apply_shapes_lazy import Made, lazy_blocks
from splice.bench.apply_shapes_model import FilePlan, indent_of, occurrences
from splice.bench.apply_shapes_rules import Verdict, anchored, by_anchor

REWORDED = ("... rest unchanged", "... unchanged ...", "(existing code)", "... same as before")
END_REWORDED = "(rest of file unchanged)"
DEFECTIVE_PER_FILE = 3  # blocks per file written with a missing line, an extra one, a typo
FRAGMENTS = {"python": "pass", "rust": "let x = 1;", "go": "x := 1", "java": "int x = 1;"}


def _whole_lazy(plan: FilePlan, ctx: int) -> tuple[list[str], list[tuple[int, str, bool]]]:
    """The whole-file lazy edit: its lines with canonical markers, and for each marker its
    index, the indentation of what it stands for and whether it ends the edit."""
    out: list[str] = []
    marks: list[tuple[int, str, bool]] = []
    prev = 0
    n = len(plan.old)
    for a, b, c, d, _ in lazy_blocks(plan, ctx):
        if a > 0:
            indent = indent_of(next((x for x in plan.old[prev:a] if x.strip()), ""))
            marks.append((len(out), indent, False))
            out.append(f"{indent}{plan.comment} ... existing code ...")
        out += plan.new[c:d]
        prev = b
    if prev < n:
        indent = indent_of(next((x for x in plan.old[prev:] if x.strip()), ""))
        marks.append((len(out), indent, True))
        out.append(f"{indent}{plan.comment} ... existing code ...")
    return out, marks


def marker_variants(plan: FilePlan, rng: random.Random) -> Iterator[Made]:
    """lazy-ctx2 / lazy-ctx3 as written, and with bare, reworded, foreign-syntax or
    misindented markers; the verdict is the canonical snippet's."""
    for ctx in (2, 3):
        lines, marks = _whole_lazy(plan, ctx)
        if not marks:
            continue
        verdict = anchored(plan, lines, plan.new, plan.seen(plan.hunks))
        if verdict is None:
            continue
        yield f"lazy-ctx{ctx}", lines, verdict, plan.hunks, "anchored"
        if ctx != rng.choice((2, 3)):
            continue
        variants = {
            "marker-bare": lambda i, e, ind: f"{ind}{plan.comment} ...",
            "marker-reworded": lambda i, e, ind: f"{ind}{plan.comment} " + (
                END_REWORDED if e else REWORDED[i % len(REWORDED)]),
            "marker-foreign": lambda i, e, ind: f"{ind}{_foreign(plan)} ... existing code ...",
            "marker-misindent": lambda i, e, ind: (
                "" if ind else "        ") + f"{plan.comment} ... existing code ...",
        }
        for shape, make in variants.items():
            edit = list(lines)
            for k, (i, indent, end) in enumerate(marks):
                edit[i] = make(k, end, indent)
            yield shape, edit, verdict, plan.hunks, "anchored"


def _foreign(plan: FilePlan) -> str:
    return "#" if plan.comment != "#" else "//"


def _sr(path: str, language: str, pairs: list[tuple[list[str], list[str]]],
        close: bool = True) -> list[str]:
    out: list[str] = []
    for search, replace in pairs:
        out += [path, f"```{language}", "<<<<<<< SEARCH", *search, "=======", *replace]
        if close:
            out += [">>>>>>> REPLACE", "```", ""]
    return out


def _typo(line: str, rng: random.Random) -> str | None:
    spots = [i for i in range(len(line) - 1) if line[i].isalpha() and line[i + 1].isalpha()
             and line[i] != line[i + 1]]
    if len(line.strip()) < 12 or not spots:
        return None
    i = rng.choice(spots)
    return line[:i] + line[i + 1] + line[i] + line[i + 2:]


def search_replace(plan: FilePlan, rng: random.Random) -> Iterator[Made]:
    """Each block alone, all blocks, and the defective blocks."""
    path, lang = plan.file.path, plan.file.language
    blocks = search_replace_blocks(plan.old, plan.new, rng.choice((1, 2, 3)))
    pairs = [(plan.old[b.a:b.b], plan.new[b.c:b.d]) for b in blocks]
    if all(len(occurrences(plan.old, s)) == 1 for s, _ in pairs):
        yield "sr-all", _sr(path, lang, pairs), (plan.new, plan.new), plan.hunks, "literal"
    defective = set(rng.sample(range(len(blocks)), min(len(blocks), DEFECTIVE_PER_FILE)))
    for k, (b, (search, replace)) in enumerate(zip(blocks, pairs, strict=True)):
        hunks = list(b.hunks)
        gold = plan.apply(hunks)
        seen = plan.seen(hunks)
        places = occurrences(plan.old, search)
        verdict: Verdict | None = by_anchor(
            gold, (len(places), sum(1 for p in places if any(
                x - 1 <= p and p + len(search) <= y for x, y in seen))))
        if verdict is None or not any(x.strip() for x in search):
            continue
        yield "sr-block", _sr(path, lang, [(search, replace)]), verdict, hunks, "literal"
        if len(search) < 3 or verdict[1] is None or k not in defective:
            continue
        inner = [i for i in range(1, len(search) - 1) if search[i].strip()]
        if inner:
            i = rng.choice(inner)
            s2 = search[:i] + search[i + 1:]
            r2 = list(replace)
            if search[i] in r2:  # a context line: the writer leaves it out of both sides
                r2.remove(search[i])
            if not occurrences(plan.old, s2):
                yield ("sr-missing-line", _sr(path, lang, [(s2, r2)]), (None, None), hunks,
                       "line-count")
        extra_from = [x for x in plan.old if x.strip() and x not in search]
        if extra_from:
            i = rng.randrange(1, len(search))
            s3 = search[:i] + [rng.choice(extra_from)] + search[i:]
            if not occurrences(plan.old, s3):
                yield ("sr-extra-line", _sr(path, lang, [(s3, replace)]), (None, None), hunks,
                       "line-count")
        solid = [i for i, x in enumerate(search) if _typo(x, rng)]
        if solid and sum(1 for x in search if x.strip()) >= 3:
            i = rng.choice(solid)
            typo = _typo(search[i], rng)
            assert typo is not None
            rest = [x for k, x in enumerate(search) if k != i]
            once = [p for p in range(len(plan.old) - len(search) + 1)
                    if [x for k, x in enumerate(plan.old[p:p + len(search)]) if k != i] == rest]
            # the mis-copied line is copied on into REPLACE only where it stays in place
            kept = {i1 + d: j1 + d for tag, i1, i2, j1, _ in difflib.SequenceMatcher(
                None, search, replace, autojunk=False).get_opcodes() if tag == "equal"
                for d in range(i2 - i1)}
            moved = [j for j, x in enumerate(replace) if x == search[i] and j != kept.get(i)]
            if once == [b.a] and not moved:
                s4 = search[:i] + [typo] + search[i + 1:]
                r4 = [typo if j == kept.get(i) else x for j, x in enumerate(replace)]
                yield "sr-typo", _sr(path, lang, [(s4, r4)]), (gold, gold), hunks, "one-to-one"
    if blocks:
        search, replace = pairs[0]
        cut = _sr(path, lang, [(search, replace[: max(len(replace) // 2, 1)])], close=False)
        yield "sr-truncated", cut, (None, None), list(blocks[0].hunks), "cut-off"
    yield from sibling(plan, rng)


def sibling(plan: FilePlan, rng: random.Random) -> Iterator[Made]:
    """A block copied from another changed file of the package: not in this file."""
    others = [f for f in plan.siblings
              if f.language == plan.file.language and f.path != plan.file.path]
    if not others:
        return
    other = rng.choice(others)
    from splice.bench.apply_cases import split_lines

    old, new = split_lines(other.old), split_lines(other.new)
    for b in search_replace_blocks(old, new, 2)[:1]:
        search = old[b.a:b.b]
        stripped = [x.strip() for x in plan.old]
        want = [x.strip() for x in search]
        if sum(1 for x in want if x) < 2 or occurrences(stripped, want):
            return
        yield ("sr-sibling", _sr(plan.file.path, plan.file.language, [(search, new[b.c:b.d])]),
               (None, None), [], "not-in-file")


def controls(plan: FilePlan, rng: random.Random) -> Iterator[Made]:
    """udiff, patch and whole file as the formats define them; fragments that are not files."""
    path = plan.file.path
    yield "udiff", udiff_edit(path, plan.old, plan.new, rng).splitlines(), \
        (plan.new, plan.new), plan.hunks, "literal"
    yield "patch", patch_edit(path, plan.old, plan.new).splitlines(), \
        (plan.new, plan.new), plan.hunks, "literal"
    if len(plan.old) >= 10:
        yield "whole", list(plan.new), (plan.new, plan.new), plan.hunks, "whole"
        frag = FRAGMENTS.get(plan.file.language, "x = 1;")
        changed = [plan.new[j] for h in plan.hunks for j in range(h.j1, h.j2)
                   if plan.new[j].strip()]
        yield "fragment", [frag], (None, None), [], "not-a-file"
        yield "fragment", [f"{plan.comment} ... existing co"], (None, None), [], "not-a-file"
        if changed:
            yield "fragment", [rng.choice(changed)], (None, None), [], "not-a-file"
