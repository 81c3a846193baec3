import re

from splice.compact import CompactResult

MARKER = re.compile(r"\(filtered (\d+) lines?(?:: (\d+)-(\d+))?\)")


def reconstruct(result: CompactResult, original: str, start_line: int = 1) -> None:
    """Check a compacted section against its original: kept lines byte-identical, one
    marker per removed stretch whose count matches the gap."""
    lines = original.split("\n")
    out = result.sections[0].text.split("\n")
    pos = 0
    expected = start_line
    for a, b in result.kept_ranges:
        if a > expected:
            m = MARKER.search(out[pos])
            assert m, f"expected a marker for lines {expected}-{a - 1}, got {out[pos]!r}"
            assert int(m.group(1)) == a - expected
            if m.group(2):  # the range it names is the one it replaced
                assert (int(m.group(2)), int(m.group(3))) == (expected, a - 1)
            pos += 1
        for n in range(a, b + 1):
            assert out[pos] == lines[n - start_line], f"line {n} changed"
            pos += 1
        expected = b + 1
    total = len(original.splitlines())
    if expected <= start_line + total - 1:
        m = MARKER.search(out[pos])
        assert m and int(m.group(1)) == start_line + total - expected
