"""The compact worker's request and result: what a caller sends and what comes back."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, Field

from splice.compact.lines import numbered as numbered_view
from splice.core.spans import Chunk

Kind = Literal["auto", "code", "test_output", "log", "diagnostics", "diff", "json", "text"]
KINDS: tuple[str, ...] = tuple(k for k in get_args(Kind) if k != "auto")


class CompactRequest(BaseModel):
    """Shrink `text` (or each of `chunks`) for `query` by deleting whole lines.

    Give at most one of `ratio` (target tokens after / before, in (0, 1]) and `max_tokens`.
    With neither, code and text keep about a third of their tokens, while test output and
    logs keep what matters (failures, errors, summaries) and drop the noise.
    """

    text: str | None = Field(default=None, description="The text to compact.")
    chunks: list[Chunk] | None = Field(
        default=None, description="Or: pieces of files, each compacted keeping its start_line.")
    query: str = Field(default="", description="What the reader is looking for.")
    ratio: float | None = Field(
        default=None, description="Target tokens after / before, in (0, 1].")
    max_tokens: int | None = Field(default=None, description="Token budget for the result.")
    keep: list[tuple[int, int]] = Field(
        default_factory=list,
        description="Line ranges (1-based, inclusive; file line numbers for chunks) that must stay.")
    kind: Kind = Field(default="auto", description="What the text is; auto-detected by default.")
    path: str | None = Field(default=None, description="The file the text came from (language).")
    numbered: bool = Field(
        default=False, description="Render kept lines with their original line numbers.")
    max_line_chars: int = Field(
        default=500, description="Tool output and logs: longer lines are cut in the middle.")


class CompactedSection(BaseModel):
    """One compacted piece: the whole text, or one chunk."""

    path: str | None = None
    start_line: int = 1
    end_line: int = 1
    text: str
    kept_ranges: list[tuple[int, int]]
    lines_before: int
    lines_kept: int

    def numbered_text(self) -> str:
        """Kept lines as `  42 | code`, each marker as `     | # (filtered N lines: A-B)`."""
        return numbered_view(self.text, self.kept_ranges, self.start_line, self.end_line)

    def header(self) -> str:
        where = self.path or "<text>"
        return f"{where}:{self.start_line}-{self.end_line}"


class CompactResult(BaseModel):
    """What was kept. Kept lines are byte-identical to the input (tool output: after
    ANSI codes are stripped and very long lines are cut); every removed stretch is one
    marker, `(filtered N lines: A-B)` naming the removed lines (tool output:
    `(filtered N lines)`), so `kept_ranges` map the text back to original lines."""

    text: str
    kept_ranges: list[tuple[int, int]]
    tokens_before: int
    tokens_after: int
    kind: Kind
    sections: list[CompactedSection]
    numbered: bool = False
    from_chunks: bool = False
    reasons: list[str] = Field(
        default_factory=list, description="auto (code, no ratio or budget): what was kept and why")

    @property
    def ratio(self) -> float:
        return self.tokens_after / self.tokens_before if self.tokens_before else 1.0

    def numbered_text(self) -> str:
        """Every kept line as `  42 | code`, markers as `     | # (filtered N lines: A-B)`."""
        return _joined(self.sections, numbered=True, headers=self.from_chunks)

    def render(self, numbered: bool | None = None) -> str:
        """The text a model reads: chunks headed `path:start-end`, a one-line tally."""
        use_numbers = self.numbered if numbered is None else numbered
        body = _joined(self.sections, numbered=use_numbers, headers=self.from_chunks)
        tally = (f"[compacted {self.kind}: {self.tokens_before} -> {self.tokens_after} tokens; "
                 f"kept lines {format_ranges(self.kept_ranges)}]")
        return f"{tally}\n{body}"


def _joined(sections: list[CompactedSection], *, numbered: bool, headers: bool) -> str:
    if not headers:
        return sections[0].numbered_text() if numbered else sections[0].text
    parts = []
    for section in sections:
        body = section.numbered_text() if numbered else section.text
        parts.append(f"{section.header()}\n{body}")
    return "\n".join(p if p.endswith("\n") else p + "\n" for p in parts)


def format_ranges(ranges: list[tuple[int, int]]) -> str:
    if not ranges:
        return "none"
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)
