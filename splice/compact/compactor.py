"""compact(): shrink text for a query by deleting whole lines, within a token budget.

One pass builds per-line token estimates (calibrated on the exact count of the input,
encoded once), scores and structure; a greedy fill picks lines; the exact count of the
result (from the input's own token counts for the runs it keeps, see counting.py)
verifies the budget (rarely a second pass with a tighter estimate). With no ratio and no
budget, code keeps what the query reaches (reach.py). The input is encoded on a thread of
its own beside the parse (encoder.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import compress, repeat
from operator import add, mul, not_

import anyio
import numpy as np

from splice.compact.concepts import Concept, triggered
from splice.compact.counting import LineCounts, encode
from splice.compact.detect import detect_kind
from splice.compact.encoder import EncodeJob, encode_beside
from splice.compact.lines import (
    kept_runs,
    line_starts,
    marker_line,
    marker_tokens,
    split_lines,
)
from splice.compact.models import CompactedSection, CompactRequest, CompactResult, Kind
from splice.compact.reach import Reach, auto_selection
from splice.compact.scoring import code_scores, line_hits
from splice.compact.select import Document, Selector, select
from splice.compact.structure import (
    Scope,
    block_parents,
    heading_scopes,
    indent_scopes,
    innermost,
    outline,
    statement_spans,
)
from splice.compact.terms import QueryTerms, query_terms
from splice.compact.toolformats import log_shape, tool_scores
from splice.compact.tooloutput import REPEAT, clean_lines
from splice.compact.validate import KeptStretch, check_target, forced_lines, segments_of
from splice.core.errors import InvalidRequest
from splice.core.repo import detect_newline
from splice.core.syntax import LINE_COMMENTS, language_name, parse

DEFAULT_CODE_RATIO = 1 / 3
TOOL_THRESHOLD = 0.25     # without a target, tool output drops only noise and repeats
THREAD_CHARS = 200_000    # above this compact() leaves the event loop
TOOL_KINDS = ("test_output", "log", "diagnostics", "diff", "json")
PARALLEL_CHARS = 2_000    # below this the hand-off to a second thread costs more than it saves
QUERY_SHARE = 0.09        # tool output but plain logs: a query hit's share, which alone
                          # lifts no line past TOOL_THRESHOLD (it orders lines in a budget)

async def compact(request: CompactRequest) -> CompactResult:
    """Compact request.text (or each chunk) for request.query; see CompactRequest."""
    size = len(request.text or "") + sum(len(c.text) for c in request.chunks or [])
    if size > THREAD_CHARS:
        return await anyio.to_thread.run_sync(compact_sync, request)
    return compact_sync(request)


@dataclass
class _Prepared:
    seg: KeptStretch
    lines: list[str]       # as shown: cleaned for tool output, else the input's own lines
    comment: str
    newline: str
    language: str | None = None
    blocks: LineCounts | None = None  # exact token counts, set once counted
    tool: bool = False     # tool output: markers without line ranges (no file to read)


def compact_sync(request: CompactRequest) -> CompactResult:
    check_target(request)
    segs = segments_of(request)
    kind: Kind = request.kind
    if kind == "auto":
        kind = detect_kind(segs[0].text, segs[0].path)
    terms = query_terms(request.query)
    concepts = triggered(request.query) if kind == "code" else []
    # the input is encoded at once, beside the rest: code and text are shown as they came
    # (their lines join back to the input), and tool output is counted as it came in
    # (tokens_before), and is usually shown as it came too (nothing to clean)
    early = sum(len(s.text) for s in segs) >= PARALLEL_CHARS
    encoding = encode_beside([s.text for s in segs]) if early else None

    prepared: list[_Prepared] = []
    for seg in segs:
        raw = split_lines(seg.text)
        lines = clean_lines(raw, request.max_line_chars) if kind in TOOL_KINDS else raw
        language = language_name(seg.path) if kind == "code" else None
        comment = LINE_COMMENTS[language][0] if language in LINE_COMMENTS else ""
        prepared.append(_Prepared(seg, lines, comment, detect_newline(seg.text[:10000]),
                                  language, tool=kind in TOOL_KINDS))
    # code and text are shown as they came: their lines join back to the input
    texts = ["".join(p.lines) if kind in TOOL_KINDS else p.seg.text for p in prepared]
    # tool output is counted as it came in, before cleaning, when cleaning changed it
    raw = [s.text for s in segs] if kind in TOOL_KINDS and any(
        len(s.text) != len(t) for s, t in zip(segs, texts, strict=True)) else []
    cleaned: EncodeJob | None = None
    if encoding is not None and kind in TOOL_KINDS:
        if any(t != s.text for s, t in zip(segs, texts, strict=True)):
            # cleaning changed the text: what is shown needs its own count, on the
            # second encoder thread beside the first
            cleaned = encode_beside(texts, lane=1)
            cleaned.wait_started()
        encoding.wait_started()  # no parse ahead: let the worker in now
    before_parse = encoding.wait_started if encoding else None
    auto = kind == "code" and request.ratio is None and request.max_tokens is None
    reaches = [Reach() if auto else None for _ in prepared]
    parts = [_score(kind, p.seg, p.lines, p.language, terms, concepts, before_parse, r)
             for p, r in zip(prepared, reaches, strict=True)]

    doc = _document(prepared, parts, block_chains=kind == "code")
    doc.forced = forced_lines(request, segs, [len(p.lines) for p in prepared])
    if cleaned is not None:  # the shown text's ids, then the input's when counted apart
        ids = cleaned.result() + (encoding.result() if encoding and raw else [])
    elif encoding is not None:  # the input is what is shown
        ids = encoding.result()
    else:
        ids = [encode(text) for text in texts + raw]
    for prep, prep_ids, text in zip(prepared, ids, texts, strict=False):
        prep.blocks = LineCounts(prep.lines, prep_ids, text)
    shown_tokens = sum(p.blocks.total for p in prepared if p.blocks)
    tokens_before = sum(map(len, ids[len(texts):])) if raw else shown_tokens
    doc.est, doc.blanks = _estimates(doc.lines, shown_tokens)

    marker_cost = float(max(marker_tokens(p.comment, 0 if kind in TOOL_KINDS else
                                          len(str(p.seg.start_line + len(p.lines))))
                            for p in prepared))
    if auto:
        picked = auto_selection(doc, [(r, p.lines, s, p.seg.start_line) for r, p, (_, _, s)
                                      in zip(reaches, prepared, parts, strict=True)],
                                marker_cost)
        if picked is not None:
            result = _finish(request, kind, prepared, doc, picked[0], tokens_before)
            result.reasons = [*picked[1], f"tokens {tokens_before:,} -> {result.tokens_after:,}"]
            return result
    budget = _budget(request, kind, tokens_before)
    if budget is not None and budget >= shown_tokens:
        return _finish(request, kind, prepared, doc, None, tokens_before)
    floor = marker_cost * len(prepared)
    if budget is not None and budget < floor:
        raise InvalidRequest(
            f"compact: a budget of {budget:g} tokens is smaller than the markers themselves "
            f"({floor:g} tokens for {len(prepared)} removal marker(s))",
            hint="Raise max_tokens or the ratio; short texts need no compaction.")
    # best first, ties in line order (a stable sort of the negated scores)
    order: list[int] = np.argsort(-np.asarray(doc.score), kind="stable").tolist()
    return _fit(request, kind, prepared, doc, order, budget, marker_cost, tokens_before)


def _score(kind: Kind, seg: KeptStretch, lines: list[str], language: str | None,
           terms: QueryTerms, concepts: list[Concept] | None = None,
           before_parse: Callable[[], object] | None = None, reach: Reach | None = None,
           ) -> tuple[list[float], list[int], list[Scope]]:
    text = seg.text if kind not in TOOL_KINDS else "".join(lines)
    starts = line_starts(lines)
    hits, found = line_hits(text, starts, terms, concepts)
    if kind in TOOL_KINDS:
        base = tool_scores(kind, lines)
        if kind == "log" and log_shape(lines) is None:
            near = [3.0 * v for v in code_scores(hits, found, [], [-1] * len(lines), lines)]
        else:  # the query orders lines within a budget; alone it lifts none past the cut
            near = [QUERY_SHARE * min(h, 1.5) for h in hits]
        return [b if b < 0 else b + q for b, q in zip(base, near, strict=True)], \
            [-1] * len(lines), []
    statements = docs = None
    if before_parse is not None:
        before_parse()
    if language:
        tree = parse(text, language)
        scopes, docs = outline(tree, language, lines)
        statements = statement_spans(tree)
    elif kind == "text" and sum(1 for line in lines[:2000] if line.startswith("#")) >= 2:
        scopes = heading_scopes(lines) or indent_scopes(lines)
    else:
        scopes = indent_scopes(lines)
    inner = innermost(scopes, len(lines))
    return (code_scores(hits, found, scopes, inner, lines, statements, docs, reach), inner,
            scopes)


def _document(prepared: list[_Prepared],
              parts: list[tuple[list[float], list[int], list[Scope]]],
              block_chains: bool = False) -> Document:
    if len(prepared) == 1:  # one text: nothing to offset, the parts are the document
        (prep,), ((sc, inn, scs),) = prepared, parts
        n = len(prep.lines)
        return Document(lines=prep.lines, est=[], score=sc, inner=inn, scopes=scs,
                        seg_starts={0}, seg_ends={n - 1},
                        parent=block_parents(prep.lines) if block_chains else None)
    lines: list[str] = []
    score: list[float] = []
    inner: list[int] = []
    scopes: list[Scope] = []
    starts: set[int] = set()
    ends: set[int] = set()
    parent: list[int] = []
    for prep, (sc, inn, scs) in zip(prepared, parts, strict=True):
        off, soff = len(lines), len(scopes)
        if block_chains:
            parent.extend(p + off if p >= 0 else -1 for p in block_parents(prep.lines))
        starts.add(off)
        ends.add(off + len(prep.lines) - 1)
        lines.extend(prep.lines)
        score.extend(sc)
        if soff:
            inner.extend(s + soff if s >= 0 else -1 for s in inn)
        else:
            inner.extend(inn)
        scopes.extend(Scope(s.start + off, s.header_end + off, s.end + off,
                            s.parent + soff if s.parent >= 0 else -1) for s in scs)
    return Document(lines=lines, est=[], score=score, inner=inner, scopes=scopes,
                    seg_starts=starts, seg_ends=ends, parent=parent if block_chains else None)


def _estimates(lines: list[str], tokens: int) -> tuple[list[float], list[int]]:
    """Per-line token estimates: one for the line break and indentation, the rest in
    proportion to the visible characters, scaled so they sum to the exact count; and the
    blank lines (no visible character), found on the way."""
    visible = list(map(len, map(str.strip, lines)))
    total = sum(visible) or 1
    per_char = max(tokens - len(lines), tokens * 0.2) / total
    return (list(map(add, repeat(1.0), map(mul, visible, repeat(per_char)))),
            list(compress(range(len(lines)), map(not_, visible))))


def _budget(request: CompactRequest, kind: Kind, tokens_before: int) -> float | None:
    if request.max_tokens is not None:
        return float(request.max_tokens)
    if request.ratio is not None:
        return request.ratio * tokens_before
    if kind in TOOL_KINDS:
        return None
    return DEFAULT_CODE_RATIO * tokens_before


def _fit(request: CompactRequest, kind: Kind, prepared: list[_Prepared], doc: Document,
         order: list[int], budget: float | None, marker_cost: float,
         tokens_before: int) -> CompactResult:
    """Select, assemble, count once; with a budget overshot, tighten the estimate and retry."""
    target = budget * 0.98 if budget is not None else None
    best: CompactResult | None = None
    for _ in range(4):
        sel = select(doc, budget=target, threshold=TOOL_THRESHOLD, marker_cost=marker_cost,
                     order=order)
        if budget is not None and sel.forced_total > budget:
            raise InvalidRequest(
                f"compact: the keep ranges alone need about {sel.forced_total:.0f} tokens, "
                f"over the budget of {budget:g}",
                hint="Keep fewer lines or raise max_tokens / the ratio.")
        if budget is not None and not any(sel.kept):
            smallest = min(e for e, line in zip(doc.est, doc.lines, strict=True) if line.strip())
            raise InvalidRequest(
                f"compact: no line fits in a budget of {budget:g} tokens (the smallest line "
                f"costs about {smallest:.0f} with its marker)",
                hint="Raise max_tokens or the ratio; the text has too few, too long lines.")
        result = _finish(request, kind, prepared, doc, sel, tokens_before)
        # max_tokens is a hard cap; a ratio is a target met within 2%
        slack = 1.0 if request.max_tokens is not None else 1.02
        if budget is None or result.tokens_after <= budget * slack:
            return result
        if best is None or result.tokens_after < best.tokens_after:
            best = result
        assert target is not None
        target *= budget / result.tokens_after * 0.97
    assert best is not None
    if request.max_tokens is not None:
        raise InvalidRequest(
            f"compact: could not fit max_tokens={request.max_tokens} "
            f"(smallest result {best.tokens_after} tokens)",
            hint="Raise max_tokens or keep fewer lines.")
    return best


def _finish(request: CompactRequest, kind: Kind, prepared: list[_Prepared], doc: Document,
            sel: Selector | None, tokens_before: int) -> CompactResult:
    sections: list[CompactedSection] = []
    offset = 0
    tokens_after = 0
    for prep in prepared:
        n = len(prep.lines)
        whole = len(prepared) == 1  # one text: its slices would be copies of the whole
        kept = (sel.kept if whole else sel.kept[offset:offset + n]) if sel else [True] * n
        runs = kept_runs(kept)
        markers: dict[int, str] = {}
        text = _assemble(prep, runs, doc.score if whole else doc.score[offset:offset + n],
                         markers)
        first = prep.seg.start_line
        ranges = [(first + a, first + b - 1) for keep, a, b in runs if keep]
        # built from checked parts: no need to validate them again
        sections.append(CompactedSection.model_construct(
            path=prep.seg.path, start_line=first,
            end_line=first + n - 1, text=text, kept_ranges=ranges,
            lines_before=n, lines_kept=sum(b - a for keep, a, b in runs if keep)))
        assert prep.blocks is not None
        tokens_after += prep.blocks.kept_total(runs, markers) if sel else prep.blocks.total
        offset += n
    from_chunks = request.chunks is not None
    joined = "".join(
        f"{s.header()}\n{s.text}" + ("" if s.text.endswith("\n") else "\n") for s in sections
    ) if from_chunks else sections[0].text
    return CompactResult.model_construct(
        text=joined, from_chunks=from_chunks, kept_ranges=[r for s in sections for r in s.kept_ranges],
        tokens_before=tokens_before, tokens_after=tokens_after, kind=kind,
        sections=sections, numbered=request.numbered, reasons=[])


def _assemble(prep: _Prepared, runs: list[tuple[bool, int, int]], score: list[float],
              markers: dict[int, str]) -> str:
    """The compacted text; markers[i] gets the marker replacing the stretch at line i."""
    lines = prep.lines
    n = len(lines)
    repeats = REPEAT in score  # only tool output scores repeats; code never does
    out: list[str] = []
    for keep, i, j in runs:
        if keep:
            out.append("".join(lines[i:j]))
        else:
            markers[i] = _marker(prep, i, j, score if repeats else None, j == n)
            out.append(markers[i])
    return "".join(out)


def _marker(prep: _Prepared, i: int, j: int, score: list[float] | None, at_end: bool) -> str:
    """The marker for removed lines [i, j): indented like its first line with content;
    a stretch of nothing but repeats (and blank lines) after kept lines says so."""
    lines = prep.lines
    indent = ""
    if prep.comment:
        for k in range(i, j):  # the first line with content (a loop: no generator to build)
            first = lines[k]
            if first.strip():
                indent = first[: len(first) - len(first.lstrip(" \t"))]
                break
    repeats = score is not None and i > 0 and REPEAT in score[i:j] and all(
        s == REPEAT or not line.strip() for s, line in zip(score[i:j], lines[i:j], strict=True))
    newline = "" if at_end and not lines[j - 1].endswith("\n") else prep.newline
    return marker_line(j - i, comment=prep.comment, indent=indent,
                       note="repeats of the lines above" if repeats else "", newline=newline,
                       first=None if score is not None or prep.tool else prep.seg.start_line + i)
