"""The line diff behind SEARCH/REPLACE's loose rungs: difflib's opcodes for small inputs;
on long repetitive ones (half the lines blank) split at lines unique on both sides, so
pairing a 1,000-line SEARCH with its REPLACE stays near-linear instead of taking seconds."""

from __future__ import annotations

import difflib
import random

from splice.apply import merge
from splice.apply.linediff import SMALL, line_opcodes


def _rebuilds(a: list[str], b: list[str]) -> None:
    ops = line_opcodes(a, b)
    out: list[str] = []
    i = j = 0
    for tag, i1, i2, j1, j2 in ops:
        assert (i1, j1) == (i, j)  # contiguous, in order
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
            out += a[i1:i2]
        else:
            out += b[j1:j2]
        i, j = i2, j2
    assert (i, j) == (len(a), len(b))
    assert out == b


def test_opcodes_rebuild_the_new_side_on_random_edits() -> None:
    rng = random.Random(7)
    for _ in range(120):
        vocab = [f"line {k}" for k in range(rng.choice([2, 8, 90, 900]))] + [""] * 3
        a = [rng.choice(vocab) for _ in range(rng.randint(0, 700))]
        b = list(a)
        for _ in range(rng.randint(0, 40)):
            k = rng.randint(0, len(b))
            roll = rng.random()
            if roll < 0.4:
                b.insert(k, rng.choice(vocab))
            elif b:
                b[min(k, len(b) - 1):min(k, len(b) - 1) + (roll < 0.7)] = (
                    [] if roll < 0.7 else [rng.choice(vocab)])
        _rebuilds(a, b)


def test_small_inputs_get_difflibs_own_opcodes() -> None:
    a = ["x = 1", "", "y = 2", "", "return x + y"]
    b = ["x = 1", "", "y = 3", "", "", "return x + y"]
    assert len(a) * len(b) <= SMALL
    assert line_opcodes(a, b) == difflib.SequenceMatcher(None, a, b,
                                                         autojunk=False).get_opcodes()


def test_a_long_mistyped_search_on_short_functions_merges_keeping_the_files_lines() -> None:
    original = "".join(f"def f_{i}(x):\n    return x + {i}\n\n\n" for i in range(600))
    old = original.splitlines(keepends=True)[400:1600]
    new = [line if k % 5 != 1 else line + "    # checked\n" for k, line in enumerate(old)]
    typo = list(old)
    typo[9] = typo[9].replace("return", "retrun")
    edit = ("<<<<<<< SEARCH\n" + "".join(typo) + "=======\n" + "".join(new)
            + ">>>>>>> REPLACE\n")
    result = merge(original, edit, path="f.py")
    assert result.rungs == ["fuzzy"]
    assert result.text == original.replace("".join(old), "".join(new))
