"""The tool registry served over MCP (stdio or streamable HTTP) with the official SDK.

Every `splice.tools.Tool` becomes an MCP tool with the same name, description and input
schema: nothing is described twice. The SDK builds its argument model from a function
signature, so the bridge hands it one whose keyword parameters are the input model's
fields (`Annotated[type, FieldInfo]`), then publishes the input model's own JSON schema.
The SDK does not validate the arguments itself (its message is a raw pydantic dump):
`Tool.call` does, and says which argument was wrong and what to send
(splice.tools.arguments). A worker error comes back as an `is_error` result carrying the
worker's message; an unexpected exception does too, and the server keeps serving.
"""

from __future__ import annotations

import inspect
import logging
import os
import socket
import sys
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.tools import Tool as SDKTool
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel

from splice import __version__
from splice.core.repo import Repo
from splice.tools import Tool, ToolContext

logger = logging.getLogger("splice.mcp")

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]

SERVER_INSTRUCTIONS = (
    "splice works on one local repository (the root it was started with); every path is "
    "relative to that root and nothing outside it can be read or written. Use "
    "codebase_search to find the few line ranges that matter instead of reading whole "
    "files, compact to shrink long text (logs, test output, files) to what bears on your "
    "question, and edit_file to change a file by sending only the changed lines with "
    "'... existing code ...' markers for the rest."
)

# What each tool does to the world, for clients that ask before a call (MCP tool hints).
TOOL_ANNOTATIONS: dict[str, ToolAnnotations] = {
    "codebase_search": ToolAnnotations(title="Search the codebase", read_only_hint=True,
                                       open_world_hint=False),
    "compact": ToolAnnotations(title="Compact text", read_only_hint=True,
                               open_world_hint=False),
    "edit_file": ToolAnnotations(title="Edit a file", read_only_hint=False,
                                 destructive_hint=True, idempotent_hint=True,
                                 open_world_hint=False),
    "run_command": ToolAnnotations(title="Run a command in the sandbox", read_only_hint=False,
                                   destructive_hint=True, idempotent_hint=False,
                                   open_world_hint=False),
}


def _signature_for(model: type[BaseModel]) -> inspect.Signature:
    """Keyword parameters mirroring the model's fields, so the SDK's argument model matches.

    The FieldInfo goes in `Annotated` whole (description, constraints, alias, default or
    default factory), which keeps the model the one place a field is described; the
    parameter itself carries no default, the FieldInfo's is the one that counts.
    """
    params = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY,
                          annotation=Annotated[field.annotation, field])
        for name, field in model.model_fields.items()
    ]
    return inspect.Signature(params, return_annotation=CallToolResult)


class _BridgedTool(SDKTool):
    """An SDK tool that hands the arguments to splice's Tool.call as they came."""

    async def run(self, arguments: dict[str, Any], context: Any,
                  convert_result: bool = False) -> Any:
        result = await self.fn(**arguments)
        return self.fn_metadata.convert_result(result) if convert_result else result


def _text_result(text: str, *, is_error: bool) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=is_error)


def bridge_tool(tool: Tool[Any, Any], ctx: ToolContext,
                annotations: ToolAnnotations | None = None) -> SDKTool:
    """The MCP tool for one splice Tool, bound to the context its calls run in."""

    async def call(**arguments: Any) -> CallToolResult:
        try:
            outcome = await tool.call(arguments, ctx)
        except Exception as exc:  # one bad call must never take the server down
            logger.exception("tool %s crashed", tool.name)
            return _text_result(
                f"{tool.name}: internal error ({type(exc).__name__}: {exc}). The call did not "
                "complete; if it changed files it changed none of them partly. Report this "
                "to splice's maintainers if it repeats.",
                is_error=True)
        if outcome.is_error:
            logger.info("%s refused: %s", tool.name, outcome.text.splitlines()[0])
        return _text_result(outcome.text, is_error=outcome.is_error)

    call.__name__ = tool.name
    call.__qualname__ = tool.name
    call.__doc__ = tool.description
    call.__signature__ = _signature_for(tool.input_model)  # type: ignore[attr-defined]
    sdk_tool = SDKTool.from_function(call, name=tool.name, description=tool.description,
                                     annotations=annotations, structured_output=False)
    # Publish the input model's own schema (the SDK's copy would differ only in titles).
    fields = {name: getattr(sdk_tool, name) for name in SDKTool.model_fields}
    return _BridgedTool(**{**fields, "parameters": tool.input_schema()})


def build_server(tools: Iterable[Tool[Any, Any]], ctx: ToolContext, *,
                 annotations: dict[str, ToolAnnotations] | None = None,
                 log_level: LogLevel = "WARNING") -> MCPServer[Any]:
    """An MCPServer serving `tools`, each call running with `ctx`."""
    hints = annotations or {}
    sdk_tools = [bridge_tool(tool, ctx, hints.get(tool.name)) for tool in tools]
    return MCPServer(name="splice", version=__version__, instructions=SERVER_INSTRUCTIONS,
                     tools=sdk_tools, log_level=log_level)


def build_repo_server(root: str | os.PathLike[str], *, allow_run: bool = False,
                      log_level: LogLevel = "WARNING") -> MCPServer[Any]:
    """The splice MCP server for one repository: search, compact, edit (and run)."""
    from splice.tools import mcp_tools

    repo = Repo(root)
    return build_server(mcp_tools(allow_run=allow_run), ToolContext(repo=repo),
                        annotations=TOOL_ANNOTATIONS, log_level=log_level)


async def serve_stdio(server: MCPServer[Any]) -> None:
    """Serve on stdin/stdout; stdout carries protocol messages and nothing else."""
    await server.run_stdio_async()


def bind_tcp(host: str, port: int) -> socket.socket:
    """A listening-ready TCP socket bound to host:port (port 0: any free port).

    Binding before the HTTP server starts turns a taken port into a plain OSError the
    CLI can report, and tells the real port when 0 was asked for.
    """
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


async def serve_http(server: MCPServer[Any], *, host: str = "127.0.0.1", port: int = 8000,
                     path: str = "/mcp") -> None:
    """Serve streamable HTTP at http://host:port/path until cancelled.

    Once the port is bound, one line naming the URL goes to stderr (clients and scripts
    wait for it; with port 0 it is the only way to learn the port).
    """
    import uvicorn

    sock = bind_tcp(host, port)
    with sock:
        bound_port = sock.getsockname()[1]
        # host= makes the SDK turn on its DNS-rebinding guard for loopback hosts.
        app = server.streamable_http_app(streamable_http_path=path, host=host)
        config = uvicorn.Config(app, log_level=server.settings.log_level.lower())
        print(f"splice mcp: serving streamable HTTP on "
              f"http://{_url_host(host)}:{bound_port}{path}", file=sys.stderr, flush=True)
        await uvicorn.Server(config).serve(sockets=[sock])


def detach_stdin() -> None:
    """Point fd 0 at the null device for a server that reads nothing from stdin.

    Child processes inherit fd 0, and ripgrep given no path searches its stdin when that
    is a pipe or a file, so a server started with piped stdin would find nothing. Over
    stdio the SDK diverts fd 0 itself while it serves; this does the same for HTTP.
    """
    devnull = os.open(os.devnull, os.O_RDONLY)
    try:
        os.dup2(devnull, 0)
    finally:
        os.close(devnull)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host

