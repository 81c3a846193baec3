"""The search worker as a Tool (orchestrator name `search`), not registered here: whoever
assembles the registry calls `register(search_tool)` once."""

from __future__ import annotations

from pydantic import BaseModel, Field

from splice.core.errors import InvalidRequest
from splice.search.api import search
from splice.search.models import SearchRequest, SearchResult
from splice.tools import Tool, ToolContext


class SearchToolInput(BaseModel):
    query: str = Field(description="What to find: symbols, an error message, a traceback, "
                                   "or a behaviour in words.")
    max_tokens: int = Field(default=2000, ge=50, le=20_000,
                            description="Budget for the code returned.")


async def _run(args: SearchToolInput, ctx: ToolContext) -> SearchResult:
    if ctx.repo is None:
        raise InvalidRequest("search needs a repository", hint="Start the tool with --repo.")
    model = ctx.extras.get("search_model")  # a small model for the isolated planner, if any
    return await search(SearchRequest(query=args.query, repo=str(ctx.repo.root),
                                      max_tokens=args.max_tokens, model=model))


search_tool: Tool[SearchToolInput, SearchResult] = Tool(
    name="search",
    description="Find the few line ranges of the repository that matter for a query; "
                "returns code blocks headed path:start-end, best first.",
    input_model=SearchToolInput, output_model=SearchResult, run=_run)
