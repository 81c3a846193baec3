from splice.compact.lines import split_lines
from splice.compact.structure import heading_scopes, indent_scopes, innermost, tree_scopes
from splice.core.syntax import parse

PY = '''\
import os


class Shop:
    """A shop."""

    @staticmethod
    @cached
    def checkout(
        cart,
        coupon=None,
    ):
        total = sum(cart)
        return total
'''


def test_python_signatures_include_decorators_and_wrapped_parameters() -> None:
    lines = split_lines(PY)
    cls, method = tree_scopes(parse(PY, "python"), "python", lines)
    assert (cls.start, cls.header_end, cls.end, cls.parent) == (3, 3, 13, -1)
    # decorators (rows 6-7) and the parameters wrapped over rows 8-11 are the signature
    assert (method.start, method.header_end, method.end, method.parent) == (6, 11, 13, 0)
    inner = innermost([cls, method], len(lines))
    assert inner[0] == -1 and inner[4] == 0 and inner[12] == 1


def test_brace_language_signature_ends_on_the_opening_line() -> None:
    js = "function total(cart) {\n  return cart.sum();\n}\n"
    (scope,) = tree_scopes(parse(js, "javascript"), "javascript", split_lines(js))
    assert (scope.start, scope.header_end, scope.end) == (0, 0, 2)


def test_indentation_blocks_nest() -> None:
    text = "server {\n    location / {\n        root /var;\n    }\n}\nother;\n"
    outer, inner = indent_scopes(split_lines(text))
    assert (outer.start, outer.end) == (0, 3) and (inner.start, inner.end, inner.parent) == (1, 2, 0)


def test_markdown_headings_nest_and_ignore_fenced_code() -> None:
    text = "# A\ntext\n## B\n```\n# not a heading\n```\n# C\n"
    a, b, c = heading_scopes(split_lines(text))
    assert (a.start, a.end) == (0, 5) and (b.start, b.end, b.parent) == (2, 5, 0)
    assert (c.start, c.parent) == (6, -1)


def test_block_parents_follow_indentation() -> None:
    from splice.compact.structure import block_parents

    lines = ["def f(x):\n", "    if x:\n", "        call(\n", "            x,\n", "        )\n",
             "\n", "    return x\n", "\tif y:\n", "\t\tz = 1\n"]
    assert block_parents(lines) == [-1, 0, 1, 2, 1, -1, 0, 0, 7]


def test_a_kept_line_brings_the_conditions_it_sits_in() -> None:
    from splice.compact import CompactRequest, compact_sync

    filler = "".join(f"    step_{i} = compute({i})\n" for i in range(40))
    text = ("def handle(name):\n" + filler + "    if name == 'escape':\n"
            "        for part in name:\n" + filler.replace("    ", "            ") +
            "            warn_deprecated_markup(part)\n" + filler)
    result = compact_sync(CompactRequest(text=text, query="warn_deprecated_markup",
                                         ratio=0.2, path="m.py"))
    kept = result.text
    assert "            warn_deprecated_markup(part)\n" in kept
    assert "    if name == 'escape':\n        for part in name:\n" in kept
    assert kept.startswith("def handle(name):\n")


def _stack_block_parents(lines: list[str], tab: int = 4) -> list[int]:
    """The definition: a stack of the open lines, popped while at least as indented."""
    parent = [-1] * len(lines)
    stack: list[tuple[int, int]] = []
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        if indent and line[0] == "\t":
            indent = len(line[:indent].expandtabs(tab))
        while stack and stack[-1][1] >= indent:
            stack.pop()
        parent[i] = stack[-1][0] if stack else -1
        stack.append((i, indent))
    return parent


def test_block_parents_match_the_stack_definition() -> None:
    import random

    from splice.compact.structure import block_parents

    rng = random.Random(3)
    for _ in range(500):
        lines = [rng.choice(["", " ", "\t", "  ", "    ", "\t  ", "        "])
                 + rng.choice(["x\n", "\n", "y = 1\n", "  \n"]) for _ in range(rng.randint(0, 40))]
        assert block_parents(lines) == _stack_block_parents(lines), lines
