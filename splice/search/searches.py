"""Searches started in this process: a check made during one search (do the postings still
match the repo's folders? were the symbol index's files stat'ed?) holds until the next."""

from __future__ import annotations

_STARTED = [0]


def new_search() -> None:
    _STARTED[0] += 1


def current() -> int:
    return _STARTED[0]
