"""A new definition alone between markers: nothing in the segment says where it goes.

A segment that is one whole definition (decorators, comments and blank lines aside) and
no line outside it, with a marker above and below, names its place only through that
definition: a definition of the original with its name (structure placement replaces
it). Refused, asking for the line above, when:

- the writer's evidence rules out every namesake (a method sent without its class, whose
  namesakes all lie away from the seen lines and the definitions the instruction names):
  the segment would rewrite another class's method;
- the original has no definition of that name and the lines the segment shares with the
  file are another definition's body (a test's closing asserts): placed there, it would
  cut that definition in two. (A definition placed from an old one's header on is that
  one renamed, and is fine.)
"""

from __future__ import annotations

from splice.apply.formats.lazy.definitions import (
    Definition,
    may_open_definition,
    segment_units,
)
from splice.apply.formats.lazy.rivals import placed_region
from splice.apply.formats.lazy.segments import Segment
from splice.apply.formats.lazy.structure_edges import decorated_open
from splice.apply.formats.lazy.writer import Writer
from splice.apply.indent import lead
from splice.apply.messages import where
from splice.apply.text import Replacement
from splice.core.errors import NoMatch
from splice.core.syntax import language_name

# Lines that may stand above a definition's header: decorators, attributes, comments.
_ABOVE = ("@", "#", "//", "/*", "*")
_DECORATORS = ("@", "#[")  # decorators and annotations; rust attributes


def lone_definition(seg: Segment, language: str) -> Definition | None:
    """The one definition a segment between two markers consists of, or None."""
    if seg.pinned_start or seg.pinned_end:
        return None  # a file edge anchors that side
    first = next((x for x in seg.lines if x.strip() and not x.strip().startswith(_ABOVE)), "")
    if not may_open_definition(first):
        return None  # it opens with other code (cheap: most segments stop here)
    units = segment_units(seg.lines, language)
    if not units:
        return None
    defs = [u.definition for u in units if u.definition is not None]
    others = [u for u in units if u.definition is None and not u.attached]
    if len(defs) != 1 or others:
        return None
    return defs[0]


def check_lone_definitions(segments: list[Segment], writer: Writer, path: str | None,
                           placed: set[int]) -> None:
    """Before placement: refuse a segment (not placed by structure: index not in `placed`)
    that is one whole definition whose namesakes in the file the evidence all rules out."""
    language = language_name(path)
    if language is None or not writer.definitions:
        return
    for seg in segments:
        if seg.index in placed:
            continue
        d = lone_definition(seg, language)
        if d is None:
            continue
        namesakes = [o for o in writer.definitions if o.name == d.name]
        if namesakes and all(writer.points_away(o.start, o.end) for o in namesakes):
            raise _no_anchor(seg, d, path, "its namesakes in the file lie away from the "
                             "lines you were shown and the definitions the instruction names")


def check_not_spliced(segments: list[Segment], reps: list[Replacement], writer: Writer,
                      path: str | None, placed: set[int]) -> None:
    """After placement: refuse a segment that is one whole new definition (a name the file
    lacks) placed so that it starts inside an original definition at its own depth or
    deeper (after that definition's header): the lines it anchored on are another
    definition's. One placed from a definition's header on is that definition renamed
    (a segment cut by a marker is its head)."""
    language = language_name(path)
    if language is None or not writer.definitions or len(reps) != len(segments):
        return
    for seg, rep in zip(segments, reps, strict=True):
        if seg.index in placed:
            continue
        d = lone_definition(seg, language)
        if d is None or any(o.name == d.name for o in writer.definitions):
            continue
        depth = len(lead(seg.lines[d.header]).expandtabs(8))
        for o in writer.definitions:
            if len(lead(writer.lines[o.header]).expandtabs(8)) < depth:
                continue  # an enclosing definition: the new one may go inside it
            if o.header < rep.start < o.end:
                raise _no_anchor(seg, d, path, "the file has no definition of that name: "
                                 f"the lines it shares with the file are `{o.label}`'s "
                                 f"(lines {o.header + 1}-{o.end}), and placing it there "
                                 "would cut that definition in two")


def check_decorators_written(segments: list[Segment], reps: list[Replacement],
                             writer: Writer, path: str | None, placed: set[int]) -> None:
    """After placement: refuse a segment that is one whole definition, sent unchanged
    from its header on, placed over a whole definition of the file with decorators right
    above it (`@x`, `#[x]`). Read by the format (the marker stands for the decorators) the
    edit changes nothing; read as the definition's whole new version (the issue's rule 2)
    it drops them. A writer sends no edit that changes nothing, yet the text does not say
    so. A definition sent changed keeps them (the marker above stands for them)."""
    language = language_name(path)
    if language is None or len(reps) != len(segments):
        return
    lines = writer.lines
    for seg, rep in zip(segments, reps, strict=True):
        if seg.index in placed or not seg.lines or not seg.lines[0].strip():
            continue
        d = lone_definition(seg, language)
        if d is None or d.start != 0 or d.attached != 0:
            continue
        region = placed_region(lines, seg.lines, rep)
        if region is None or region[0] == 0:
            continue
        head, above = lines[region[0]], lines[region[0] - 1]
        if lines[region[0]:region[1]] != seg.lines:
            continue  # it changes the definition: the marker above keeps the decorators
        after = next((x for x in lines[region[1]:] if x.strip()), "")
        if len(lead(after)) > len(lead(head)):
            continue  # the file's definition goes on: the segment is its head, not whole
        if lead(above) == lead(head) and above.strip().startswith(_DECORATORS):
            top = region[0] - 1
            while top > 0 and lead(lines[top - 1]) == lead(head) and \
                    lines[top - 1].strip().startswith(_DECORATORS):
                top -= 1
            raise decorated_open(Definition(name=d.name, kind=d.kind, start=top,
                                            end=region[1], header=region[0], attached=top,
                                            scope=()), path)


def _no_anchor(seg: Segment, d: Definition, path: str | None, why: str) -> NoMatch:
    return NoMatch(
        f"segment {seg.index} of the lazy edit is the definition `{d.name}` alone "
        f"between markers{where(path)}, and {why}: nothing in it says where it goes.",
        hint="Start the segment with the unchanged line just above where the "
             "definition goes (the end of the one before it), or send the change as "
             "SEARCH/REPLACE.", path=path, details={"why": "no_anchor"})
