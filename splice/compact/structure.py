"""Where definitions start, where their signatures end, and how they nest.

Tree-sitter answers for the languages splice has grammars for (one query per language,
matched in C, so no Python walk over every node); other text falls back to indentation:
a line followed by more deeply indented lines heads a block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import compress
from operator import ne, sub

import numpy as np
import numpy.typing as npt
from tree_sitter import Query, QueryCursor, Tree

from splice.core.syntax import get_language

# Node kinds whose `body` field separates a signature from its body.
_DEFINITION_KINDS: dict[str, tuple[str, ...]] = {
    "python": ("function_definition", "class_definition"),
    "javascript": ("function_declaration", "generator_function_declaration", "class_declaration",
                   "method_definition", "function_expression", "arrow_function"),
    "typescript": ("function_declaration", "generator_function_declaration", "class_declaration",
                   "abstract_class_declaration", "method_definition", "interface_declaration",
                   "enum_declaration", "function_expression", "arrow_function",
                   "internal_module"),
    "go": ("function_declaration", "method_declaration", "func_literal"),
    "rust": ("function_item", "impl_item", "trait_item", "struct_item", "enum_item", "mod_item"),
    "java": ("class_declaration", "interface_declaration", "enum_declaration",
             "method_declaration", "constructor_declaration", "record_declaration"),
}
_DEFINITION_KINDS["tsx"] = _DEFINITION_KINDS["typescript"]
_DOC_KINDS: dict[str, str] = {
    "python": "(comment) @doc (expression_statement (string) @doc)",
    "javascript": "(comment) @doc", "typescript": "(comment) @doc", "tsx": "(comment) @doc",
    "go": "(comment) @doc",
    "rust": "(line_comment) @doc (block_comment) @doc",
    "java": "(line_comment) @doc (block_comment) @doc",
}
_DECORATED = {"python": "(decorated_definition definition: (_)) @decorated"}
MAX_HEADER_LINES = 12


@dataclass
class Scope:
    start: int        # first line of the signature (decorators included), 0-based
    header_end: int   # last line of the signature
    end: int          # last line of the definition
    parent: int = -1  # index of the enclosing scope, -1 at top level


@cache
def _query(language: str) -> Query | None:
    lang = get_language(language)
    patterns = []
    for kind in _DEFINITION_KINDS.get(language, ()):
        # the body is read by its field from the definition: capturing it too would
        # only build a Python node per definition that nothing reads
        pattern = f"({kind} body: (_)) @def"
        try:
            Query(lang, pattern)
        except Exception:  # noqa: BLE001 - a kind or field this grammar version lacks
            continue
        patterns.append(pattern)
    if language in _DECORATED:
        patterns.append(_DECORATED[language])
    if language in _DOC_KINDS:
        patterns.append(_DOC_KINDS[language])
    return Query(lang, "\n".join(patterns)) if patterns else None


def _header_end(lines: list[str], def_row: int, body_row: int, body_col: int) -> int:
    """The signature ends on the body's first line when the body opens mid-line
    (`function f() {`), else on the line before it (`def f():` then an indented block)."""
    if body_row <= def_row:
        return def_row
    line = lines[body_row] if body_row < len(lines) else ""
    # tree-sitter columns count bytes; most lines are ASCII, where they count characters
    prefix = line[:body_col] if line.isascii() else line.encode("utf-8", "surrogatepass")[:body_col]
    return body_row if prefix.strip() else body_row - 1


def outline(tree: Tree, language: str, lines: list[str],
            ) -> tuple[list[Scope], npt.NDArray[np.bool_]]:
    """Definitions (with signature extents, nested) and comment/docstring lines, from one
    query pass over the tree."""
    n_lines = len(lines)
    docs = np.zeros(n_lines, dtype=bool)  # per line: a comment or docstring line
    query = _query(language)
    if query is None:
        return [], docs
    decorated_start: dict[int, int] = {}
    defs: list[tuple[int, int, int, int]] = []
    # captures, not matches: one list per capture name, no dict per match; a definition's
    # body (and a decorated one's definition) is looked up by its field
    captures = QueryCursor(query).captures(tree.root_node)
    for node in captures.get("doc", ()):
        first, (last, end_column) = node.start_point[0], node.end_point
        last = min(last, n_lines - 1)
        if end_column == 0 and last > first:
            last -= 1
        docs[first:last + 1] = True
    for node in captures.get("decorated", ()):
        inner = node.child_by_field_name("definition")
        if inner is not None:
            decorated_start[inner.start_byte] = node.start_point[0]
    for node in captures.get("def", ()):
        body = node.child_by_field_name("body")
        if body is None:
            continue
        row = node.start_point[0]
        defs.append((node.start_byte, row, node.end_point[0],
                     _header_end(lines, row, *body.start_point)))
    scopes: list[Scope] = []
    for start_byte, row, end_row, header_end in sorted(defs, key=lambda d: (d[1], -d[2])):
        start = decorated_start.get(start_byte, row)
        header_end = min(max(header_end, row), row + MAX_HEADER_LINES - 1, end_row)
        scopes.append(Scope(start=start, header_end=header_end, end=end_row))
    _link_parents(scopes)
    return scopes, docs


def tree_scopes(tree: Tree, language: str, lines: list[str]) -> list[Scope]:
    return outline(tree, language, lines)[0]


def _link_parents(scopes: list[Scope]) -> None:
    """Scopes sorted by start (outer first on ties); nesting from a stack."""
    stack: list[int] = []
    for i, scope in enumerate(scopes):
        while stack and scopes[stack[-1]].end < scope.start:
            stack.pop()
        scope.parent = stack[-1] if stack else -1
        stack.append(i)


def indent_scopes(lines: list[str]) -> list[Scope]:
    """Blocks by indentation, for languages without a grammar."""
    indents: list[int] = []
    for line in lines:
        stripped = line.lstrip(" \t")
        indents.append(-1 if not stripped.strip() else len(line) - len(stripped))
    scopes: list[Scope] = []
    open_stack: list[tuple[int, int]] = []  # (scope index, header indent)
    last_text = -1
    nxt = [-1] * len(lines)
    following = -1
    for i in range(len(lines) - 1, -1, -1):
        nxt[i] = following
        if indents[i] >= 0:
            following = i
    for i, ind in enumerate(indents):
        if ind < 0:
            continue
        while open_stack and open_stack[-1][1] >= ind:
            scopes[open_stack.pop()[0]].end = last_text
        j = nxt[i]
        if j >= 0 and indents[j] > ind:
            parent = open_stack[-1][0] if open_stack else -1
            scopes.append(Scope(start=i, header_end=i, end=i, parent=parent))
            open_stack.append((len(scopes) - 1, ind))
        last_text = i
    while open_stack:
        scopes[open_stack.pop()[0]].end = last_text
    return scopes


_HEADING = re.compile(r"^(#{1,6})\s+\S")


def heading_scopes(lines: list[str]) -> list[Scope]:
    """Sections of a markdown text: a heading owns what follows until a heading of the
    same or a higher level."""
    scopes: list[Scope] = []
    open_stack: list[tuple[int, int]] = []  # (scope index, level)
    fenced = False
    for i, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        m = None if fenced else _HEADING.match(line)
        if not m:
            continue
        level = len(m.group(1))
        while open_stack and open_stack[-1][1] >= level:
            scopes[open_stack.pop()[0]].end = i - 1
        parent = open_stack[-1][0] if open_stack else -1
        scopes.append(Scope(start=i, header_end=i, end=len(lines) - 1, parent=parent))
        open_stack.append((len(scopes) - 1, level))
    return scopes


def innermost(scopes: list[Scope], n_lines: int) -> list[int]:
    """For each line, the index of the innermost scope holding it (-1 when none)."""
    inner = [-1] * n_lines
    for i, scope in enumerate(scopes):  # outer scopes come first, inner ones overwrite
        end = min(scope.end, n_lines - 1)
        if end >= scope.start:
            inner[scope.start:end + 1] = [i] * (end - scope.start + 1)
    return inner


def statement_spans(tree: Tree) -> list[tuple[int, int]]:
    """(first, last) line of each top-level statement: a long string or a call spread
    over lines is never cut into paragraphs, and module constants can be found by name."""
    return [(node.start_point[0], node.end_point[0]) for node in tree.root_node.named_children]


def block_parents(lines: list[str], tab: int = 4) -> list[int]:
    """Per line, the nearest line above it that is less indented (the `if`, `for`,
    `with` or call it sits in), -1 for blank lines and the outermost ones. Keeping a line
    with this chain keeps the condition or loop that gives it its meaning."""
    n = len(lines)
    parent = [-1] * n
    # leading whitespace per line, measured in C; blank lines measure their full length
    widths = list(map(sub, map(len, lines), map(len, map(str.lstrip, lines))))
    prev = -1       # the line before with content
    prev_indent = 0
    # The open lines (each less indented than the next) are always `prev` and its chain
    # of parents, so the search walks that chain instead of keeping a stack.
    for i in compress(range(n), map(ne, widths, map(len, lines))):
        indent = widths[i]
        if indent and lines[i][0] == "\t":
            indent = widths[i] = len(lines[i][:indent].expandtabs(tab))
        if prev >= 0:
            if indent > prev_indent:
                parent[i] = prev
            elif indent == prev_indent:
                parent[i] = parent[prev]
            else:
                p = parent[prev]
                while p >= 0 and widths[p] >= indent:
                    p = parent[p]
                parent[i] = p
        prev, prev_indent = i, indent
    return parent
