import re

import pytest

from splice.compact import CompactRequest, compact
from splice.core.spans import Chunk

from .conftest import reconstruct


def make_module(n_funcs: int = 30) -> str:
    parts = ['"""A module with many functions."""', "import os", ""]
    for i in range(n_funcs):
        parts += [
            "",
            f"def helper_{i}(value, scale={i}):",
            f'    """Helper number {i}."""',
            f"    total = value * scale + {i}",
            "    for step in range(scale):",
            "        total += step",
            "    return total",
        ]
    parts += [
        "",
        "class TokenBucket:",
        '    """Rate limiting."""',
        "",
        "    def __init__(self, rate):",
        "        self.rate = rate",
        "        self.tokens = 0",
        "",
        "    def refill_tokens(self, elapsed):",
        "        added = elapsed * self.rate",
        "        self.tokens = min(self.tokens + added, 100)",
        "        return self.tokens",
    ]
    for i in range(n_funcs, 2 * n_funcs):
        parts += ["", f"def other_{i}(x):", f"    return x + {i}"]
    return "\n".join(parts) + "\n"


async def test_query_lines_and_signatures_kept_rest_marked() -> None:
    text = make_module()
    result = await compact(CompactRequest(text=text, query="refillTokens elapsed", ratio=0.3,
                                          path="mod.py"))
    assert "        added = elapsed * self.rate\n" in result.text
    assert "    def refill_tokens(self, elapsed):\n" in result.text
    # the enclosing class header stays so the structure reads
    assert "class TokenBucket:\n" in result.text
    assert result.tokens_after <= 0.3 * result.tokens_before
    assert result.tokens_after < result.tokens_before
    assert re.search(r"# \(filtered \d+ lines: \d+-\d+\)", result.text)
    reconstruct(result, text)


async def test_kept_ranges_are_recoverable_and_numbered_view() -> None:
    text = make_module()
    result = await compact(CompactRequest(text=text, query="TokenBucket rate", ratio=0.25,
                                          path="mod.py"))
    lines = text.splitlines()
    numbered = result.numbered_text().splitlines()
    for row in numbered:
        number, _, body = row.partition(" | ")
        if number.strip():
            assert lines[int(number) - 1] == body
        else:
            assert re.fullmatch(r"#? ?\(filtered \d+ lines?: \d+-\d+\)", body.strip())
    kept = sum(b - a + 1 for a, b in result.kept_ranges)
    assert kept == sum(1 for row in numbered if row.split(" | ")[0].strip())


async def test_max_tokens_budget_is_met() -> None:
    text = make_module(60)
    for budget in (60, 200, 700):
        result = await compact(CompactRequest(text=text, query="helper_7 scale",
                                              max_tokens=budget, path="m.py"))
        assert result.tokens_after <= budget
        assert "def helper_7(value, scale=7):" in result.text or budget < 100


async def test_keep_ranges_are_forced() -> None:
    text = make_module()
    result = await compact(CompactRequest(text=text, query="refill", ratio=0.2, path="m.py",
                                          keep=[(2, 2), (40, 42)]))
    lines = text.splitlines(keepends=True)
    for n in (2, 40, 41, 42):
        assert any(a <= n <= b for a, b in result.kept_ranges)
        assert lines[n - 1] in result.text


async def test_text_within_budget_is_unchanged() -> None:
    text = "def f():\n    return 1\n"
    result = await compact(CompactRequest(text=text, query="f", ratio=1.0, path="a.py"))
    assert result.text == text
    assert result.kept_ranges == [(1, 2)]


async def test_crlf_and_no_final_newline_kept_byte_identical() -> None:
    text = make_module(20).replace("\n", "\r\n").rstrip("\r\n")
    result = await compact(CompactRequest(text=text, query="helper_3", ratio=0.3, path="m.py"))
    assert "def helper_3(value, scale=3):\r\n" in result.text
    for line in result.text.split("\n")[:-1]:
        assert line.endswith("\r")
    reconstruct(result, text)


async def test_unknown_language_falls_back_to_indentation() -> None:
    blocks = []
    for i in range(40):
        blocks += [f"section_{i} {{", f"    value_{i} = {i}", f"    call_{i}()", "}"]
    blocks[60:60] = ["frobnicate {", "    the_needle = 42", "    more_stuff()", "}"]
    text = "\n".join(blocks) + "\n"
    result = await compact(CompactRequest(text=text, query="the_needle", ratio=0.1,
                                          path="conf.unknownext", kind="code"))
    assert "    the_needle = 42\n" in result.text
    assert "frobnicate {\n" in result.text  # its block header
    reconstruct(result, text)


