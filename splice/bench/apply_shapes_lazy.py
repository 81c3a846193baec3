"""Lazy edits in the shapes models send: whole definitions, segments that start or end on a
changed line, forgotten, bare, reworded, foreign or misplaced markers, added and deleted
functions, one changed line alone, the new user's head-and-tail edit, cut-off output.

Each generator yields (shape, edit lines, Verdict, hunks it carries, rule name); the
verdict comes from apply_shapes_rules, decided on the text before splice runs.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from splice.bench.apply_cases import Hunk, group_hunks
from splice.bench.apply_shapes_model import Def, FilePlan, indent_of, ratio
from splice.bench.apply_shapes_rules import (
    Verdict,
    anchor_count,
    anchored,
    blank_edges_clear,
    by_anchor,
    edge_is_file_line,
    kept_neighbour,
    says_what_it_replaces,
)

Made = tuple[str, list[str], Verdict, list[Hunk], str]
MAX_CLASS_LINES = 150
ONE_LINE_PER_FILE = 2  # each costs a similarity pass over the whole file


@dataclass
class Unit:
    """A changed definition: its old and new ranges and the hunks inside it."""

    old: Def
    new: Def
    hunks: list[Hunk]


def def_units(plan: FilePlan, outer: bool = False) -> list[Unit]:
    """Changed definitions (innermost, or outermost with `outer`) whose new version is the
    old one with exactly the hunks inside it applied."""
    groups: dict[int, list[Hunk]] = {}
    defs = plan.old_defs
    for h in plan.hunks:
        holders = [k for k, d in enumerate(defs)
                   if (d.start <= h.i1 and h.i2 <= d.end if h.i1 < h.i2
                       else d.start < h.i1 < d.end)]
        if holders:
            pick = min(holders, key=lambda k: defs[k].start) if outer else \
                max(holders, key=lambda k: defs[k].start)
            groups.setdefault(pick, []).append(h)
    units = []
    for k, hunks in sorted(groups.items()):
        od = defs[k]
        if plan.unique_def(plan.old_defs, od.qual) is None:
            continue
        nd = plan.unique_def(plan.new_defs, od.qual)
        if nd is None:
            continue
        whole = plan.old[:od.start] + plan.new[nd.start:nd.end] + plan.old[od.end:]
        if whole == plan.apply(hunks) and whole != plan.old:
            units.append(Unit(od, nd, hunks))
    return units


def _wrap(plan: FilePlan, body: list[str], rng: random.Random, top: bool = True,
          bottom: bool = True) -> list[str]:
    indent = indent_of(next((x for x in body if x.strip()), ""))
    return ([plan.marker(indent, rng)] if top else []) + body + \
        ([plan.marker(indent, rng)] if bottom else [])


def whole_defs(plan: FilePlan, rng: random.Random) -> Iterator[Made]:
    units = def_units(plan)
    for u in units:
        gold = plan.apply(u.hunks)
        yield ("def-whole", _wrap(plan, plan.new[u.new.start:u.new.end], rng), (gold, gold),
               u.hunks, "structure")
    inner = {(u.old.start, u.old.end) for u in units}
    for u in def_units(plan, outer=True):
        if (u.old.kind == "class" and (u.old.start, u.old.end) not in inner
                and u.new.end - u.new.start <= MAX_CLASS_LINES):
            gold = plan.apply(u.hunks)
            yield ("def-class", _wrap(plan, plan.new[u.new.start:u.new.end], rng),
                   (gold, gold), u.hunks, "structure")
    disjoint = [u for u in units
                if not any(v is not u and v.old.start < u.old.end and u.old.start < v.old.end
                           for v in units)]
    if len(disjoint) >= 2:
        edit: list[str] = []
        for u in disjoint:
            edit += _wrap(plan, plan.new[u.new.start:u.new.end], rng, top=not edit)
        hunks = [h for u in disjoint for h in u.hunks]
        gold = plan.apply(hunks)
        yield "def-multi", edit, (gold, gold), hunks, "structure"


def new_user(plan: FilePlan, rng: random.Random) -> Iterator[Made]:
    """marker, the function's head, marker, its changed tail from 2 lines above the first
    change, no closing marker: the tail's far end must anchor once (or be the file's end)."""
    for u in def_units(plan):
        c, d = u.new.start, u.new.end
        h0 = min(u.hunks, key=lambda h: h.j1)
        first, last = h0.j1, max(h.j2 for h in u.hunks)
        t = first - 2
        if t <= c + 1 or plan.old[u.old.start] != plan.new[c]:
            continue
        if plan.old[h0.i1 - 2:h0.i1] != plan.new[t:first]:
            continue
        head = plan.new[c]
        trailing = plan.new[last:d]
        gold = plan.apply(u.hunks)
        edit = [plan.marker(indent_of(head), rng), head,
                plan.marker(indent_of(plan.new[t]), rng), *plan.new[t:d]]
        lead = anchor_count(plan, plan.new[t:first], h0.i1 - 2, None)
        if lead is None:
            continue
        if u.old.end == len(plan.old):
            verdict = by_anchor(gold, lead)
        else:
            tail = anchor_count(plan, trailing, u.old.end - len(trailing), None)
            if tail is None:
                continue
            verdict = (gold, gold) if tail[0] == 1 and lead[0] == 1 else (None, None)
        if verdict is not None:
            yield "new-user", edit, verdict, u.hunks, "forgotten-marker"


def boundaries(plan: FilePlan, rng: random.Random) -> Iterator[Made]:
    """A segment whose context is all on one side: it ends (or starts) on a changed line."""
    hs = plan.hunks
    for k, h in enumerate(hs):
        new = plan.new[h.j1:h.j2]
        replaced = plan.old[h.i1:h.i2]
        if not new:
            continue
        ctx = rng.choice((2, 3))
        gold = plan.apply([h])
        # what the instruction names (as FilePlan.evidence words it)
        named = [d.qual] if (d := plan.enclosing(max(h.i1 - (h.i1 == h.i2), 0))) else []
        prev_end = hs[k - 1].i2 if k else 0
        next_start = hs[k + 1].i1 if k + 1 < len(hs) else len(plan.old)
        if h.i1 - ctx >= prev_end and h.i1 - ctx >= 0:
            after = kept_neighbour(plan.old, range(h.i2, len(plan.old)))
            block = plan.old[h.i1 - ctx:h.i1]
            if says_what_it_replaces(replaced, new, after) and \
                    blank_edges_clear(replaced, new, block[-1], at_end=True) and \
                    not edge_is_file_line(plan, new[-1], range(h.i2, len(plan.old))):
                verdict = by_anchor(gold, anchor_count(plan, block, h.i1 - ctx, plan.seen([h]),
                                                       named))
                if verdict is not None:
                    yield ("boundary-end", _wrap(plan, block + new, rng), verdict, [h],
                           "similarity")
        if h.i2 + ctx <= next_start:
            before = kept_neighbour(plan.old, range(h.i1 - 1, -1, -1))
            block = plan.old[h.i2:h.i2 + ctx]
            if says_what_it_replaces(replaced, new, before) and \
                    blank_edges_clear(replaced, new, block[0], at_end=False) and \
                    not edge_is_file_line(plan, new[0], range(h.i1 - 1, -1, -1)):
                verdict = by_anchor(gold, anchor_count(plan, block, h.i2, plan.seen([h]),
                                                       named))
                if verdict is not None:
                    yield ("boundary-start", _wrap(plan, new + block, rng), verdict, [h],
                           "similarity")


def one_line(plan: FilePlan, rng: random.Random) -> Iterator[Made]:
    """One changed line between two markers, no context: it replaces the one original line
    it clearly resembles (several: refuse unless only one is in the seen lines)."""
    picked = [h for h in plan.hunks if h.i2 - h.i1 == 1 and h.j2 - h.j1 == 1
              and len(plan.new[h.j1].strip()) >= 8]
    for h in rng.sample(picked, min(len(picked), ONE_LINE_PER_FILE)):
        line = plan.new[h.j1]
        scores = [ratio(line, o) for o in plan.old]
        close = [i for i, s in enumerate(scores) if s >= 0.7]
        if h.i1 not in close or any(0.5 <= s < 0.7 for s in scores):
            continue
        gold = plan.apply([h])
        seen = plan.seen([h])
        in_seen = [i for i in close if any(a - 1 <= i < b for a, b in seen)]
        verdict: Verdict = (gold, gold) if len(close) == 1 else \
            ((gold if in_seen == [h.i1] else None), None)
        yield "one-line", _wrap(plan, [line], rng), verdict, [h], "similarity"


def between_defs(plan: FilePlan, rng: random.Random) -> Iterator[Made]:
    """A function added or deleted: the change (one hunk holding a whole definition that
    only one side has) with 3 unchanged lines above and 1 below; and the added function
    alone between markers, which says nothing of where it goes (must refuse)."""
    olds = {d.qual for d in plan.old_defs}
    news = {d.qual for d in plan.new_defs}
    for k, h in enumerate(plan.hunks):
        added = [d for d in plan.new_defs if h.j1 <= d.start and d.end <= h.j2
                 and d.qual not in olds]
        gone = [d for d in plan.old_defs if h.i1 <= d.start and d.end <= h.i2
                and d.qual not in news]
        if not added and not gone:
            continue
        prev_end = plan.hunks[k - 1].i2 if k else 0
        next_start = plan.hunks[k + 1].i1 if k + 1 < len(plan.hunks) else len(plan.old)
        if h.i1 - 3 < prev_end or h.i2 + 1 > next_start:
            continue
        gold = plan.apply([h])
        snippet = _wrap(plan, plan.old[h.i1 - 3:h.i1] + plan.new[h.j1:h.j2] +
                        plan.old[h.i2:h.i2 + 1], rng)
        verdict = anchored(plan, snippet, gold, plan.seen([h]))
        if verdict is not None:
            yield ("def-added" if added else "def-deleted", snippet, verdict, [h], "anchored")
        if added and not gone:
            body = plan.new[added[0].start:added[0].end]
            yield "def-added-bare", _wrap(plan, body, rng), (None, None), [h], "no-anchor"


def lazy_blocks(plan: FilePlan, ctx: int) -> list[tuple[int, int, int, int, list[Hunk]]]:
    blocks = group_hunks(plan.hunks, len(plan.old), [ctx] * len(plan.hunks))
    return [(b.a, b.b, b.c, b.d, list(b.hunks)) for b in blocks]


def forgotten_markers(plan: FilePlan, rng: random.Random) -> Iterator[Made]:
    """One block with 3 context lines and one of its two markers left out. The context on
    the side that kept its marker must anchor once; the other side's context anchors once
    (the writer forgot that marker: the intended file) or several times (must refuse,
    unless only one place lies in the seen lines)."""
    for a, b, c, d, hunks in lazy_blocks(plan, 3):
        gold = plan.apply(hunks)
        full = _wrap(plan, plan.new[c:d], rng)
        seen = plan.seen(hunks)
        lead = anchor_count(plan, plan.old[a:hunks[0].i1], a, seen)
        trail = anchor_count(plan, plan.old[hunks[-1].i2:b], hunks[-1].i2, seen)
        if lead is None or trail is None:
            continue
        if a > 0 and trail[0] == 1 and (verdict := by_anchor(gold, lead)) is not None:
            yield "forgot-open", full[1:], verdict, hunks, "forgotten-marker"
        if b < len(plan.old) and lead[0] == 1 and \
                (verdict := by_anchor(gold, trail)) is not None:
            yield "forgot-close", full[:-1], verdict, hunks, "forgotten-marker"


def truncated(plan: FilePlan, rng: random.Random) -> Iterator[Made]:
    """A whole-file lazy edit cut off inside its last segment's new lines, mid-line."""
    blocks = lazy_blocks(plan, 3)
    if not blocks:
        return
    out: list[str] = []
    prev = 0
    for a, b, c, d, _ in blocks:
        if a > 0:
            out.append(plan.marker(indent_of(plan.old[a] if a < len(plan.old) else ""), rng))
        out += plan.new[c:d]
        prev = b
    a, b, c, d, hunks = blocks[-1]
    cut_at = [j for h in hunks for j in range(h.j1, h.j2) if len(plan.new[j].strip()) >= 6]
    if not cut_at:
        return
    j = rng.choice(cut_at)
    keep = len(out) - (d - j)
    line = plan.new[j]
    edit = out[:keep] + [line[: len(line) - len(line.strip()) // 2 - 1]]
    del prev
    yield "truncated", edit, (None, None), plan.hunks, "cut-off"
