"""Fake model APIs on loopback: Anthropic's /v1/messages and OpenAI's /v1/chat/completions.

A `FakeAPI` runs a ThreadingHTTPServer on 127.0.0.1 with a random port and answers from a
script: each reply is a `Reply(status, body, headers)` or a callable that sees the request
JSON. Every request is recorded, so tests can check what the real SDK sent.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_ids = itertools.count(1)


@dataclass
class Reply:
    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


ReplyStep = Reply | Callable[[dict[str, Any]], Reply]


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class FakeAPI:
    def __init__(self, replies: list[ReplyStep] | None = None) -> None:
        self.replies: list[ReplyStep] = list(replies or [])
        self.requests: list[Recorded] = []
        self.hold = threading.Event()  # set() to release replies with hold=True
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                api.requests.append(Recorded(self.path, {k.lower(): v for k, v in self.headers.items()},
                                             body))
                if not api.replies:
                    reply = Reply(500, {"type": "error", "error": {
                        "type": "api_error", "message": "fake server: script exhausted"}})
                else:
                    step = api.replies.pop(0)
                    reply = step(body) if callable(step) else step
                if reply.delay_s:
                    threading.Event().wait(reply.delay_s)
                data = json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a cancelled or timed-out call)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeAPI:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


# ---- Anthropic Messages API shapes ----------------------------------------------------

def message(*blocks: dict[str, Any], model: str = "claude-sonnet-4-6",
            usage: dict[str, int] | None = None) -> Reply:
    stop = "tool_use" if any(b["type"] == "tool_use" for b in blocks) else "end_turn"
    return Reply(200, {
        "id": f"msg_{next(_ids)}", "type": "message", "role": "assistant", "model": model,
        "content": list(blocks), "stop_reason": stop, "stop_sequence": None,
        "usage": usage or {"input_tokens": 100, "output_tokens": 20,
                           "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0},
    })


def text(t: str) -> dict[str, Any]:
    return {"type": "text", "text": t}


def tool_use(id: str, name: str, **input: Any) -> dict[str, Any]:
    return {"type": "tool_use", "id": id, "name": name, "input": input}


def error(status: int, kind: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, {"type": "error", "error": {"type": kind, "message": f"fake {kind}"}},
                 headers or {})


# ---- OpenAI chat completions shapes ------------------------------------------------------

def completion(content: str | None = None, calls: list[tuple[str, str, str]] | None = None,
               model: str = "local-model", usage: dict[str, Any] | None = None) -> Reply:
    msg: dict[str, Any] = {"role": "assistant", "content": content}
    if calls:
        msg["tool_calls"] = [{"id": i, "type": "function",
                              "function": {"name": n, "arguments": a}} for i, n, a in calls]
    return Reply(200, {
        "id": f"chatcmpl-{next(_ids)}", "object": "chat.completion", "model": model,
        "choices": [{"index": 0, "message": msg,
                     "finish_reason": "tool_calls" if calls else "stop"}],
        "usage": usage or {"prompt_tokens": 50, "completion_tokens": 10, "total_tokens": 60},
    })


def assert_tool_ids_paired(messages: list[dict[str, Any]]) -> None:
    """Each tool_result answers a tool_use of the assistant message right before it."""
    for i, msg in enumerate(messages):
        if msg["role"] != "user" or isinstance(msg["content"], str):
            continue
        results = [b["tool_use_id"] for b in msg["content"] if b["type"] == "tool_result"]
        if not results:
            continue
        prev = messages[i - 1]
        uses = [b["id"] for b in prev["content"] if b["type"] == "tool_use"]
        assert sorted(results) == sorted(uses), (results, uses)
