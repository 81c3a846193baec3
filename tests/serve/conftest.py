"""Fixtures for `splice serve`: the real app under uvicorn on a free loopback port, in a thread,
and a fake OpenAI-compatible upstream (also real HTTP on loopback) for the fallback."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from splice.mcp_server import bind_tcp
from splice.serve import ServeSettings, build_app
from tests.mcp.conftest import CART_PY

# The MCP tests' cart module: a small real-looking file to edit.
# The edit a model writes to add a discount to total(), with Morph's markers.
CART_EDIT = '''\
# ... existing code ...
    def subtotal(self):
        return sum(price * qty for _, price, qty in self.items)

    def total(self, discount=0.0):
        return self.subtotal() * (1 - discount) * (1 + TAX_RATE)
'''

CART_MERGED = CART_PY.replace(
    "    def total(self):\n        return self.subtotal() * (1 + TAX_RATE)\n",
    "    def total(self, discount=0.0):\n"
    "        return self.subtotal() * (1 - discount) * (1 + TAX_RATE)\n")

# Two identical methods: an edit anchored on `return None` alone cannot be placed.
TWINS_PY = '''\
class A:
    def f(self):
        return None


class B:
    def f(self):
        return None
'''
TWINS_EDIT = '''\
# ... existing code ...
        return None
        # checked
# ... existing code ...
'''


def morph_message(code: str, update: str, instruction: str | None = None) -> str:
    head = f"<instruction>{instruction}</instruction>\n" if instruction else ""
    return f"{head}<code>{code}</code>\n<update>{update}</update>"


@contextmanager
def running(app: Any) -> Iterator[str]:
    """Serve `app` with uvicorn on 127.0.0.1:<free port> in a thread; yields the base URL."""
    sock = bind_tcp("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture
def serve_url() -> Callable[..., Any]:
    """serve_url(settings) -> context manager yielding http://127.0.0.1:PORT."""
    def start(settings: ServeSettings | None = None) -> Any:
        return running(build_app(settings or ServeSettings()))
    return start


@pytest.fixture
def base() -> Iterator[str]:
    with running(build_app(ServeSettings())) as url:
        yield url


class FakeUpstream:
    """An OpenAI-compatible apply model that answers every request with `content` and
    records what it was sent (headers and JSON)."""

    def __init__(self, content: str) -> None:
        self.content = content
        self.requests: list[dict[str, Any]] = []

    async def completions(self, request: Request) -> Response:
        body = json.loads(await request.body())
        self.requests.append({"auth": request.headers.get("authorization"), "body": body})
        if body.get("stream"):
            chunks = [{"choices": [{"index": 0, "delta": {"content": part},
                                    "finish_reason": None}]}
                      for part in (self.content[:10], self.content[10:])]
            chunks.append({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
            events = [f"data: {json.dumps(dict(id='up-1', object='chat.completion.chunk', created=1, model=body['model'], **c))}\n\n"
                      for c in chunks] + ["data: [DONE]\n\n"]

            async def gen() -> Any:
                for event in events:
                    yield event.encode()
            return StreamingResponse(gen(), media_type="text/event-stream")
        return JSONResponse({
            "id": "up-1", "object": "chat.completion", "created": 1, "model": body["model"],
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": self.content}}],
            "usage": {"prompt_tokens": 7, "completion_tokens": 5, "total_tokens": 12}})

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/v1/chat/completions", self.completions,
                                       methods=["POST"])])


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as client:
        yield client
