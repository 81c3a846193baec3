"""Which definitions' signatures an edit changed: the definitions come from symbols.py,
their parameter lists from the same tree-sitter parse. A signature is compared by what a
caller depends on (Python: each parameter's name, kind and whether it has a default; other
languages: the parameter list's text, spaces collapsed), so a changed annotation, default
value or body is not a change."""

from __future__ import annotations

import re

from pydantic import BaseModel
from tree_sitter import Node

from splice.core.callsites import ChangeKind, SignatureChange
from splice.core.syntax import parse
from splice.search.symbols import QUERIES, Definition, extract_definitions

_SPACES = re.compile(r"\s+")
_TRAILING_COMMA = re.compile(r",\s*([)\]>])")
# Python parameter node type -> how the parameter binds, for the shape.
_PY_PREFIX = {"list_splat_pattern": "*", "dictionary_splat_pattern": "**"}
_PY_DEFAULTED = {"default_parameter", "typed_default_parameter"}
# A lone arrow-function parameter without parentheses is the parameter node itself.
_BARE_PARAMS = {"identifier"}


class Signature(BaseModel):
    name: str
    kind: str  # "function" or "method"
    scope: str  # enclosing classes, dotted ("" at module level)
    text: str  # as shown to the writer: "def f(a, b=1)"
    shape: str  # what callers depend on
    params: list[str]  # each parameter as written, spaces collapsed
    line: int  # 1-based line of the definition


def _collapse(text: str) -> str:
    return _TRAILING_COMMA.sub(r"\1", _SPACES.sub(" ", text).strip())


def _py_param_shape(node: Node) -> str:
    t = node.type
    if t == "keyword_separator":
        return "*"
    if t == "positional_separator":
        return "/"
    if t in _PY_DEFAULTED:
        name = node.child_by_field_name("name")
        return f"{_text(name)}=" if name is not None else _text(node)
    if t in _PY_PREFIX:
        inner = node.named_children[0] if node.named_children else None
        return _PY_PREFIX[t] + (_text(inner) if inner is not None else "")
    if t == "typed_parameter" and node.named_children:
        return _py_param_shape(node.named_children[0])
    return _text(node)


def _text(node: Node | None) -> str:
    return "" if node is None else (node.text or b"").decode("utf-8", "replace")


def _params_of(node: Node) -> Node | None:
    params = node.child_by_field_name("parameters")
    if params is None and node.type == "variable_declarator":  # const f = (a) => ...
        value = node.child_by_field_name("value")
        if value is not None:
            params = value.child_by_field_name("parameters") or value.child_by_field_name(
                "parameter")
    return params


def _callables(root: Node) -> dict[tuple[str, int], Node]:
    """Nodes that have a name and a parameter list, by (name, 0-based start row)."""
    out: dict[tuple[str, int], Node] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        name = node.child_by_field_name("name")
        if name is not None and _params_of(node) is not None:
            out.setdefault((_text(name), node.start_point[0]), node)
        stack.extend(node.named_children)
    return out


def _node_for(d: Definition, nodes: dict[tuple[str, int], Node]) -> Node | None:
    # A definition's first line includes its decorators: the node starts at or after it.
    for row in range(d.start_line - 1, d.end_line):
        node = nodes.get((d.name, row))
        if node is not None:
            return node
    return None


def signatures(text: str, language: str) -> list[Signature]:
    """Every function and method in `text` with its parameter list, in file order."""
    if language not in QUERIES:
        return []
    source = text.encode("utf-8", "surrogatepass")
    defs = extract_definitions(source, language)
    nodes = _callables(parse(source, language).root_node)
    out: list[Signature] = []
    classes: list[Definition] = []  # enclosing the current definition
    for d in defs:
        while classes and classes[-1].end_line < d.start_line:
            classes.pop()
        if d.kind == "class":
            classes.append(d)
            continue
        node = _node_for(d, nodes)
        params = _params_of(node) if node is not None else None
        if params is None:
            continue
        listed = [_collapse(_text(p)) for p in params.named_children if p.type != "comment"]
        if params.type in _BARE_PARAMS:
            listed = [_text(params)]
        shown = f"({', '.join(listed)})"
        if language == "python":
            shape = ",".join(_py_param_shape(p) for p in params.named_children
                             if p.type != "comment")
            shown = f"def {d.name}{shown}"
        else:
            shape = shown
            shown = f"{d.name}{shown}"
        out.append(Signature(name=d.name, kind=d.kind, scope=".".join(c.name for c in classes),
                             text=shown, shape=shape, params=listed, line=d.start_line))
    return out


_PY_DEF = re.compile(r"^[ \t]*(?:async[ \t]+)?def[ \t]+\w+[ \t]*\(", re.MULTILINE)


def _py_headers(text: str) -> list[str]:
    """Every `def name(...)` as written, found without parsing: when these are equal before
    and after an edit (most edits change bodies), no signature changed and the two parses
    are skipped."""
    out = []
    for m in _PY_DEF.finditer(text):
        depth, i = 1, m.end()
        while depth and i < len(text):
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        out.append(text[m.start():i].strip())
    return out


def _relaxed(old: str, new: str) -> bool:
    """Only defaults were added to the same parameters: every old call still binds alike."""
    a, b = old.split(","), new.split(",")
    return len(a) == len(b) and all(x == y or x + "=" == y for x, y in zip(a, b, strict=True))


def _by_key(sigs: list[Signature]) -> dict[tuple[str, str], list[Signature]]:
    out: dict[tuple[str, str], list[Signature]] = {}
    for s in sigs:
        out.setdefault((s.scope, s.name), []).append(s)
    return out


def _change(old: Signature, new: Signature | None, kind: ChangeKind) -> SignatureChange:
    return SignatureChange(name=old.name, new_name=new.name if new else old.name,
                           kind=old.kind, scope=old.scope, change=kind, old=old.text,
                           new=new.text if new else "", line=new.line if new else old.line,
                           old_params=old.params, new_params=new.params if new else [])


def signature_changes(old_text: str, new_text: str, language: str) -> list[SignatureChange]:
    """Definitions whose parameters changed, that were renamed (a name gone and a new one in
    the same class, paired in file order) or removed (functions: a removed method is mostly
    an override, whose callers reach the base), in the new file's order. Defaults given to
    parameters that had none break no caller and are not a change."""
    if language == "python" and _py_headers(old_text) == _py_headers(new_text):
        return []
    old, new = _by_key(signatures(old_text, language)), _by_key(signatures(new_text, language))
    found: list[SignatureChange] = []
    for key, olds in old.items():
        # same-named twins (a property's getter and setter) are compared in order
        for before, after in zip(olds, new.get(key, []), strict=False):
            if before.shape != after.shape and not _relaxed(before.shape, after.shape):
                found.append(_change(before, after, "changed"))
    gone = [s for k, v in old.items() if k not in new for s in v]
    added = [s for k, v in new.items() if k not in old for s in v]
    for before in gone:
        twin = next((a for a in added if a.scope == before.scope and a.kind == before.kind),
                    None)
        if twin is not None:
            added.remove(twin)
            found.append(_change(before, twin, "renamed"))
        elif before.kind == "function":  # a removed method is mostly an override
            found.append(_change(before, None, "removed"))
    return sorted(found, key=lambda c: c.line)
