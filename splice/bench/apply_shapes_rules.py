"""The rules that decide each shape's right outcome, stated before splice is run.

- anchored (the lazy format's own semantics): the independent enumerator
  (apply_ambiguity) lists every reading of the snippet, markers written canonically. One
  distinct file: that file. Several: the nearest reading (fewest changed lines: original
  lines dropped plus segment lines inserted; any other reading drops or repeats lines the
  text never shows) when it is one file; two nearest files: must refuse, unless the
  writer's seen lines settle it (every segment edge not pinned to the file's top or end
  occurs exactly once inside them). The intended file not the (nearest) reading: no case.
- structure: a segment that is one whole definition (in its new version) replaces the one
  definition of the original with the same qualified name (unique in both versions).
- similarity: a changed line replaces the original line it resembles (>= SIMILAR) and
  leaves alone a neighbour that resembles none of the new lines (< DISSIMILAR); anything in
  between makes no case.
"""

from __future__ import annotations

from splice.bench.apply_ambiguity import enumerate_readings, split_snippet
from splice.bench.apply_shapes_model import DISSIMILAR, SIMILAR, FilePlan, inside, ratio

Verdict = tuple[list[str] | None, list[str] | None]  # (with evidence, blind); None: refuse


def settled_by_seen(plan: FilePlan, snippet: list[str],
                    seen: list[tuple[int, int]] | None) -> bool:
    """Every unpinned segment edge occurs exactly once inside the seen lines."""
    segments = split_snippet(snippet, plan.file.path)
    if not segments or not seen:
        return False
    shown = [i for a, b in seen for i in range(a - 1, min(b, len(plan.old)))]
    for seg in segments:
        solid = [line for line in seg.lines if line.strip()]
        if not solid:
            continue
        edges = ([] if seg.pinned_start else [seg.lines[0]]) + \
            ([] if seg.pinned_end else [seg.lines[-1]])
        for edge in edges:
            if sum(1 for i in shown if plan.old[i] == edge) != 1:
                return False
    return True


def anchored(plan: FilePlan, snippet: list[str], gold: list[str],
             seen: list[tuple[int, int]] | None) -> Verdict | None:
    """The verdict for a lazy snippet (canonical markers) under the format's semantics."""
    amb = enumerate_readings(plan.old, snippet, plan.file.path, gold)
    if not amb.gold_is_reading:
        return None
    if amb.distinct == 1:
        return gold, gold
    if amb.nearest_distinct == 1:
        return (gold, gold) if amb.gold_is_nearest else None
    return (gold if settled_by_seen(plan, snippet, seen) else None), None


def anchor_count(plan: FilePlan, block: list[str], start: int,
                 seen: list[tuple[int, int]] | None) -> tuple[int, int] | None:
    """How many places hold `block` in the whole file and inside the seen lines (the
    intended place `start` must be one of them); None when the block anchors nothing."""
    if not any(line.strip() for line in block):
        return None
    n = len(block)
    places = [i for i in range(len(plan.old) - n + 1)
              if plan.old[i] == block[0] and plan.old[i:i + n] == block]
    if start not in places:
        return None
    return len(places), sum(1 for p in places if inside(seen, p, p + n))


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
