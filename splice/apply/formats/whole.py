"""Whole-file edits: the edit is the complete new file."""

from __future__ import annotations

from splice.apply.text import Doc, Replacement


def merge_whole(doc: Doc, lines: list[str]) -> list[Replacement]:
    return [Replacement(0, len(doc), list(lines))]
