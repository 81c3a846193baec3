"""Tree-sitter access shared by every worker: which grammar a path uses, and parsing.

Grammars come from the official per-language wheels (no run-time downloads).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import PurePosixPath
from typing import Any

from tree_sitter import Language, Parser, Tree


def _loader(module: str, attr: str = "language") -> Callable[[], Any]:
    def load() -> Any:
        mod = __import__(module)
        return getattr(mod, attr)()

    return load


# language name -> capsule loader
_GRAMMARS: dict[str, Callable[[], Any]] = {
    "python": _loader("tree_sitter_python"),
    "javascript": _loader("tree_sitter_javascript"),
    "typescript": _loader("tree_sitter_typescript", "language_typescript"),
    "tsx": _loader("tree_sitter_typescript", "language_tsx"),
    "go": _loader("tree_sitter_go"),
    "rust": _loader("tree_sitter_rust"),
    "java": _loader("tree_sitter_java"),
}

EXTENSIONS: dict[str, str] = {
    ".py": "python", ".pyi": "python",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
    ".ts": "typescript", ".mts": "typescript", ".cts": "typescript",
    ".tsx": "tsx",
    ".go": "go",
    ".rs": "rust",
    ".java": "java",
}

# Comment syntax by language, for lazy-edit markers and the like.
LINE_COMMENTS: dict[str, tuple[str, ...]] = {
    "python": ("#",), "javascript": ("//",), "typescript": ("//",), "tsx": ("//",),
    "go": ("//",), "rust": ("//",), "java": ("//",),
}


@lru_cache(maxsize=1024)
def language_name(path: str | None) -> str | None:
    """The grammar name for a path by its extension, or None when splice has none."""
    if not path:
        return None
    return EXTENSIONS.get(PurePosixPath(path).suffix.lower())


@cache
def get_language(name: str) -> Language:
    if name not in _GRAMMARS:
        raise KeyError(f"no tree-sitter grammar for {name!r}; known: {sorted(_GRAMMARS)}")
    return Language(_GRAMMARS[name]())


_local = threading.local()


def get_parser(name: str) -> Parser:
    """A parser for `name`, one per thread (tree-sitter parsers are not thread-safe)."""
    parsers: dict[str, Parser] = _local.__dict__.setdefault("parsers", {})
    if name not in parsers:
        parsers[name] = Parser(get_language(name))
    return parsers[name]


def parse(text: str | bytes, language: str) -> Tree:
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return get_parser(language).parse(data)


def parse_path(text: str | bytes, path: str | None) -> Tree | None:
    """Parse `text` with the grammar `path`'s extension names, or None when there is none."""
    name = language_name(path)
    return parse(text, name) if name else None


def has_syntax_errors(text: str | bytes, path: str | None) -> bool | None:
    """True/False for a supported language, None when the path has no grammar."""
    tree = parse_path(text, path)
    return None if tree is None else tree.root_node.has_error


def error_lines(tree: Tree, limit: int = 5) -> list[int]:
    """1-based lines of the first ERROR or MISSING nodes, for messages."""
    found: list[int] = []
    cursor = [tree.root_node]
    while cursor and len(found) < limit:
        node = cursor.pop()
        if not node.has_error:
            continue
        if node.is_error or node.is_missing:
            found.append(node.start_point[0] + 1)
            continue
        cursor.extend(reversed(node.children))
    return sorted(set(found))
