"""A rival reading is not ruled out by the seen lines only because its edge line is a
bare `}` the writer was not shown: any writer guesses a closing brace right above the
lines it saw (lazy.rivals). Shape from pydantic-core's src/input/input_string.rs (a
lazy-ctx2 edit of a real change): the segment `}`, blank, a rewritten impl, `    }`
fits right under the enum (rewriting `ToPyObject`) and right under the impl above
`AsLocItem` (rewriting it, the real change). The writer was shown the enum and the
`AsLocItem` impl, not the `}` above it. Decided from the text before splice ran: both
readings lie where the writer looked, nothing says which: refuse."""

from __future__ import annotations

import pytest

from splice.apply import merge
from splice.core.errors import AmbiguousMatch

ORIGINAL = """use crate::tools::safe_repr;

#[derive(Debug)]
pub enum StringMapping<'py> {
    String(&'py PyString),
    Mapping(&'py PyDict),
}

impl<'py> ToPyObject for StringMapping<'py> {
    fn to_object(&self, py: Python<'_>) -> PyObject {
        match self {
            Self::String(s) => s.to_object(py),
            Self::Mapping(d) => d.to_object(py),
        }
    }
}

impl<'py> StringMapping<'py> {
    pub fn new_key(py_key: &'py PyAny) -> ValResult<StringMapping> {
        Ok(Self::String(py_key.downcast::<PyString>()?))
    }
}

impl AsLocItem for StringMapping<'_> {
    fn as_loc_item(&self) -> LocItem {
        match self {
            Self::String(s) => s.to_string_lossy().as_ref().into(),
            Self::Mapping(d) => safe_repr(d).to_string().into(),
        }
    }
}
"""
EDIT = """// ... existing code ...
pub enum StringMapping<'py> {
    String(&'py PyString),
    // ... existing code ...
}

impl From<StringMapping<'_>> for LocItem {
    fn from(string_mapping: StringMapping<'_>) -> Self {
        match string_mapping {
            StringMapping::String(s) => s.to_string_lossy().as_ref().into(),
            StringMapping::Mapping(d) => safe_repr(d).to_string().into(),
        }
    }
// ... existing code ...
"""
SEEN = [(1, 16), (24, 31)]  # the enum and ToPyObject, and the AsLocItem impl


def test_a_rival_under_an_unseen_closing_brace_still_counts() -> None:
    with pytest.raises(AmbiguousMatch) as err:
        merge(ORIGINAL, EDIT, path="src/input/input_string.rs", seen_lines=SEEN,
              instruction="Update `StringMapping<'_>`.")
    assert err.value.details["why"] == "rival_reading"
    assert "lines 7-" in str(err.value) and "lines 22-" in str(err.value)


def test_seen_lines_without_the_rival_still_settle() -> None:
    out = merge(ORIGINAL, EDIT, path="src/input/input_string.rs", seen_lines=[(1, 16)]).text
    assert "impl From<StringMapping<'_>> for LocItem {" in out
    assert "ToPyObject" not in out and "impl AsLocItem" in out
