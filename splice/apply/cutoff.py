"""Edits cut off mid-way: a writer's output that stops inside its last line (a reply cut
at its token limit, a stream that broke off).

The text does not say how that line went on, nor what followed it, so no reading of it
is the intended file: a merge would write half a line and, where the edit's end decides
how far it reaches (a whole definition, a forgotten closing marker, the end of the file),
drop whatever the rest would have kept. The tell is in the file: the edit's last line is
the start of one of the file's lines, cut inside a word (`progress = click.p` where the
file has `progress = click.progressbar(length=2)`). A complete line that happens to be a
prefix of another stops at a word's end (`return x` beside `return x + 1`), so it is not
taken for a cut one.
"""

from __future__ import annotations

from collections.abc import Callable

from splice.apply.messages import where
from splice.core.errors import MalformedEdit

MIN_CUT = 4  # shorter last lines are too common as prefixes to say anything


def _wordy(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def cut_line(keys: list[str], lines: list[str], is_marker: Callable[[str], bool]) -> int | None:
    """The 0-based file line that the edit's last line is a cut-off start of, or None.

    `keys`: the file's lines, stripped; `lines`: the edit's lines."""
    last = next((line for line in reversed(lines) if line.strip()), None)
    if last is None or is_marker(last):
        return None
    text = last.strip()
    if len(text) < MIN_CUT or not _wordy(text[-1]):
        return None
    n = len(text)
    found = None
    for q, key in enumerate(keys):
        if key == text:
            return None  # the last line is a whole line of the file
        if found is None and len(key) > n and key.startswith(text) and _wordy(key[n]):
            found = q
    return found


def open_quote(lines: list[str], is_marker: Callable[[str], bool]) -> str | None:
    """The edit's last line when it opens a double-quoted string it never closes (an odd
    count of `"`, triple quotes, escaped quotes and the character literal `'"'` left
    out): output that stops inside a string or a quoted word (`# using the "name`)."""
    last = next((line for line in reversed(lines) if line.strip()), None)
    if last is None or is_marker(last):
        return None
    text = last.replace("\\\\", "").replace('\\"', "").replace('"""', "").replace("'\"'", "")
    return last.strip() if text.count('"') % 2 else None


def check_cut_off(keys: list[str], lines: list[str], is_marker: Callable[[str], bool],
                  path: str | None) -> None:
    """Refuse an edit whose last line stops mid-word where a line of the file goes on,
    or inside a double-quoted string."""
    q = cut_line(keys, lines, is_marker)
    if q is None:
        if (last := open_quote(lines, is_marker)) is not None:
            raise MalformedEdit(
                f"the edit looks cut off: its last line `{last}` opens a quote it never "
                "closes, so how it ends, and what follows it, is unknown.",
                hint="Send the edit again in full, ending on a complete line (with a `... "
                     "existing code ...` marker after it if the file goes on).",
                path=path, details={"why": "cut_off"})
        return
    last = next(line for line in reversed(lines) if line.strip()).strip()
    raise MalformedEdit(
        f"the edit looks cut off: its last line `{last}` stops mid-word where line {q + 1} "
        f"of the file{where(path)} goes on (`{keys[q]}`), so how it ends, and what the "
        "rest of it replaces, is unknown.",
        hint="Send the edit again in full, ending on a complete line (with a `... existing "
             "code ...` marker after it if the file goes on).",
        path=path, details={"why": "cut_off", "closest_lines": [q + 1, q + 1]})
