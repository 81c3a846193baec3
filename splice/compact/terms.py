"""Query terms and where they occur: identifiers split the way code is searched.

`parseConfigFile`, `parse_config_file` and `config.parse` all yield the subwords
parse / config / file. Matching runs on the lowered text with str.find (fast C search)
and checks subword boundaries only at the few places that match, so no per-line Python
work is spent on lines without a hit.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_SEPARATORS = re.compile(r"[._]+")
_CAMEL = re.compile(r"[a-z][A-Z]")
_SUBWORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")

# English glue and changelog verbs: frequent in queries, meaningless in code.
STOPWORDS = frozenset("""
a an the and or but nor of to in on at by for with without from into onto via as is are was
were be been being it its this that these those there their they them then than so such
can could should would will may might must shall do does did done has have had having not
no yes also only just very more most some any all each when where which who whom whose what
how why if else while now previously correctly properly fix fixed fixes fixing bug bugs issue
issues pr gh https http www com org github changelog release released version thanks
we our you your i me my instead anymore already still even etc eg ie e g
self this none null nil true false return def function import pass elif lambda var let const
""".split())
COMMON_SHARE = 0.25  # a term on more lines than this share tells nothing: dropped


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def split_identifier(word: str) -> list[str]:
    """Lowercase subwords of an identifier: CamelCase, snake_case and dotted names."""
    parts: list[str] = []
    for piece in _SEPARATORS.split(word):
        parts.extend(m.group(0).lower() for m in _SUBWORD.finditer(piece))
    return parts


@dataclass(frozen=True)
class Term:
    text: str          # lowered subword, or an exact identifier (case kept)
    exact: bool        # exact identifier match (case-sensitive) instead of a subword
    stem: bool         # allow a short suffix (parse -> parses, parser, parsing)


@dataclass
class QueryTerms:
    terms: list[Term] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.terms)


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "er", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def query_terms(query: str) -> QueryTerms:
    """Subword terms (stemmed, stopwords dropped) and exact compound identifiers."""
    return QueryTerms(list(_query_terms(query)))


@lru_cache(maxsize=128)
def _query_terms(query: str) -> tuple[Term, ...]:
    """One step's query is used for every text the step compacts: analysed once."""
    seen: set[tuple[str, bool]] = set()
    out: list[Term] = []

    def add_sub(sub: str) -> None:
        if len(sub) < 2 or sub.isdigit() or sub in STOPWORDS:
            return
        stem = _stem(sub) if len(sub) >= 5 else sub
        if (stem, False) not in seen:
            seen.add((stem, False))
            out.append(Term(stem, exact=False, stem=len(sub) >= 5))

    for word in dict.fromkeys(m.group(0).strip("._") for m in _IDENT.finditer(query)):
        if word.isalpha() and word[1:].islower():  # a plain word: the common case
            add_sub(word.lower())
            continue
        for piece in (p for p in word.split(".") if p):
            compound = "_" in piece.strip("_") or bool(_CAMEL.search(piece))
            if compound and len(piece) >= 4 and (piece, True) not in seen:
                seen.add((piece, True))
                out.append(Term(piece, exact=True, stem=False))
            for sub in split_identifier(piece):
                add_sub(sub)
    return tuple(out)


def _left_ok(text: str, p: int) -> bool:
    if p == 0 or not text[p - 1].isalpha():
        return True
    # a CamelCase boundary: fooBar, HTMLParser
    return text[p].isupper() and (text[p - 1].islower()
                                  or (p + 1 < len(text) and text[p + 1].islower()))


def find_term_lines(text: str, lowered: str, starts: list[int], term: Term,
                    limit: int | None = None) -> set[int] | None:
    """0-based indices of the lines (by their start offsets) where `term` occurs;
    None as soon as it is on more than `limit` lines."""
    hay = text if term.exact else lowered
    needle = term.text
    size = len(needle)
    max_suffix = 4 if term.stem else 0
    exact = term.exact
    n = len(text)
    n_lines = len(starts)
    cap = n_lines if limit is None else limit
    # after a hit the search jumps to the next line, so every hit is on a new line
    found: list[int] = []
    pos = hay.find(needle)
    while pos != -1:
        end = pos + size
        if exact:
            ok = (pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] == "_")) and (
                end >= n or not (text[end].isalnum() or text[end] == "_"))
        else:
            # the boundary checks, with their common cases (a non-letter on either
            # side) decided here
            ok = not pos or not text[pos - 1].isalpha() or _left_ok(text, pos)
            if ok and end < n and text[end].isalpha():
                # a letter follows: a stem may run on into up to max_suffix letters of
                # its own case, then it must end or meet a CamelCase boundary (inline:
                # a stem runs on into its suffix on most hits)
                e = end
                k = 0
                lower = text[e - 1].islower()
                while e < n and k < max_suffix and text[e].isalpha() and \
                        text[e].islower() == lower:
                    e += 1
                    k += 1
                ok = e >= n or not text[e].isalpha() or (
                    text[e].isupper() and text[e - 1].islower())
        if ok:
            line = bisect_right(starts, pos) - 1
            found.append(line)
            cap -= 1
            if cap < 0:  # on more than `limit` lines
                return None
            # one hit per line is enough: jump to the next line
            nxt = starts[line + 1] if line + 1 < n_lines else n
            pos = hay.find(needle, nxt if nxt > end else end)
        else:
            pos = hay.find(needle, pos + 1)
    return set(found)


def term_hits(text: str, starts: list[int], terms: QueryTerms) -> list[tuple[Term, set[int]]]:
    """Each term that occurs, with the lines it is on; terms on more than COMMON_SHARE of
    the lines are dropped (they tell nothing and cost the most to find)."""
    if not terms:
        return []
    lowered = text.lower()
    if len(lowered) != len(text):  # a few non-ASCII letters lower to two characters
        lowered = text.translate(_ASCII_LOWER)
    limit = max(int(len(starts) * COMMON_SHARE), 20)
    out = []
    for term in terms.terms:
        lines = find_term_lines(text, lowered, starts, term, limit)
        if lines:
            out.append((term, lines))
    return out
