"""Reference links: a fix in one function often touches the helper it calls in another
module. When the best region of the best file calls a name that a runner-up file defines,
that file is moved up among the first files shown, however few of the query's words it
holds itself."""

from __future__ import annotations

import re

from splice.core.errors import SpliceError
from splice.search.context import SearchContext
from splice.search.fitting import SpanCandidate

_CALL = re.compile(r"\b([A-Za-z_]\w{3,})\s*\(")
LINK_SLOTS = 5      # a linked file lands within this many first places
MAX_LINKED = 2      # files moved up by links, at most
CALLABLE_KINDS = {"function", "class"}


def called_names(text: str) -> set[str]:
    """Names a code region calls (`name(` or `obj.name(`), lowercase."""
    return {m.group(1).lower() for m in _CALL.finditer(text)}


def linked_files(ctx: SearchContext, best: SpanCandidate, order: list[str]) -> list[str]:
    """Files among `order`'s runners-up (past the first LINK_SLOTS) that define, as a function
    or class, a name the best region calls; a name the best file defines itself is its own."""
    path = best.span.path
    try:
        text = ctx.engine.read(path, best.span.start_line, best.span.end_line).text
    except SpliceError:
        return []
    own = {d.name.lower() for d in ctx.index.definitions(path)}
    names = called_names(text) - own
    if not names:
        return []
    linked = [f for f in order[LINK_SLOTS:]
              if any(d.kind in CALLABLE_KINDS and d.name.lower() in names
                     for d in ctx.index.definitions(f))]  # runners-up only: a few files
    return linked[:MAX_LINKED]


def move_up(order: list[str], linked: list[str]) -> list[str]:
    """`order` with `linked` placed just before the last LINK_SLOTS place(s)."""
    if not linked:
        return order
    rest = [f for f in order if f not in linked]
    keep = max(1, LINK_SLOTS - len(linked))
    return rest[:keep] + linked + rest[keep:]
