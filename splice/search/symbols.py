"""Definitions (functions, methods, classes and other named types) with their line ranges,
found with tree-sitter queries, one per language."""

from __future__ import annotations

from functools import cache
from typing import Literal, cast

from pydantic import BaseModel
from tree_sitter import Node, Query, QueryCursor

from splice.core.syntax import get_language, parse

Kind = Literal["function", "method", "class"]

_JS_COMMON = """
(function_declaration name: (identifier) @name) @function
(generator_function_declaration name: (identifier) @name) @function
(method_definition name: (property_identifier) @name) @function
(variable_declarator name: (identifier) @name value: (arrow_function)) @function
(variable_declarator name: (identifier) @name value: (function_expression)) @function
"""

QUERIES: dict[str, str] = {
    "python": """
(function_definition name: (identifier) @name) @function
(class_definition name: (identifier) @name) @class
""",
    "javascript": _JS_COMMON + "(class_declaration name: (identifier) @name) @class\n",
    "typescript": _JS_COMMON + """
(class_declaration name: (type_identifier) @name) @class
(abstract_class_declaration name: (type_identifier) @name) @class
(interface_declaration name: (type_identifier) @name) @class
(enum_declaration name: (identifier) @name) @class
(type_alias_declaration name: (type_identifier) @name) @class
""",
    "go": """
(function_declaration name: (identifier) @name) @function
(method_declaration name: (field_identifier) @name) @function
(type_spec name: (type_identifier) @name) @class
""",
    "rust": """
(function_item name: (identifier) @name) @function
(function_signature_item name: (identifier) @name) @function
(struct_item name: (type_identifier) @name) @class
(enum_item name: (type_identifier) @name) @class
(trait_item name: (type_identifier) @name) @class
(impl_item type: (_) @name) @class
(mod_item name: (identifier) @name) @class
""",
    "java": """
(class_declaration name: (identifier) @name) @class
(interface_declaration name: (identifier) @name) @class
(enum_declaration name: (identifier) @name) @class
(record_declaration name: (identifier) @name) @class
(method_declaration name: (identifier) @name) @function
(constructor_declaration name: (identifier) @name) @function
""",
}
QUERIES["tsx"] = QUERIES["typescript"]

# Decorators and export wrappers belong to the definition they wrap.
_WRAPPERS = {"decorated_definition", "export_statement", "lexical_declaration",
             "variable_declaration"}


class Definition(BaseModel):
    name: str
    kind: Kind
    start_line: int  # 1-based, inclusive
    end_line: int

    @classmethod
    def from_row(cls, row: list[str | int]) -> Definition:
        name, kind, start, end = row  # as the index wrote it (index.py): not validated again
        return cls.model_construct(name=cast(str, name), kind=cast(Kind, kind),
                                   start_line=cast(int, start), end_line=cast(int, end))


@cache
def _query(language: str) -> Query:
    return Query(get_language(language), QUERIES[language])


def _span(node: Node) -> tuple[int, int]:
    top = node
    while top.parent is not None and top.parent.type in _WRAPPERS:
        top = top.parent
    end_row, end_col = node.end_point
    end = end_row if end_col == 0 and end_row > top.start_point[0] else end_row + 1
    return top.start_point[0] + 1, end


def extract_definitions(source: bytes, language: str) -> list[Definition]:
    """Definitions in `source`, in file order; functions inside a class are methods."""
    if language not in QUERIES:
        return []
    tree = parse(source, language)
    found: list[tuple[int, int, str, str]] = []
    for _, captures in QueryCursor(_query(language)).matches(tree.root_node):
        names = captures.get("name")
        if not names:
            continue
        kind = "class" if "class" in captures else "function"
        node = captures[kind][0]
        start, end = _span(node)
        name = (names[0].text or b"").decode("utf-8", "replace")
        found.append((start, -end, name, kind))
    found.sort()
    out: list[Definition] = []
    open_classes: list[int] = []  # end lines of classes enclosing the current position
    for start, neg_end, name, kind in found:
        end = -neg_end
        while open_classes and open_classes[-1] < start:
            open_classes.pop()
        if kind == "function" and open_classes:
            kind = "method"
        if kind == "class":
            open_classes.append(end)
        out.append(Definition(name=name, kind=kind, start_line=start, end_line=end))  # type: ignore[arg-type]
    return out


def enclosing(defs: list[Definition], line: int) -> Definition | None:
    """The innermost definition that contains `line`."""
    best: Definition | None = None
    for d in defs:
        if d.start_line > line:
            break
        if d.end_line >= line and (best is None or d.start_line >= best.start_line):
            best = d
    return best
