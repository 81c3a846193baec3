"""A segment anchored at one edge by one line: when that line is distinctive and stands
once in the file, it is that line (the issue's rule 3), not a changed line that happens
to equal one further on, so the lines between the anchors are what the segment rewrites
(attrs converters.py: a multi-line `raise TypeError(` ... `)` becomes two lines)."""

from __future__ import annotations

import pytest

from splice.apply import AmbiguousMatch, merge

ORIGINAL = '''\
def default_if_none(default=NOTHING, factory=None):
    """Fill in a default."""
    if default is NOTHING and factory is None:
        raise TypeError("Must pass either `default` or `factory`.")

    if default is not NOTHING and factory is not None:
        raise TypeError(
            "Must pass either `default` or `factory` but not both."
        )

    if factory is not None:
        default = Factory(factory)
    return default
'''

EDIT = '''\
    # ... existing code ...
    """Fill in a default."""
    if default is NOTHING and factory is None:
        msg = "Must pass either `default` or `factory`."
        raise TypeError(msg)

    if default is not NOTHING and factory is not None:
        msg = "Must pass either `default` or `factory` but not both."
        raise TypeError(msg)

    if factory is not None:
    # ... existing code ...
'''


def test_distinctive_one_line_anchor_places_the_rewrite() -> None:
    # right outcome: both raises rewritten, the `)` of the old call replaced with it
    expected = ORIGINAL.replace(
        '        raise TypeError("Must pass either `default` or `factory`.")\n',
        '        msg = "Must pass either `default` or `factory`."\n'
        '        raise TypeError(msg)\n').replace(
        '        raise TypeError(\n'
        '            "Must pass either `default` or `factory` but not both."\n'
        '        )\n',
        '        msg = "Must pass either `default` or `factory` but not both."\n'
        '        raise TypeError(msg)\n')
    assert merge(ORIGINAL, EDIT, path="converters.py").text == expected


def test_the_same_anchor_standing_twice_is_still_refused() -> None:
    # right outcome: refuse: `if factory is not None:` also stands further on, so the
    # segment's last line may be a changed line rather than the anchor
    original = ORIGINAL + '''

def other(factory=None):
    if factory is not None:
        return factory()
'''
    with pytest.raises(AmbiguousMatch):
        merge(original, EDIT, path="converters.py")


CMP = '''\
def _is_comparable_to(self, other):
    """
    Check whether `other` is comparable to `self`.
    """
    for func in self._requirements:
        if not func(self, other):
            return False
    return True


def _check_same_type(self, other):
    """
    Return True if *self* and *other* are of the same type.
    """
    return other.value.__class__ is self.value.__class__
'''

CMP_EDIT = '''\
# ... existing code ...
    """
    Check whether `other` is comparable to `self`.
    """
    return all(func(self, other) for func in self._requirements)


def _check_same_type(self, other):
# ... existing code ...
'''


def test_shown_lines_between_distinctive_anchors_are_rewritten() -> None:
    # right outcome: the loop becomes one `return all(...)`; the anchor below is the next
    # function's header (it stands once), and the writer was shown every line it drops
    expected = CMP.replace(
        "    for func in self._requirements:\n"
        "        if not func(self, other):\n"
        "            return False\n"
        "    return True\n",
        "    return all(func(self, other) for func in self._requirements)\n")
    merged = merge(CMP, CMP_EDIT, path="_cmp.py", seen_lines=[(1, 8)],
                   instruction="Update `_is_comparable_to`.")
    assert merged.text == expected


def test_more_dropped_than_written_without_seen_lines_is_refused() -> None:
    # right outcome: refuse: four statements dropped for one new line, and nothing says
    # the writer saw them (the one-line anchor may be a copy of a line further on)
    with pytest.raises(AmbiguousMatch) as caught:
        merge(CMP, CMP_EDIT, path="_cmp.py")
    assert caught.value.details["why"] == "thin_edge"
