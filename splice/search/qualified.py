"""Dotted names in a query resolved to the definitions they qualify: `Owner.name` is the
method `name` of class `Owner`, `pkg.name` a module-level `name` under a folder or module
called `pkg`."""

from __future__ import annotations

from pathlib import PurePosixPath

from splice.search.context import SearchContext
from splice.search.symbols import Definition
from splice.search.terms import Term

DEF_BOOST = 1.5  # a definition the query names counts this much over an occurrence


def qualified_definitions(ctx: SearchContext, terms: list[Term], top_idf: float,
                          idf: list[float]) -> list[tuple[int, str, int, float]]:
    """Definitions a dotted term names by its qualified name: `Owner.name` is method `name`
    of class `Owner`; `pkg.name` (or `pkg.mod.name`) is a module-level `name` in a file
    under a folder or module called `pkg`/`mod`. `click.group` is then click's `group()`
    function, not every method called group. (term index, path, line, bonus) for each.

    A method found by its class picks one of many namesakes: it is worth the top term's
    rarity. A module-level name found by its module is the import path the asker wrote
    (`models.CharField` after `from django.db import models`, in every model a report
    declares): it is worth its own rarity (`idf`, per term), as the bare name is."""
    out: list[tuple[int, str, int, float]] = []
    dotted = [t for t in terms if t.kind == "dotted" and t.names]
    if not dotted or not ctx.index.files:
        return out
    found = ctx.index.find({t.names[0] for t in dotted})
    for k, term in enumerate(terms):
        if term not in dotted:
            continue
        parts = term.text.lstrip("@").rstrip("()").split(".")
        owners, name = [p.lower() for p in parts[:-1]], parts[-1]
        if not owners:
            continue
        for path, d in found.get(term.names[0], [])[:50]:
            if d.name != name:  # a qualified name is exact: click.group is not Group
                continue
            if d.kind == "method":
                parent = owner_class(ctx.index.definitions(path), d)
                ok = parent is not None and parent.lower() == owners[-1]
            else:
                stems = {part.lower().split(".")[0] for part in PurePosixPath(path).parts}
                ok = owners[-1] in stems
            if ok:
                rarity = top_idf if d.kind == "method" else idf[k]
                out.append((k, path, d.start_line, term.weight * rarity * DEF_BOOST))
    return out


def owner_class(defs: list[Definition], method: Definition) -> str | None:
    holders = [d for d in defs if d.kind == "class" and d.start_line < method.start_line
               and d.end_line >= method.end_line]
    return max(holders, key=lambda d: d.start_line).name if holders else None
