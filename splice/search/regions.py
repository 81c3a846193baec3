"""The best regions of the best files: line hits scored, grouped by their enclosing
definition (or by nearness), grown to spans, ordered best first.

A search can order its files twice (linked files move up, deterministic.py): the hit rows
and each file's grown regions depend only on the file, so they are built once per search
(`LineHits`) and only the order and the scores are computed again."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field

from splice.core.errors import SpliceError
from splice.core.spans import Span, merge_spans
from splice.search.context import MAX_SPAN_LINES, WINDOW_AFTER, WINDOW_BEFORE, SearchContext
from splice.search.docstrings import (
    comment_blocks,
    discount_docstrings,
    docstring_ranges,
    unhit,
    without_docstrings,
)
from splice.search.fitting import SpanCandidate
from splice.search.frames import FRAME_DECAY
from splice.search.imports import discount_imports
from splice.search.ripgrep import GrepMatch, LineHit
from splice.search.symbols import Definition
from splice.search.terms import Frame, Term

FRAME_BOOST = 3.0
CLUSTER_GAP = 10
CLUSTER_SPAN = MAX_SPAN_LINES - WINDOW_BEFORE - WINDOW_AFTER  # hits one window can show
SECOND_REGION = 0.7
LATER_FILE = 0.6   # regions of files past the first FIRST_PASS yield to the first files' depth
FIRST_PASS = 5     # files whose best region comes before any file's second (top-5 is files)
REGION_K1 = 1.2    # saturation of a term's repeats inside one region
LINE_BONUS = 0.5   # share of the best line's co-occurring terms added to a region

Region = tuple[float, list[int], int, Span]  # score, hit lines, focus line, grown span


@dataclass
class LineHits:
    """One search's hit rows (path -> line -> term -> worth) and each file's regions."""

    rows: dict[str, dict[int, dict[str, float]]]
    grown: dict[str, list[Region]] = field(default_factory=dict)
    docs: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # docstring lines
    comments: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # comment blocks


def line_rows(ctx: SearchContext, lines: list[LineHit], pattern_lines: list[GrepMatch],
              terms: list[Term], idf: list[float], attribute: Callable[[str], list[int]],
              def_lines: dict[str, dict[int, float]],
              frames: dict[str, list[Frame]]) -> LineHits:
    """Each hit line's terms and their worth: the line hits, the pattern's, the definitions
    a term names and the traceback frames."""
    top_idf = max(idf, default=1.0) or 1.0
    keys = [(t.text.lower(), t.weight * idf[i]) for i, t in enumerate(terms)]
    hits: dict[str, dict[int, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    # the terms a line's matched texts stand for, once per distinct set of texts
    worths: dict[tuple[str, ...], list[tuple[str, float]]] = {}
    for m in lines:
        texts = tuple(m.submatches)
        found = worths.get(texts)
        if found is None:
            found = worths[texts] = [keys[i] for i in {i for s in texts for i in attribute(s)}]
        for key, worth in found:  # a line no kept term stands for gets no row
            hits[m.path][m.line][key] = worth
    for match in pattern_lines:
        hits[match.path][match.line]["<pattern>"] = 1.5 * top_idf
    for path, def_rows in def_lines.items():
        for line, bonus in def_rows.items():
            hits[path][line]["<definition>"] = bonus
    for path, fs in frames.items():
        defs = ctx.index.definitions(path)
        for frame in fs:
            value = FRAME_BOOST * top_idf * FRAME_DECAY ** frame.depth
            # the frame's function by name: its line number may be of another version
            named = [d for d in defs if frame.function and d.name == frame.function]
            inside = [d for d in named if d.start_line <= frame.line <= d.end_line]
            if named and not inside:
                hits[path][named[0].start_line]["<frame>"] = value
            elif frame.line:
                hits[path][frame.line]["<frame>"] = value
    return LineHits(hits)


def file_regions(ctx: SearchContext, path: str, hits: LineHits) -> list[Region]:
    """A file's regions, best first (built once per search: they depend on the file only)."""
    if path in hits.grown:
        return hits.grown[path]
    rows = hits.rows.get(path)
    if not rows:
        hits.grown[path] = []
        return []
    defs = ctx.index.definitions(path)
    with suppress(SpliceError):  # unreadable: its hits stay as they are
        text = ctx.engine.read(path).text
        discount_imports(text, rows)
        if path.endswith((".py", ".pyi")):
            lines = text.split("\n")
            hits.docs[path] = docstring_ranges(lines, defs)
            hits.comments[path] = [(a, b) for a, b in comment_blocks(lines)
                                   if not any(a <= d <= b or d <= a <= e for d, e in hits.docs[path])]
            discount_docstrings(hits.comments[path], rows)  # a comment's hit counts as a docstring's
            discount_docstrings(hits.docs[path], rows)
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    loose: list[int] = []
    ordered = sorted(rows)
    for line, d in zip(ordered, enclosing_each(defs, ordered), strict=True):
        if d is not None and d.end_line - d.start_line + 1 <= MAX_SPAN_LINES:
            groups[(d.start_line, d.end_line)].append(line)
        else:
            loose.append(line)
    cluster: list[int] = []
    for line in loose + [10**9]:  # sentinel flushes the last cluster
        # a run of hits longer than a window is split: each part is grown and scored
        # on its own, so a late hit in a long function is not cut off by early ones
        if cluster and (line - cluster[-1] > CLUSTER_GAP or line - cluster[0] > CLUSTER_SPAN):
            groups[(cluster[0], -len(groups))] = cluster
            cluster = []
        cluster.append(line)
    total = {line: sum(row.values()) for line, row in rows.items()}
    scored = []
    for group in groups.values():
        region = region_score([rows[line] for line in group])
        scored.append((region, group, max(group, key=total.__getitem__)))
    scored.sort(key=lambda item: -item[0])
    out = [(region, group, focus, ctx.grow(path, group)) for region, group, focus in scored]
    hits.grown[path] = out
    return out


