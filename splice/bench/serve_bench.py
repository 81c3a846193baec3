"""`splice bench serve`: `splice serve` over real HTTP on loopback, in its own process.

The corpus is the apply benchmark's real release pairs as lazy snippets (what Morph's and
Relace's clients send), posted in Morph's message format by a light h11 client (bodies
encoded before the clock starts, answers judged after it stops). Latency is one request at a
time over a kept-alive connection; throughput is N concurrent clients, each on its own
connection, for a bounded number of requests that cycle through all the cases (far more
distinct files than the engine's 32-tree parse cache holds, so no answer comes from a
cache). Every 200 is checked against the new release: a merged file that differs from it is
a wrong merge; an apply_refused 422 is a refusal; anything else an error.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Literal
from urllib.parse import urlsplit

import anyio
import httpx
from pydantic import BaseModel

from splice.bench.apply_bench import build_cases
from splice.bench.apply_corpus import ChangedFile
from splice.bench.serve_client import Answer, Connection

# "answered": a 200 from the no-op endpoint, which merges nothing to check
Outcome = Literal["exact", "refused", "wrong", "error", "answered"]
VARIANTS = ("lazy-anchored", "lazy-2")
TARGET_LINES = (400, 600)  # "a 500-line file": originals in this range
URL_LINE = re.compile(r"endpoint at (http://\S+)")
STARTUP_TIMEOUT_S = 60.0


class ServeCase(BaseModel):
    id: str
    lines: int
    message: str
    expected: str


class Sample(BaseModel):
    id: str
    outcome: Outcome
    seconds: float
    status: int
    error: str | None = None  # for an error: the client exception's name, or the status


def build_serve_cases(files: Sequence[ChangedFile], *, seed: int,
                      max_cases: int | None = None) -> list[ServeCase]:
    cases = build_cases(files, seed=seed, variants=VARIANTS, max_cases=max_cases)
    return [ServeCase(id=c.id, lines=c.original.count("\n") + 1, expected=c.expected,
                      message=f"<code>{c.original}</code>\n<update>{c.edit}</update>")
            for c in cases]


@contextmanager
def server_process(extra_args: Sequence[str] = ()) -> Iterator[str]:
    """`python -m splice serve --port 0` as a child process; yields its /v1 base URL."""
    with server_child(extra_args) as (url, _):
        yield url


@contextmanager
def server_child(extra_args: Sequence[str] = (), *,
                 command: Sequence[str] | None = None) -> Iterator[tuple[str, int]]:
    """`python -m splice serve --port 0` (or `command`) as a child process; yields its /v1
    base URL and pid. Its stderr goes to a file (a pipe nobody reads would stall its logging
    once full) and is shown when it fails to start."""
    argv = [*(command or [sys.executable, "-m", "splice", "serve", "--port", "0"]),
            *extra_args]
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=log, text=True)
        try:
            url = _announced_url(proc, log)
            _wait_healthy(url)
            yield url, proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _announced_url(proc: subprocess.Popen[str], log: IO[str]) -> str:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        log.seek(0)
        found = URL_LINE.search(log.read())
        if found:
            return found.group(1)
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the server exited with {proc.returncode}: {log.read()[-2000:]}")
        time.sleep(0.05)
    raise RuntimeError("the server did not print its URL in time")


def _wait_healthy(url: str) -> None:
    health = url.removesuffix("/v1") + "/healthz"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            if httpx.get(health, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{health} did not answer")


def request_body(case: ServeCase) -> bytes:
    return json.dumps({"model": "morph-v3-fast",
                       "messages": [{"role": "user", "content": case.message}]}).encode()


def judge(case: ServeCase, answer: Answer) -> Sample:
    """exact / wrong for a 200 (against the new release), refused for an apply_refused 422,
    error for anything else (the error's name, or the status, says which)."""
    outcome: Outcome = "error"
    error = answer.error or (None if answer.status in (200, 422) else f"HTTP {answer.status}")
    if error is None:
        try:
            body: Any = answer.json()
            if answer.status == 200:
                content = body["choices"][0]["message"]["content"]
                outcome = "exact" if content == case.expected else "wrong"
            elif body.get("error", {}).get("type") == "apply_refused":
                outcome = "refused"
            else:
                error = f"HTTP {answer.status}"
        except (ValueError, KeyError, IndexError, TypeError, AttributeError):
            error = f"HTTP {answer.status} with a body that is not the expected JSON"
    return Sample(id=case.id, outcome=outcome, seconds=answer.seconds, status=answer.status,
                  error=error)


def _answered(case: ServeCase, answer: Answer) -> Sample:
    ok = answer.status == 200 and answer.error is None
    return Sample(id=case.id, outcome="answered" if ok else "error", seconds=answer.seconds,
                  status=answer.status, error=None if ok else answer.error or "not 200")


async def sequential(url: str, cases: Sequence[ServeCase], repeat: int) -> list[Sample]:
    """Each case `repeat` times, one request at a time, over one kept-alive connection."""
    path = urlsplit(url).path + "/chat/completions"
    conn = Connection(url)
    try:
        await conn.post(path, request_body(cases[0]))  # warm-up: connection, imports
        samples = []
        for case in cases:
            body = request_body(case)
            samples += [judge(case, await conn.post(path, body)) for _ in range(repeat)]
        return samples
    finally:
        await conn.aclose()


class Load(BaseModel):
    """A concurrent phase: its samples, wall time and the CPU seconds each side spent."""

    samples: list[Sample]
    wall_s: float
    server_cpu_s: float
    client_cpu_s: float


async def concurrent(url: str, cases: Sequence[ServeCase], clients: int, requests: int,
                     server_pid: int | None = None, *, check: bool = True) -> Load:
    """`clients` loops, each on its own connection, sharing `requests` requests that cycle
    through the cases; answers are judged after the clock stops."""
    path = urlsplit(url).path + "/chat/completions"
    bodies = [request_body(case) for case in cases]
    conns = [Connection(url) for _ in range(clients)]
    answers: list[tuple[int, Answer]] = []
    next_index = 0

    async def worker(conn: Connection) -> None:
        nonlocal next_index
        while next_index < requests:
            i = next_index % len(cases)
            next_index += 1
            answers.append((i, await conn.post(path, bodies[i])))

    for conn in conns:  # connect and warm up outside the clock
        await conn.post(path, bodies[0])
    server_before, client_before = process_tree_cpu(server_pid), time.process_time()
    start = time.perf_counter()
    async with anyio.create_task_group() as tg:
        for conn in conns:
            tg.start_soon(worker, conn)
    wall = time.perf_counter() - start
    server_cpu = process_tree_cpu(server_pid) - server_before
    client_cpu = time.process_time() - client_before
    for conn in conns:
        await conn.aclose()
    samples = [judge(cases[i], a) if check else _answered(cases[i], a) for i, a in answers]
    return Load(samples=samples, wall_s=wall,
                server_cpu_s=server_cpu, client_cpu_s=client_cpu)


def process_tree_cpu(pid: int | None) -> float:
    """User + system CPU seconds of a process and all its descendants (Linux /proc)."""
    if pid is None:
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


def engine_alone(cases: Sequence[ServeCase]) -> tuple[float, float, float]:
    """The engine on the same cases in this process, no HTTP: (p50 seconds, merges per
    second on one thread, CPU seconds per merge). Measured in the same run, it is the
    baseline the HTTP figures are divided by, since the machine's speed varies with what
    else runs on it."""
    from splice.serve.engine import merge_now
    from splice.serve.protocol import parse_apply_message

    parts = [parse_apply_message(case.message) for case in cases]
    merge_now(parts[0].code, parts[0].update, None, parts[0].head, parts[0].tail)  # warm-up
    times = []
    cpu = time.process_time()
    for part in parts:
        start = time.perf_counter()
        merge_now(part.code, part.update, None, part.head, part.tail)
        times.append(time.perf_counter() - start)
    cpu = time.process_time() - cpu
    return statistics.median(times), len(times) / sum(times), cpu / len(times)


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
