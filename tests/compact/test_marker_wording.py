"""What the docs say a removal marker looks like is what compaction writes."""

from __future__ import annotations

import re

from splice.compact import CompactRequest, compact_sync
from splice.compact.lines import MARKER_GUIDE, MARKER_RE, MARKER_SHAPE, TOOL_MARKER_SHAPE
from splice.tools.mcp import mcp_tools

CODE = "".join(f"def f{i}(x):\n    y = x + {i}\n    return y * 2\n\n\n" for i in range(40))


def test_code_markers_have_the_documented_shape() -> None:
    result = compact_sync(CompactRequest(text=CODE, query="f17", ratio=0.2, path="m.py"))
    markers = [line for line in result.text.splitlines() if MARKER_RE.search(line)]
    assert markers
    for line in markers:
        count, first, last = map(int, MARKER_RE.search(line).groups())  # type: ignore[union-attr]
        assert line.lstrip().startswith("# (filtered ")
        assert last - first + 1 == count
        # the range is exactly the removed lines: none of them is in kept_ranges
        assert all(b < first or a > last for a, b in result.kept_ranges)


def test_the_guide_example_and_shapes_match_the_marker_pattern() -> None:
    examples = re.findall(r"`([^`]*\(filtered[^`]*)`", MARKER_GUIDE)
    assert MARKER_SHAPE in examples and TOOL_MARKER_SHAPE in examples
    concrete = [e for e in examples if any(ch.isdigit() for ch in e)]
    assert concrete and all(MARKER_RE.search(e) for e in concrete)


def test_mcp_compact_description_says_what_the_user_sees() -> None:
    (tool,) = [t for t in mcp_tools() if t.name == "compact"]
    assert MARKER_SHAPE in tool.description
    assert "`(filtered N lines)` marker" not in tool.description
