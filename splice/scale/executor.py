"""Running one function over many items: in this process, on a local process pool, or on Ray.

Every executor yields (index, value, error) as items finish, in any order; an item whose
function raised, or whose worker process died, comes back with its error instead of ending
the run. Results are the same whichever executor ran them: only where the work happened
differs, and `info` says where.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from pydantic import BaseModel

from splice.scale.options import ExecutorSpec

Done = tuple[int, Any, str | None]


class ExecutorInfo(BaseModel):
    """Carried by every result file and --json output."""

    kind: str
    address: str | None = None
    nodes: int = 1
    workers: int = 1


class Executor(Protocol):
    info: ExecutorInfo

    def run(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[Done]: ...

    def close(self) -> None: ...


def describe(exc: BaseException) -> str:
    """One line a person can act on: the exception type and its message."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")


class SerialExecutor:
    """In this process, one item at a time (the reference the others must match)."""

    def __init__(self) -> None:
        self.info = ExecutorInfo(kind="local", workers=1)

    def run(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[Done]:
        for i, item in enumerate(items):
            try:
                value = fn(item)
            except Exception as exc:  # a task's failure is its row, never the batch's end
                yield i, None, describe(exc)
                continue
            yield i, value, None

    def close(self) -> None:
        pass


def _call(fn: Callable[[Any], Any], item: Any) -> tuple[Any, str | None]:
    """Run in a pool process; the error travels back as text (exceptions may not pickle)."""
    try:
        return fn(item), None
    except Exception as exc:
        traceback.print_exc()
        return None, describe(exc)


class LocalPoolExecutor:
    """A pool of `workers` processes on this machine (real parallelism: no shared GIL).

    A worker that dies (killed, out of memory, os._exit) breaks the whole pool and every
    task then running in it. Those tasks are re-run one at a time in a fresh one-process
    pool: the one that dies again is the culprit and gets the error; the others finish."""

    def __init__(self, workers: int) -> None:
        self.info = ExecutorInfo(kind="local", workers=workers)
        self._context = multiprocessing.get_context("forkserver")
        self._pool = self._new_pool(workers)

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, mp_context=self._context)

    def run(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[Done]:
        queue = list(range(len(items)))[::-1]
        running: dict[Future[tuple[Any, str | None]], int] = {}
        suspects: list[int] = []
        while queue or running:
            while queue and not suspects and len(running) < self.info.workers:
                i = queue.pop()
                try:
                    running[self._pool.submit(_call, fn, items[i])] = i
                except BrokenProcessPool:  # broke since the last wait: retry it after
                    suspects.append(i)
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                i = running.pop(future)
                try:
                    value, error = future.result()
                except BrokenProcessPool:
                    suspects.append(i)
                    continue
                yield i, value, error
            if suspects and not running:
                self._pool.shutdown(wait=True, cancel_futures=True)
                yield from self._isolate(fn, items, suspects)
                suspects = []
                self._pool = self._new_pool(self.info.workers)

    def _isolate(self, fn: Callable[[Any], Any], items: Sequence[Any],
                 suspects: list[int]) -> Iterator[Done]:
        for i in sorted(suspects):
            with self._new_pool(1) as pool:
                try:
                    value, error = pool.submit(_call, fn, items[i]).result()
                except BrokenProcessPool:
                    yield i, None, ("the worker process running this task died (killed by a "
                                    "signal, out of memory, or the task exited the process)")
                    continue
            yield i, value, error

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def open_executor(spec: ExecutorSpec) -> Executor:
    """A running executor for `spec`; close() it when done (Ctrl-C included)."""
    if spec.kind == "ray":
        from splice.scale.ray_executor import RayExecutor

        return RayExecutor(spec.address, spec.workers)
    workers = spec.workers or 1
    return SerialExecutor() if workers == 1 else LocalPoolExecutor(workers)
