"""A segment that matches the file verbatim somewhere changes nothing there; when that
place lies outside the lines the writer was shown and the segment's edge line stands
inside them too, the evidence points at the other reading (lazy.guards.check_noop_away).
Shape from rich's panel.py (boundary-end): `Panel.fit` gains the `height` parameter
that `Panel.__init__` already has; the writer was shown `fit`. Right outcome (decided
from the text and the evidence): not the no-op in `__init__`; the similarity reading in
`fit` is open to a refusal, so refuse, naming both places."""

from __future__ import annotations

import pytest

from splice.apply import merge
from splice.core.errors import AmbiguousMatch

PANEL = '''class Panel:
    def __init__(
        self,
        style: StyleType = "none",
        border_style: StyleType = "none",
        width: Optional[int] = None,
        height: Optional[int] = None,
        padding: PaddingDimensions = (0, 1),
    ) -> None:
        self.width = width

    @classmethod
    def fit(
        cls,
        style: StyleType = "none",
        border_style: StyleType = "none",
        width: Optional[int] = None,
        padding: PaddingDimensions = (0, 1),
    ) -> "Panel":
        return cls(style=style)
'''
EDIT = '''        # ... existing code ...
        style: StyleType = "none",
        border_style: StyleType = "none",
        width: Optional[int] = None,
        height: Optional[int] = None,
        # ... keep existing code ...
'''


def test_noop_outside_the_seen_lines_is_refused() -> None:
    with pytest.raises(AmbiguousMatch) as err:
        merge(PANEL, EDIT, path="rich/panel.py", instruction="Update `Panel.fit`.",
              seen_lines=[(12, 20)])
    assert err.value.details["why"] == "noop_away"
    assert err.value.details["candidates"] == [4, 15]


def test_noop_inside_the_seen_lines_is_no_change() -> None:
    out = merge(PANEL, EDIT, path="rich/panel.py", seen_lines=[(1, 11)]).text
    assert out == PANEL
