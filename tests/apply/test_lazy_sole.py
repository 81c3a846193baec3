"""The sole-reading fallback: a lazy snippet whose every reading gives one file."""

from __future__ import annotations

import pytest

from splice.apply import merge
from splice.apply.formats.lazy.segments import Segment
from splice.apply.formats.lazy.sole import sole_reading
from splice.core.errors import ApplyError

MARK = "// ... existing code ..."
TAIL = ["", "/**", " * Taps.", " */", "export function tap() {}", ""]


def _edit(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def test_wrong_order_anchors_settled_by_the_one_reading() -> None:
    # The snippet's first two lines ("" then "/**") match only below its last line, so
    # one-at-a-time placement sees the ends in the wrong order; the only reading starts
    # at the one blank line above the interface.
    original = _edit(["import { a } from 'a';", "", "export interface X {",
                      "  f: () => void;", "}", *TAIL])
    edit = _edit([MARK, "", "/**", " * New doc.", " */", "export interface X {",
                  "  f: () => void;", MARK])
    expected = _edit(["import { a } from 'a';", "", "/**", " * New doc.", " */",
                      "export interface X {", "  f: () => void;", "}", *TAIL])
    assert merge(original, edit, fmt="lazy", path="x.ts").text == expected


def test_two_readings_still_refused() -> None:
    # Two blank lines above the interface: starting at the first deletes `import b`,
    # starting at the second keeps it. Both are readings, so no guess.
    original = _edit(["import { a } from 'a';", "", "import { b } from 'b';", "",
                      "export interface X {", "  f: () => void;", "}", *TAIL])
    edit = _edit([MARK, "", "/**", " * New doc.", " */", "export interface X {",
                  "  f: () => void;", MARK])
    with pytest.raises(ApplyError):
        merge(original, edit, fmt="lazy", path="x.ts")


def _seg(lines: list[str], top: bool = False, end: bool = False) -> Segment:
    return Segment(lines=lines, index=1, pinned_start=top, pinned_end=end)


def test_sole_reading_regions() -> None:
    keys = ["a", "b", "c", "d"]
    assert sole_reading(keys, [_seg(["b", "x", "c"])], [["b", "x", "c"]]) == [(1, 3)]
    # pinned top: the region starts at line 0 whatever the first line says
    assert sole_reading(keys, [_seg(["z", "b"], top=True)], [["z", "b"]]) == [(0, 2)]
    # a one-line segment between markers has no reading; a repeated pair has three
    assert sole_reading(keys, [_seg(["b"])], [["b"]]) is None
    pair = ["x", "y", "x", "y"]
    assert sole_reading(pair, [_seg(["x", "q", "y"])], [["x", "q", "y"]]) is None


def test_segments_fit_a_repeated_pair_only_in_order() -> None:
    # either segment alone fits either copy; in file order only one reading remains
    keys = ["a", "b", "a", "b"]
    segs = [_seg(["a", "b"]), _seg(["a", "b"])]
    assert sole_reading(keys, segs, [["a", "b"], ["a", "b"]]) == [(0, 2), (2, 4)]
