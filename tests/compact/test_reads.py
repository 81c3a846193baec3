"""An oversized read comes compacted for the task, numbered as in the file, and each cut
stretch names the lines to read to get it back."""

import re
from pathlib import Path

from splice.agent.toolset import read_tool
from splice.agent.workspace import CopyWorkspace
from splice.compact.reads import compact_read
from splice.core.repo import Repo
from splice.tools import ToolContext

from .test_auto import MODULE, QUERY

RANGE = re.compile(r"\(filtered (\d+) lines?: (\d+)-(\d+)\)")


def test_compact_read_numbers_lines_as_in_the_file_and_markers_name_ranges() -> None:
    body, kept = compact_read(MODULE, "hdr.py", 201, QUERY, max_tokens=10_000)
    lines = MODULE.splitlines()
    markers = 0
    for row in body.splitlines():
        number, _, text = row.partition(" | ")
        if number.strip():
            assert lines[int(number) - 201] == text
        else:
            m = RANGE.search(text)
            assert m, row
            count, first, last = map(int, m.groups())
            assert last - first + 1 == count and first >= 201
            # the range is exactly a gap between kept ranges
            assert any(b + 1 == first for _, b in kept) or first == 201
            markers += 1
    assert markers and kept[0][0] >= 201
    assert "def parse_header(self, value):" in body


def test_compact_read_respects_the_cap() -> None:
    body, _ = compact_read(MODULE, "hdr.py", 1, QUERY, max_tokens=80)
    from splice.core.tokens import count_tokens

    # numbering adds a few tokens a line on top of the compacted text's cap
    assert count_tokens(body) < 200 and "parse_header" in body


async def test_the_agent_read_compacts_the_file_lines_past_its_cap(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "hdr.py").write_text(MODULE)
    ws = CopyWorkspace.create(repo)
    try:
        ctx = ToolContext(repo=Repo(ws.root), task=QUERY)
        out = await read_tool(max_tokens=300, compact_lines=True).call({"path": "hdr.py"}, ctx)
        assert out.text.startswith("hdr.py:1-")
        m = RANGE.search(out.text)
        assert m
        first, last = int(m.group(2)), int(m.group(3))
        again = await read_tool(max_tokens=300, compact_lines=True).call(
            {"path": "hdr.py", "start_line": first, "end_line": last}, ctx)
        want = MODULE.splitlines()[first - 1:last]
        got = [row.partition(" | ")[2] for row in again.text.splitlines()[1:]]
        assert got == want  # the marker's range, read, gives back exactly those lines
    finally:
        ws.cleanup()
