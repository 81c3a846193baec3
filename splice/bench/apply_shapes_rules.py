"""The rules that decide each shape's right outcome, stated before splice is run.

- anchored (the lazy format's own semantics): the independent enumerator
  (apply_ambiguity) lists every reading of the snippet, markers written canonically. One
  distinct file: that file. Several: the nearest reading (fewest changed lines: original
  lines dropped plus segment lines inserted, the lines a segment keeps matched in order;
  any other reading drops or repeats lines the text never shows; among readings as near,
  the one whose changed lines rewrite more lines they drop, >= SIMILAR: `return a - b` ->
  `return a + b` replaces) when it is one file; two nearest files: must refuse, unless the
  writer's seen lines settle it (every segment edge not pinned to the file's top or end
  occurs exactly once inside them). The intended file not the (nearest) reading: no case;
  not a reading once every unchanged line counts (rule 3): the plain readings decide.
- structure: a segment that is one whole definition (in its new version) replaces the one
  definition of the original with the same qualified name (unique in both versions).
- similarity: a changed line replaces the original line it resembles (>= SIMILAR) and
  leaves alone a neighbour that resembles none of the new lines (< DISSIMILAR); anything in
  between makes no case.
"""

from __future__ import annotations

from splice.bench.apply_ambiguity import Ambiguity, enumerate_readings
from splice.bench.apply_shapes_model import DISSIMILAR, SIMILAR, FilePlan, inside, ratio

Verdict = tuple[list[str] | None, list[str] | None]  # (with evidence, blind); None: refuse


def _verdict(amb: Ambiguity, gold: list[str]) -> list[str] | None | bool:
    """gold when the readings settle on it, None when they leave it open, False when they
    settle on another file (no case)."""
    if not amb.gold_is_reading:
        return None
    if amb.distinct == 1:
        return gold
    if amb.nearest_distinct == 1:
        return gold if amb.gold_is_nearest else False
    return None


def anchored(plan: FilePlan, snippet: list[str], gold: list[str],
             seen: list[tuple[int, int]] | None) -> Verdict | None:
    """The verdict for a lazy snippet (canonical markers) under the format's semantics,
    read with every unchanged line (the issue's rule 3: all lines of a segment that match
    the original are evidence of where it goes): a distinctive line the file holds once
    and a segment shows is that line, so the segment's region covers it.
    With evidence, only the readings whose anchored edges lie inside the seen lines (the
    named definitions, or the lines around a change) count: rule 4 of the issue, "keep
    readings inside the named symbol and the seen lines; still more than one -> refuse".
    Where rule 3 rules out the intended file itself (the real change keeps a line the file
    holds once and adds a copy of it), rule 3 is no evidence for this snippet: the plain
    format's readings decide, so the case is judged rather than dropped (dropping only
    such cases would bias the corpus)."""
    reading, verdict = _judged(plan, snippet, gold, seen, cover_shown=True)
    if not reading:
        _, verdict = _judged(plan, snippet, gold, seen, cover_shown=False)
    return verdict


def _judged(plan: FilePlan, snippet: list[str], gold: list[str],
            seen: list[tuple[int, int]] | None, *, cover_shown: bool,
            ) -> tuple[bool, Verdict | None]:
    """Whether the intended file is a reading at all, and the verdict (None: no case)."""
    amb = enumerate_readings(plan.old, snippet, plan.file.path, gold, cover_shown=cover_shown)
    if not amb.gold_is_reading:
        return False, None
    blind = _verdict(amb, gold)
    # settled on another file only by the rewrite tie-break: the seen lines narrow the
    # readings first (rule 4), the tie-break ranks what they leave
    by_tie_break = blind is False and amb.by_rewrites
    if blind is False and not (by_tie_break and seen):
        return True, None
    if isinstance(blind, list):
        return True, (gold, gold)
    if not seen:
        return True, (None, None)
    narrowed = _verdict(enumerate_readings(plan.old, snippet, plan.file.path, gold,
                                           cover_shown=cover_shown, within=seen), gold)
    if by_tie_break and not isinstance(narrowed, list):
        return True, None
    return True, ((narrowed if isinstance(narrowed, list) else None), None)


