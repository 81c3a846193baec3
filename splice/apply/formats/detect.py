"""`auto`: tell the edit formats apart by their unmistakable marks."""

from __future__ import annotations

from splice.apply.formats import patch, search_replace, udiff
from splice.apply.formats.markers import has_markers

FORMATS = ("lazy", "search_replace", "udiff", "patch", "whole")


def detect(lines: list[str], path: str | None = None) -> str:
    """patch envelope > SEARCH/REPLACE markers > diff hunks > lazy markers > whole file."""
    if patch.looks_like(lines):
        return "patch"
    if search_replace.looks_like(lines):
        return "search_replace"
    if udiff.looks_like(lines):
        return "udiff"
    if has_markers(lines, path):
        return "lazy"
    return "whole"


# What each format looks like, for the message when --fmt names one the edit is not.
SHAPES = {
    "udiff": "--- a/app.py\n+++ b/app.py\n@@ -3,2 +3,2 @@\n context line\n-old line\n+new line",
    "search_replace": "<<<<<<< SEARCH\nold lines\n=======\nnew lines\n>>>>>>> REPLACE",
    "patch": "*** Begin Patch\n*** Update File: app.py\n@@ def name\n-old line\n+new line\n"
             "*** End Patch",
}
NAMES = {"udiff": "a unified diff", "search_replace": "SEARCH/REPLACE blocks",
         "patch": "a *** Begin Patch envelope", "lazy": "a lazy snippet with marker comments",
         "whole": "a whole file"}


def mismatch(fmt: str, lines: list[str], path: str | None = None) -> str | None:
    """When the edit plainly is not `fmt` (it carries another format's marks), the
    sentence that says so, what it is, and what `fmt` looks like; else None."""
    if fmt not in SHAPES:
        return None
    found = detect(lines, path)
    carries = {"udiff": udiff.looks_like, "search_replace": search_replace.looks_like,
               "patch": patch.looks_like}[fmt](lines)
    if carries or found == fmt:
        return None
    what = NAMES[found] if found in ("search_replace", "patch", "udiff") else \
        f"none of its marks (it reads as {NAMES[found]})"
    name = NAMES[fmt][0].upper() + NAMES[fmt][1:]
    return f"this is not {NAMES[fmt]}: the edit holds {what}. {name} looks like:\n{SHAPES[fmt]}"


MISMATCH_HINT = ("Drop --fmt (auto tells the formats apart), or name the format the edit "
                 "is in.")
