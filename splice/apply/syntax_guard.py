"""Refuse merges that turn a file tree-sitter parsed cleanly into one it cannot parse.

Parsing is the most expensive step of a merge, so: the result is parsed first and the
original only when the result has errors; trees are kept in a small LRU keyed by text
(an agent edits the same file again and again: the merged text of one edit is the
original of the next); and when the original's tree is at hand the result is parsed
incrementally from it, re-reading only the changed stretch.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from tree_sitter import Point, Tree

from splice.core.syntax import error_lines, get_parser, language_name

CACHE_SIZE = 32
_cache: OrderedDict[tuple[str, str], Tree] = OrderedDict()
_lock = threading.Lock()


def _remember(key: tuple[str, str], tree: Tree) -> None:
    with _lock:
        _cache[key] = tree
        _cache.move_to_end(key)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


def _cached(key: tuple[str, str]) -> Tree | None:
    with _lock:
        tree = _cache.get(key)
        if tree is not None:
            _cache.move_to_end(key)
        return tree


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def parse_cached(text: str, language: str) -> Tree:
    key = (language, text)
    tree = _cached(key)
    if tree is None:
        tree = get_parser(language).parse(_encode(text))
        _remember(key, tree)
    return tree


def _end_point(data: bytes) -> Point:
    row = data.count(b"\n")
    col = len(data) - (data.rfind(b"\n") + 1)
    return Point(row, col)


def _parse_after_edit(old_text: str, old_tree: Tree, new_text: str, language: str,
                      prefix_chars: int, suffix_chars: int) -> Tree:
    """Reparse `new_text` reusing `old_tree`, given how many leading and trailing
    characters the two texts share."""
    old_b = _encode(old_text)
    new_b = _encode(new_text)
    head = _encode(old_text[:prefix_chars])
    tail_len = len(_encode(old_text[len(old_text) - suffix_chars:])) if suffix_chars else 0
    start = len(head)
    old_end = len(old_b) - tail_len
    new_end = len(new_b) - tail_len
    if old_end < start or new_end < start:
        return get_parser(language).parse(new_b)
    tree = old_tree.copy()
    tree.edit(start_byte=start, old_end_byte=old_end, new_end_byte=new_end,
              start_point=_end_point(head), old_end_point=_end_point(old_b[:old_end]),
              new_end_point=_end_point(new_b[:new_end]))
    return get_parser(language).parse(new_b, tree)


def broken_lines(original: str, merged: str, path: str | None, *,
                 prefix_chars: int = 0, suffix_chars: int = 0) -> list[int] | None:
    """1-based error lines when the merge breaks a cleanly parsing file, else None.

    None too when the path has no grammar or the original already had errors.
    `prefix_chars`/`suffix_chars`: lengths both texts share at each end (0 = unknown).
    """
    language = language_name(path)
    if language is None:
        return None
    old_tree = _cached((language, original))
    new_tree = _cached((language, merged))
    if new_tree is None:
        if old_tree is None or ("\r" in original and "\n" not in original):
            # one full parse of the result; the original is parsed only if this fails
            new_tree = get_parser(language).parse(_encode(merged))
        else:
            new_tree = _parse_after_edit(original, old_tree, merged, language,
                                         prefix_chars, suffix_chars)
        _remember((language, merged), new_tree)
    if not new_tree.root_node.has_error:
        return None
    if old_tree is None:
        old_tree = parse_cached(original, language)
    if old_tree.root_node.has_error:
        return None  # it did not parse before either: not this edit's doing
    return error_lines(new_tree) or [1]
