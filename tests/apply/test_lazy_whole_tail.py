"""A whole definition whose new version ends on a line its old version holds earlier (its
old tail deleted). A marker at its header's indentation is where writers put it both
after a whole definition and after a head whose rest is unchanged: refused. A marker
shallower than its header would say the definition ends there, but models also put
markers at the wrong indentation (the issue's marker-misindent shape): when the old body
goes on with code the segment never mentions, that is refused too. A marker inside the
body keeps the rest."""

from __future__ import annotations

import pytest

from splice.apply import AmbiguousMatch, ApplyError, merge

ORIGINAL = """\
class Form:
    fields = '__all__'

    def __init__(self, data):
        self.data = data
        self.extra = None
        return None

    def clean_password(self):
        return self.data.get('password')


class Other:
    pass
"""


def test_whole_method_with_its_tail_deleted_and_an_outer_marker_is_refused() -> None:
    # right outcome: refuse (the marker at column 0 may be misplaced: __init__ without its
    # last two lines, or its head with them kept?)
    edit = """\
# ... existing code ...
    def __init__(self, data):
        self.data = data
# ... existing code ...
"""
    with pytest.raises(AmbiguousMatch, match="whole new version"):
        merge(ORIGINAL, edit, path="forms.py")


def test_whole_method_ending_on_its_old_last_line_with_an_outer_marker_replaces_it() -> None:
    # right outcome: __init__ as written (its middle line deleted), the rest kept
    edit = """\
# ... existing code ...
    def __init__(self, data):
        self.data = data
        return None
# ... existing code ...
"""
    expected = ORIGINAL.replace("        self.extra = None\n", "")
    assert merge(ORIGINAL, edit, path="forms.py").text == expected


def test_whole_class_or_its_head_at_the_markers_level_is_refused() -> None:
    # right outcome: refuse (class written up to __init__'s first line, marker at column
    # 0: the whole new class without clean_password, or its head with the rest unchanged?)
    edit = """\
# ... existing code ...
class Form:
    fields = '__all__'

    def __init__(self, data):
        self.data = data
# ... existing code ...
"""
    with pytest.raises(AmbiguousMatch, match="whole new version"):
        merge(ORIGINAL, edit, path="forms.py")


def test_hypothesis_counterexample_new_last_line_held_earlier_is_refused() -> None:
    # right outcome: refuse (x = 1 / log / log as the whole f0, or its head keeping x = 1?)
    original = "def f0(x, y):\n    x = 1\n    log(x, y)\n    x = 1\n"
    edit = "# ... existing code ...\ndef f0(x, y):\n    x = 1\n    log(x, y)\n" \
           "    log(x, y)\n# ... existing code ...\n"
    with pytest.raises(AmbiguousMatch):
        merge(original, edit, path="m.py")


def test_marker_inside_the_body_keeps_the_rest_of_it() -> None:
    # right outcome: the head changed, the rest of __init__ and the class kept
    edit = """\
# ... existing code ...
    def __init__(self, data):
        self.data = dict(data)
        self.extra = None
        # ... existing code ...
"""
    expected = ORIGINAL.replace("self.data = data", "self.data = dict(data)")
    assert merge(ORIGINAL, edit, path="forms.py").text == expected


def test_cut_off_new_definition_at_an_unmarked_end_is_not_inserted() -> None:
    # right outcome: refuse (no closing marker and a new method last, cut off mid-line:
    # the output was cut, so where it stops is unknown; inserting `return hash` is wrong)
    original = """\
class Value:
    def __str__(self):
        return str(self.value)

    def __eq__(self, other):
        return self.value == other


class Other:
    pass
"""
    edit = """\
    # ... existing code ...
    def __str__(self):
        return str(self.value)

    def __hash__(self):
        return hash
"""
    with pytest.raises(ApplyError):
        merge(original, edit, path="v.py")
