"""Checks on a CompactRequest: every bad input is an InvalidRequest that says what to send."""

from __future__ import annotations

from dataclasses import dataclass

from splice.compact.models import CompactRequest
from splice.core.errors import InvalidRequest


@dataclass
class KeptStretch:
    text: str
    path: str | None
    start_line: int


def segments_of(request: CompactRequest) -> list[KeptStretch]:
    if request.text is not None and request.chunks is not None:
        raise InvalidRequest("compact: give either text or chunks, not both")
    if request.chunks is not None:
        if not request.chunks:
            raise InvalidRequest("compact: chunks is an empty list",
                                 hint="Send at least one chunk with some text.")
        segs = [KeptStretch(c.text, c.path or request.path, c.start_line) for c in request.chunks]
    elif request.text is not None:
        segs = [KeptStretch(request.text, request.path, 1)]
    else:
        raise InvalidRequest("compact: no text to compact", hint="Send text or chunks.")
    for n, seg in enumerate(segs, 1):
        where = "the text" if request.chunks is None else f"chunk {n} ({seg.path or 'no path'})"
        if not seg.text or seg.text.isspace():
            raise InvalidRequest(f"compact: {where} is empty",
                                 hint="There is nothing to compact; send the text to shrink.")
        if "\x00" in seg.text:
            raise InvalidRequest(f"compact: {where} is binary (it contains NUL bytes)",
                                 hint="Only text can be compacted.", path=seg.path)
    return segs


def check_target(request: CompactRequest) -> None:
    if request.ratio is not None and request.max_tokens is not None:
        raise InvalidRequest(
            f"compact: both ratio={request.ratio} and max_tokens={request.max_tokens} given",
            hint="Give one target: a ratio in (0, 1] or a token budget.")
    if request.ratio is not None and not 0.0 < request.ratio <= 1.0:
        raise InvalidRequest(f"compact: ratio={request.ratio} is outside (0, 1]",
                             hint="The ratio is tokens after / tokens before, e.g. 0.3.")
    if request.max_tokens is not None and request.max_tokens <= 0:
        raise InvalidRequest(f"compact: max_tokens={request.max_tokens} must be positive")
    if request.max_line_chars < 40:
        raise InvalidRequest(f"compact: max_line_chars={request.max_line_chars} is too small",
                             hint="Use at least 40, or the default 500.")


def forced_lines(request: CompactRequest, segs: list[KeptStretch],
                 counts: list[int]) -> list[int]:
    """Flat line indices the keep ranges name (file line numbers for chunks)."""
    out: list[int] = []
    for a, b in request.keep:
        if a < 1 or b < a:
            raise InvalidRequest(f"compact: keep range {a}-{b} is not a valid 1-based range",
                                 hint="Each keep range is (start, end) with 1 <= start <= end.")
        hit = False
        offset = 0
        for seg, n in zip(segs, counts, strict=True):
            lo, hi = max(a, seg.start_line), min(b, seg.start_line + n - 1)
            if lo <= hi:
                hit = True
                out.extend(offset + line - seg.start_line for line in range(lo, hi + 1))
            offset += n
        if not hit:
            spans = ", ".join(f"{s.start_line}-{s.start_line + n - 1}"
                              for s, n in zip(segs, counts, strict=True))
            raise InvalidRequest(f"compact: keep range {a}-{b} lies outside the text "
                                 f"(lines {spans})", hint="Name lines that exist.")
    return sorted(set(out))
