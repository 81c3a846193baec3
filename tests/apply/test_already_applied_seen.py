"""A SEARCH/REPLACE whose SEARCH is found nowhere while its REPLACE text stands in the
file: "already applied" only where the writer was shown that text (issue 13, rule 4).
Model-shaped, from openjdk LCMSTransform.java: the SEARCH leaves out the
`dstIL = new LCMSImageLayout(` line it should keep, so it is found nowhere; the REPLACE
(that line, then the one after) stands verbatim in another method the writer never saw.
Right outcome, decided from the text: refuse (the SEARCH was miscopied from the lines the
writer was shown; the file is not already what the edit asks)."""

from __future__ import annotations

import pytest

from splice.apply import merge
from splice.core.errors import NoMatch

ORIGINAL = """class LCMSTransform {
    void colorConvert(short[] dstLine) {
        srcIL = new LCMSImageLayout(srcLine, 2);

                dstIL = new LCMSImageLayout(
                    dstLine, dstLine.length/getNumOutComponents(),
                    LCMSImageLayout.BYTES_SH(2));
    }

    void colorConvert(byte[] dstLine) {
        srcIL = new LCMSImageLayout(srcLine, 1);

            dstIL = new LCMSImageLayout(
                    dstLine, dstLine.length/getNumOutComponents(),
                    LCMSImageLayout.BYTES_SH(1));
    }
}
"""

EDIT = """LCMSTransform.java
```java
<<<<<<< SEARCH

                    dstLine, dstLine.length/getNumOutComponents(),
=======

            dstIL = new LCMSImageLayout(
                    dstLine, dstLine.length/getNumOutComponents(),
>>>>>>> REPLACE
```
"""


def test_replace_found_only_where_the_writer_never_looked_is_refused() -> None:
    with pytest.raises(NoMatch):
        merge(ORIGINAL, EDIT, path="LCMSTransform.java",
              instruction="Update `LCMSTransform.colorConvert`.", seen_lines=[(2, 8)])


def test_replace_found_inside_the_seen_lines_is_already_applied() -> None:
    out = merge(ORIGINAL, EDIT, path="LCMSTransform.java", seen_lines=[(10, 16)])
    assert out.already_applied and out.text == ORIGINAL


def test_without_evidence_the_replace_anywhere_is_already_applied() -> None:
    assert merge(ORIGINAL, EDIT, path="LCMSTransform.java").already_applied
