"""Traceback frames as IPython and Jupyter print them, which name no `File "x", line n`:

    /home/u/src/sklearn/base.py in fit_transform(self, X, y, **fit_params)
        475             # fit method of arity 1 (unsupervised transformation)
    --> 476             return self.fit(X, **fit_params).transform(X)

and, from IPython 8, `File ~/src/sklearn/base.py:476, in fit_transform(self, X)`. Reports
pasted from notebooks carry these; their frames point where the plain ones do."""

from __future__ import annotations

import re

# (offset in the text, path, line, function) of each frame, in the order printed
RawFrame = tuple[int, str, int, str]

_OLD_HEADER = re.compile(r"^[ \t]*(\S+\.pyx?) in ([\w.<>]+)\(", re.MULTILINE)
_ARROW = re.compile(r"^[ \t]*-*>[ \t]*(\d+)\b", re.MULTILINE)
_NEW_HEADER = re.compile(r"\bFile (\S+\.pyx?):(\d+)(?:, in ([\w.<>]+))?")


def ipython_frames(text: str) -> list[RawFrame]:
    """The IPython-style frames of `text`, outermost first (as printed)."""
    found: list[RawFrame] = []
    headers = list(_OLD_HEADER.finditer(text))
    for k, m in enumerate(headers):
        end = headers[k + 1].start() if k + 1 < len(headers) else len(text)
        arrow = _ARROW.search(text, m.end(), end)
        found.append((m.start(), m.group(1), int(arrow.group(1)) if arrow else 0, m.group(2)))
    for m in _NEW_HEADER.finditer(text):
        found.append((m.start(), m.group(1), int(m.group(2)), m.group(3) or ""))
    return sorted(found)
