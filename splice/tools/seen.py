"""The lines a session has shown of each file: evidence for where an edit goes.

Search results and reads record their spans in the tool context; an edit of a file passes
that file's ranges to the merge as `seen_lines`, then replaces them with the lines the
edit wrote (line numbers before it are stale)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from splice.core.spans import Span

KEY = "seen_lines"


def note_spans(extras: dict[str, Any], spans: Iterable[Span]) -> None:
    shown: dict[str, list[tuple[int, int]]] = extras.setdefault(KEY, {})
    for span in spans:
        shown.setdefault(span.path, []).append((span.start_line, span.end_line))


def seen_lines(extras: dict[str, Any], path: str) -> list[tuple[int, int]] | None:
    return list(extras.get(KEY, {}).get(path, ())) or None


def replace_spans(extras: dict[str, Any], path: str, spans: Iterable[Span]) -> None:
    extras.setdefault(KEY, {})[path] = [(s.start_line, s.end_line) for s in spans
                                        if s.path == path]
