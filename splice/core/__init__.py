"""The shared vocabulary: spans, chunks, token counting, repo access and typed errors."""

from splice.core.errors import SpliceError
from splice.core.spans import Chunk, Span
from splice.core.tokens import count_tokens

__all__ = ["Chunk", "Span", "SpliceError", "count_tokens"]
