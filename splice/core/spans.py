"""Line ranges and the text behind them: what workers hand each other instead of files."""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator


class Span(BaseModel):
    """A range of lines in one file, 1-based and inclusive."""

    path: str
    start_line: int = Field(ge=1)
    end_line: int = Field(ge=1)
    score: float = 0.0
    reason: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end_line < self.start_line:
            raise ValueError(
                f"span {self.path}:{self.start_line}-{self.end_line} ends before it starts"
            )
        return self

    @property
    def line_count(self) -> int:
        return self.end_line - self.start_line + 1

    def overlaps(self, other: Span, gap: int = 0) -> bool:
        """True when both spans are in one file and touch, allowing `gap` lines between."""
        return (
            self.path == other.path
            and self.start_line <= other.end_line + gap + 1
            and other.start_line <= self.end_line + gap + 1
        )

    def label(self) -> str:
        return f"{self.path}:{self.start_line}-{self.end_line}"


class Chunk(BaseModel):
    """Text that came from a file (or a tool), with where its first line stood."""

    text: str
    path: str | None = None
    start_line: int = Field(default=1, ge=1)

    @property
    def end_line(self) -> int:
        return self.start_line + max(len(self.text.splitlines()), 1) - 1


def merge_spans(spans: list[Span], gap: int = 0) -> list[Span]:
    """Merge overlapping or adjacent spans per file; the merged span keeps the best score."""
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.path, s.start_line, s.end_line)):
        if out and out[-1].overlaps(span, gap):
            last = out[-1]
            reasons = [r for r in (last.reason, span.reason) if r]
            out[-1] = Span(
                path=last.path,
                start_line=last.start_line,
                end_line=max(last.end_line, span.end_line),
                score=max(last.score, span.score),
                reason="; ".join(dict.fromkeys(reasons)),
            )
        else:
            out.append(span)
    return out
