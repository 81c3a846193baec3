"""Comment lines that read as markers but are not written as the format's markers:
`// ... rest unchanged`, `# (rest of file unchanged)`. A person reads them as "the file
goes on here"; placed as code they would be written into the file verbatim (or, at the
top, replace the file's first lines). A line like that which the original does not hold
is refused, saying how to write the marker."""

from __future__ import annotations

import re

from splice.apply.formats.markers import styles_for
from splice.apply.messages import where
from splice.core.errors import MalformedEdit

_OPENERS = {"hash": "#", "slash": "//", "block": "/*", "jsx": "{/*", "html": "<!--",
            "dash": "--", "semi": ";", "percent": "%"}
# what such a comment opens with: code left out (`... rest unchanged`, `(rest of file
# unchanged)`), not an ellipsis somewhere in a sentence
_SAYS_ELIDED = re.compile(r"[(\[]?\s*(\.\.\.|\u2026|rest of\b|existing code\b|unchanged\b)",
                          re.IGNORECASE)


def check_lookalike_markers(original: list[str], lines: list[str], path: str | None) -> None:
    """Refuse a comment line that says code was left out, is not a marker the format
    reads, and is not a line of the original."""
    openers = tuple(_OPENERS[s] for s in styles_for(path) if s in _OPENERS)
    held: set[str] | None = None
    for k, line in enumerate(lines):
        text = line.strip()
        opener = next((o for o in openers if text.startswith(o)), None)
        if opener is None or not _SAYS_ELIDED.match(text[len(opener):].lstrip("#/;%-* ")):
            continue
        if held is None:
            held = {x.strip() for x in original}
        if text in held:
            continue
        raise MalformedEdit(
            f"line {k + 1} of the lazy edit (`{text}`) reads as a marker for unchanged "
            f"code, but is not written as one, and the file{where(path)} has no such line.",
            hint="Write each marker as a comment whose text starts and ends with `...`, "
                 "e.g. `// ... existing code ...`, on a line of its own.", path=path)
