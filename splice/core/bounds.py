"""Bounds a worker's request model and every surface of its call share (written once)."""

# Tokens a search answer may take: below 50 not one span fits; past 200k it is a whole repo.
SEARCH_MIN_TOKENS = 50
SEARCH_MAX_TOKENS = 200_000
