"""A lazy segment whose first and last lines bound another region between its neighbours,
as near (as few changed lines) and giving a different file, is refused, naming both
(lazy.rivals). Shape from rpds-py's tests/test_list.py (a lazy-ctx2 edit of a real
change): the segment adds a blank line under the license docstring and ends on a blank
line, so it fits lines 4-7 (insert the blank line) and lines 4-9 (drop `import pytest`,
keep the blank) at one changed line each. Decided from the text before splice ran: the
format allows both, nothing says which: refuse."""

from __future__ import annotations

import pytest

from splice.apply import merge
from splice.core.errors import AmbiguousMatch

ORIGINAL = '''"""
    OTHER DEALINGS IN THE SOFTWARE.
"""
import pickle

import pytest

from rpds import List

HASH_MSG = "Not sure List implements Hash, it has mutable methods"
'''
AMBIGUOUS = '''# ... existing code ...
    OTHER DEALINGS IN THE SOFTWARE.
"""

import pickle

# ... existing code ...
'''
# the same change ending on `import pytest`: one reading
SETTLED = '''# ... existing code ...
    OTHER DEALINGS IN THE SOFTWARE.
"""

import pickle

import pytest
# ... existing code ...
'''


def test_a_second_reading_as_near_is_refused_naming_both() -> None:
    with pytest.raises(AmbiguousMatch) as err:
        merge(ORIGINAL, AMBIGUOUS, path="tests/test_list.py")
    assert err.value.details["why"] == "rival_reading"
    assert err.value.details["candidates"] == [2, 2]
    assert "lines 2-5" in str(err.value) and "lines 2-7" in str(err.value)


def test_an_edge_line_that_bounds_one_region_merges() -> None:
    out = merge(ORIGINAL, SETTLED, path="tests/test_list.py").text
    assert out == ORIGINAL.replace('"""\nimport pickle', '"""\n\nimport pickle')


def test_seen_lines_holding_only_one_reading_do_not_settle_a_farther_edge() -> None:
    # both readings' edges lie inside lines 1-7: the evidence cannot tell them apart
    with pytest.raises(AmbiguousMatch):
        merge(ORIGINAL, AMBIGUOUS, path="tests/test_list.py", seen_lines=[(1, 7)])


def test_seen_lines_that_leave_out_the_far_edge_settle_it() -> None:
    # the writer was shown lines 1-5 only: the reading ending on line 7's blank is out
    out = merge(ORIGINAL, AMBIGUOUS, path="tests/test_list.py", seen_lines=[(1, 5)]).text
    assert out == ORIGINAL.replace('"""\nimport pickle', '"""\n\nimport pickle')
