"""The search worker: the few line ranges that matter, not whole files.

    from splice.search import search, SearchRequest
    result = await search(SearchRequest(query="where are redirects followed", repo="."))
    result.spans   # Span(path, start_line, end_line, score, reason), best first
    result.render()  # `path:start-end` headed code blocks, for a model
"""

from splice.search.api import search
from splice.search.models import SearchRequest, SearchResult, SearchStats

__all__ = ["SearchRequest", "SearchResult", "SearchStats", "search"]
