"""An oversized read of a file, compacted for the task: what the agent's `read` returns
past its cap. Auto first (the units the task reaches, what they name, their imports);
when that is still over the cap, the cap as a budget. Lines are numbered as in the file
and every cut stretch is a `(filtered N lines: A-B)` marker, so reading A-B gets it back.
"""

from __future__ import annotations

from splice.compact.compactor import compact_sync
from splice.compact.models import CompactRequest
from splice.core.spans import Chunk


def compact_read(text: str, path: str, start_line: int, query: str,
                 max_tokens: int) -> tuple[str, list[tuple[int, int]]]:
    """(numbered compacted text, kept line ranges) of `text`, lines start_line.. of `path`."""
    request = CompactRequest(chunks=[Chunk(text=text, path=path, start_line=start_line)],
                             query=query or "relevant code", numbered=True)
    result = compact_sync(request)
    if result.tokens_after > max_tokens:
        result = compact_sync(request.model_copy(update={"max_tokens": max_tokens}))
    return result.sections[0].numbered_text(), result.kept_ranges
