"""A lazy segment that starts and ends on blank lines does not say which blank lines stay
above and below it (lazy.blank_edges). Shape from django's defaultfilters.py (SWE-bench
dev, django-15103): two blank lines, the changed function, one blank line, markers; the
right outcome is decided by the format: the segment fits lines 3-11 and 4-12 equally
well (one blank line more above, or below), so splice must refuse and name both."""

from __future__ import annotations

import pytest

from splice.apply import merge
from splice.core.errors import AmbiguousMatch

ORIGINAL = '''def escapejs_filter(value):
    return escapejs(value)


@register.filter(is_safe=True)
def json_script(value, element_id):
    """
    Output value JSON-encoded.
    """
    return _json_script(value, element_id)


@register.filter(is_safe=True)
def floatformat(text, arg=-1):
    return text
'''
NEW_BODY = '''@register.filter(is_safe=True)
def json_script(value, element_id=None):
    """
    Output value JSON-encoded (with an optional id).
    """
    return _json_script(value, element_id)
'''
OLD_BODY = ORIGINAL[ORIGINAL.index("@register"):ORIGINAL.index("element_id)\n") + 12]
BLANK_EDGED = f"# ... existing code ...\n\n\n{NEW_BODY}\n# ... existing code ...\n"
CODE_EDGED = f"# ... existing code ...\n{NEW_BODY}# ... existing code ...\n"


def test_blank_edged_segment_is_refused_with_both_places() -> None:
    with pytest.raises(AmbiguousMatch) as err:
        merge(ORIGINAL, BLANK_EDGED, path="defaultfilters.py")
    assert err.value.details["why"] == "blank_edges"
    assert err.value.details["candidates"] == [3, 4]
    assert "3-11, 4-12" in str(err.value)


def test_seen_lines_inside_the_definition_do_not_settle_it() -> None:
    # the writer was shown the function only: both readings' blank edges lie outside
    with pytest.raises(AmbiguousMatch):
        merge(ORIGINAL, BLANK_EDGED, path="defaultfilters.py",
              instruction="Update `json_script`.", seen_lines=[(5, 10)])


def test_seen_lines_that_hold_one_reading_settle_it() -> None:
    # the writer was shown lines 3-11: only the reading that keeps two blank lines above
    out = merge(ORIGINAL, BLANK_EDGED, path="defaultfilters.py", seen_lines=[(3, 11)]).text
    assert out == ORIGINAL.replace(OLD_BODY, NEW_BODY)


def test_segment_edged_by_code_still_merges() -> None:
    out = merge(ORIGINAL, CODE_EDGED, path="defaultfilters.py").text
    assert out == ORIGINAL.replace(OLD_BODY, NEW_BODY)
