"""Lazy snippets: the new text with unchanged stretches elided by marker lines.

Lines between markers form a segment (segments). One Anchors object holds the original
file under one key kind (anchors); placement strategies take it: structure (a whole
definition replaces its namesake), sequential (one segment at a time), joint (all at
once, by cost), sole (the one file every reading gives). Guards are plain functions
(guards, rivals: a second reading as near); the order they run in is one function
(cascade.merge_lazy). Comment lines that read as markers but are not written as the
format's markers are refused (lookalikes), here and when the edit is taken as the file.
"""

from splice.apply.formats.lazy.cascade import LazyMerge, merge_lazy
from splice.apply.formats.lazy.lookalikes import check_lookalike_markers
from splice.apply.formats.lazy.segments import Segment, split_segments

__all__ = ["LazyMerge", "Segment", "check_lookalike_markers", "merge_lazy", "split_segments"]