def enclosing_each(defs: list[Definition], lines: list[int]) -> list[Definition | None]:
    """symbols.enclosing for each of the ascending `lines` in one sweep: the definitions it
    would scan (those before the first starting past the line) only grow as the lines do,
    and one that ended before a line never holds a later one."""
    out: list[Definition | None] = []
    seen = 0
    open_defs: list[Definition] = []  # scanned and not ended before the current line
    for line in lines:
        while seen < len(defs) and defs[seen].start_line <= line:
            open_defs.append(defs[seen])
            seen += 1
        open_defs = [d for d in open_defs if d.end_line >= line]
        best: Definition | None = None
        for d in open_defs:  # innermost; of equal starts the later one, as enclosing() does
            if best is None or d.start_line >= best.start_line:
                best = d
        out.append(best)
    return out


def regions(ctx: SearchContext, top: list[str], score: dict[str, float], hits: LineHits,
            lead: set[str]) -> list[SpanCandidate]:
    """The regions of the files in `top`, scored by their file's place, merged, best first."""
    out: list[SpanCandidate] = []
    best_file = score[top[0]] or 1.0
    for place, path in enumerate(top):
        scored = file_regions(ctx, path, hits)
        if not scored:
            continue
        best_region = max(r for r, _, _, _ in scored) or 1.0
        file_rel = score[path] / best_file * (1.0 if place < FIRST_PASS else LATER_FILE)
        called = callee_regions(ctx, path, scored) if path in lead else set()
        for k, (region, _, focus, span) in enumerate(scored):
            # a file's later regions yield to other files' best: more files fit the budget
            priority = file_rel * (region / best_region) ** 0.7 * SECOND_REGION ** min(k, 1)
            if k in called:  # what the best region calls, overrides or cuts short: next best
                priority = max(priority, file_rel * SECOND_REGION)
            # the first files' best regions come before anyone's second: top-k counts files
            tier = 0 if k == 0 and path in lead else 1
            out.append(SpanCandidate(span.model_copy(update={"score": round(priority, 4)}),
                                     focus, tier))
    return _skip_docstrings(ctx, merge_regions(out), hits)


def _skip_docstrings(ctx: SearchContext, cands: list[SpanCandidate],
                     hits: LineHits) -> list[SpanCandidate]:
    """Each candidate without the docstrings no hit line falls in (docstrings.py): the
    pieces keep its order, tier and worth, so more of the code that matters fits."""
    out: list[SpanCandidate] = []
    unhit_docs = {path: unhit(sorted(docs + hits.comments.get(path, [])), set(hits.rows.get(path, ())))
                  for path, docs in hits.docs.items()}
    for cand in cands:
        docs = unhit_docs.get(cand.span.path)
        if not docs:
            out.append(cand)
            continue
        pieces = without_docstrings(cand.span, docs)
        for piece in pieces:
            focus = min(max(cand.focus, piece.start_line), piece.end_line)
            out.append(SpanCandidate(piece, focus, cand.tier, cand.priority))
    return out


_CALL = re.compile(r"(?<![\w.])(?<!def )(?:self\.|cls\.)?([A-Za-z_]\w*)\s*\(")  # not `def f(`
_DEF = re.compile(r"^\s*(?:async\s+)?def\s+(\w+)", re.MULTILINE)
CALLEE_DEFS = 2  # a name defined more often in one file points at none of its definitions


