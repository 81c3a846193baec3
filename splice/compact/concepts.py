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
from functools import lru_cache

from splice.compact.terms import COMMON_SHARE


@dataclass(frozen=True)
class Concept:
    name: str
    trigger: re.Pattern[str]          # searched in the query
    needles: tuple[str, ...]          # literal text of the code that embodies it, '|'-separated
    check: re.Pattern[str] | None     # a candidate line must also match this, if given


def _concept(name: str, trigger: str, needles: str, check: str | None = None) -> Concept:
    return Concept(name, re.compile(trigger, re.I), tuple(needles.split("|")),
                   re.compile(check) if check else None)


# Needles are found with str.find (fast C search); the few lines they land on are then
# checked with `check` and for a word boundary before a needle that starts a word.
CONCEPTS: tuple[Concept, ...] = (
    _concept("typing",
             r"\btype[ -]?hints?\b|\btyping\b|\bannotat|\breturn types?\b|\bstatic typ|\bmypy\b"
             r"|\bpyright\b|\btype[ -]check",
             ") ->|)->|TYPE_CHECKING|type: ignore|@overload|@t.overload|@typing.overload"
             "|TypeVar(|t.cast("),
    _concept("regex",
             r"\bregular expressions?\b|\bregex|\bregexp|\bReDoS\b",
             "re.compile(|re.match(|re.search(|re.sub(|re.subn(|re.split(|re.findall("
             "|re.finditer(|re.fullmatch(|import re|RegExp|regex",
             r"^import re\b|\bre\.\w+\(|RegExp|\bregexp?\b"),
    _concept("slow",
             r"\bslow|\bperformance\b|\bDoS\b|\bdenial of service\b|\bexceptionally long\b"
             r"|\bquadratic\b|\bhangs?\b|\bexponential|\btakes? (?:a )?long",
             "for|while",
             r"^[ \t]*(?:for|while)\b[^\n]*:[ \t]*(?:#[^\n]*)?$|^[ \t]*(?:for|while)[ \t]*\("),
    _concept("python-version",
             r"\bPython\s*(?:version\s*)?[23]\.\d+|\bpython versions?\b",
             "sys.version_info|PY3|PY_VERSION|PYVERSION"),
    _concept("deprecation",
             r"\bdeprecat",
             "warnings.warn(|DeprecationWarning|def __getattr__(",
             r"warnings\.warn\(|DeprecationWarning|^def __getattr__\("),
    _concept("concurrency",
             r"\brace\b|\bthread|\bconcurren|\bsynchroni[sz]|\batomic|\block(?:ing|s)?\b",
             "Lock(|threading|lock|os.path.exists(|os.replace(|os.rename(|multiprocessing",
             r"Lock\(|threading|with\s+[\w.]*lock\b|os\.(?:path\.exists|replace|rename)\("
             r"|multiprocessing"),
    _concept("memory",
             r"\bmemory leak|\bleaks?\b|\bgarbage|\bGC'?d?\b|\bweakref",
             "cache|weakref|__del__|gc.",
             r"\b(?:lru_)?cache\b|\bweakref\b|\b__del__\b|\bgc\."),
    _concept("operators",
             r"\boperators?\b",
             "def __",
             r"\bdef __(?:[ir]?(?:add|sub|mul|or|and|xor|truediv|floordiv|mod|pow|lshift|rshift"
             r"|matmul)|eq|ne|lt|le|gt|ge|contains|getitem|setitem|delitem)__\("),
)


def triggered(query: str) -> list[Concept]:
    return list(_triggered(query))


@lru_cache(maxsize=128)
def _triggered(query: str) -> tuple[Concept, ...]:
    """One step's query is used for every text the step compacts: searched once."""
    return tuple(c for c in CONCEPTS if c.trigger.search(query))


def _lines_of(text: str, starts: list[int], concept: Concept) -> set[int]:
    lines: set[int] = set()
    n = len(starts)
    for needle in concept.needles:
        needle = needle.replace("_", " ") if needle[0] in ")t@i" and "_" in needle and \
            not needle.startswith(("t.", "TYPE")) else needle.replace("def __", "def __")
        word = needle[0].isalnum()
        pos = text.find(needle)
        while pos != -1:
            if not (word and pos and (text[pos - 1].isalnum() or text[pos - 1] == "_")):
                line = bisect_right(starts, pos) - 1
                if line not in lines:
                    end = starts[line + 1] if line + 1 < n else len(text)
                    if concept.check is None or concept.check.search(text[starts[line]:end]):
                        lines.add(line)
                pos = text.find(needle, starts[line + 1] if line + 1 < n else len(text))
            else:
                pos = text.find(needle, pos + 1)
    return lines


def concept_hits(text: str, starts: list[int], concepts: list[Concept]) -> list[set[int]]:
    """Per triggered concept, the 0-based lines that embody it (dropped, like a common
    term, when it is on more than COMMON_SHARE of the lines)."""
    limit = max(int(len(starts) * COMMON_SHARE), 20)
    out = []
    for concept in concepts:
        lines = _lines_of(text, starts, concept)
        if lines and len(lines) <= limit:
            out.append(lines)
    return out
