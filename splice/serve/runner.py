"""Running the app under uvicorn on a socket bound up front (a taken port is a plain error).

One process by default. With workers > 1, uvicorn's supervisor runs that many processes on
the one socket, so merges (pure Python, holding the GIL) use every core; the settings reach
each process through SPLICE_SERVE_SETTINGS, since uvicorn builds the app there by import."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from starlette.applications import Starlette

from splice.serve.app import build_app
from splice.serve.settings import KEEP_ALIVE_S, ServeSettings

SETTINGS_ENV = "SPLICE_SERVE_SETTINGS"


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def app_from_env() -> Starlette:
    """The app for a uvicorn worker process (factory named by import string)."""
    return build_app(ServeSettings.model_validate_json(os.environ.get(SETTINGS_ENV, "{}")))


def _announce(base: str, on_ready: Callable[[str], None] | None) -> None:
    if on_ready is not None:
        on_ready(base)
    else:
        print(f"splice serve: apply endpoint at {base}", file=sys.stderr, flush=True)


async def serve(settings: ServeSettings, *, host: str, port: int,
                on_ready: Callable[[str], None] | None = None,
                log_level: str = "warning", keep_alive_s: int = KEEP_ALIVE_S) -> None:
    """Serve in this process until cancelled. `on_ready` gets the base URL once bound."""
    import uvicorn

    from splice.mcp_server import bind_tcp

    sock = bind_tcp(host, port)
    with sock:
        config = uvicorn.Config(build_app(settings), log_level=log_level, access_log=False,
                                lifespan="on", timeout_keep_alive=keep_alive_s)
        _announce(f"http://{url_host(host)}:{sock.getsockname()[1]}/v1", on_ready)
        await uvicorn.Server(config).serve(sockets=[sock])


def serve_processes(settings: ServeSettings, *, host: str, port: int, workers: int,
                    log_level: str = "warning", keep_alive_s: int = KEEP_ALIVE_S) -> None:
    """Serve with `workers` processes sharing one socket; blocks until Ctrl-C / SIGTERM."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from splice.mcp_server import bind_tcp

    os.environ[SETTINGS_ENV] = settings.model_dump_json()
    sock = bind_tcp(host, port)
    with sock:
        config = uvicorn.Config("splice.serve.runner:app_from_env", factory=True,
                                workers=workers, log_level=log_level, access_log=False,
                                lifespan="on", timeout_keep_alive=keep_alive_s)
        _announce(f"http://{url_host(host)}:{sock.getsockname()[1]}/v1", None)
        Multiprocess(config, sockets=[sock]).run()
