"""A light HTTP/1.1 client for `splice bench serve`: one kept-alive connection per client
loop, h11 for the protocol, bodies encoded once up front and answers checked after the
clock stops, so the client's own work takes as little of the shared CPU as it can.

httpx's pool (what the bench used before) spends several times more CPU per request and
hands a request to whichever idle connection comes first, which leaves some connections
idle long enough to meet the server's keep-alive timeout."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import anyio
import h11
from anyio.abc import SocketStream

READ_BYTES = 256 * 1024


@dataclass
class Answer:
    """One request's end to end time, and its status and body (or the error's name)."""

    seconds: float
    status: int
    body: bytes
    error: str | None = None

    def json(self) -> object:
        return json.loads(self.body)


class Connection:
    """One kept-alive connection; reconnects when the server closed it."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.host_header = f"{self.host}:{self.port}".encode()
        self.stream: SocketStream | None = None
        self.conn = h11.Connection(h11.CLIENT)

    async def _open(self) -> SocketStream:
        if self.stream is None or self.conn.our_state is h11.MUST_CLOSE:
            await self.aclose()
            self.stream = await anyio.connect_tcp(self.host, self.port)
            self.conn = h11.Connection(h11.CLIENT)
        return self.stream

    async def post(self, path: str, body: bytes) -> Answer:
        start = time.perf_counter()
        try:
            status, data = await self._exchange(path, body)
        except (OSError, anyio.BrokenResourceError, anyio.EndOfStream,
                h11.ProtocolError) as exc:
            await self.aclose()
            return Answer(time.perf_counter() - start, 0, b"", error=type(exc).__name__)
        return Answer(time.perf_counter() - start, status, data)

    async def _exchange(self, path: str, body: bytes) -> tuple[int, bytes]:
        stream = await self._open()
        headers = [(b"Host", self.host_header), (b"Content-Type", b"application/json"),
                   (b"Content-Length", str(len(body)).encode())]
        await stream.send(self.conn.send(h11.Request(method="POST", target=path,
                                                     headers=headers))
                          + self.conn.send(h11.Data(data=body))
                          + self.conn.send(h11.EndOfMessage()))
        status, chunks = 0, []
        while True:
            event = self.conn.next_event()
            if event is h11.NEED_DATA:
                try:
                    self.conn.receive_data(await stream.receive(READ_BYTES))
                except anyio.EndOfStream:
                    self.conn.receive_data(b"")
                continue
            if isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.Data):
                chunks.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                break
            elif isinstance(event, h11.ConnectionClosed):
                raise anyio.EndOfStream
        if self.conn.our_state is h11.DONE and self.conn.their_state is h11.DONE:
            self.conn.start_next_cycle()
        return status, b"".join(chunks)

    async def aclose(self) -> None:
        if self.stream is not None:
            await self.stream.aclose()
            self.stream = None
