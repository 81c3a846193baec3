"""Joint placement of lazy segments (lazy.joint / lazy.cost): shapes taken from real
version-pair diffs where placing one segment at a time refused, written small."""

from __future__ import annotations

import pytest

from splice.apply import merge
from splice.apply.formats.lazy.cost import Candidate, choose, cost
from splice.core.errors import AmbiguousMatch

# type-fest merge-deep.d.ts shape: every doc comment opens with a blank line and `/**`,
# so a segment's first two lines fit many places; its third line fits one.
DOCS = """import type {A} from './a';

/**
Deep merge two objects.

Both are walked key by key; a key only one side has is copied,
a key both sides have is merged again, one level down,
until the values are not objects any more.
*/
type MergeObjects<D, S> = D & S;

/**
Walk through the union and merge each member.
*/
type MergeUnion<D, S> = D | S;

/**
Merge two arrays.
*/
type MergeArrays<D, S> = [...D, ...S];

/**
Public entry point.
*/
export type MergeDeep<D, S> = MergeObjects<D, S>;
"""


def test_anchor_whose_prefix_opens_an_earlier_declaration_is_refused() -> None:
    # type-fest merge-deep.d.ts shape: the segment's first three lines fit one place,
    # their first two also open the declaration above it. Changing one line there, or
    # deleting that declaration too (a whole block, starting where the two lines fit),
    # are both readings of the text; the cheaper one must not be guessed.
    edit = """// ... existing code ...

/**
Walk through the union and merge each member.
*/
type MergeUnion<D, S> = D | S | never;

/**
Merge two arrays.
// ... existing code ...
"""
    with pytest.raises(AmbiguousMatch) as info:
        merge(DOCS, edit, path="merge-deep.d.ts")
    assert info.value.details["candidates"] == [2, 11, 16]


def test_indented_block_keeps_the_nearest_reading() -> None:
    # attrs tests/test_filters.py shape: the segment's first lines close one test and
    # open the next, in two classes; reading the farther copy as the start would delete
    # the end of one method and the head of a class, which no edit means.
    original = """class TestInclude:
    def test_a(self):
        assert a
        \"\"\"

    @parametrize(
        "incl,value",
        [
            1,
        ],
    )
    def test_b(self):
        assert b


class TestExclude:
    def test_c(self):
        assert c
        \"\"\"

    @parametrize(
        "excl,value",
        [
            2,
        ],
    )
    def test_d(self):
        assert d
"""
    edit = """# ... existing code ...
        \"\"\"

    @parametrize(
        ("excl", "value"),
        [
            2,
# ... existing code ...
"""
    result = merge(original, edit, path="test_filters.py")
    assert result.text == original.replace('"excl,value"', '("excl", "value")')


def test_deletion_whose_end_repeats_inside_it_is_refused() -> None:
    # type-fest paths.d.ts shape: the edit deletes two declarations; the lines after the
    # deletion (a blank and `/**`) also open each deleted declaration, so "change the
    # imports and keep everything" reads the same edit. Refuse, never guess.
    edit = """import type {A} from './a';
import type {B} from './b';

/**
// ... existing code ...
"""
    with pytest.raises(AmbiguousMatch):
        merge(DOCS, edit, path="paths.d.ts")


CONVERTERS = """def default_if_none(default=None, factory=None):
    if factory is not None:
        default = Factory(factory)

    if isinstance(default, Factory):
        if default.takes_self:
            raise ValueError(
                "`takes_self` is not supported by default_if_none."
            )

        def default_if_none_converter(val):
            if val is not None:
                return val

            return default.factory()

    else:

        def default_if_none_converter(val):
            if val is not None:
                return val

            return default

    return default_if_none_converter
"""


def test_nearest_pairing_wins_when_the_wider_reading_tears_a_block() -> None:
    # attrs converters.py shape: the first lines are unique, the last two (a blank and
    # the inner def) occur twice. The wider reading would delete the inner function's
    # body and the `else:` header: not a block anyone deletes, so the nearer one holds.
    edit = """# ... existing code ...
        if default.takes_self:
            msg = "`takes_self` is not supported by default_if_none."
            raise ValueError(msg)

        def default_if_none_converter(val):
# ... existing code ...
"""
    result = merge(CONVERTERS, edit, path="converters.py")
    assert result.text == CONVERTERS.replace(
        """            raise ValueError(
                "`takes_self` is not supported by default_if_none."
            )""", """            msg = "`takes_self` is not supported by default_if_none."
            raise ValueError(msg)""")


def test_wider_reading_that_deletes_a_whole_function_is_refused() -> None:
    # the same edit where the second inner function sits right after the first, at the
    # same depth: deleting it whole is as good a reading as keeping it
    original = CONVERTERS.replace("""            return default.factory()

    else:
""", """            return default.factory()
""")
    edit = """# ... existing code ...
        if default.takes_self:
            msg = "`takes_self` is not supported by default_if_none."
            raise ValueError(msg)

        def default_if_none_converter(val):
# ... existing code ...
"""
    with pytest.raises(AmbiguousMatch):
        merge(original, edit, path="converters.py")


def test_cost_counts_dropped_and_added_lines() -> None:
    keys = ["a", "b", "c", "d"]
    assert cost(keys, 0, 4, ["a", "b", "c", "d"]) == 0
    assert cost(keys, 0, 4, ["a", "d"]) == 2  # b and c dropped
    assert cost(keys, 0, 2, ["a", "x", "b"]) == 1  # x added
    assert cost(keys, 0, 2, ["a", "", "b"]) == 0.5  # a blank proves little
    assert cost(["    a", "b"], 0, 2, ["a", "b"]) == pytest.approx(0.2)  # re-indented
    # inserting a copy of the line just above costs more than a plain insertion
    assert cost(["x", "y", "z"], 1, 3, ["x", "y", "z"]) > cost(["w", "y", "z"], 1, 3,
                                                               ["x", "y", "z"])


def test_choose_keeps_file_order_and_reports_rivals() -> None:
    first = [Candidate(10, 12, 0.0), Candidate(2, 4, 0.0)]
    second = [Candidate(5, 8, 0.0), Candidate(20, 22, 3.0)]
    choice = choose([first, second], 30, False, False)
    assert choice is not None
    assert [(c.start, c.end) for c in choice.picks] == [(2, 4), (5, 8)]
    # the other place for the first segment forces the second one to its costlier place
    assert choice.rivals[0][0][0] == pytest.approx(choice.total + 3.0)
    assert choose([[Candidate(10, 12, 0.0)], [Candidate(2, 4, 0.0)]], 30, False,
                  False) is None
