"""`splice bench serve`: `splice serve` over real HTTP on loopback, in its own process.

The corpus is the apply benchmark's real release pairs as lazy snippets (what Morph's and
Relace's clients send), posted in Morph's message format. Latency is end to end (request
built, sent, answered, parsed) one request at a time; throughput is N concurrent clients
for a bounded number of requests. Every 200 is checked against the new release: a merged
file that differs from it is a wrong merge; 422 is a refusal; anything else an error.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Literal

import anyio
import httpx
from pydantic import BaseModel

from splice.bench.apply_bench import build_cases
from splice.bench.apply_corpus import ChangedFile

Outcome = Literal["exact", "refused", "wrong", "error"]
VARIANTS = ("lazy-anchored", "lazy-2")
TARGET_LINES = (400, 600)  # "a 500-line file": originals in this range
URL_LINE = re.compile(r"apply endpoint at (http://\S+)")
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


def build_serve_cases(files: Sequence[ChangedFile], *, seed: int,
                      max_cases: int | None = None) -> list[ServeCase]:
    cases = build_cases(files, seed=seed, variants=VARIANTS, max_cases=max_cases)
    return [ServeCase(id=c.id, lines=c.original.count("\n") + 1, expected=c.expected,
                      message=f"<code>{c.original}</code>\n<update>{c.edit}</update>")
            for c in cases]


@contextmanager
def server_process(extra_args: Sequence[str] = ()) -> Iterator[str]:
    """`python -m splice serve --port 0` as a child process; yields its /v1 base URL."""
    proc = subprocess.Popen([sys.executable, "-m", "splice", "serve", "--port", "0",
                             *extra_args], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        url = None
        while url is None and time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line and proc.poll() is not None:
                raise RuntimeError(f"splice serve exited with {proc.returncode}")
            found = URL_LINE.search(line)
            url = found.group(1) if found else None
        if url is None:
            raise RuntimeError("splice serve did not print its URL in time")
        _wait_healthy(url)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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


async def one(client: httpx.AsyncClient, url: str, case: ServeCase) -> Sample:
    start = time.perf_counter()
    try:
        response = await client.post(f"{url}/chat/completions", json={
            "model": "morph-v3-fast", "messages": [{"role": "user", "content": case.message}]})
        status = response.status_code
        body = response.json()
    except (httpx.HTTPError, ValueError):
        return Sample(id=case.id, outcome="error", seconds=time.perf_counter() - start,
                      status=0)
    seconds = time.perf_counter() - start
    outcome: Outcome
    if status == 200:
        content = body["choices"][0]["message"]["content"]
        outcome = "exact" if content == case.expected else "wrong"
    elif status == 422 and body.get("error", {}).get("type") == "apply_refused":
        outcome = "refused"
    else:
        outcome = "error"
    return Sample(id=case.id, outcome=outcome, seconds=seconds, status=status)


async def sequential(url: str, cases: Sequence[ServeCase], repeat: int) -> list[Sample]:
    """Each case `repeat` times, one request at a time, over one kept-alive connection."""
    async with httpx.AsyncClient(timeout=60) as client:
        await one(client, url, cases[0])  # warm-up: connection, first imports, caches
        return [await one(client, url, case) for case in cases for _ in range(repeat)]


async def concurrent(url: str, cases: Sequence[ServeCase], clients: int,
                     requests: int) -> tuple[list[Sample], float]:
    """`clients` loops sharing `requests` requests over the cases; returns samples and wall s."""
    samples: list[Sample] = []
    next_index = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        async def worker() -> None:
            nonlocal next_index
            while next_index < requests:
                case = cases[next_index % len(cases)]
                next_index += 1
                samples.append(await one(client, url, case))

        await one(client, url, cases[0])
        start = time.perf_counter()
        async with anyio.create_task_group() as tg:
            for _ in range(clients):
                tg.start_soon(worker)
        wall = time.perf_counter() - start
    return samples, wall


def engine_alone(cases: Sequence[ServeCase]) -> tuple[float, float]:
    """The engine on the same cases in this process, no HTTP: (p50 seconds, merges per
    second on one thread). Measured in the same run, it is the baseline the HTTP figures
    are divided by, since the machine's speed varies with what else runs on it."""
    from splice.serve.engine import merge_now
    from splice.serve.protocol import parse_apply_message

    parts = [parse_apply_message(case.message) for case in cases]
    merge_now(parts[0].code, parts[0].update, None, parts[0].head, parts[0].tail)  # warm-up
    times = []
    for part in parts:
        start = time.perf_counter()
        merge_now(part.code, part.update, None, part.head, part.tail)
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(times) / sum(times)


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
