"""The compact worker: fewer tokens, the same facts.

Query-conditioned line deletion for code, test output and logs (kept lines are
byte-identical; each removed stretch is one `(filtered N lines: A-B)` marker naming the
removed lines, `(filtered N lines)` in tool output; see lines.MARKER_GUIDE), and masking of
old tool results in an agent's history.
"""

from splice.compact.compactor import compact, compact_sync
from splice.compact.history import HistoryCompaction, compact_history, mask_tool_results
from splice.compact.models import CompactedSection, CompactRequest, CompactResult, Kind

__all__ = [
    "CompactRequest", "CompactResult", "CompactedSection", "HistoryCompaction", "Kind",
    "compact", "compact_history", "compact_sync", "mask_tool_results",
]
