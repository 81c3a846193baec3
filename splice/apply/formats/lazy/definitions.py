"""Definitions as tree-sitter sees them, for structure-aware lazy placement: functions,
methods and classes (and other named types) with the lines they span, the comments,
decorators and attributes attached above them, and the definitions that enclose them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from splice.core.syntax import parse

FUNCTIONS = frozenset({
    "function_definition", "function_declaration", "generator_function_declaration",
    "method_definition", "method_declaration", "constructor_declaration", "function_item",
})
CLASSES = frozenset({
    "class_definition", "class_declaration", "abstract_class_declaration",
    "interface_declaration", "enum_declaration", "type_alias_declaration",
    "record_declaration", "struct_item", "enum_item", "trait_item", "impl_item", "mod_item",
    "type_declaration",
})
# Nodes that only wrap a definition (decorators, `export`, `const f = () => ...`).
WRAPPERS = frozenset({"decorated_definition", "export_statement", "lexical_declaration",
                      "variable_declaration"})
# Lines that belong to the definition below them.
ATTACHED = frozenset({"comment", "line_comment", "block_comment", "decorator",
                      "attribute_item", "annotation", "marker_annotation"})
_FUNCTION_VALUES = frozenset({"arrow_function", "function_expression", "function"})


@dataclass(frozen=True)
class Definition:
    name: str
    kind: str  # "function" or "class"
    start: int  # first line of the unit (decorators and wrappers included), 0-based
    end: int  # exclusive
    header: int  # the line holding the definition's keyword and name
    attached: int  # first line of the comments/attributes directly above (== start if none)
    scope: tuple[str, ...]  # names of the enclosing definitions, outermost first

    @property
    def label(self) -> str:
        return ".".join((*self.scope, self.name))


def _name(node: Node) -> str | None:
    field = node.child_by_field_name("name") or node.child_by_field_name("type")
    if field is None and node.type == "type_declaration":
        spec = next((c for c in node.named_children if c.type in ("type_spec", "type_alias")),
                    None)
        field = spec.child_by_field_name("name") if spec is not None else None
    if field is None or field.text is None:
        return None
    return field.text.decode("utf-8", "replace")


def definition_node(node: Node) -> tuple[Node, str] | None:
    """The definition a unit node is (unwrapping decorators, `export`, `const f = ...`),
    with its kind; None for anything else."""
    while node.type in WRAPPERS:
        inner = node.child_by_field_name("definition") or node.child_by_field_name(
            "declaration")
        if inner is None:
            declarators = [c for c in node.named_children if c.type == "variable_declarator"]
            if len(declarators) != 1:
                return None
            value = declarators[0].child_by_field_name("value")
            if value is None or value.type not in _FUNCTION_VALUES:
                return None
            return declarators[0], "function"
        node = inner
    if node.type in FUNCTIONS:
        return node, "function"
    if node.type in CLASSES:
        return node, "class"
    return None


def _end_line(node: Node) -> int:
    row, col = node.end_point
    return row if col == 0 and row > node.start_point[0] else row + 1


def _attached_start(siblings: list[Node], at: int, start: int) -> int:
    """The first line of the comments/decorators directly above siblings[at] (no blank
    line between them)."""
    top = start
    for prev in reversed(siblings[:at]):
        if prev.type not in ATTACHED or _end_line(prev) < top:
            break
        top = prev.start_point[0]
    return top


def _body(node: Node) -> Node | None:
    return node.child_by_field_name("body")


def collect(container: Node, scope: tuple[str, ...] = (), *,
            nested: bool = True) -> list[Definition]:
    """The definitions among `container`'s children (and, when `nested`, inside them),
    in file order."""
    out: list[Definition] = []
    children = list(container.named_children)
    for i, child in enumerate(children):
        found = definition_node(child)
        if found is None:
            continue
        node, kind = found
        name = _name(node)
        if name is None:
            continue
        start = child.start_point[0]
        out.append(Definition(name, kind, start, _end_line(child), node.start_point[0],
                              _attached_start(children, i, start), scope))
        body = _body(node)
        if nested and body is not None:
            out.extend(collect(body, (*scope, name)))
    return out


def _empty_block(node: Node) -> bool:
    """Whether a block has no statement: python accepts `with x:` cut short that way."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "block" and not n.named_children and n.start_point != n.end_point \
                or n.type == "block" and n.start_point == n.end_point:
            return True
        stack.extend(n.named_children)
    return False


@dataclass(frozen=True)
class Unit:
    """A top-level piece of a segment: a definition, attached lines, or other code."""

    start: int
    end: int
    definition: Definition | None
    attached: bool  # a comment, decorator or attribute line


# Wrappers that let a bare method parse: a class (JS/TS/Java) or an impl block (Rust).
_WRAP = {"javascript": ("class __Splice__ {", "}"), "typescript": ("class __Splice__ {", "}"),
         "tsx": ("class __Splice__ {", "}"), "java": ("class __Splice__ {", "}"),
         "rust": ("impl __Splice__ {", "}")}


# A line that may open a definition: a keyword that starts one, or `) ... {` at its end
# (methods and functions in the brace languages). Segments with none are not parsed.
_HEADER = re.compile(
    r"^\s*(?:(?:pub(?:\([^)]*\))?|export|default|async|static|public|private|protected|"
    r"abstract|final|unsafe|declare)\s+)*"
    r"(?:def|class|fn|func|function|struct|enum|trait|interface|impl|record|type|mod)\b"
    r"|\).*\{\s*$"
    r"|^\s*(?:(?:public|private|protected|static|final|native|abstract|synchronized)\s+)+"
    r"[\w<>\[\],.? ]+\(")


def may_open_definition(line: str) -> bool:
    """Whether a line could be a definition's header (a cheap test before parsing)."""
    return _HEADER.search(line) is not None


def segment_units(lines: list[str], language: str) -> list[Unit] | None:
    """The top-level units of a segment's lines, or None when they do not parse as whole
    statements and definitions (a fragment, a definition cut short), or hold no line that
    could open a definition."""
    if not any(_HEADER.search(x) for x in lines):
        return None
    width = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
    text = "\n".join(x[width:] for x in lines) + "\n"
    root = parse(text, language).root_node
    offset = 0
    container: Node | None = root
    if root.has_error and language in _WRAP:
        head, tail = _WRAP[language]
        root = parse(f"{head}\n{text}{tail}\n", language).root_node
        wrapper = root.named_children[0] if root.named_children else None
        container = _body(wrapper) if wrapper is not None else None
        offset = -1
    if root.has_error or container is None or _empty_block(container):
        return None
    units: list[Unit] = []
    children = list(container.named_children)
    for i, child in enumerate(children):
        start, end = child.start_point[0] + offset, _end_line(child) + offset
        found = definition_node(child)
        definition = None
        if found is not None:
            node, kind = found
            name = _name(node)
            if name is not None:
                definition = Definition(name, kind, start, end, node.start_point[0] + offset,
                                        _attached_start(children, i, child.start_point[0])
                                        + offset, ())
        units.append(Unit(start, end, definition, child.type in ATTACHED))
    return units
