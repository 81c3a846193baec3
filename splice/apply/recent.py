"""The last few merges, keyed by everything `merge` reads.

A caller that serialises writes (the MCP server) merges first, outside its write lock — the
slow part — and then applies under the lock; the apply finds the merge here when the file
has not changed in between, and merges again on the new text when it has."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from splice.apply.models import MergeResult

KEEP = 16  # merges remembered (each holds its file's text twice)

Key = tuple[str, str, str, str | None, bool, str | None, tuple[tuple[int, int], ...]]
_RECENT: OrderedDict[Key, MergeResult] = OrderedDict()
_GUARD = threading.Lock()


def remembered(key: Key, compute: Callable[[], MergeResult]) -> MergeResult:
    """`compute()`'s result for `key`, reused when the same merge ran recently."""
    with _GUARD:
        hit = _RECENT.get(key)
        if hit is not None:
            _RECENT.move_to_end(key)
    if hit is None:
        hit = compute()  # outside the guard: merges in other threads go on meanwhile
        with _GUARD:
            _RECENT[key] = hit
            while len(_RECENT) > KEEP:
                _RECENT.popitem(last=False)
    return hit.model_copy()
