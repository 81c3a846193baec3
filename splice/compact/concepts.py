"""Concepts a query names in prose that code spells differently.

A changelog says "type hints", "regular expressions", "slow parsing" or "race condition";
the code it changed says `-> "Markup"`, `re.compile(`, `while True:` or
`os.path.exists(`. Each concept here is a trigger on the query and a pattern for the code
lines that embody it; when the query triggers it, the matching lines act as one more
query term (weighted by how rare they are in the file, like any term). Patterns run once
over the whole text in C (re.finditer), so an untriggered concept costs nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from splice.compact.terms import COMMON_SHARE


@dataclass(frozen=True)
class Concept:
    name: str
    trigger: re.Pattern[str]   # searched in the query
    code: re.Pattern[str]      # searched in the text; its matching lines are the hits


def _concept(name: str, trigger: str, code: str) -> Concept:
    return Concept(name, re.compile(trigger, re.I), re.compile(code, re.M))


CONCEPTS: tuple[Concept, ...] = (
    _concept("typing",
             r"\btype[ -]?hints?\b|\btyping\b|\bannotat|\breturn types?\b|\bstatic typ|\bmypy\b"
             r"|\bpyright\b|\btype[ -]check",
             r"\)\s*->|\bTYPE_CHECKING\b|#\s*type:\s*ignore|@(?:t\.|typing\.)?overload\b"
             r"|\bTypeVar\(|\bt\.cast\("),
    _concept("regex",
             r"\bregular expressions?\b|\bregex|\bregexp|\bReDoS\b",
             r"\bre\.(?:compile|match|search|sub|subn|split|findall|finditer|fullmatch)\("
             r"|^import re\b|\bRegExp\b|\bregexp?\b"),
    _concept("slow",
             r"\bslow|\bperformance\b|\bDoS\b|\bdenial of service\b|\bexceptionally long\b"
             r"|\bquadratic\b|\bhangs?\b|\bexponential|\btakes? (?:a )?long",
             r"^\s*(?:for|while)\b.*:\s*(?:#.*)?$|^\s*(?:for|while)\s*\("),
    _concept("python-version",
             r"\bPython\s*(?:version\s*)?[23]\.\d+|\bpython versions?\b",
             r"\bsys\.version_info\b|\bPY3\d*\b|\bPY_?VERSION\b"),
    _concept("deprecation",
             r"\bdeprecat",
             r"\bwarnings\.warn\(|\bDeprecationWarning\b|^def __getattr__\("),
    _concept("concurrency",
             r"\brace\b|\bthread|\bconcurren|\bsynchroni[sz]|\batomic|\block(?:ing|s)?\b",
             r"\bLock\(|\bthreading\b|\bwith\s+[\w.]*lock\b|\bos\.path\.exists\(|\bos\.replace\("
             r"|\bos\.rename\(|\bmultiprocessing\b"),
    _concept("memory",
             r"\bmemory leak|\bleaks?\b|\bgarbage|\bGC'?d?\b|\bweakref",
             r"\b(?:lru_)?cache\b|\bweakref\b|\b__del__\b|\bgc\."),
    _concept("operators",
             r"\boperators?\b",
             r"\bdef __(?:[ir]?(?:add|sub|mul|or|and|xor|truediv|floordiv|mod|pow|lshift|rshift"
             r"|matmul)|eq|ne|lt|le|gt|ge|contains|getitem|setitem|delitem)__\("),
)


def triggered(query: str) -> list[Concept]:
    return [c for c in CONCEPTS if c.trigger.search(query)]


def concept_hits(text: str, starts: list[int], concepts: list[Concept]) -> list[set[int]]:
    """Per triggered concept, the 0-based lines its code pattern matches (dropped, like a
    common term, when it is on more than COMMON_SHARE of the lines)."""
    limit = max(int(len(starts) * COMMON_SHARE), 20)
    out = []
    for concept in concepts:
        lines = {bisect_right(starts, m.start()) - 1 for m in concept.code.finditer(text)}
        if lines and len(lines) <= limit:
            out.append(lines)
    return out
