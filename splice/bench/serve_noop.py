"""The stack's ceiling for `splice bench serve`: the same uvicorn + starlette setup as
`splice serve` (same workers, loop, parser and keep-alive), whose chat completion only
decodes the request's JSON and sends the message back as the answer: HTTP and JSON both
ways, no merge. Run: python -m splice.bench.serve_noop PORT WORKERS"""

from __future__ import annotations

import json
import sys

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


async def echo(request: Request) -> Response:
    body = json.loads(await request.body())
    content = body["messages"][-1]["content"]
    return JSONResponse({"object": "chat.completion", "model": body["model"],
                         "choices": [{"index": 0, "finish_reason": "stop",
                                      "message": {"role": "assistant", "content": content}}]})


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def app() -> Starlette:
    return Starlette(routes=[Route("/v1/chat/completions", echo, methods=["POST"]),
                             Route("/healthz", healthz)])


def main() -> None:
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from splice.mcp_server import bind_tcp
    from splice.serve.settings import KEEP_ALIVE_S

    port, workers = int(sys.argv[1]), int(sys.argv[2])
    sock = bind_tcp("127.0.0.1", port)
    with sock:
        config = uvicorn.Config("splice.bench.serve_noop:app", factory=True, workers=workers,
                                log_level="warning", access_log=False,
                                timeout_keep_alive=KEEP_ALIVE_S)
        print(f"no-op endpoint at http://127.0.0.1:{sock.getsockname()[1]}/v1",
              file=sys.stderr, flush=True)
        if workers > 1:
            Multiprocess(config, sockets=[sock]).run()
        else:
            uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