@pytest.mark.parametrize("path,source,needle,header", [
    ("a.js", "function other() {\n  return 1;\n}\n" * 30
     + "class Shop {\n  checkout(cart) {\n    const total = cart.sum();\n    return total;\n  }\n}\n",
     "    const total = cart.sum();", "class Shop {"),
    ("a.go", "package x\n\n" + "func other() int {\n\treturn 1\n}\n\n" * 30
     + "func Checkout(cart Cart) int {\n\ttotal := cart.Sum()\n\treturn total\n}\n",
     "\ttotal := cart.Sum()", "func Checkout(cart Cart) int {"),
    ("a.rs", "fn other() -> i32 {\n    1\n}\n" * 30
     + "impl Shop {\n    fn checkout(&self) -> i32 {\n        let total = self.sum();\n        total\n    }\n}\n",
     "        let total = self.sum();", "impl Shop {"),
    ("A.java", "class A {\n" + "  int other() {\n    return 1;\n  }\n" * 30
     + "  int checkout(Cart cart) {\n    int total = cart.sum();\n    return total;\n  }\n}\n",
     "    int total = cart.sum();", "class A {"),
])
async def test_tree_sitter_languages_keep_enclosing_headers(path: str, source: str, needle: str,
                                                            header: str) -> None:
    result = await compact(CompactRequest(text=source, query="checkout total", ratio=0.3,
                                          path=path))
    assert needle + "\n" in result.text
    assert header + "\n" in result.text
    reconstruct(result, source)


async def test_chunks_keep_their_own_line_numbers() -> None:
    text = make_module()
    lines = text.splitlines(keepends=True)
    chunk_a = Chunk(text="".join(lines[100:180]), path="m.py", start_line=101)
    chunk_b = Chunk(text="".join(lines[180:]), path="m.py", start_line=181)
    result = await compact(CompactRequest(chunks=[chunk_a, chunk_b], query="refill_tokens",
                                          ratio=0.3))
    assert len(result.sections) == 2
    assert result.sections[0].start_line == 101
    for a, b in result.kept_ranges:
        for n in range(a, b + 1):
            assert lines[n - 1] in result.text
    assert result.text.startswith("m.py:101-180\n")
    assert "def refill_tokens" in result.text
    assert result.render().startswith("[compacted code:")


async def test_identifier_splitting_matches_variants() -> None:
    body = "\n".join(f"x_{i} = compute({i})" for i in range(200))
    text = body + "\nparse_config_file = load()\n" + body.replace("x_", "y_") + "\n"
    result = await compact(CompactRequest(text=text, query="ParseConfigFile", max_tokens=60,
                                          path="m.py"))
    assert "parse_config_file = load()" in result.text


async def test_markdown_keeps_the_headings_above_kept_lines() -> None:
    parts = ["# Guide", ""]
    for i in range(30):
        parts += [f"## Topic {i}", "", f"Some words about topic {i} and more filler text.", ""]
    parts[50:50] = ["### Rate limits", "", "The token bucket refills every second.", ""]
    text = "\n".join(parts) + "\n"
    result = await compact(CompactRequest(text=text, query="token bucket refill", ratio=0.15,
                                          path="guide.md"))
    assert result.kind == "text"
    assert "The token bucket refills every second.\n" in result.text
    assert "### Rate limits\n" in result.text
    assert "# Guide\n" in result.text


async def test_concurrent_calls_agree_with_one_at_a_time() -> None:
    import anyio

    big = make_module(1000)  # over the size where compact() leaves the event loop
    assert len(big) > 200_000
    requests = [CompactRequest(text=big, query=f"helper_{i} scale", ratio=0.2, path="m.py")
                for i in range(6)]
    alone = [await compact(r) for r in requests]
    together: list = [None] * len(requests)

    async def run(i: int) -> None:
        together[i] = await compact(requests[i])

    async with anyio.create_task_group() as tg:
        for i in range(len(requests)):
            tg.start_soon(run, i)
    assert [r.text for r in together] == [r.text for r in alone]
