"""Markers written another way than the format's (`// ... rest unchanged`, `# (rest of
file unchanged)`): a person reads "the file goes on here"; placed as code they would be
written into the file. Shape from the JDK's javap version.java (marker-reworded): the
edit, with no marker the format reads, would otherwise be taken as the whole file and
replace its first and last lines with the two comment lines. Right outcome (decided from
the text): refuse, saying how to write a marker (lazy.lookalikes)."""

from __future__ import annotations

import pytest

from splice.apply import merge
from splice.core.errors import MalformedEdit

VERSION = '''package com.sun.tools.javap.resources;

public final class version extends java.util.ListResourceBundle {
    protected final Object[][] getContents() {
        return new Object[][] {
            { "jdk", "17.0.19" },
        };
    }
}
'''
BODY = '''    protected final Object[][] getContents() {
        return new Object[][] {
            { "jdk", "17.0.21.1" },
        };
    }
'''


@pytest.mark.parametrize(("top", "bottom"), [
    ("// ... rest unchanged", "// (rest of file unchanged)"),
    ("// ... rest unchanged", "// ... existing code ..."),
])
def test_reworded_markers_are_refused_not_written_into_the_file(top: str, bottom: str) -> None:
    with pytest.raises(MalformedEdit) as err:
        merge(VERSION, f"{top}\n{BODY}{bottom}\n", path="version.java")
    assert "reads as a marker" in str(err.value)
    assert "starts and ends with `...`" in (err.value.hint or "")


def test_markers_written_as_the_format_reads_them_merge() -> None:
    edit = f"// ... existing code ...\n{BODY}// ... existing code ...\n"
    assert merge(VERSION, edit, path="version.java").text == VERSION.replace(
        '"17.0.19"', '"17.0.21.1"')


def test_a_comment_the_file_holds_is_code_not_a_marker() -> None:
    original = VERSION.replace("    protected", "    // rest of the bundle is unchanged\n"
                                                "    protected")
    edit = ("// ... existing code ...\n    // rest of the bundle is unchanged\n" + BODY
            + "// ... existing code ...\n")
    assert merge(original, edit, path="version.java").text == original.replace(
        '"17.0.19"', '"17.0.21.1"')
