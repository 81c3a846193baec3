"""Edit generators: each edit has the claimed shape and, applied by a plain reference
reading of its format, turns the old file into the new one."""

from __future__ import annotations

import random
import re

import pytest
import unidiff

from splice.bench.apply_cases import (
    MARKER_TEXTS,
    VARIANTS,
    diff_hunks,
    group_hunks,
    make_cases,
    occurrences,
    split_lines,
)
from splice.bench.apply_corpus import ChangedFile


def synthetic_pair(seed: int, n: int = 60) -> tuple[list[str], list[str]]:
    """Unique old lines, and a new version with a few replacements, inserts and deletes."""
    rng = random.Random(seed)
    old = [f"{'    ' * rng.randint(0, 2)}value_{k} = {k}" for k in range(n)]
    new = list(old)
    for op in range(rng.randint(1, 5)):
        pos = rng.randrange(len(new))
        kind = rng.choice(["replace", "insert", "delete"])
        if kind == "replace":
            new[pos] = f"    changed_{seed}_{op} = {pos}"
        elif kind == "insert":
            new[pos:pos] = [f"inserted_{seed}_{op}_{i} = {i}" for i in range(rng.randint(1, 3))]
        elif len(new) > 10:
            del new[pos:pos + rng.randint(1, 3)]
    return old, new


def _file(old: list[str], new: list[str], language: str = "python",
          path: str = "pkg/mod.py") -> ChangedFile:
    return ChangedFile(package="pkg", path=path, language=language,
                       old="\n".join(old) + "\n", new="\n".join(new) + "\n")


MARKER = re.compile(r"^\s*(#|//) (\.\.\..*\.\.\.)$")


def ref_lazy(old: list[str], edit: str) -> list[str]:
    """Lazy semantics on unique lines: segments anchored by their first and last lines."""
    segments: list[tuple[bool, list[str]]] = []  # (marker before?, lines)
    marker_before, current = False, []
    lines = split_lines(edit)
    for line in lines:
        if MARKER.match(line):
            if current:
                segments.append((marker_before, current))
            marker_before, current = True, []
        else:
            current.append(line)
    marker_after = not current
    if current:
        segments.append((marker_before, current))
    out: list[str] = []
    cursor = 0
    for before, seg in segments:
        if before:
            start = old.index(seg[0], cursor)
            out += old[cursor:start]
        out += seg
        cursor = old.index(seg[-1], cursor) + 1 if seg[-1] in old[cursor:] else len(old)
    if marker_after:
        out += old[cursor:]
    return out


def ref_search_replace(old: list[str], edit: str) -> list[str]:
    text = "\n".join(old) + "\n"
    for search, replace in re.findall(
            r"<<<<<<< SEARCH\n(.*?)=======\n(.*?)>>>>>>> REPLACE", edit, re.S):
        assert text.count(search) == 1, "a SEARCH part must match exactly once"
        text = text.replace(search, replace)
    return split_lines(text)


def ref_hunks(old: list[str], hunks: list[list[str]]) -> list[str]:
    """Apply diff bodies (' '/'-'/'+' lines) by locating their old side in order."""
    out: list[str] = []
    cursor = 0
    for body in hunks:
        source = [line[1:] for line in body if line[0] in " -"]
        target = [line[1:] for line in body if line[0] in " +"]
        start = next(i for i in range(cursor, len(old) - len(source) + 1)
                     if old[i:i + len(source)] == source)
        out += old[cursor:start] + target
        cursor = start + len(source)
    return out + old[cursor:]


def _patch_hunks(edit: str) -> list[list[str]]:
    hunks: list[list[str]] = []
    for line in split_lines(edit):
        if line.startswith("@@"):
            hunks.append([])
        elif hunks and line[:1] in (" ", "-", "+"):
            hunks[-1].append(line)
    return hunks


@pytest.mark.parametrize("seed", range(120))
def test_every_variant_reproduces_the_new_file(seed: int) -> None:
    old, new = synthetic_pair(seed)
    if old == new:
        return
    cases = {c.variant: c for c in make_cases(_file(old, new), seed=seed)}
    assert set(cases) == set(VARIANTS)
    for variant in ("lazy-1", "lazy-2", "lazy-3", "lazy-anchored"):
        assert ref_lazy(old, cases[variant].edit) == new, variant
    assert ref_search_replace(old, cases["search_replace"].edit) == new
    patch = unidiff.PatchSet(cases["udiff"].edit)
    assert ref_hunks(old, [[str(line).rstrip("\n") for line in h] for h in patch[0]]) == new
    assert ref_hunks(old, _patch_hunks(cases["patch"].edit)) == new
    assert split_lines(cases["whole"].edit) == new
    assert all(c.expected == "\n".join(new) + "\n" for c in cases.values())