def anchor_count(plan: FilePlan, block: list[str], start: int,
                 seen: list[tuple[int, int]] | None,
                 named: list[str] | None = None) -> tuple[int, int] | None:
    """How many places hold `block` in the whole file and inside the seen lines (the
    intended place `start` must be one of them); None when the block anchors nothing, or
    when the seen lines hold exactly one place and it is not the intended one (the
    evidence names another place: the snippet is no case).
    With `named` (the qualified names the instruction gives) and no one place inside the
    seen lines: the places inside the most definitions the instruction names count (the
    issue's rule 4: "keep those inside the named symbol and the seen lines"), when the
    intended place is one of them."""
    if not any(line.strip() for line in block):
        return None
    n = len(block)
    places = [i for i in range(len(plan.old) - n + 1)
              if plan.old[i] == block[0] and plan.old[i:i + n] == block]
    if start not in places:
        return None
    # the block's blank edge lines say nothing: inside the seen lines means its code is
    lo = next(k for k, line in enumerate(block) if line.strip())
    hi = max(k for k, line in enumerate(block) if line.strip()) + 1
    shown = sum(1 for p in places if inside(seen, p + lo, p + hi))
    if shown == 1 and not inside(seen, start + lo, start + hi):
        return None
    if shown != 1 and named and len(places) > 1:
        scores = {p: _named_around(plan, named, p + lo, p + hi) for p in places}
        top = max(scores.values())
        if top and scores[start] == top:
            return len(places), sum(1 for s in scores.values() if s == top)
    return len(places), shown


def _named_around(plan: FilePlan, named: list[str], start: int, end: int) -> int:
    """How many definitions holding lines [start, end) the instruction names (`B.get`
    names B and its get)."""
    words = {part for qual in named for part in qual.split(".")}
    return sum(1 for d in plan.old_defs
               if d.start <= start and end <= d.end and d.qual.split(".")[-1] in words)


EDGE_REACH = 6  # lines beyond the replaced ones where a copy of the open edge line counts


def edge_is_file_line(plan: FilePlan, edge: str, beyond: range) -> bool:
    """Whether a one-sided segment's open edge line (a changed line) is also a line of
    the file just beyond the lines it replaces: the format reads such a line as the
    file's (the segment deletes up to it), the similarity reading as a new one; the text
    does not say which the writer meant, so there is no case."""
    key = edge.strip()
    return bool(key) and any(plan.old[i].strip() == key for k, i in enumerate(beyond)
                             if k < EDGE_REACH)


def by_anchor(gold: list[str], counts: tuple[int, int] | None) -> Verdict | None:
    """A block that anchors once is the intended place; several, refuse unless only one
    lies inside the seen lines."""
    if counts is None:
        return None
    total, seen_count = counts
    if total == 1:
        return gold, gold
    return (gold if seen_count == 1 else None), None


def says_what_it_replaces(replaced: list[str], new: list[str], neighbour: str | None) -> bool | None:
    """True: every replaced line resembles a new line and the untouched neighbour resembles
    none; False: clearly not; None: in between (no case)."""
    if not new:
        return None
    for line in replaced:
        if line.strip() and max(ratio(line, x) for x in new) < SIMILAR:
            return False
    if neighbour is None or not neighbour.strip():
        return True
    best = max(ratio(neighbour, x) for x in new)
    if best < DISSIMILAR:
        return True
    return None


NEIGHBOUR_GAP = 4  # blank lines looked past for the neighbour a one-sided segment keeps


def kept_neighbour(old: list[str], outward: range) -> str | None:
    """The original line a one-sided segment must leave alone: the first non-blank line
    beyond the replaced lines (a blank line says nothing about what the new lines
    mention), or None past the file's edge or NEIGHBOUR_GAP blank lines."""
    for k, i in enumerate(outward):
        if k > NEIGHBOUR_GAP:
            return None
        if old[i].strip():
            return old[i]
    return None


def blank_edges_clear(replaced: list[str], new: list[str], anchor_edge: str,
                      *, at_end: bool) -> bool:
    """Whether the text says which blank lines stay where a one-sided segment's changed
    lines meet its context and its open side: not when the context line next to the
    changed lines is blank (the file's blank line, or one the new lines bring?), nor when
    the replaced or new lines are blank at the open side (which blank lines go is not
    said)."""
    if not anchor_edge.strip():
        return False
    def open_edge(lines: list[str]) -> str | None:
        return (lines[-1] if at_end else lines[0]) if lines else None
    return all(x is None or x.strip() for x in (open_edge(replaced), open_edge(new)))
