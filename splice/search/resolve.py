"""Definitions on demand: a lazy index parses only the files that can define a name a
search asks about, so a cold search never parses the whole repo before it answers.

A Python file can define `name` only on a `def name` or `class name` line, so one rg pass
over the Python files finds every candidate; for the other grammars a line of any shape a
definition the symbol queries extract can take (a keyword before the name, the name before
`(`, `<`, `[` or `=` and not after a dot, the name opening or ending a line, a Rust `impl`
line) makes a candidate. The candidates are read once,
taken from the blob store when their content was seen before, and the rest parsed (in
forked processes when there are many): find() then answers as a full index would."""

from __future__ import annotations

import multiprocessing as mp
import os
import re
import subprocess
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from functools import partial
from pathlib import Path

from splice.core.syntax import EXTENSIONS
from splice.search.index import _from_store, _parse_batch, _to_store
from splice.search.ripgrep import BASE_ARGS, _clean, rg_binary
from splice.search.symbol_index import FileEntry, SymbolIndex

TIMEOUT_S = 20.0
PROCESS_FILES = 24  # from this many files, parse in forked processes (one per core)
_WORD = re.compile(r"^\w+$")
_PYTHON = sorted(ext for ext, lang in EXTENSIONS.items() if lang == "python")
_OTHER = sorted(ext for ext, lang in EXTENSIONS.items() if lang != "python")


def _rg(root: Path, args: list[str]) -> set[str]:
    """Files (repo-relative) rg lists for `args`; an rg failure lists none: then every
    unparsed file is a candidate (slow, never wrong)."""
    cmd = [rg_binary(), *BASE_ARGS, "--files-with-matches", "--no-messages", "--ignore-case",
           *args]
    try:
        proc = subprocess.run(cmd, cwd=root, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _Unsure from exc
    if proc.returncode not in (0, 1):
        raise _Unsure
    return {_clean(n) for n in proc.stdout.decode("utf-8", "surrogateescape").splitlines() if n}


class _Unsure(Exception):
    """rg could not say which files hold a name."""


def _globs(exts: list[str]) -> list[str]:
    return [arg for ext in exts for arg in ("--iglob", f"*{ext}")]


def candidates(index: SymbolIndex, names: set[str]) -> set[str]:
    """The unparsed files that may define any of `names`."""
    unparsed = set(index.unparsed())
    if not unparsed or index.root is None:
        return set()
    words = sorted(n for n in names if _WORD.match(n))
    others = sorted(n for n in names if not _WORD.match(n))  # never a Python identifier
    calls: list[list[str]] = []
    if words and any(os.path.splitext(p)[1].lower() in _PYTHON for p in unparsed):
        pattern = r"\b(?:def|class)\s+(?:" + "|".join(words) + r")\b"
        calls.append([*_globs(_PYTHON), "-e", pattern])
    if any(os.path.splitext(p)[1].lower() in _OTHER for p in unparsed):
        if words:
            calls.append([*_globs(_OTHER), "--crlf", "-e", _shapes(words)])
        if others:  # names no regex spells simply: any whole-word occurrence
            calls.append(["--fixed-strings", "--word-regexp", *_globs(_OTHER),
                          *(arg for n in others for arg in ("-e", n))])
    found: set[str] = set()
    try:
        with ThreadPoolExecutor(max(1, len(calls))) as pool:  # the passes run side by side
            for files in pool.map(partial(_rg, index.root), calls):
                found |= files
    except _Unsure:
        return unparsed
    return found & unparsed


def _shapes(words: list[str]) -> str:
    """A line where a JS/TS, Go, Rust or Java definition of one of `words` may start: a
    keyword before the name; the name (not after a dot) assigned, ending the line, or
    followed by `(` on a line that opens a block, ends after `)` or leaves `(` open; an
    abstract or interface method `type name(...);`; a Rust `impl` line; the name opening a
    line (a Go type in a `type (...)` group). A superset: a few calls match too."""
    name = "(?:" + "|".join(words) + ")"
    free = r"(?:^|[^.\w$])" + name  # not a member access such as x.name
    return "|".join([
        r"\b(?:function|class|interface|enum|type|struct|trait|mod|fn|func|record|const|let"
        r"|var)\s*\*?\s*" + name + r"\b",
        free + r"\s*(?:=[^=>]|=$|$)",
        free + r"\s*(?:<[^>]*>\s*)?\((?:.*\{|.*\)\s*$|[^)]*$)",
        r"\w\s+" + name + r"\s*\([^;]*\)[^;{]*;",
        r"\bimpl\b.*\b" + name + r"\b",
        r"^\s*" + name + r"\b"])


def fill(index: SymbolIndex, paths: list[str]) -> int:
    """Parse (or take from the blob store) those of `paths` not parsed yet; how many."""
    todo = [p for p in paths if p in index.files and index.files[p].defs is None]
    if not todo or index.root is None:
        return 0
    root = index.root
    reused, keys = _from_store(root, todo)
    rest = [p for p in todo if p not in reused]
    parsed = _parse(root, rest)
    if parsed and keys:
        _to_store(parsed, keys)
    index.from_store += len(reused)
    index.parsed_here += len(parsed)
    got = {**reused, **dict(parsed)}
    # a file unreadable now stays listed, with no definitions (as a full build leaves it out)
    index.set_entries([(p, got.get(p) or FileEntry(index.files[p].size,
                                                   index.files[p].mtime_ns, "")) for p in todo])
    return len(todo)


def _parse(root: Path, paths: list[str]) -> list[tuple[str, FileEntry]]:
    if len(paths) < PROCESS_FILES or (os.cpu_count() or 1) < 2 \
            or "fork" not in mp.get_all_start_methods():
        return _parse_batch(root, paths)
    size = max(8, len(paths) // (4 * (os.cpu_count() or 1)))  # a few batches per core
    batches = [paths[i:i + size] for i in range(0, len(paths), size)]
    with ProcessPoolExecutor(os.cpu_count(), mp_context=mp.get_context("fork")) as pool:
        return [r for part in pool.map(_parse_batch, [root] * len(batches), batches)
                for r in part]


def resolve(index: SymbolIndex, names: set[str]) -> None:
    """Make find() exact for `names`: parse every unparsed file that may define one."""
    new = {n for n in names if n not in index.resolved}
    if not new:
        return
    fill(index, sorted(candidates(index, new)))
    index.resolved |= new