@pytest.mark.parametrize("ctx", [1, 2, 3])
def test_lazy_markers_and_context_count(ctx: int) -> None:
    old = [f"line_{k} = {k}" for k in range(40)]
    new = list(old)
    new[10] = "line_10 = 'ten'"
    new[30:30] = ["added = 1"]
    edit = make_cases(_file(old, new), seed=1, variants=(f"lazy-{ctx}",))[0].edit
    lines = split_lines(edit)
    markers = [i for i, line in enumerate(lines) if MARKER.match(line)]
    # top, between the two hunks, bottom
    assert len(markers) == 3 and markers[0] == 0 and markers[-1] == len(lines) - 1
    assert all(lines[i].startswith("# ...") for i in markers)
    assert all(MARKER.match(lines[i]).group(2) in MARKER_TEXTS for i in markers)
    first = lines[1:markers[1]]
    assert first == old[10 - ctx:10] + ["line_10 = 'ten'"] + old[11:11 + ctx]
    second = lines[markers[1] + 1:markers[2]]
    assert second == old[30 - ctx:30] + ["added = 1"] + old[30:30 + ctx]


def test_lazy_uses_the_files_comment_syntax_and_indentation() -> None:
    old = ["fn main() {", *[f"    let x{k} = {k};" for k in range(20)], "}"]
    new = list(old)
    new[10] = "    let x9 = 99;"
    edit = make_cases(_file(old, new, "rust", "src/main.rs"), seed=3,
                      variants=("lazy-2",))[0].edit
    lines = split_lines(edit)
    assert lines[0].startswith("// ...") and lines[-1].startswith("    // ...")
    assert not any(line.lstrip().startswith("#") for line in lines)


def test_no_marker_where_the_snippet_reaches_the_file_edge() -> None:
    old = [f"v{k} = {k}" for k in range(10)]
    new = ["header = 0", *old[:-1], "v9 = 'nine'"]
    edit = make_cases(_file(old, new), seed=0, variants=("lazy-2",))[0].edit
    lines = split_lines(edit)
    assert lines[0] == "header = 0" and lines[-1] == "v9 = 'nine'"
    assert sum(bool(MARKER.match(line)) for line in lines) == 1


def test_udiff_line_numbers_are_shifted_and_seeded() -> None:
    old, new = synthetic_pair(7, n=120)
    edits = set()
    for seed in range(5):
        edit = make_cases(_file(old, new), seed=seed, variants=("udiff",))[0].edit
        edits.add(edit)
        hunks = diff_hunks(old, new)
        blocks = group_hunks(hunks, len(old), [3] * len(hunks))
        headers = re.findall(r"^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$", edit, re.M)
        assert len(headers) == len(blocks)
        for (src, src_len, _dst, dst_len), block in zip(headers, blocks, strict=True):
            assert int(src_len) == block.b - block.a and int(dst_len) == block.d - block.c
            true_src = block.a + 1 if block.b > block.a else block.a
            assert int(src) != true_src and int(src) >= 1
        # same seed, same edit
        again = make_cases(_file(old, new), seed=seed, variants=("udiff",))[0].edit
        assert again == edit
    assert len(edits) > 1  # the offset depends on the seed


def test_search_blocks_grow_until_unique() -> None:
    old = ["def a():", "    return 1", "", "def b():", "    return 1", "", "x = 1"]
    new = list(old)
    new[4] = "    return 2"
    edit = make_cases(_file(old, new), seed=0, variants=("search_replace",))[0].edit
    search = re.search(r"<<<<<<< SEARCH\n(.*?)=======\n", edit, re.S).group(1)
    assert occurrences(old, split_lines(search)) == 1
    assert "def b():" in search  # context grew to the line that tells the two apart
    assert edit.startswith("pkg/mod.py\n```python\n")


def test_patch_has_envelope_scope_header_and_three_context_lines() -> None:
    old = ["class Greeter:", *[f"    x{k} = {k}" for k in range(12)], "", "y = 2"]
    new = list(old)
    new[7] = "    x6 = 'six'"
    edit = make_cases(_file(old, new), seed=0, variants=("patch",))[0].edit
    lines = split_lines(edit)
    assert lines[:2] == ["*** Begin Patch", "*** Update File: pkg/mod.py"]
    assert lines[2] == "@@ class Greeter:" and lines[-1] == "*** End Patch"
    body = lines[3:-1]
    assert [line[0] for line in body] == [" "] * 3 + ["-", "+"] + [" "] * 3


def test_crlf_files_get_lf_edits_and_keep_the_crlf_expectation() -> None:
    f = ChangedFile(package="p", path="a.py", language="python",
                    old="a = 1\r\nb = 2\r\nc = 3\r\n", new="a = 1\r\nb = 3\r\nc = 3\r\n")
    for case in make_cases(f, seed=0):
        assert "\r" not in case.edit
        assert case.expected == f.new and case.original == f.old


def test_unknown_variant_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown variant"):
        make_cases(_file(["a"], ["b"]), seed=0, variants=("nope",))
