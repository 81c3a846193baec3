"""A segment that ends on changed lines whose last line happens to equal a line further
on (`)`): read as an anchor it would drop the code between, which the segment never
mentions; read as a changed line it inserts. The text leaves that open: refused."""

from __future__ import annotations

import pytest

from splice.apply import AmbiguousMatch, merge

ORIGINAL = """\
class V:
    def __call__(self, inst, attr, value):
        \"\"\"Check.\"\"\"
        if not self.match_func(value):
            raise ValueError(
                "'{name}' must match".format(
                    name=attr.name, value=value
                ),
                attr,
                self.pattern,
            )

    def __repr__(self):
        return "<v>"
"""


def test_segment_ending_on_a_bracket_that_also_closes_a_later_call_is_refused() -> None:
    # right outcome: refuse (insert `msg = ...` before the raise, or replace the raise?)
    edit = """\
        # ... existing code ...
        \"\"\"Check.\"\"\"
        if not self.match_func(value):
            msg = "'{name}' must match ({value!r})".format(
                name=attr.name, value=value
            )
        # ... existing code ...
"""
    with pytest.raises(AmbiguousMatch) as caught:
        merge(ORIGINAL, edit, path="v.py")
    assert caught.value.details["why"] == "thin_edge"


def test_two_line_anchor_below_still_merges() -> None:
    # right outcome: the raise's head replaced, the rest kept (two unchanged lines anchor)
    edit = """\
        # ... existing code ...
        if not self.match_func(value):
            raise TypeError(
                "'{name}' must match".format(
                    name=attr.name, value=value
        # ... existing code ...
"""
    expected = ORIGINAL.replace("raise ValueError(", "raise TypeError(")
    assert merge(ORIGINAL, edit, path="v.py").text == expected
