"""Token counts from one encoding must equal counting the joined text, for any kept mask."""

import random

from splice.compact import CompactRequest, compact_sync
from splice.compact.counting import LineCounts
from splice.compact.lines import kept_runs, marker_line, split_lines
from splice.core.tokens import count_tokens

PIECES = ["def f(x):\n", "    return x\n", "\n", "   \n", "\t\n", "):\n", "    # note\n",
          "x = {'a': 1}\n", "\r\n", "    y = 'é' * 3\n", "class A:\n", "  \n", "]\n", "'s\n",
          "print('done')", "        pass\n", "    \n", "if a: # ok\n", "\n\n", "   x\n"]


def random_text(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 80)))


def assembled(lines: list[str], kept: list[bool]) -> tuple[str, dict[int, str]]:
    out, markers = [], {}
    i, n = 0, len(lines)
    while i < n:
        j = i
        if kept[i]:
            while j < n and kept[j]:
                j += 1
            out.append("".join(lines[i:j]))
        else:
            while j < n and not kept[j]:
                j += 1
            end = "" if j == n and not lines[-1].endswith("\n") else "\n"
            markers[i] = marker_line(j - i, comment="#", indent="    ", newline=end)
            out.append(markers[i])
        i = j
    return "".join(out), markers


def test_total_and_counts_before_lines_with_content() -> None:
    rng = random.Random(3)
    for _ in range(400):
        text = random_text(rng)
        lines = split_lines(text)
        counts = LineCounts(lines)
        assert counts.total == count_tokens(text)
        for i, line in enumerate(lines):
            if line.strip():
                assert counts.before(i) == count_tokens("".join(lines[:i]))


def test_kept_total_equals_counting_the_compacted_text() -> None:
    rng = random.Random(5)
    for _ in range(2000):
        lines = split_lines(random_text(rng))
        kept = [rng.random() < 0.6 for _ in lines]
        text, markers = assembled(lines, kept)
        assert LineCounts(lines).kept_total(kept_runs(kept), markers) == count_tokens(text)


def test_compact_reports_exact_counts_with_blank_and_crlf_lines() -> None:
    body = "".join(f"def f{i}(a):\n    return a + {i}\n\n   \n" for i in range(60))
    for text in (body, body.replace("\n", "\r\n")):
        result = compact_sync(CompactRequest(text=text, query="f7 return", ratio=0.3,
                                             path="m.py"))
        assert result.tokens_before == count_tokens(text)
        assert result.tokens_after == count_tokens(result.text)
