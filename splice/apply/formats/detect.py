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
