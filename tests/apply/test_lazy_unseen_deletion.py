"""A segment whose first lines (`}`, a blank line) stand after several functions: the
nearest place rewrites one signature; a wider one would also delete the function above
it. With seen lines that never showed that function, the wider reading is not what the
writer meant (nobody deletes lines they have not read: the issue's rule 4). pydantic-core
line_error.rs."""

from __future__ import annotations

import pytest

from splice.apply import AmbiguousMatch, merge

ORIGINAL = """\
impl ValError {
    pub fn new(error_type: ErrorType, input: &Input) -> ValError {
        Self::LineErrors(vec![ValLineError::new(error_type, input)])
    }

    pub fn new_with_loc(error_type: ErrorType, input: &Input, loc: LocItem) -> ValError {
        Self::LineErrors(vec![ValLineError::new_with_loc(error_type, input, loc)])
    }

    pub fn new_custom_input(error_type: ErrorType, input_value: InputValue) -> ValError {
        Self::LineErrors(vec![ValLineError::new_custom_input(error_type, input_value)])
    }

    /// helper function to call with_outer on line items if applicable
    pub fn with_outer_location(self, loc_item: LocItem) -> Self {
        match self {
            Self::LineErrors(mut line_errors) => {
                for line_error in &mut line_errors {
                    line_error.location.with_outer(loc_item.clone());
                }
                Self::LineErrors(line_errors)
            }
            other => other,
        }
    }
}
"""

EDIT = """\
    // ... existing code ...
    }

    /// helper function to call with_outer on line items if applicable
    pub fn with_outer_location(self, into_loc_item: impl Into<LocItem>) -> Self {
        let loc_item = into_loc_item.into();
        match self {
    // ... existing code ...
"""

EXPECTED = ORIGINAL.replace(
    "    pub fn with_outer_location(self, loc_item: LocItem) -> Self {\n",
    "    pub fn with_outer_location(self, into_loc_item: impl Into<LocItem>) -> Self {\n"
    "        let loc_item = into_loc_item.into();\n")


def test_wider_reading_over_unseen_lines_is_no_reading() -> None:
    # right outcome: the signature rewritten; the writer was shown lines 14-25 only
    merged = merge(ORIGINAL, EDIT, path="line_error.rs", seen_lines=[(14, 25)],
                   instruction="Update `ValError.with_outer_location`.")
    assert merged.text == EXPECTED


def test_without_seen_lines_the_deletion_reading_still_refuses() -> None:
    # right outcome: refuse: the text alone also reads as deleting `new_with_loc`
    with pytest.raises(AmbiguousMatch):
        merge(ORIGINAL, EDIT, path="line_error.rs")


def test_seen_lines_covering_the_deleted_function_still_refuse() -> None:
    # right outcome: refuse: the writer saw the functions above, so deleting it stays a reading
    with pytest.raises(AmbiguousMatch):
        merge(ORIGINAL, EDIT, path="line_error.rs", seen_lines=[(1, 26)])
