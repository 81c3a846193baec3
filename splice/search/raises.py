"""The code that raises what a report names: when a report names an exception class
(`raising ValidationError`, a traceback's last line `FooError: message`), the `raise Foo(`
statements of the best files whose text holds the report's other terms (the quoted message
fragments, the error code, the names the message is about) are the branch to show."""

from __future__ import annotations

import re
from contextlib import suppress

from splice.core.errors import SpliceError
from splice.search.context import SearchContext
from splice.search.terms import Term

RAISE_WORTH = 1.5    # a raise site's bonus, in units of the best term's worth (x its share)
STATEMENT_LINES = 8  # a raise statement's continuation lines read at most
NAMED_KINDS = ("identifier", "dotted", "phrase", "flag")  # prose words are in every message
_CLASS = re.compile(r"[A-Z]\w+")
_RAISE = re.compile(r"^\s*raise\s+(?:[\w.]+\.)?([A-Z]\w+)\b", re.MULTILINE)


def statement(lines: list[str], start: int) -> str:
    """The raise statement that starts at index `start`: its lines until the brackets
    close (a message is often on the next line)."""
    text, depth = "", 0
    for line in lines[start:start + STATEMENT_LINES]:
        text += line + "\n"
        depth += sum(line.count(c) for c in "([{") - sum(line.count(c) for c in ")]}")
        if depth <= 0:
            break
    return text


def raise_sites(text: str, classes: set[str], keys: list[tuple[str, float]]) -> dict[int, float]:
    """1-based line -> the worth of the report's terms (`keys`: lowercase text, worth) that
    a `raise C(` statement of a named class C holds, besides C itself; sites holding none
    are left out (a named exception alone is raised in many places)."""
    out: dict[int, float] = {}
    lines = text.splitlines()
    starts = {text.count("\n", 0, m.start()): m.group(1) for m in _RAISE.finditer(text)
              if m.group(1) in classes}
    for index, name in starts.items():
        body = statement(lines, index).lower()
        worth = sum(w for key, w in keys if key != name.lower() and key in body)
        if worth > 0:
            out[index + 1] = worth
    return out


def raised_classes(terms: list[Term]) -> set[str]:
    """The class names a report wrote (identifiers starting with a capital): which of them
    the project raises is for its code to say."""
    return {t.text for t in terms if t.kind == "identifier" and _CLASS.fullmatch(t.text)}


def raise_hits(ctx: SearchContext, top: list[str], terms: list[Term],
               idf: list[float]) -> dict[str, dict[int, float]]:
    """path -> raise line -> bonus, for the files in `top`: the sites the report's terms
    point at, the best worth RAISE_WORTH x the best term's worth, the others by share."""
    classes = raised_classes(terms)
    if not classes:
        return {}
    keys = [(t.text.lower(), t.weight * idf[i]) for i, t in enumerate(terms)
            if t.kind in NAMED_KINDS and t.text not in classes]
    top_worth = max((w for _, w in keys), default=0.0)
    found: dict[str, dict[int, float]] = {}
    for path in top:
        with suppress(SpliceError):
            sites = raise_sites(ctx.engine.read(path).text, classes, keys)
            if sites:
                found[path] = sites
    best = max((w for sites in found.values() for w in sites.values()), default=0.0)
    return {path: {line: RAISE_WORTH * top_worth * w / best for line, w in sites.items()}
            for path, sites in found.items()}
