"""Property tests: a derived edit merges to exactly the new text, or is refused cleanly;
apply_edits never leaves a half-written set of files."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import splice.core.journal as journal
from splice.apply import ApplyError, Edit, apply_edits, merge
from tests.apply import edits_from_diff as derive

VOCAB = ["a = 1", "b = 2", "", "    return x", "def f():", "x += 1", "}", "if y:",
         "    pass", "print(a)"]
line = st.sampled_from(VOCAB)


@st.composite
def before_after(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    before = draw(st.lists(line, max_size=30))
    after = list(before)
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        pos = draw(st.integers(0, len(after)))
        if kind == "insert":
            after[pos:pos] = draw(st.lists(line, min_size=1, max_size=3))
        elif after and pos < len(after):
            end = min(len(after), pos + draw(st.integers(1, 3)))
            after[pos:end] = [] if kind == "delete" else draw(st.lists(line, min_size=1,
                                                                       max_size=3))
    return before, after


def check(before: list[str], after: list[str], edit: str, fmt: str, *,
          noop_ok: bool = False) -> None:
    try:
        result = merge(derive.text(before), edit, fmt=fmt)
    except ApplyError:
        return  # refusing is allowed; a wrong text is not
    if noop_ok and result.already_applied:
        # a lazy snippet can read as "already there" (its lines exist, markers keep the
        # rest): nothing is written, which is safe, just not the change
        assert result.text == derive.text(before)
        return
    assert result.text == derive.text(after), (fmt, edit)


SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(before_after(), st.integers(0, 3))
def test_search_replace_never_wrong(pair: tuple[list[str], list[str]], ctx: int) -> None:
    before, after = pair
    check(before, after, derive.search_replace(before, after, ctx), "search_replace")


@SETTINGS
@given(before_after(), st.integers(0, 3), st.integers(-5, 5))
def test_udiff_never_wrong(pair: tuple[list[str], list[str]], ctx: int, shift: int) -> None:
    before, after = pair
    check(before, after, derive.udiff(before, after, ctx, shift), "udiff")


@SETTINGS
@given(before_after(), st.integers(0, 3))
def test_patch_never_wrong(pair: tuple[list[str], list[str]], ctx: int) -> None:
    before, after = pair
    check(before, after, derive.patch(before, after, ctx), "patch")


# Lazy snippets name no line numbers and no deleted text, so with a ten-line vocabulary
# many are honestly ambiguous in ways no reader could settle. Real code is mostly
# distinct lines plus a few that repeat everywhere (blank, closing brackets, returns):
# model that, and demand "right or refused" there.
COMMON = ["", "}", "    return x", "    pass"]


@st.composite
def code_like(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    def one() -> st.SearchStrategy[str]:
        return st.one_of(st.sampled_from(COMMON), st.integers(0, 10**6).map(lambda i: f"v{i} = {i}"))

    before = draw(st.lists(one(), max_size=40))
    after = list(before)
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        pos = draw(st.integers(0, len(after)))
        if kind == "insert":
            after[pos:pos] = draw(st.lists(one(), min_size=1, max_size=3))
        elif after and pos < len(after):
            end = min(len(after), pos + draw(st.integers(1, 3)))
            after[pos:end] = [] if kind == "delete" else draw(st.lists(one(), min_size=1,
                                                                       max_size=3))
    return before, after


@SETTINGS
@given(code_like(), st.integers(2, 3))
def test_lazy_never_wrong(pair: tuple[list[str], list[str]], ctx: int) -> None:
    before, after = pair
    check(before, after, derive.lazy(before, after, ctx), "lazy", noop_ok=True)


@SETTINGS
@given(before_after())
def test_whole_never_wrong(pair: tuple[list[str], list[str]]) -> None:
    before, after = pair
    check(before, after, derive.text(after), "whole")


@settings(max_examples=60, deadline=None)
@given(st.lists(before_after(), min_size=1, max_size=4), st.integers(0, 5))
def test_apply_edits_all_or_none(pairs: list[tuple[list[str], list[str]]], fail_at: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        edits = []
        for i, (before, after) in enumerate(pairs):
            (root / f"f{i}.txt").write_text(derive.text(before))
            edits.append(Edit(f"f{i}.txt", derive.text(after), "whole", force=True))
        originals = {p.name: p.read_bytes() for p in root.iterdir()}
        real = journal.replace_file
        calls = [0]

        def flaky(rd: object, tmp_path: str, target: str) -> None:
            calls[0] += 1
            if calls[0] == fail_at:
                raise OSError(5, "I/O error")
            real(rd, tmp_path, target)

        patcher = pytest.MonkeyPatch()
        patcher.setattr(journal, "replace_file", flaky)
        try:
            apply_edits(root, edits)
            wrote = True
        except ApplyError:
            wrote = False
        finally:
            patcher.undo()
        now = {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()}
        if wrote:
            assert now == {f"f{i}.txt": derive.text(after).encode()
                           for i, (_, after) in enumerate(pairs)}
        else:
            assert now == originals
