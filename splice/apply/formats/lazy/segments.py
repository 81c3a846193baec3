"""A lazy edit cut into segments: the lines between marker lines, and where each is placed."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from splice.apply.formats.markers import marker_checker
from splice.apply.messages import where
from splice.core.errors import MalformedEdit


@dataclass
class Segment:
    lines: list[str]
    index: int  # 1-based, for messages
    pinned_start: bool  # no marker above: starts at the top of the file
    pinned_end: bool  # no marker below: runs to the end of the file
    marker_after: str | None = None  # the marker line that follows, if any
    # a forgotten marker assumed: the one place its edge run anchors ("top": where the
    # run starts, "end": where it ends), settled when the marker was assumed
    assumed_at: dict[str, int] = field(default_factory=dict)

    def unpinned(self, *, start: bool = False, end: bool = False,
                 at: int | None = None) -> Segment:
        """This segment read as if a marker stood above (`start`) or below (`end`) it,
        its edge run anchored `at` that place."""
        assumed = dict(self.assumed_at)
        if at is not None:
            assumed["top" if start else "end"] = at
        return replace(self, pinned_start=self.pinned_start and not start,
                       pinned_end=self.pinned_end and not end, assumed_at=assumed)


@dataclass
class Placement:
    start: int
    end: int  # exclusive
    lines: list[str]
    blind_edge: bool  # a pinned edge (no marker) whose lines match nothing there
    fixed: bool = False  # placed by structure: `lines` are final, in the file's indentation
    assumed: tuple[str, ...] = ()  # "top"/"end": read as if that marker had been written
    rung: str = ""  # fixed placements: the key kind their lines matched under


def split_segments(lines: list[str], path: str | None) -> list[Segment] | None:
    """The segments of a lazy edit, or None when it has no marker lines."""
    is_marker = marker_checker(path)
    flags = [is_marker(line) for line in lines]
    if not any(flags):
        return None
    groups: list[list[str]] = []
    markers: list[str] = []  # markers[g] follows groups[g]
    current: list[str] = []
    for line, flag in zip(lines, flags, strict=True):
        if flag:
            groups.append(current)
            markers.append(line)
            current = []
        else:
            current.append(line)
    groups.append(current)
    # groups[0] precedes the first marker, groups[-1] follows the last one
    segments: list[Segment] = []
    last = len(groups) - 1
    for gi, group in enumerate(groups):
        if not group:
            continue
        if not any(line.strip() for line in group) and 0 < gi < last:
            continue  # blank lines between two markers say nothing
        segments.append(Segment(lines=group, index=len(segments) + 1,
                                pinned_start=gi == 0, pinned_end=gi == last,
                                marker_after=markers[gi] if gi < last else None))
    return segments


def blank_edge_error(seg: Segment, path: str | None) -> MalformedEdit:
    """A pinned segment of blank lines only: how many of the file's blank lines it stands
    for is anyone's guess."""
    return MalformedEdit(
        f"segment {seg.index} of the lazy edit holds only blank lines, at the "
        f"{'top' if seg.pinned_start else 'end'} of the file{where(path)}: unclear what "
        "it keeps.",
        hint="End the edit with a marker line, or include the file's first/last "
             "non-blank lines.", path=path)
