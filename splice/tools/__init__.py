"""splice's tools: one definition per worker call, served to every audience.

`calls` defines each worker call once (arguments, descriptions, defaults, bounds); every
surface is a view of it (`CallView`, `field_of`). `base` holds the Tool, whose Anthropic and OpenAI schemas are
the ones the providers send. `arguments` words a call's bad arguments the same way for the
CLI, MCP and the agent. `workers` holds the calls into the workers (search a repo, edit a
file, run a command, compact text). Two tool sets are built on them: the MCP tools under
the names an MCP user knows (`mcp_tools()`) and the orchestrator's own
search/read/edit/run/finish (splice.agent.toolset). The lazy-edit convention both describe
to a model is written once, in `guides`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what a type checker sees; at run time each name loads on first use
    from splice.tools.arguments import explain_invalid
    from splice.tools.base import Tool, ToolContext, ToolOutcome, render_output
    from splice.tools.calls import (
        CallView,
        CompactCall,
        EditCall,
        RunCall,
        SearchCall,
        field_of,
    )
    from splice.tools.mcp import mcp_tools

# Loaded on first use, so a command that needs only `calls` (its options' help) does not
# import the Tool machinery, anyio and the MCP tool set at startup.
_HOME = {
    "CompactCall": "calls", "EditCall": "calls", "RunCall": "calls", "SearchCall": "calls",
    "CallView": "calls", "field_of": "calls", "explain_invalid": "arguments", "Tool": "base", "ToolContext": "base",
    "ToolOutcome": "base", "render_output": "base", "mcp_tools": "mcp",
}

__all__ = ["CallView", "CompactCall", "EditCall", "RunCall", "SearchCall", "Tool",
           "ToolContext", "ToolOutcome", "explain_invalid", "field_of", "mcp_tools",
           "render_output"]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'splice.tools' has no attribute {name!r}")
    return getattr(importlib.import_module(f"splice.tools.{_HOME[name]}"), name)