def callee_regions(ctx: SearchContext, path: str, scored: list[Region]) -> set[int]:
    """Indexes of the regions (past the first) that lie in a function of the same file the
    best region calls (`name(`, `self.name(`) or defines again (an override and its base),
    or in one it opens and cuts short (a window of a long class showing a method's head):
    the fix is often one call down, in the sibling definition, or further down the method
    the report's words led into."""
    best = scored[0][3]
    try:
        text = ctx.engine.read(path, best.start_line, best.end_line).text
    except SpliceError:
        return set()
    names = {m.group(1) for m in _CALL.finditer(text)} | set(_DEF.findall(text))
    own = [d for d in ctx.index.definitions(path) if d.kind != "class"]
    count: dict[str, int] = defaultdict(int)
    for d in own:
        count[d.name] += 1
    called = [d for d in own if d.name in names and count[d.name] <= CALLEE_DEFS
              and not (d.start_line <= best.start_line and best.end_line <= d.end_line)]
    cut = [d for d in own if best.start_line <= d.start_line <= best.end_line < d.end_line]
    out: set[int] = set()
    for d in called + cut:  # the best region inside each
        inside = [k for k, (_, group, _, _) in enumerate(scored)
                  if k and d.start_line <= min(group) and max(group) <= d.end_line]
        if inside:
            out.add(inside[0])
    return out


def region_score(lines: list[dict[str, float]]) -> float:
    """A region's worth from its hit lines (term -> value each): per term, its value grown
    BM25-like with the lines it is on (saturating: forty lines of a common word do not
    outweigh a rare one), plus the best single line's other terms (terms meeting on one
    line, as in an error message, are what a fix usually touches)."""
    count: dict[str, int] = {}
    value: dict[str, float] = {}
    best_line = 0.0
    for row in lines:
        for key, v in row.items():
            old = value.get(key)
            if old is None:  # first sight: max(0.0, v), keys in first-seen order
                count[key] = 1
                value[key] = v if v > 0.0 else 0.0
            else:
                count[key] += 1
                if v > old:
                    value[key] = v
        vals = row.values()
        line = sum(vals) - max(vals)
        if line > best_line:
            best_line = line
    spread = sum(value[k] * count[k] * (REGION_K1 + 1) / (count[k] + REGION_K1) for k in value)
    return spread + LINE_BONUS * best_line


def merge_regions(cands: list[SpanCandidate]) -> list[SpanCandidate]:
    """Overlapping spans of one file become one (best score and its focus kept), unless the
    union would grow past a window and a half: then the weaker one is trimmed instead."""
    result: list[SpanCandidate] = []
    for cand in sorted(cands, key=lambda c: (c.span.path, c.span.start_line, c.span.end_line)):
        last = result[-1] if result else None
        if last is None or not last.span.overlaps(cand.span):
            result.append(cand)
            continue
        union = merge_spans([last.span, cand.span])[0]
        if union.line_count <= MAX_SPAN_LINES * 3 // 2:
            best = last if last.span.score >= cand.span.score else cand
            result[-1] = SpanCandidate(union, best.focus, min(last.tier, cand.tier))
        else:
            result[-1:] = _trim_weaker(last, cand)
    # One score says the order: a leading file's best region ranks above any other region
    # (the breadth pass), so it lives in (0.5, 1] and the others in (0, 0.5].
    for cand in result:
        cand.priority = cand.span.score
        shown = (cand.span.score + (1.0 if cand.tier == 0 else 0.0)) / 2
        cand.span = cand.span.model_copy(update={"score": round(shown, 4)})
    result.sort(key=lambda c: -c.span.score)
    return result


def _trim_weaker(first: SpanCandidate, later: SpanCandidate) -> list[SpanCandidate]:
    """Two overlapping regions too long to join (`first` starts no later): the better one
    stays whole and the other loses the lines they share. Trimming by position instead cut
    the lines a traceback frame or a quoted message pointed at when a weaker region above
    them ran into them (matplotlib-20859: the raise at line 441 of a 250-line __init__)."""
    a, b = first.span, later.span
    if b.score > a.score:
        if a.start_line >= b.start_line:
            return [later]  # the weaker lies inside the better one's lines
        head = a.model_copy(update={"end_line": b.start_line - 1})
        return [SpanCandidate(head, min(first.focus, head.end_line), first.tier), later]
    if b.end_line <= a.end_line:
        return [first]
    tail = b.model_copy(update={"start_line": a.end_line + 1})
    return [first, SpanCandidate(tail, max(later.focus, tail.start_line), later.tier)]
