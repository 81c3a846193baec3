"""Bounded capture of a stream: the head and the tail are kept, the middle is cut.

Memory stays under about three times the cap however much the command writes, so a
50 MB writer is read at full speed (never blocked on a full pipe) and costs no more
than a small one.
"""

from __future__ import annotations

from anyio import BrokenResourceError, ClosedResourceError, EndOfStream
from anyio.abc import ByteReceiveStream

READ_SIZE = 65536


class CappedBuffer:
    """Keeps the first `cap // 2` and the last `cap - cap // 2` bytes written to it."""

    def __init__(self, cap: int) -> None:
        self.cap = max(cap, 0)
        self.head_cap = self.cap // 2
        self.tail_cap = self.cap - self.head_cap
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0

    def write(self, data: bytes) -> None:
        self.total += len(data)
        room = self.head_cap - len(self.head)
        if room > 0:
            self.head += data[:room]
            data = data[room:]
        if not data or self.tail_cap == 0:
            return
        self.tail += data
        # Trim in amortised steps: only when the tail has doubled past its cap.
        if len(self.tail) > 2 * self.tail_cap:
            del self.tail[: len(self.tail) - self.tail_cap]

    @property
    def truncated(self) -> bool:
        return self.total > self.cap

    def getvalue(self) -> bytes:
        tail = bytes(self.tail[-self.tail_cap:]) if self.tail_cap else b""
        if not self.truncated:
            return bytes(self.head) + tail
        cut = self.total - len(self.head) - len(tail)
        marker = f"\n[... {cut} bytes cut by splice: output over {self.cap} bytes ...]\n"
        return bytes(self.head) + marker.encode() + tail

    def text(self) -> str:
        return self.getvalue().decode("utf-8", errors="replace")


async def pump(stream: ByteReceiveStream | None, sink: CappedBuffer) -> None:
    """Read `stream` to its end into `sink`."""
    if stream is None:
        return
    try:
        while True:
            sink.write(await stream.receive(READ_SIZE))
    except (EndOfStream, ClosedResourceError, BrokenResourceError):
        return
