"""The lazy-edit cascade: which placement strategy runs when, in one function."""

from __future__ import annotations

from dataclasses import dataclass, field

from splice.apply.formats.lazy.anchors import Anchors
from splice.apply.formats.lazy.blank_edges import check_blank_edges
from splice.apply.formats.lazy.budget import Budget
from splice.apply.formats.lazy.forgotten import assume_markers, check_assumed_by_structure
from splice.apply.formats.lazy.joint import Joint
from splice.apply.formats.lazy.lone_definition import (
    check_decorators_written,
    check_lone_definitions,
    check_not_spliced,
)
from splice.apply.formats.lazy.lookalikes import check_lookalike_markers
from splice.apply.formats.lazy.rivals import check_rivals
from splice.apply.formats.lazy.segments import Placement, Segment, split_segments
from splice.apply.formats.lazy.sequential import Sequential
from splice.apply.formats.lazy.sole import sole_replacements
from splice.apply.formats.lazy.structure import Structure
from splice.apply.formats.lazy.writer import Writer
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
    rungs: list[str] = field(default_factory=list)  # per replacement


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
               instruction: str | None = None,
               seen_lines: list[tuple[int, int]] | None = None,
               source: str | None = None) -> LazyMerge:
    """Place every segment. Segments made of whole definitions are placed by structure
    first. Then, climbing the key ladder: forgotten top/end markers are assumed where the
    segment's lines at that end anchor one place; the segments are placed one at a time;
    if an anchor fits several places, all jointly; if that refuses too, the one file every
    reading gives (if there is one). The first key kind that places them wins; a refusal
    no looser key can settle is final. The writer's evidence narrows every choice.
    `source`: the original's text (without BOM), whose parse the syntax guard reuses."""
    segments = _checked_segments(lines, path, segments)
    check_lookalike_markers(doc.lines, [x for seg in segments for x in seg.lines], path)
    matcher = matcher or Matcher(doc, path)
    writer = Writer(doc.lines, path, instruction, seen_lines, source)
    structure = Structure(doc.lines, path, writer)
    budget = Budget(path)  # one for the whole merge: every rung and guard spends from it
    try:
        known = structure.place_all(segments)
        check_assumed_by_structure(
            [Anchors(doc, kind, path, matcher, writer, budget) for kind in ("exact", "strip")],
            segments, known)
        check_lone_definitions(segments, writer, path, set(known))
        placed = _cascade(doc, segments, path, matcher, writer, known, budget)
        check_blank_edges(doc.lines, segments, placed.reps, writer, path)
        check_not_spliced(segments, placed.reps, writer, path, set(known))
        check_decorators_written(segments, placed.reps, writer, path, set(known))
        check_rivals(doc.lines, segments, placed.reps, writer, budget, path,
                     by_structure=set(known))
    except AmbiguousMatch as exc:
        raise with_symbols(exc, writer) from None
    if len(placed.reps) == len(segments):
        placed.rungs = [known[seg.index].rung if seg.index in known else placed.kind
                        for seg in segments]
    else:
        placed.rungs = [placed.kind] * len(placed.reps)
    return placed


def _cascade(doc: Doc, segments: list[Segment], path: str | None, matcher: Matcher,
             writer: Writer, known: dict[int, Placement], budget: Budget) -> LazyMerge:
    assumed_by_structure = [m for p in known.values() for m in p.assumed]
    error: NoMatch | None = None
    for kind in KINDS:
        anchors = Anchors(doc, kind, path, matcher, writer, budget)
        read, assumed = assume_markers(anchors, segments)
        assumed = sorted({*assumed, *assumed_by_structure})
        try:
            reps, blind = Sequential(anchors, known).merge(read)
            return LazyMerge(reps, kind, blind, assumed)
        except AmbiguousMatch as exc:
            if exc.details.get("settled"):
                raise  # a forgotten marker or a no-op reading: no placement can fix that
            try:
                reps, blind = Joint(anchors, known).merge(read)
            except ApplyError as joint:
                exc.details.setdefault("joint", joint.details.get("why", type(joint).__name__))
                sole = None if known else sole_replacements(anchors, read)
                if sole is None:
                    raise exc from None
                reps, blind = sole
            return LazyMerge(reps, kind, blind, assumed)
        except NoMatch as exc:
            sole = None if known else sole_replacements(anchors, read)
            if sole is not None:
                return LazyMerge(sole[0], kind, sole[1], assumed)
            error = error or exc
    assert error is not None
    raise error


def with_symbols(exc: AmbiguousMatch, writer: Writer) -> AmbiguousMatch:
    """The refusal, naming the symbol each candidate line lies in (so one retry with the
    right context or instruction settles it)."""
    lines = exc.details.get("candidates")
    if not isinstance(lines, list) or not lines or "symbols" in exc.details:
        return exc
    places = [writer.describe(int(q) - 1) for q in lines[:8]]
    exc.details["symbols"] = [d.label if (d := writer.symbol_at(int(q) - 1)) else None
                              for q in lines[:8]]
    if any(exc.details["symbols"]) and "Candidates:" not in exc.message:
        exc.message = f"{exc.message} Candidates: {'; '.join(places)}."
        exc.args = (exc.render(),)
    return exc
