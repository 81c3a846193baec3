"""splice's tools: one definition per worker call, served to two audiences.

`base` holds the Tool itself. `workers` holds the calls into the workers that every tool
set shares (search a repo, edit a file, run a command, compact text). Two tool sets are
built on them: the MCP tools under the names an MCP user knows (`mcp_tools()`, here) and
the orchestrator's own search/read/edit/run/finish (splice.agent.toolset). The lazy-edit
convention that both describe to a model is written once, in `guides`.
"""

from splice.tools.base import Tool, ToolContext, ToolOutcome, render_output
from splice.tools.mcp import mcp_tools

__all__ = ["Tool", "ToolContext", "ToolOutcome", "mcp_tools", "render_output"]
