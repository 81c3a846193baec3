"""Run one turn's tool calls concurrently where they are independent.

Two calls conflict when either changes the tree and what they touch overlaps: an edit
touches its path, a read observes its path, a search observes the whole tree, a run or a
finish both observes and may change all of it. A call waits for every earlier call it
conflicts with, so edits to one path apply in the order the model gave them, a test run
sees the edits issued before it, and reads and searches overlap freely.
"""

from __future__ import annotations

import posixpath
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

import anyio

from splice.agent.tool_io import EDIT, FINISH, READ, RUN, SEARCH
from splice.core.llm import ToolUseBlock

R = TypeVar("R")
EVERYTHING = "*"


def _norm(path: object) -> str:
    text = str(path or "").replace("\\", "/").strip()
    return posixpath.normpath(text).lstrip("/") if text else ""


def footprint(call: ToolUseBlock) -> tuple[bool, str | None]:
    """(changes the tree?, what it touches: a path, EVERYTHING, or None for nothing)."""
    if call.name == EDIT:
        return True, _norm(call.input.get("path")) or EVERYTHING
    if call.name == READ:
        return False, _norm(call.input.get("path")) or EVERYTHING
    if call.name == SEARCH:
        return False, EVERYTHING
    if call.name in (RUN, FINISH):
        return True, EVERYTHING
    return False, None  # unknown tools answer with an error and touch nothing


def conflicts(a: ToolUseBlock, b: ToolUseBlock) -> bool:
    writes_a, scope_a = footprint(a)
    writes_b, scope_b = footprint(b)
    if not (writes_a or writes_b) or scope_a is None or scope_b is None:
        return False
    return EVERYTHING in (scope_a, scope_b) or scope_a == scope_b


def dependencies(calls: Sequence[ToolUseBlock]) -> list[list[int]]:
    return [[j for j in range(i) if conflicts(calls[j], calls[i])] for i in range(len(calls))]


async def run_concurrently(calls: Sequence[ToolUseBlock],
                           execute: Callable[[ToolUseBlock], Awaitable[R]]) -> list[R]:
    """Results in the order of `calls`; `execute` must not raise."""
    deps = dependencies(calls)
    done = [anyio.Event() for _ in calls]
    results: list[R | None] = [None] * len(calls)

    async def one(i: int) -> None:
        try:
            for j in deps[i]:
                await done[j].wait()
            results[i] = await execute(calls[i])
        finally:
            done[i].set()

    async with anyio.create_task_group() as tg:
        for i in range(len(calls)):
            tg.start_soon(one, i)
    out: list[R] = []
    for result in results:
        assert result is not None, "execute() returned None"
        out.append(result)
    return out
