"""auto: with no ratio and no budget, code keeps what the query reaches and what that
needs (its callees, the imports it uses, its signatures), and says why."""

from splice.compact import CompactRequest, compact_sync
from splice.core.spans import Chunk

from .conftest import reconstruct

UNRELATED = "".join(
    f"\n\ndef render_row_{i}(row, width=80):\n"
    f"    cells = [str(c).ljust(width // 4) for c in row]\n"
    f"    text = ' | '.join(cells)\n"
    f"    return text[:width] + ' #{i}'\n" for i in range(30))

MODULE = (
    "import re\n"
    "from collections import OrderedDict\n"
    "import os\n"
    "import shutil\n"
    "import tempfile\n"
    "from datetime import datetime, timedelta\n"
    "\n"
    "PARAM_SEP = ';'\n"
    "\n"
    "\n"
    "def _split_params(value):\n"
    "    parts = re.split(PARAM_SEP, value)\n"
    "    return [p.strip() for p in parts if p.strip()]\n"
    "\n"
    "\n"
    "class HeaderParser:\n"
    "    def __init__(self, strict=False):\n"
    "        self.strict = strict\n"
    "        self.cache = OrderedDict()\n"
    + "".join(f"\n    def helper_{i}(self, value):\n        return value * {i}\n"
              for i in range(25)) +
    "\n    def parse_header(self, value):\n"
    "        if value in self.cache:\n"
    "            return self.cache[value]\n"
    "        params = _split_params(value)\n"
    "        result = {k: v for k, _, v in (p.partition('=') for p in params)}\n"
    "        self.cache[value] = result\n"
    "        return result\n"
    + UNRELATED +
    "\n\ndef cwd_name():\n    return os.path.basename(os.getcwd())\n"
)
QUERY = "parse_header drops quoted parameter values: `parse_header('a=\"b;c\"')` cuts inside quotes"


def _kept(result, text):  # the kept lines, as text
    lines = text.splitlines(keepends=True)
    return "".join(lines[i - 1] for a, b in result.kept_ranges for i in range(a, b + 1))


def test_auto_keeps_the_reached_unit_its_callee_constant_imports_and_signatures() -> None:
    result = compact_sync(CompactRequest(text=MODULE, query=QUERY, path="hdr.py"))
    kept = _kept(result, MODULE)
    # the unit the query names, whole, with its class's signature
    assert "    def parse_header(self, value):\n" in kept
    assert "        params = _split_params(value)\n" in kept
    assert "class HeaderParser:\n" in kept
    # what it calls, and the constant and import that callee uses
    assert "    parts = re.split(PARAM_SEP, value)\n" in kept
    assert "PARAM_SEP = ';'\n" in kept
    assert "import re\n" in kept
    # what nothing kept uses stays out (a stretch worth more than its marker)
    assert "import os\n" not in kept and "import tempfile\n" not in kept
    assert "render_row_7" not in kept and "return value * 13" not in kept
    assert result.tokens_after < 0.5 * result.tokens_before
    reconstruct(result, MODULE)
    # the reasons name what was kept and why, and the tally
    text = "\n".join(result.reasons)
    assert "reached by the query: parse_header" in text
    assert "_split_params" in text.split("named by them:")[1]
    assert f"tokens {result.tokens_before:,} -> {result.tokens_after:,}" in text


def test_a_ratio_or_a_budget_still_decides_and_gives_no_reasons() -> None:
    by_ratio = compact_sync(CompactRequest(text=MODULE, query=QUERY, path="hdr.py", ratio=0.2))
    assert by_ratio.reasons == []
    assert by_ratio.tokens_after <= 0.2 * by_ratio.tokens_before * 1.02
    by_budget = compact_sync(CompactRequest(text=MODULE, query=QUERY, path="hdr.py",
                                            max_tokens=150))
    assert by_budget.reasons == [] and by_budget.tokens_after <= 150


def test_a_query_that_reaches_nothing_keeps_an_outline() -> None:
    result = compact_sync(CompactRequest(text=MODULE, query="zebra giraffe", path="hdr.py"))
    assert result.reasons == []
    assert 0 < result.tokens_after <= 0.36 * result.tokens_before  # the 1/3 outline
    reconstruct(result, MODULE)


def test_auto_on_chunks_plans_each_and_labels_reasons_by_text() -> None:
    other = "def unrelated(a):\n    return a\n" * 3 + "def parse_header_fast(v):\n    return v\n"
    result = compact_sync(CompactRequest(
        chunks=[Chunk(text=MODULE, path="hdr.py", start_line=101),
                Chunk(text=other, path="fast.py", start_line=1)], query=QUERY))
    assert result.reasons and all(r.startswith(("text 1:", "text 2:", "tokens"))
                                  for r in result.reasons)
    # line numbers in the reasons and ranges are the chunk's own (from 101)
    assert result.sections[0].kept_ranges[0][0] >= 101
    assert "parse_header (1" in result.reasons[0]
