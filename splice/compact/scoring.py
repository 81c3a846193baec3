"""How much each line of code (or prose) matters for a query.

Changes live in definitions, so relevance is decided per unit first: the body of the
innermost function or class a line sits in, or, at top level, its blank-line paragraph.
A unit scores for the distinct query terms it holds (rare terms weigh far more than
common ones, repeats add little) over a mild power of its length; a unit whose signature
names a term counts extra. Small classes are one unit with their methods. Definitions the
most relevant units call (two hops) and module constants they use share in their
relevance, since a change described at an entry point often lands in a helper. Comment
and docstring lines take half their unit's relevance, so code comes before prose about it.
Concepts the query names in prose (concepts.py) count as terms over the lines that embody
them. Import lines rank after the relevant code and before the rest (a change that starts
using a module lands there), and a blank line ranks just below its better neighbour.
Each line then adds a smaller share for its own hits and its neighbours', and a faint pull
toward hits orders the lines that match nothing, so a budget left over grows kept regions
outward instead of scattering.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import compress, filterfalse
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from splice.compact.concepts import Concept, concept_hits
from splice.compact.structure import Scope
from splice.compact.terms import QueryTerms, term_hits

if TYPE_CHECKING:
    from splice.compact.reach import Reach

NEAR = 3            # lines either side that share a hit's score
NEAR_DECAY = 0.3    # round 3 (dev sets): 0.5 -> 0.3, hits' neighbours share less
LINE_WEIGHT = 0.1   # a line's own hits, next to its unit's relevance (round 3: 0.3 -> 0.1)
PULL = 40           # lines either side that feel the faint pull
PULL_WEIGHT = 0.01
HEADER_BASE = 0.005
PARENT_SHARE = 0.1
LENGTH_POWER = 0.5
SIGNATURE_BONUS = 1.0
UNIT_MAX_LINES = 40  # round 3: 80 -> 40, only small classes read as one unit
DOC_SHARE = 0.5     # comment and docstring lines take this share of their unit's relevance
CALL_SHARE = 0.5    # a definition used by a relevant unit shares in its relevance
CALLERS_FOLLOWED = 5
HOPS = 2
_NAME = re.compile(
    r"\b(?:def|class|function|fn|func|interface|struct|enum|trait|type)\s+(?:\([^)]*\)\s*)?"
    r"([A-Za-z_$][\w$]*)|([A-Za-z_$][\w$]*)\s*(?:=\s*(?:async\s*)?\(|\()")
_RAMP = [PULL_WEIGHT * (1.0 - d / (PULL + 1)) for d in range(PULL + 1)]
_WORD = re.compile(r"[A-Za-z_$][\w$]*")
_IMPORT = re.compile(r"(?:import|from|use|using|#include|package)\s|(?:const|let|var)\s+\w+\s*=\s*require\(")
_IMPORTED = re.compile(r"\bimport\s+(.+)|\bas\s+(\w+)")
CONCEPT_WEIGHT = 0.25  # a concept's lines, as a term: less sure than a word the query names
BLANK_SHARE = 0.9     # a blank line, next to its better neighbour
IMPORT_SHARE = 0.6  # the import block, as a share of the most relevant unit's relevance (round 3: 0.3 -> 0.6)
_ASSIGNED = re.compile(r"(?:(?:export\s+)?(?:const|let|var|static)\s+)?([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=[^=]")


def term_weight(lines_with_term: int, n_lines: int) -> float:
    """Squared log-idf: a term on half the lines is worth almost nothing."""
    return math.log(1.0 + n_lines / lines_with_term) ** 2


def line_hits(text: str, starts: list[int], terms: QueryTerms,
              concepts: list[Concept] | None = None,
              ) -> tuple[list[float], list[tuple[set[int], float]]]:
    """Per line, the weight of the query terms on it; and per term found, its lines and
    weight. Concepts the query names in prose count as terms over the lines that embody
    them."""
    n = len(starts)
    hit = [0.0] * n
    found = []
    hits = [(lines, 1.0) for _term, lines in term_hits(text, starts, terms)]
    if concepts:
        hits += [(lines, CONCEPT_WEIGHT) for lines in concept_hits(text, starts, concepts)]
    for lines, factor in hits:
        weight = term_weight(len(lines), n) * factor
        found.append((lines, weight))
        for line in lines:
            hit[line] += weight
    return hit, found


def unit_scopes(scopes: list[Scope]) -> list[int]:
    """Per scope, the scope whose unit it belongs to: the outermost enclosing definition
    still at most UNIT_MAX_LINES long (a small class reads with its methods), else itself."""
    out: list[int] = []
    for s, scope in enumerate(scopes):
        p = scope.parent
        if p >= 0 and scopes[p].end - scopes[p].start < UNIT_MAX_LINES:
            out.append(out[p])
        else:
            out.append(s)
    return out


def units_of(inner: list[int], lines: list[str], scopes: list[Scope],
             statements: list[tuple[int, int]] | None = None) -> list[int]:
    """Unit per line: its definition's unit, or at top level its blank-line paragraph
    (a multi-line statement is never split)."""
    owner = unit_scopes(scopes)
    owner.append(-1)  # so that owner[-1], a top-level line's, is -1
    unit = list(map(owner.__getitem__, inner))
    inside = [False] * len(lines)
    for first, last in statements or ():
        if last > first:
            inside[first + 1:last + 1] = [True] * (last - first)
    para = len(scopes)
    prev_blank = False
    after = -1  # the top-level line before; a gap means definition lines came between
    for i in compress(range(len(inner)), map((-1).__eq__, inner)):
        if i != after + 1:
            prev_blank = True
        after = i
        if inside[i]:
            unit[i] = para
            continue
        blank = not lines[i].strip()
        if blank and not prev_blank:
            para += 1
        unit[i] = para
        prev_blank = blank
    return unit


def code_scores(hit: list[float], found: list[tuple[set[int], float]], scopes: list[Scope],
                inner: list[int], lines: list[str],
                statements: list[tuple[int, int]] | None = None,
                docs: npt.NDArray[np.bool_] | list[bool] | None = None,
                reach: Reach | None = None) -> list[float]:
    """The score of every line (and, given `reach`, the units and their direct relevance,
    for the auto plan). The per-line sums run as whole-array numpy operations
    that add the same terms in the same order as a loop over the lines would (a term a
    line does not get is +0.0, which changes nothing), so the scores are exact."""
    n = len(hit)
    heads = [scope.start for scope in scopes]
    if not found:
        plain = [0.0] * n
        for i in heads:
            plain[i] = HEADER_BASE
        return plain
    hot = sorted({i for line_set, _ in found for i in line_set})
    score = _pull(hot, n)
    if heads:  # a signature's own small base, unless the pull is stronger
        score[heads] = np.maximum(score[heads], HEADER_BASE)
    # a hit line's own share, and its neighbours' (nearest hit first, left to right)
    own = np.asarray(hit) * LINE_WEIGHT
    for d in range(NEAR, 0, -1):
        if d < n:
            score[d:] += own[:-d] * NEAR_DECAY ** d
    score += own
    for d in range(1, NEAR + 1):
        if d < n:
            score[:-d] += own[d:] * NEAR_DECAY ** d
    unit = units_of(inner, lines, scopes, statements)
    relevance = _unit_relevance(found, unit, scopes)
    if reach is not None:
        reach.unit, reach.direct = unit, dict(relevance)
        reach.statements = list(statements or ())
    _follow_references(relevance, unit, scopes, lines, statements)
    if not relevance:
        return score.tolist()  # type: ignore[no-any-return]
    # per unit, its relevance plus (for a method) a little of its relevant class's
    boost = [0.0] * max(len(scopes), max(unit) + 1)
    for u, r in relevance.items():
        boost[u] += r
    for s, scope in enumerate(scopes):
        if scope.parent >= 0 and scope.parent in relevance:
            boost[s] += PARENT_SHARE * relevance[scope.parent]
    imports = import_lines(lines, statements)
    if imports and IMPORT_SHARE > 0:
        # imports are where a change that starts using a module lands, and cheap context:
        # they rank after the relevant code, before everything unrelated
        # (np.add.at: two statements on one line add twice, as a loop would)
        np.add.at(score, imports, IMPORT_SHARE * max(relevance.values()))
    unit_boost = np.asarray(boost)[np.asarray(unit)]
    doc_lines = None if docs is None else np.asarray(docs, dtype=bool)
    if doc_lines is not None and doc_lines.any():
        # within a relevant unit, its code comes before the prose about it
        unit_boost *= np.where(doc_lines, DOC_SHARE, 1.0)
    score += unit_boost
    return _blank_edges(score, lines).tolist()  # type: ignore[no-any-return]


def _blank_edges(score: npt.NDArray[np.float64], lines: list[str]) -> npt.NDArray[np.float64]:
    """A blank line ranks just below the better of its neighbours: it costs about a
    token, closes a kept block cleanly, and is where code gets inserted."""
    n = len(lines)
    if n < 2:
        return score
    best = np.zeros(n)
    best[1:] = score[:-1]
    np.maximum(best[:-1], score[1:], out=best[:-1])
    best *= BLANK_SHARE
    blank = np.fromiter(map(str.isspace, lines), dtype=bool, count=n)
    return np.where(blank & (best > score), best, score)


def import_lines(lines: list[str], statements: list[tuple[int, int]] | None) -> list[int]:
    """Lines of the top-level import statements (the first 200 lines' worth of them)."""
    out: list[int] = []
    for first, last in statements or ():
        if first > 400:
            break
        if _IMPORT.match(lines[first]):
            out.extend(range(first, last + 1))
    return out


def _unit_relevance(found: list[tuple[set[int], float]], unit: list[int],
                    scopes: list[Scope]) -> dict[int, float]:
    size = Counter(unit)
    header_of: dict[int, int] = {}
    for s, scope in enumerate(scopes):
        for i in range(scope.start, scope.header_end + 1):
            header_of.setdefault(i, s)
    mass: dict[int, float] = {}
    for line_set, weight in found:
        per_unit: dict[int, int] = {}  # a Counter, without its per-call overhead
        for i in line_set:
            u = unit[i]
            per_unit[u] = per_unit.get(u, 0) + 1
        for u, count in per_unit.items():
            mass[u] = mass.get(u, 0.0) + weight * (1.0 + math.log(count))
        named = {header_of[i] for i in line_set if i in header_of}
        for s in named:  # the definition's own signature names the term
            u = unit[scopes[s].start]
            mass[u] = mass.get(u, 0.0) + SIGNATURE_BONUS * weight
    return {u: m / size[u] ** LENGTH_POWER for u, m in mass.items()}


_RAMP_BEYOND = np.asarray([*_RAMP, 0.0])  # indexed by distance, capped at PULL + 1


def _pull(hot: list[int], n: int) -> npt.NDArray[np.float64]:
    """Per line, the faint pull of the nearest hit: the ramp at its distance, nothing
    past PULL lines."""
    at = np.asarray(hot, dtype=np.int64)
    far = n + PULL + 2
    before = np.full(n, -far, dtype=np.int64)  # the nearest hit at or above each line
    before[at] = at
    np.maximum.accumulate(before, out=before)
    after = np.full(n, 2 * far, dtype=np.int64)  # and at or below it
    after[at] = at
    after = np.minimum.accumulate(after[::-1])[::-1]
    lines = np.arange(n)
    distance = np.minimum(lines - before, after - lines)
    return _RAMP_BEYOND[np.minimum(distance, PULL + 1)]  # type: ignore[no-any-return]


def scope_name(scope: Scope, lines: list[str]) -> str | None:
    header = lines[scope.start:scope.header_end + 1]
    for line in header:
        stripped = line.strip()
        if stripped.startswith("@"):
            continue
        m = _NAME.search(stripped)
        if m:
            return m.group(1) or m.group(2)
    return None


def _follow_references(relevance: dict[int, float], unit: list[int], scopes: list[Scope],
                       lines: list[str], statements: list[tuple[int, int]] | None) -> None:
    """Definitions the most relevant units call share in their relevance: a change
    described at an entry point often lands in a helper it calls."""
    if not scopes or not relevance:
        return
    owner = unit_scopes(scopes)
    by_name: dict[str, list[int]] = {}
    for s, scope in enumerate(scopes):
        name = scope_name(scope, lines)
        if name and len(name) > 2:
            by_name.setdefault(name, []).append(owner[s])
    for first, _ in statements or ():  # module constants: NAME = ... / const NAME = ...
        if unit[first] >= len(scopes) and "=" in lines[first]:  # no "=", no assignment
            m = _ASSIGNED.match(lines[first])
            if m:
                by_name.setdefault(m.group(1), []).append(unit[first])
    frontier = {u: relevance[u] for u in
                sorted(relevance, key=relevance.__getitem__, reverse=True)[:CALLERS_FOLLOWED]}
    seen = set(frontier)
    for _ in range(HOPS):
        shares: dict[int, float] = {}
        for u, rel in frontier.items():
            if u >= len(scopes):
                continue
            scope = scopes[u]
            share = CALL_SHARE * rel
            enclosing = _ancestors(u, scopes)  # naming one's own class is no call
            words = words_in("".join(lines[scope.start:scope.end + 1]))
            for name in sorted(by_name.keys() & words):
                for target in by_name[name]:
                    if target != u and target not in enclosing and share > shares.get(target, 0.0):
                        shares[target] = share
        for target, share in shares.items():
            relevance[target] = relevance.get(target, 0.0) + share
        # the next hop follows the callees this one reached, best first
        fresh = sorted((t for t in shares if t not in seen), key=shares.__getitem__,
                       reverse=True)[:CALLERS_FOLLOWED]
        frontier = {t: shares[t] for t in fresh}
        seen.update(fresh)


_DIGITS = "0123456789"
# every ASCII character that cannot be part of a word becomes a space (as bytes: UTF-8
# keeps every byte of a non-ASCII character >= 0x80, so those pass through unchanged)
_NON_WORD = bytes(32 if c < 128 and not (chr(c).isalnum() or chr(c) in "_$") else c
                  for c in range(256))


def words_in(text: str) -> set[str]:
    """The set of `_WORD.findall(text)`. In ASCII text a word is a run of [A-Za-z0-9_$]
    without its leading digits (findall cannot start a word on a digit, and once started
    takes the rest of the run); splitting after one translate is three times faster.
    No word spans an ASCII character outside [A-Za-z0-9_$], so a run holding other
    characters is handed to the regex on its own. The translate runs on the UTF-8 bytes:
    `str.translate` leaves its fast path on the first non-ASCII character (~30x slower)."""
    runs = set(text.encode("utf-8", "surrogatepass").translate(_NON_WORD)
               .decode("utf-8", "surrogatepass").split())
    words: list[str] = []
    if not text.isascii():
        wide = list(filterfalse(str.isascii, runs))
        runs.difference_update(wide)
        for run in wide:
            words += _WORD.findall(run)
    # only runs that are no identifier (a digit first, or a `$`) can need stripping
    digit_led = [run for run in filterfalse(str.isidentifier, runs) if run[0] in _DIGITS]
    if digit_led:
        runs.difference_update(digit_led)
        runs.update(stripped for run in digit_led if (stripped := run.lstrip(_DIGITS)))
    runs.update(words)
    return runs


def _ancestors(s: int, scopes: list[Scope]) -> set[int]:
    out = set()
    p = scopes[s].parent
    while p >= 0:
        out.add(p)
        p = scopes[p].parent
    return out
