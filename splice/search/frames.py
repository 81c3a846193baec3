"""Traceback frames and `file:line` references: which repo files they name, and how much
each counts (the innermost frame, where the error was raised, most)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePosixPath

from splice.search.terms import Frame

FRAME_DECAY = 0.7  # each frame further out from where a traceback was raised counts less


def frame_files(frames: list[Frame], files: list[str]) -> dict[str, list[Frame]]:
    """Repo files a frame's path names: the longest matching tail of its components."""
    out: dict[str, list[Frame]] = defaultdict(list)
    if not frames:
        return out
    by_name: dict[str, list[str]] = defaultdict(list)
    for f in files:
        by_name[f.rpartition("/")[2]].append(f)
    for frame in frames:
        parts = PurePosixPath(frame.path.replace("\\", "/")).parts
        if not parts:
            continue
        named = by_name.get(parts[-1], [])
        # a bare `__init__.py` or `base.py` of another package is not this repo's file:
        # a deep path must match in its folder too
        least = 2 if len(parts) >= 2 else 1
        for size in range(len(parts), least - 1, -1):
            tail = "/".join(parts[-size:])
            hits = [f for f in named if f == tail or f.endswith("/" + tail)]
            if hits:
                for f in hits[:3]:
                    out[f].append(frame)
                break
    return out


def frame_weight(fs: list[Frame]) -> float:
    """How much the frames in one file count: the innermost frame of a traceback most
    (where it was raised), each frame further out less."""
    return FRAME_DECAY ** min(f.depth for f in fs)


def innermost_file(frames: dict[str, list[Frame]], leader: str, code: set[str]) -> str | None:
    """The one file of `code` holding the innermost frame of `frames` (from frame_files),
    when `leader` holds only frames further out: the leader called into where the error
    arose. None when the leader holds no frame, or two files share the innermost depth."""
    if leader not in frames:
        return None
    depth = {p: min(f.depth for f in fs) for p, fs in frames.items() if p in code or p == leader}
    inner = min(depth.values())
    at = [p for p, d in depth.items() if d == inner]
    if len(at) != 1 or at[0] == leader:
        return None
    return at[0]
