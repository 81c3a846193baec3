"""Traceback frames that carry no evidence: a function whose body only hands its arguments
on to another call (a wrapper: `execute(sql, params)` -> `_execute_with_wrappers(sql,
params, ...)` -> `_execute(sql, params)`), and a context manager's `__exit__` (the
exception passed through a `with` block and was re-raised). Every report whose error
passes through such a frame names it, whatever the bug, so its file is no clue; the depth
of the frames that do work is counted without them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import suppress

from splice.core.errors import SpliceError
from splice.search.context import SearchContext
from splice.search.frames import frame_files
from splice.search.symbols import Definition
from splice.search.terms import Frame

FORWARD_LINES = 6  # statements a wrapper's body may hold besides the forwarding call
PROTOCOL_EXITS = frozenset({"__exit__", "__aexit__"})
_HEADER = re.compile(r"^\s*(?:async\s+)?def\s+\w+\s*\((?P<params>.*?)\)\s*(?:->[^:]*)?:",
                     re.DOTALL)
# a call: the callee (a name or attribute) and its arguments (one level of nesting)
_CALL = re.compile(r"([\w.]+)\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)")
_WORD = re.compile(r"[A-Za-z_]\w*")
_NAME = re.compile(r"[A-Za-z_][\w.]*\w|[A-Za-z_]")
_TAIL_CALL = re.compile(r"^\s*return\s+(?:await\s+)?")


def parameters(header: str) -> list[str]:
    """The named parameters a function takes, without `self`/`cls`, starred ones and
    defaults: `(self, sql, params=None, *args)` -> ['sql', 'params']."""
    names = []
    for part in header.split(","):
        part = part.strip()
        if not part or part.startswith("*") or part == "/":
            continue
        name = re.split(r"[:=]", part, maxsplit=1)[0].strip()
        if name not in ("self", "cls") and name.isidentifier():
            names.append(name)
    return names


def _passed(call: re.Match[str]) -> set[str]:
    """The names a call hands on: its arguments, and its callee when that is a bare name
    (`executor(sql, params)` calls a parameter; `X.copy()` works on one)."""
    callee = call.group(1)
    return set(_WORD.findall(call.group(2))) | ({callee} if "." not in callee else set())


def forwards(source: str) -> bool:
    """Whether a Python function's source only passes its arguments on: a short body (at
    most FORWARD_LINES statements, docstring and comments aside) that raises nothing itself
    and ends in a call whose arguments (or callee: `executor(sql, params)`) name every
    parameter it takes."""
    header = _HEADER.match(source)
    if header is None:
        return False
    params = parameters(header.group("params"))
    body = [line.strip() for line in source[header.end():].splitlines()]
    body = [line for line in body if line and not line.startswith("#")]
    if body and body[0][:3] in ('"""', "'''"):
        return False  # documented: an API entry point, not plumbing
    if not params or not body or len(body) > FORWARD_LINES:
        return False
    if any(line.startswith("raise") for line in body):
        return False  # it decides to fail: the work is here
    return any(set(params) <= _passed(m) for m in _CALL.finditer(body[-1]))


def _enclosing(defs: list[Definition], frame: Frame) -> Definition | None:
    named = [d for d in defs if d.name == frame.function]
    inside = [d for d in named if d.start_line <= frame.line <= d.end_line]
    found = inside or named
    return found[0] if found else None


def _tail_call_forwards(line: str, params: list[str]) -> bool:
    """`return super().execute(sql, params)`: the frame's line hands every parameter on."""
    tail = _TAIL_CALL.match(line)
    if tail is None or not params:
        return False
    return any(set(params) <= _passed(m) for m in _CALL.finditer(line[tail.end():]))


def is_passthrough(ctx: SearchContext, path: str, frame: Frame) -> bool:
    """Whether `frame`, found in the repo file `path`, is a wrapper or a context exit: its
    function only forwards its arguments, or the line it was at returns a call that does."""
    if frame.function in PROTOCOL_EXITS:
        return True
    if not frame.function or not path.endswith(".py") or frame.source.startswith("raise"):
        return False  # a frame that raised is where the error is
    d = _enclosing(ctx.index.definitions(path), frame)
    if d is None:
        return False
    with suppress(SpliceError):
        lines = ctx.engine.read(path).text.splitlines()
        source = "\n".join(lines[d.start_line - 1:d.end_line])
        if forwards(source):
            return True
        header = _HEADER.match(source)
        at = frame.source or (lines[frame.line - 1] if d.start_line < frame.line <= d.end_line
                              else "")
        return header is not None and _tail_call_forwards(at, parameters(header.group("params")))
    return False


def working_frames(ctx: SearchContext, frames: list[Frame],
                   files: list[str]) -> tuple[list[Frame], set[str]]:
    """`frames` without the pass-through ones, each traceback's depths counted again over
    the frames left (the innermost frame that does work is where the error was raised),
    and the names only the dropped frames gave (their functions, their printed lines')."""
    found = frame_files(frames, files)
    dropped = {id(f) for path, fs in found.items() for f in fs if is_passthrough(ctx, path, f)}
    out: list[Frame] = []
    depth = 0
    for frame in frames:
        if frame.depth == 0:
            depth = 0  # a new traceback
        if id(frame) in dropped:
            continue
        out.append(frame.model_copy(update={"depth": depth}))
        depth += 1
    return out, _names(f for f in frames if id(f) in dropped) - _names(out)


def _names(frames: Iterable[Frame]) -> set[str]:
    return {n for f in frames for n in [f.function, *_NAME.findall(f.source)] if n}
