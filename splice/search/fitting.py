"""Cutting ranked spans to a token budget and reading the code behind them."""

from __future__ import annotations

from dataclasses import dataclass

from splice.core.errors import SpliceError
from splice.core.repo import Repo
from splice.core.spans import Span
from splice.core.tokens import count_tokens
from splice.search.models import render_block

SEPARATOR_TOKENS = 2
MIN_USEFUL_TOKENS = 60
FOCUS_CONTEXT = 4
BREADTH_FOCUS_CONTEXT = 2  # a leading file past the breadth share: enough to list it
BREADTH_SHARE = 0.65  # of the budget, for the leading files' first regions before any depth


@dataclass
class SpanCandidate:
    span: Span
    focus: int  # the line that matters most: kept when the span must shrink
    tier: int = 1  # lower tiers are shown first, whatever their score
    priority: float | None = None  # worth within its tier (the span's score when None)

    def worth(self) -> float:
        return self.span.score if self.priority is None else self.priority


class LineCache:
    """Files read once per search, split on '\\n' like rg and tree-sitter count lines."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        self._lines: dict[str, list[str] | None] = {}

    def lines(self, path: str) -> list[str] | None:
        if path not in self._lines:
            try:
                text = self.repo.read_text(path).text
            except SpliceError:
                self._lines[path] = None  # binary, too large or gone: not shown
            else:
                lines = [line.rstrip("\r") for line in text.split("\n")]
                if lines and lines[-1] == "":
                    lines.pop()
                self._lines[path] = lines
        return self._lines[path]

    def text(self, span: Span) -> str:
        lines = self.lines(span.path) or []
        return "\n".join(lines[span.start_line - 1:span.end_line])


def fit(candidates: list[SpanCandidate], cache: LineCache, max_tokens: int) -> tuple[list[Span], list[str], int]:
    """Take candidates in order while they fit; one too big shrinks to its focus lines.

    Tier-0 candidates (the best region of each leading file) come first, but only while
    they use at most BREADTH_SHARE of the budget (the very first is always tried): the
    rest wait in score order, so a small budget keeps its depth in the best file. A leading
    file whose region no longer fits that share still gets its focus line (with
    BREADTH_FOCUS_CONTEXT lines either side) from the whole budget: the file stays among
    the answer's files for a few lines' cost."""
    spans: list[Span] = []
    texts: list[str] = []
    used = 0
    deferred: list[SpanCandidate] = []

    def take(cand: SpanCandidate, limit: int, whole: bool = True) -> bool:
        nonlocal used
        lines = cache.lines(cand.span.path)
        if not lines:
            return True  # unreadable: nothing to defer
        span = _clip(cand.span, len(lines))
        if span is None:
            return True
        focus = _focus(span, cand.focus, FOCUS_CONTEXT if whole else BREADTH_FOCUS_CONTEXT)
        for attempt in (span, focus) if whole else (focus,):
            text = cache.text(attempt)
            cost = count_tokens(render_block(attempt, text)) + SEPARATOR_TOKENS
            if cost <= limit:
                spans.append(attempt)
                texts.append(text)
                used += cost
                return True
        return False

    breadth_cap = int(max_tokens * BREADTH_SHARE)
    for cand in candidates:
        if cand.tier == 0 and spans:
            if breadth_cap - used >= MIN_USEFUL_TOKENS and take(cand, breadth_cap - used):
                continue
            # past the breadth share: the file's focus lines only, from the depth budget
            if max_tokens - used < MIN_USEFUL_TOKENS or not take(cand, max_tokens - used, whole=False):
                deferred.append(cand)
            continue
        if cand.tier == 0:
            take(cand, max_tokens - used)
            continue
        deferred.append(cand)
    for cand in sorted(deferred, key=lambda c: -c.worth()):
        remaining = max_tokens - used
        if remaining < MIN_USEFUL_TOKENS:
            break
        take(cand, remaining)
    # best first: what the breadth pass let in early is shown in score order with the rest
    order = sorted(range(len(spans)), key=lambda k: -spans[k].score)
    return [spans[k] for k in order], [texts[k] for k in order], used


def _clip(span: Span, total: int) -> Span | None:
    if span.start_line > total:
        return None
    return span.model_copy(update={"end_line": min(span.end_line, total)})


def _focus(span: Span, focus: int, context: int) -> Span:
    focus = min(max(focus, span.start_line), span.end_line)
    return span.model_copy(update={"start_line": max(span.start_line, focus - context),
                                   "end_line": min(span.end_line, focus + context)})
