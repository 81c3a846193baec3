"""Running the app under uvicorn on a socket bound up front (a taken port is a plain error)."""

from __future__ import annotations

import sys
from collections.abc import Callable

from splice.serve.app import build_app
from splice.serve.settings import ServeSettings


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


async def serve(settings: ServeSettings, *, host: str, port: int,
                on_ready: Callable[[str], None] | None = None,
                log_level: str = "warning") -> None:
    """Serve until cancelled. `on_ready` gets the base URL once the port is bound."""
    import uvicorn

    from splice.mcp_server import bind_tcp

    sock = bind_tcp(host, port)
    with sock:
        bound = sock.getsockname()[1]
        config = uvicorn.Config(build_app(settings), log_level=log_level, access_log=False,
                                lifespan="on")
        base = f"http://{url_host(host)}:{bound}/v1"
        if on_ready is not None:
            on_ready(base)
        else:
            print(f"splice serve: apply endpoint at {base}", file=sys.stderr, flush=True)
        await uvicorn.Server(config).serve(sockets=[sock])
