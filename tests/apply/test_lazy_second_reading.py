"""A lazy segment whose first and last lines bound another region between its neighbours,
as near (as few changed lines) and giving a different file, is refused, naming both
(lazy.rivals). Shape from rpds-py's tests/test_list.py. Changed lines are counted in
order (the issue's rule 3: the lines of a segment that match the original in order).
`from copy import deepcopy` and two blank lines under `from rpds import List` fit lines
8-9 (insert the import and a blank line) and 8-11 (write the import over `HASH_MSG =
...`, which it does not resemble), 2 changed lines each. Decided from the text before
splice ran: nothing says which: refuse. The real change (a blank line added under the
docstring, the segment ending on the blank after `import pickle`) is one reading in
order: its new blank line cannot stand for the one after `import pytest`, out of
order."""

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


def test_literal():
    assert List([1, 2, 3]) == List([1, 2, 3])
'''
AMBIGUOUS = '''# ... existing code ...
from rpds import List
from copy import deepcopy


# ... existing code ...
'''
# rpds-py's real change: a blank line under the license docstring; the segment ends on
# the blank after `import pickle`. Counted as multisets, its new blank line would pay for
# the one after `import pytest` (out of order) and the reading through line 7, dropping
# `import pytest`, would look as near.
BLANK_ADDED = '''# ... existing code ...
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
    # right outcome: refuse. From line 8, the segment fits lines 8-9 (insert the import
    # and a blank line), 8-11 (write the import over `HASH_MSG = ...`, which it does not
    # resemble) and 8-12: 2, 2 and 3 changed lines in order
    with pytest.raises(AmbiguousMatch) as err:
        merge(ORIGINAL, AMBIGUOUS, path="tests/test_list.py")
    assert err.value.details["why"] == "rival_reading"
    assert err.value.details["candidates"] == [8, 8, 8]
    assert "lines 8-9" in str(err.value) and "lines 8-11" in str(err.value)


def test_an_edge_line_that_bounds_one_region_merges() -> None:
    out = merge(ORIGINAL, SETTLED, path="tests/test_list.py").text
    assert out == ORIGINAL.replace('"""\nimport pickle', '"""\n\nimport pickle')


def test_a_new_line_never_stands_for_a_file_line_out_of_order() -> None:
    # right outcome: the blank line added (lines 2-5 read in order change 1 line; lines
    # 2-7 change 3: `import pytest` and its blank dropped, a blank line inserted)
    out = merge(ORIGINAL, BLANK_ADDED, path="tests/test_list.py").text
    assert out == ORIGINAL.replace('"""\nimport pickle', '"""\n\nimport pickle')


def test_seen_lines_holding_every_reading_do_not_settle_it() -> None:
    # every reading's edges lie inside lines 1-12: the evidence cannot tell them apart
    # (seen lines that leave a rival out: tests/apply/test_lazy_guessed_edge.py)
    with pytest.raises(AmbiguousMatch):
        merge(ORIGINAL, AMBIGUOUS, path="tests/test_list.py", seen_lines=[(1, 12)])
