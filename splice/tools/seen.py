"""The lines a session has shown of each file: evidence for where an edit goes.

Search results and reads record their spans in the tool context's `seen` map; an edit of
a file passes that file's ranges to the merge as `seen_lines`, then replaces them with the
lines the edit wrote (line numbers before it are stale)."""

from __future__ import annotations

from collections.abc import Iterable

from splice.core.spans import Span

Seen = dict[str, list[tuple[int, int]]]


def note_spans(shown: Seen, spans: Iterable[Span]) -> None:
    for span in spans:
        shown.setdefault(span.path, []).append((span.start_line, span.end_line))


def seen_lines(shown: Seen, path: str) -> list[tuple[int, int]] | None:
    return list(shown.get(path, ())) or None


def replace_spans(shown: Seen, path: str, spans: Iterable[Span]) -> None:
    shown[path] = [(s.start_line, s.end_line) for s in spans if s.path == path]
