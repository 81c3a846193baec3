"""The code that raises what a report names: when a report names an exception class
(`raising ValidationError`, a traceback's last line `FooError: message`), the `raise Foo(`
statements of the best files whose text holds the report's other terms (the quoted message
fragments, the error code, the names the message is about) are the branch to show."""

from __future__ import annotations

import re
from contextlib import suppress

from splice.core.errors import SpliceError
from splice.search.context import SearchContext
from splice.search.symbols import Definition
from splice.search.terms import Term

RAISE_WORTH = 1.0    # a raise site's bonus, in units of the best term's worth (x its share)
STATEMENT_LINES = 8  # a raise statement's continuation lines read at most
KEY_LINES = 2        # lines above a message where its key may be written
_KEY = re.compile(r"(['\"])(\w+)\1\s*:")
_CLASS = re.compile(r"[A-Z]\w+")
_RAISE = re.compile(r"[ \t]*raise\s+(?:[\w.]+\.)?([A-Z]\w+)\b")


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


def _owner(defs: list[Definition], line: int) -> tuple[int, int]:
    """The span of the innermost class holding `line` (the whole file outside classes)."""
    held = [d for d in defs if d.kind == "class" and d.start_line <= line <= d.end_line]
    best = max(held, key=lambda d: d.start_line, default=None)
    return (best.start_line, best.end_line) if best else (1, 10**9)


def message_keys(lines: list[str], phrases: list[tuple[str, float]],
                 defs: list[Definition]) -> list[tuple[str, float, tuple[int, int]]]:
    """(key, worth, owner span) of each quoted message declared under a key
    (`'invalid_choice': _('Select a valid choice. ...')`): code raises it by its key."""
    out = []
    for n, line in enumerate(lines):
        low = line.lower()
        for phrase, worth in phrases:
            if phrase in low:
                above = " ".join(lines[max(0, n - KEY_LINES):n + 1])
                keys = _KEY.findall(above)
                if keys:
                    out.append((keys[-1][1], worth, _owner(defs, n + 1)))
    return out


def raise_sites(text: str, classes: set[str], phrases: list[tuple[str, float]],
                defs: list[Definition]) -> dict[int, float]:
    """1-based line -> the worth of the report's quoted messages that a `raise C(` statement
    of a named class C raises: written out in it, or by the key they are declared under in
    the same class. A named exception alone is raised in many places: those are left out."""
    out: dict[int, float] = {}
    lines = text.splitlines()
    keys = message_keys(lines, phrases, defs)
    for index, line in enumerate(lines):
        # per line: `^\s*` over the whole text starts a match at a blank line above
        m = _RAISE.match(line)
        if m is None or m.group(1) not in classes:
            continue
        body = statement(lines, index)
        low = body.lower()
        worth = sum(w for phrase, w in phrases if phrase in low)
        worth += sum(w for key, w, (first, last) in keys
                     if first <= index + 1 <= last and re.search(rf"['\"]{key}['\"]", body))
        if worth > 0:
            out[index + 1] = worth
    return out


def raised_classes(terms: list[Term]) -> set[str]:
    """The class names a report wrote (identifiers starting with a capital): which of them
    the project raises is for its code to say."""
    return {t.text for t in terms if t.kind == "identifier" and _CLASS.fullmatch(t.text)}


def raise_hits(ctx: SearchContext, top: list[str], terms: list[Term],
               idf: list[float]) -> dict[str, dict[int, float]]:
    """path -> raise line -> bonus, for the files in `top`: the sites raising a message the
    report quotes, the best worth RAISE_WORTH x the best term's worth, the others by share."""
    classes = raised_classes(terms)
    phrases = [(t.text.lower(), t.weight * idf[i]) for i, t in enumerate(terms)
               if t.kind == "phrase"]
    if not classes or not phrases:
        return {}
    top_worth = max(t.weight * idf[i] for i, t in enumerate(terms))
    found: dict[str, dict[int, float]] = {}
    for path in top:
        with suppress(SpliceError):
            sites = raise_sites(ctx.engine.read(path).text, classes, phrases,
                                ctx.index.definitions(path))
            if sites:
                found[path] = sites
    best = max((w for sites in found.values() for w in sites.values()), default=0.0)
    return {path: {line: RAISE_WORTH * top_worth * w / best for line, w in sites.items()}
            for path, sites in found.items()}
