"""Indentation-relative matching: the model's block is off by a constant indent.

`indent_shift(window, block)` returns a function that re-indents the model's new lines
into the file's indentation (tabs stay tabs), or None when no constant shift explains
the difference.
"""

from __future__ import annotations

from collections.abc import Callable
from math import gcd

Shift = Callable[[str], str]


def lead(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _constant_prefix(pairs: list[tuple[str, str]]) -> tuple[str, str] | None:
    """('add', P) when every file indent is P + model indent; ('cut', P) the reverse."""
    for mode in ("add", "cut"):
        prefix: str | None = None
        ok = True
        for file_lead, model_lead in pairs:
            longer, shorter = (file_lead, model_lead) if mode == "add" else (model_lead, file_lead)
            if not longer.endswith(shorter):
                ok = False
                break
            p = longer[: len(longer) - len(shorter)]
            if prefix is None:
                prefix = p
            elif p != prefix:
                ok = False
                break
        if ok and prefix is not None:
            return mode, prefix
    return None


def _unit(leads: list[str]) -> int:
    widths = [len(x) for x in leads if x and "\t" not in x]
    unit = 0
    for w in widths:
        unit = gcd(unit, w)
    return unit if unit in (2, 3, 4, 8) else (4 if unit == 0 else unit)


def _retab(line: str, unit: int) -> str:
    """Leading spaces -> tabs, `unit` spaces a tab, leftovers kept."""
    ws = lead(line)
    if "\t" in ws:
        return line
    return "\t" * (len(ws) // unit) + " " * (len(ws) % unit) + line[len(ws):]


def _untab(line: str, unit: int) -> str:
    ws = lead(line)
    return ws.replace("\t", " " * unit) + line[len(ws):]


def indent_shift(window: list[str], block: list[str], *, loose: bool = False) -> Shift | None:
    """How to move the model's lines into the file's indentation, or None.

    `loose` (fuzzy matches) uses only the line pairs whose text agrees and falls back to
    no shift rather than None.
    """
    pairs = [(lead(w), lead(b)) for w, b in zip(window, block, strict=False)
             if w.strip() and b.strip() and (not loose or w.strip() == b.strip())]
    if not pairs:
        return (lambda line: line) if loose else None
    found = _constant_prefix(pairs)
    convert: Callable[[str], str] = lambda line: line  # noqa: E731
    if found is None:
        file_tabs = any("\t" in f for f, _ in pairs)
        model_tabs = any("\t" in m for _, m in pairs)
        if file_tabs and not model_tabs:
            unit = _unit([m for _, m in pairs])
            convert = lambda line: _retab(line, unit)  # noqa: E731
        elif model_tabs and not file_tabs:
            unit = _unit([f for f, _ in pairs])
            convert = lambda line: _untab(line, unit)  # noqa: E731
        else:
            return (lambda line: line) if loose else None
        found = _constant_prefix([(f, lead(convert(m + "x"))) for f, m in pairs])
        if found is None:
            return (lambda line: line) if loose else None
    mode, prefix = found

    def shift(line: str) -> str:
        if not line.strip():
            return line
        line = convert(line)
        if mode == "add":
            return prefix + line
        if line.startswith(prefix):
            return line[len(prefix):]
        return line.lstrip(" \t")

    return shift
