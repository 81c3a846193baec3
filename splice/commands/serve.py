"""`splice serve`: a local, drop-in endpoint for tools that call Morph's or Relace's apply."""

from __future__ import annotations

import os
import sys

import typer

from splice.serve.settings import (
    DEFAULT_HOST,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_PORT,
    KEEP_ALIVE_S,
)

SERVE_HELP = (
    "Serve splice's merge engine over HTTP in Morph's and Relace's apply formats.\n\n"
    "POST /v1/chat/completions takes Morph's message (<instruction>, <code>, <update>) and "
    "answers with the merged file as choices[0].message.content (stream: true sends "
    "server-sent chunks). POST /v1/code/apply takes Relace's initial_code, edit_snippet and "
    "instruction and answers {mergedCode, usage}. An edit splice will not merge safely is "
    "HTTP 422 (error.type apply_refused), or goes to --fallback-url when given."
)


def _has_uvloop() -> bool:
    import importlib.util

    return importlib.util.find_spec("uvloop") is not None


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    @app.command("serve", help=SERVE_HELP)
    def serve_command(
        host: str = typer.Option(DEFAULT_HOST, "--host",
                                 help="Address to bind. Anything but loopback needs --token."),
        port: int = typer.Option(DEFAULT_PORT, "--port", min=0, max=65535,
                                 help="Port to bind (0: any free port; the URL is printed)."),
        token: str = typer.Option(None, "--token", envvar="SPLICE_SERVE_TOKEN",
                                  help="Require Authorization: Bearer TOKEN on /v1 requests "
                                       "(or set SPLICE_SERVE_TOKEN)."),
        max_body_bytes: int = typer.Option(DEFAULT_MAX_BODY_BYTES, "--max-body-bytes", min=1,
                                           help="Refuse larger request bodies with HTTP 413."),
        fallback_url: str = typer.Option(
            None, "--fallback-url",
            help="OpenAI-compatible base URL (e.g. https://api.morphllm.com/v1) that gets the "
                 "edits splice refuses; its answer carries x-splice-fallback: 1."),
        fallback_model: str = typer.Option(
            None, "--fallback-model",
            help="Model to ask upstream (default: the model the client named)."),
        fallback_key_env: str = typer.Option(
            None, "--fallback-key-env", metavar="VAR",
            help="Environment variable holding the upstream API key (never a flag, so it "
                 "stays out of ps and shell history)."),
        workers: int = typer.Option(0, "--workers", min=0,
                                    help="Server processes on the one port (merges hold "
                                         "Python's GIL: one per core serves the most). "
                                         "0: one per usable core, at most 4."),
        keep_alive: int = typer.Option(
            KEEP_ALIVE_S, "--keep-alive", min=1, metavar="SECONDS",
            help="Close kept-alive connections idle this long. Keep it above your clients' "
                 "pool idle time (httpx and the openai SDK: 5 s), or a request sent just as "
                 "the server closes its connection is reset."),
        log_level: str = typer.Option("warning", "--log-level",
                                      help="uvicorn log level: debug, info, warning, error."),
    ) -> None:
        from functools import partial

        import anyio

        from splice.commands.mcp import _is_loopback
        from splice.commands.output import fail
        from splice.core.errors import InvalidRequest
        from splice.serve.runner import serve, serve_processes
        from splice.serve.settings import FallbackSettings, ServeSettings

        if not _is_loopback(host) and not token:
            fail(InvalidRequest(
                f"--host {host} is not a loopback address, and no --token was given.",
                hint="Anyone on that network could use this server: pass --token (or set "
                     "SPLICE_SERVE_TOKEN), or keep the default --host 127.0.0.1."))
        fallback = None
        if fallback_url:
            key = None
            if fallback_key_env:
                key = os.environ.get(fallback_key_env)
                if not key:
                    fail(InvalidRequest(f"--fallback-key-env {fallback_key_env}: that "
                                        "variable is not set or is empty.",
                                        hint=f"export {fallback_key_env}=... first."))
            fallback = FallbackSettings(url=fallback_url, model=fallback_model, api_key=key)
        elif fallback_model or fallback_key_env:
            fail(InvalidRequest("--fallback-model and --fallback-key-env need --fallback-url.",
                                hint="Give the upstream's base URL with --fallback-url."))
        settings = ServeSettings(token=token, max_body_bytes=max_body_bytes, fallback=fallback)
        if workers == 0:
            cores = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                     else os.cpu_count() or 1)
            workers = min(cores, 4)
        try:
            if workers > 1:
                serve_processes(settings, host=host, port=port, workers=workers,
                                log_level=log_level.lower(), keep_alive_s=keep_alive)
            else:
                anyio.run(partial(serve, settings, host=host, port=port,
                                  log_level=log_level.lower(), keep_alive_s=keep_alive),
                          backend_options={"use_uvloop": _has_uvloop()})
        except KeyboardInterrupt:
            pass
        except OSError as exc:
            fail(InvalidRequest(f"cannot serve on {host}:{port}: {exc.strerror or exc}",
                                hint="Pick another --port (0 takes any free one) or --host."))
        sys.stderr.flush()
