"""The search worker's boundary: request, result and the statistics a caller can trust."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from splice.core.bounds import SEARCH_MAX_TOKENS, SEARCH_MIN_TOKENS
from splice.core.llm import Model
from splice.core.spans import Span

Planner = Literal["auto", "deterministic", "model"]
MAX_MISSING_SHOWN = 5


class SearchRequest(BaseModel):
    """What to look for, where, and how many tokens the answer may cost.

    `model` (any splice.core.llm.Model) turns on the model-driven planner; it is never
    serialized. `pattern` is an optional ripgrep regex searched besides the query's terms;
    `paths` restricts the search to these files or folders inside the repo.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    query: str
    repo: str = "."
    max_tokens: int = Field(default=2000, ge=SEARCH_MIN_TOKENS, le=SEARCH_MAX_TOKENS)
    pattern: str | None = None
    paths: list[str] = Field(default_factory=list)
    planner: Planner = "auto"
    model: Model | None = Field(default=None, exclude=True)
    timeout_s: float = Field(default=20.0, gt=0)

    @field_validator("query")
    @classmethod
    def _unix_lines(cls, query: str) -> str:
        # Reports pasted from GitHub arrive with CRLF ends: the report reader's line
        # patterns (fences, prompts, frames) end at `\n`, so a `\r` left there hid every
        # code block of them.
        return query.replace("\r\n", "\n").replace("\r", "\n")


class SearchStats(BaseModel):
    planner: Literal["deterministic", "model"] = "deterministic"
    fallback_reason: str = ""
    files_scanned: int = 0
    files_matched: int = 0
    rg_calls: int = 0
    index: Literal["cold", "store", "warm", "partial", "memory", "none"] = "none"
    listing: Literal["fresh", "cached"] = "fresh"  # cached: a listing under a minute old
    index_files: int = 0
    index_parsed: int = 0
    index_ms: float = 0.0
    rank_ms: float = 0.0
    total_ms: float = 0.0
    tokens_returned: int = 0
    terms: list[str] = Field(default_factory=list)
    model_turns: int = 0
    model_tool_calls: int = 0
    model_input_tokens: int = 0
    model_output_tokens: int = 0


class SearchResult(BaseModel):
    """Spans best first, the code behind each (`texts[i]` is `spans[i]`'s lines), and stats.

    `note` says why the result is empty or thin (no supported files, no term matched...).
    """

    spans: list[Span] = Field(default_factory=list)
    texts: list[str] = Field(default_factory=list)
    stats: SearchStats = Field(default_factory=SearchStats)
    note: str = ""
    missing: list[str] = Field(default_factory=list)  # names in the query found in no file

    def missing_line(self) -> str:
        """'Not found in the repository: `x`.' when names of the query occur nowhere."""
        if not self.missing:
            return ""
        names = ", ".join(f"`{m}`" for m in self.missing[:MAX_MISSING_SHOWN])
        more = f" and {len(self.missing) - MAX_MISSING_SHOWN} more" \
            if len(self.missing) > MAX_MISSING_SHOWN else ""
        tail = " The spans below match the query's other words." if self.spans else ""
        return f"Not found in the repository: {names}{more}.{tail}"

    def render(self) -> str:
        """Compact text for a model: what was not found first, then each span headed
        `path:start-end` and its code."""
        head = self.missing_line()
        if not self.spans:
            return " ".join(p for p in (head, "No matching code.", self.note) if p)
        blocks = [render_block(span, text) for span, text in zip(self.spans, self.texts, strict=True)]
        return "\n\n".join([head, *blocks] if head else blocks)

    def to_json(self) -> dict[str, object]:
        """`{"spans": [...each with its text...], "stats": {...}}` for scripts."""
        spans = [{**s.model_dump(), "text": t} for s, t in zip(self.spans, self.texts, strict=True)]
        return {"spans": spans, "stats": self.stats.model_dump(), "note": self.note,
                "missing": self.missing}


def render_block(span: Span, text: str) -> str:
    fence = "````" if "```" in text else "```"
    return f"{span.label()}\n{fence}\n{text.rstrip(chr(10))}\n{fence}"
