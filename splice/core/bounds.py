"""Bounds and defaults that a request model and every surface of it share (written once)."""

# Tokens a search answer may take: below 50 not one span fits; past 200k it is a whole repo.
SEARCH_MIN_TOKENS = 50
SEARCH_MAX_TOKENS = 200_000

# Seconds a provider keeps retrying one model (529, 429, 5xx) before the next or giving up.
RETRY_BUDGET_S = 60.0
