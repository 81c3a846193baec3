"""Encoding on threads of our own, beside the caller's parse and scoring.

tiktoken releases the GIL while it encodes; tree-sitter's parse does not. So the input is
encoded on a second thread that is already inside the encoder (GIL released) before the
caller starts parsing: started the other way round, the parse holds the GIL and the
encoder cannot even begin until it ends.
"""

from __future__ import annotations

import threading
from queue import SimpleQueue

from splice.compact.counting import Ids, encode


class EncodeJob:
    """Texts to encode on an encoder thread. Both signals are bare locks: the caller
    blocks on `started` (released once the worker is about to enter the encoder) and on
    `done`."""

    __slots__ = ("texts", "started", "done", "ids", "error")

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.started = threading.Lock()
        self.done = threading.Lock()
        self.started.acquire()
        self.done.acquire()
        self.ids: list[Ids] = []
        self.error: BaseException | None = None

    def wait_started(self) -> None:
        """Let the worker in before the next long GIL-holding call (the parse), which
        would otherwise starve it until it ends."""
        self.started.acquire()
        self.started.release()

    def result(self) -> list[Ids]:
        self.done.acquire()
        self.done.release()
        if self.error is not None:
            raise self.error
        return self.ids


# Two encoder threads of our own, each with its own queue, not a ThreadPoolExecutor: the
# executor starts a second thread only when its idle count says none is free, and that
# count grows by one with every finished job; and one queue shared by two threads wakes
# only one of them for two jobs put while it waits for the GIL. Either way the second
# job (tool output's cleaned text, beside the raw one) queued behind the first.
LANES = 2
_lanes: list[tuple[SimpleQueue[EncodeJob], threading.Thread]] = []
_lanes_lock = threading.Lock()


def _work(jobs: SimpleQueue[EncodeJob]) -> None:
    while True:
        job = jobs.get()
        job.started.release()
        try:
            job.ids = [encode(text) for text in job.texts]
        except BaseException as exc:  # noqa: BLE001 - handed to the caller, raised there
            job.error = exc
        job.done.release()


def encode_beside(texts: list[str], lane: int = 0) -> EncodeJob:
    """Encode `texts` on encoder thread `lane` (daemon threads, started once per process
    and again after a fork)."""
    if len(_lanes) < LANES or not _lanes[lane][1].is_alive():
        with _lanes_lock:
            _lanes[:] = [entry for entry in _lanes if entry[1].is_alive()]
            while len(_lanes) < LANES:
                jobs: SimpleQueue[EncodeJob] = SimpleQueue()
                thread = threading.Thread(target=_work, args=(jobs,), daemon=True,
                                          name=f"splice-encoder-{len(_lanes)}")
                thread.start()
                _lanes.append((jobs, thread))
    job = EncodeJob(texts)
    _lanes[lane][0].put(job)
    return job
