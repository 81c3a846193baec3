"""The module a report's title names. A title is the reporter's one-line summary, and when
one of its words is the name of a module (`inspectdb should generate related_name...`,
`dateformat.y() doesn't support years < 1000`, `stackplot should not change Axes cycler`)
or of a function or class one code file alone defines (`Filter floatformat drops
precision`), that module is usually the one to fix, however few of the body's words it
holds: the body is about the reporter's models and scripts, which name other modules'
classes far more often. A word counts as written or as the planner stems prose
(`autoreloading` names autoreload.py), never as a piece of a hyphenated word nor as a
standard-library module (`inspect.signature()`); a module name only when few code files
carry it (MAX_HOLDERS); and only a word rare in the repo's text (RARE_SHARE of the sampled
files; a repo too small to sample says nothing): `field`, `query`, `migration` are words
every report writes, and files are named after them too.

When a named module is among the first FIRST_SLOTS code files of the order already, the
body's evidence agrees with the title: it leads. Otherwise it takes the last of those
places: a title also names the command the reporter ran (`makemigrations`, `loaddata`,
`runserver`) when the fix lies deeper, so the better-ranked files keep their places. On the
SWE-bench dev set, of the 24 reports whose title names a module this way, that module is
the file to fix in 11; most of the other 13 name the command the reporter ran."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from functools import lru_cache

from splice.search.context import SearchContext
from splice.search.priors import prior
from splice.search.terms import stem
from splice.search.title import title_of
from splice.search.words import MIN_SAMPLE, sample, word_shares

MAX_HOLDERS = 2     # a name more code files carry than this names none of them
MIN_LENGTH = 4      # `io`, `api`, `log`: too short to name one module by chance alone
RARE_SHARE = 0.02   # a word in more than this share of the sampled files is an ordinary word
FIRST_SLOTS = 5     # the named module is placed within this many first files (top-k counts files)
TOP_KINDS = {"function", "class"}  # a method's name is shared by every class that may define it
# a name, or a segment of a dotted one; not a piece of a hyphenated word (`Auto-reloader`)
_NAME = re.compile(r"(?<![\w-])[A-Za-z_][A-Za-z0-9_]*(?![\w-])")


@lru_cache(maxsize=8)  # one listing a repo: warm searches ask again
def _stems(files: tuple[str, ...]) -> dict[str, list[str]]:
    """Code files (not tests, docs, package `__init__`s) by their lowercase module name."""
    out: dict[str, list[str]] = {}
    for path in files:
        name = path.rpartition("/")[2]
        stem, dot, ext = name.rpartition(".")
        if dot and ext == "py" and stem != "__init__" and prior(path) >= 1.0:
            out.setdefault(stem.lower(), []).append(path)
    return out


async def title_modules(ctx: SearchContext, query: str) -> list[str]:
    """The code files whose module name the title writes (a word, or a segment of a dotted
    name), held by at most MAX_HOLDERS code files and rare in the repo's text."""
    tokens = [w.lower() for w in _NAME.findall(title_of(query)) if len(w.strip("_")) >= MIN_LENGTH]
    # a word stemmed as the planner stems prose (`autoreloading` names autoreload.py)
    words = set(tokens) | {stem(w) for w in tokens}
    if not words:
        return []
    holders = {w: ps for w, ps in _stems(tuple(ctx.files)).items() if w in words and len(ps) <= MAX_HOLDERS}
    # or a function or class one code file alone defines (`Filter floatformat drops ...`)
    # (the words as written: the query's own names, which the index resolved before ranking)
    found = ctx.index.find(set(tokens) - set(holders)) if ctx.index.files else {}
    inside = set(ctx.files) if ctx.scope else None  # the index knows the whole repo
    for w, defs in found.items():
        files = sorted({p for p, d in defs if d.kind in TOP_KINDS and prior(p) >= 1.0
                        and (inside is None or p in inside)})
        if len(files) == 1:
            holders[w] = files
    # `inspect.signature()`, `json.dumps`: the standard library's module, not the project's
    named = sorted(w for w in holders if w not in sys.stdlib_module_names)
    if not named:
        return []
    if len(sample(ctx.files)) < MIN_SAMPLE:  # fewer files say nothing about a word's rarity
        return []
    shares = await word_shares(ctx.engine, ctx.files, named)
    named = [w for w in named if shares.get(w, 1.0) <= RARE_SHARE]
    return [p for w in named for p in holders[w]]


def place_named(top: list[str], named: list[str], score: dict[str, float], limit: int,
                leads: Callable[[str], bool]) -> list[str]:
    """`top` with the best-scored named module placed after the first FIRST_SLOTS - 1 files
    that `leads` (the code files shown first; tests wait), unless a named module is among
    the first FIRST_SLOTS of them already; the files before it keep their places, `limit`
    files in all."""
    if not named:
        return top
    first = [p for p in top if leads(p)][:FIRST_SLOTS]
    shown = [p for p in named if p in first]
    if shown:  # the body's evidence agrees: the title breaks the tie, it leads
        path = min(shown, key=lambda p: (-score.get(p, 0.0), p))
        return [path] + [p for p in top if p != path]
    path = min(named, key=lambda p: (-score.get(p, 0.0), p))
    rest = [p for p in top if p != path]
    before = [p for p in rest if leads(p)][:FIRST_SLOTS - 1]
    at = rest.index(before[-1]) + 1 if before else 0
    return (rest[:at] + [path] + rest[at:])[:limit]
