"""The lazy-edit cascade: which placement strategy runs when, in one function."""

from __future__ import annotations

from dataclasses import dataclass, field

from splice.apply.formats.lazy.anchors import Anchors
from splice.apply.formats.lazy.joint import Joint
from splice.apply.formats.lazy.segments import Segment, split_segments
from splice.apply.formats.lazy.sequential import Sequential
from splice.apply.formats.lazy.sole import sole_replacements
from splice.apply.matching import Matcher
from splice.apply.text import Doc, Replacement
from splice.core.errors import AmbiguousMatch, ApplyError, MalformedEdit, NoMatch

KINDS = ("exact", "rstrip", "strip")  # the key ladder: exact lines, then looser ones


@dataclass
class LazyMerge:
    reps: list[Replacement]
    kind: str  # the key kind that placed the segments
    blind: list[bool]  # per replacement: a pinned edge that matches nothing there
    assumed_marker: list[str] = field(default_factory=list)


def _checked_segments(lines: list[str], path: str | None,
                      segments: list[Segment] | None) -> list[Segment]:
    if segments is None:
        segments = split_segments(lines, path)
    if segments is None:
        raise MalformedEdit("the lazy edit has no `... existing code ...` marker lines.",
                            hint="Mark each unchanged stretch with a comment line such as "
                                 "`# ... existing code ...` in the file's comment syntax, "
                                 "or send the whole file.", path=path)
    if not segments:
        raise MalformedEdit("the lazy edit holds only markers, no code.",
                            hint="Put the changed lines, with an unchanged line above and "
                                 "below, between the markers.", path=path)
    return segments


def merge_lazy(doc: Doc, lines: list[str], *, path: str | None = None,
               matcher: Matcher | None = None, segments: list[Segment] | None = None,
               ) -> LazyMerge:
    """Place every segment, climbing the key ladder: for each key kind, the segments one
    at a time; if an anchor fits several places, all jointly; if that refuses too, the
    one file every reading gives (if there is one). The first kind that places them wins;
    a refusal that no looser key can settle is final."""
    segments = _checked_segments(lines, path, segments)
    matcher = matcher or Matcher(doc, path)
    error: NoMatch | None = None
    for kind in KINDS:
        anchors = Anchors(doc, kind, path, matcher)
        try:
            reps, blind = Sequential(anchors).merge(segments)
            return LazyMerge(reps, kind, blind)
        except AmbiguousMatch as exc:
            if exc.details.get("settled"):
                raise  # a forgotten marker or a no-op reading: no placement can fix that
            try:
                reps, blind = Joint(anchors).merge(segments)
            except ApplyError as joint:
                exc.details.setdefault("joint", joint.details.get("why", type(joint).__name__))
                sole = sole_replacements(anchors, segments)
                if sole is None:
                    raise exc from None
                reps, blind = sole
            return LazyMerge(reps, kind, blind)
        except NoMatch as exc:
            sole = sole_replacements(anchors, segments)
            if sole is not None:
                return LazyMerge(sole[0], kind, sole[1])
            error = error or exc
    assert error is not None
    raise error
