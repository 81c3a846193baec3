"""ripgrep as a library: concurrent `rg` calls (at most 8 at once) parsed into pydantic models.

Every call respects .gitignore (also outside git), skips hidden files, binaries, files over
MAX_FILESIZE and generated or bulk files (SKIPPED_GLOBS), and has a timeout. Paths going in are confined with Repo; paths coming
out are repo-relative POSIX strings.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from typing import NamedTuple

import anyio
from pydantic import BaseModel

from splice.core.errors import InvalidRequest, SpliceError
from splice.core.repo import Repo, TextFile, decode_bytes

MAX_CONCURRENT = 8
MAX_FILESIZE = "2M"
DEFAULT_TIMEOUT_S = 20.0
MAX_LINES_PER_FILE = 5000  # line hits per shown file: a low cap hid every region past the first few hundred lines
# Generated or bulk files a code search never wants: minified code, source maps, lock files,
# translation catalogs, images.
SKIPPED_GLOBS = ["*.min.js", "*.min.css", "*.map", "*.lock", "package-lock.json", "*.po",
                 "*.pot", "*.mo", "*.svg", "*.png", "*.jpg", "*.gif", "*.ico", "*.woff*"]
BASE_ARGS = ["--no-config", "--no-require-git", "--max-filesize", MAX_FILESIZE,
             "--glob", "!.splice/", "--glob", "!.git/",
             *(arg for glob in SKIPPED_GLOBS for arg in ("--glob", f"!{glob}"))]


class SearchEngineError(SpliceError):
    code = "search_engine_error"


@cache
def rg_binary() -> str:
    """The `rg` the ripgrep wheel installed next to this Python, else one on PATH."""
    for folder in (Path(sys.executable).parent, Path(sys.prefix) / "bin"):
        candidate = folder / ("rg.exe" if os.name == "nt" else "rg")
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("rg")
    if found:
        return found
    raise SearchEngineError("ripgrep (`rg`) was not found",
                            hint="Install splice's dependencies: pip install 'ripgrep==14.1.*'.")


class GrepMatch(BaseModel):
    path: str
    line: int
    text: str
    submatches: list[str] = []


class LineHit(NamedTuple):
    """A line of a shown file and the texts of the terms on it (line_hits: thousands per
    search, so a tuple, not a model)."""

    path: str
    line: int
    submatches: list[str]


class ReadResult(BaseModel):
    path: str
    start_line: int
    end_line: int
    total_lines: int
    text: str


def _text(field: dict[str, str]) -> str:
    if "text" in field:
        return field["text"]
    return decode_bytes(base64.b64decode(field.get("bytes", ""))).text


class Engine:
    """One repo's search primitives; counts its rg calls so stats can report them."""

    def __init__(self, repo: Repo, *, timeout_s: float = DEFAULT_TIMEOUT_S,
                 limiter: anyio.CapacityLimiter | None = None) -> None:
        self.repo = repo
        self.timeout_s = timeout_s
        self.limiter = limiter or anyio.CapacityLimiter(MAX_CONCURRENT)
        self.calls = 0
        # one search reads a shown file several times (regions, imports, links): confining
        # and decoding it once is enough while this engine serves that search
        self._texts: dict[str, TextFile] = {}

    def confine(self, paths: list[str]) -> list[str]:
        """Repo-relative forms of `paths`; PathEscape for any that leaves the repo."""
        out = []
        for p in paths:
            rel = self.repo.relpath(p)
            out.append(rel if rel else ".")
        return out

    async def run(self, args: list[str]) -> tuple[bytes, str]:
        """Run rg with `args` in the repo root; stdout and stderr (exit 1 = no match)."""
        cmd = [rg_binary(), *BASE_ARGS, *args]
        async with self.limiter:
            self.calls += 1
            try:
                with anyio.fail_after(self.timeout_s):
                    # rg given no path reads stdin when it is not a tty: never let it.
                    proc = await anyio.run_process(cmd, cwd=self.repo.root, check=False,
                                                   stdin=subprocess.DEVNULL)
            except TimeoutError as exc:
                raise SearchEngineError(f"ripgrep took over {self.timeout_s:g}s and was stopped",
                                        hint="Narrow the search with paths or a rarer term.",
                                        details={"args": args}) from exc
        stderr = proc.stderr.decode("utf-8", "replace")
        if proc.returncode == 2 and ("regex parse error" in stderr or "error parsing" in stderr):
            raise InvalidRequest(f"the regex does not compile: {stderr.strip()}",
                                 hint="Fix the pattern (Rust regex syntax), or search for "
                                      "the text literally.")
        nothing_searched = not stderr.strip() or "No files were searched" in stderr
        if proc.returncode == 2 and not proc.stdout and not nothing_searched:
            raise SearchEngineError(f"ripgrep failed: {stderr.strip()[:500]}",
                                    details={"args": args})
        return proc.stdout, stderr

    async def files(self, paths: list[str] | None = None, glob: str | None = None) -> list[str]:
        """Searchable files (gitignore respected), sorted, repo-relative."""
        args = ["--files"]
        if glob:
            args += ["--glob", glob]
        out, _ = await self.run([*args, "--", *(self.confine(paths or []))])
        names = (line for line in out.decode("utf-8", "surrogateescape").splitlines() if line)
        return sorted(_clean(n) for n in names)

    async def count(self, term: str, paths: list[str] | None = None, *,
                    fixed: bool = True) -> dict[str, int]:
        """Matches per file for one term (smart case: a lowercase term ignores case)."""
        args = ["--count-matches", "--smart-case", "--no-messages", "--with-filename"]
        if fixed:
            args.append("--fixed-strings")
        out, _ = await self.run([*args, "-e", term, "--", *(self.confine(paths or []))])
        counts: dict[str, int] = {}
        for line in out.decode("utf-8", "surrogateescape").splitlines():
            name, sep, n = line.rpartition(":")
            if sep and n.isdigit():
                counts[_clean(name)] = int(n)
        return counts

    async def grep(self, patterns: list[str], paths: list[str] | None = None, *,
                   fixed: bool = True, max_count: int = 200,
                   ignore_case: bool | None = None) -> list[GrepMatch]:
        """Matching lines of any of `patterns`, with the matched substrings."""
        if not patterns:
            return []
        args = ["--json", "--max-count", str(max_count), "--max-columns", "400"]
        if fixed:
            args.append("--fixed-strings")
        args.append({None: "--smart-case", True: "--ignore-case",
                     False: "--case-sensitive"}[ignore_case])
        for p in patterns:
            args += ["-e", p]
        out, _ = await self.run([*args, "--", *(self.confine(paths or []))])
        matches = []
        for raw in out.splitlines():
            if not raw.startswith(b'{"type":"match"'):
                continue
            data = json.loads(raw)["data"]
            matches.append(GrepMatch(
                path=_clean(_text(data["path"])), line=data["line_number"],
                text=_text(data["lines"]).rstrip("\r\n"),
                submatches=[_text(s["match"]) for s in data.get("submatches", [])]))
        return matches

    async def check_regex(self, pattern: str) -> None:
        """InvalidRequest when `pattern` is not a regex ripgrep accepts."""
        await self.run(["--quiet", "-e", pattern, "--", os.devnull])

    def list_dir(self, path: str = ".") -> list[str]:
        """Entries of a folder in the repo (folders end in '/'), hidden ones left out."""
        full = self.repo.resolve(path)
        if not full.is_dir():
            raise InvalidRequest(f"{path}: is not a folder in the repository",
                                 hint="List a folder; read files with read.")
        entries = []
        for entry in sorted(os.scandir(full), key=lambda e: e.name):
            if entry.name.startswith("."):
                continue
            entries.append(entry.name + ("/" if entry.is_dir() else ""))
        return entries

    def read(self, path: str, start_line: int = 1, end_line: int | None = None) -> ReadResult:
        """Lines start..end (1-based, inclusive, clipped to the file) of a repo file."""
        file = self._texts.get(path)
        if file is None:
            file = self._texts[path] = self.repo.read_text(path)
        lines = file.text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        total = len(lines)
        start = max(1, start_line)
        end = total if end_line is None else min(end_line, total)
        if total and start > total:
            raise InvalidRequest(f"{file.path}: has {total} lines; line {start} is past the end",
                                 hint=f"Ask for lines 1-{total}.")
        wanted = lines[start - 1:end]
        body = "\n".join(line.rstrip("\r") for line in wanted) if "\r" in file.text \
            else "\n".join(wanted)
        return ReadResult(path=file.path, start_line=start, end_line=max(start, end),
                          total_lines=total, text=body)


def _clean(name: str) -> str:
    if name.startswith("./"):
        name = name[2:]
    return name if os.sep == "/" else name.replace(os.sep, "/")


async def occurrences(engine: Engine, terms: list[str], paths: list[str] | None = None, *,
                      per_file_lines: int = 500,
                      listed: bool = False) -> dict[str, dict[str, int]]:
    """How often each matched text occurs in each file (text -> path -> count), for all
    terms in ONE rg pass (case ignored). One pass over the repo costs about what one term
    costs, so a query of twenty terms stays fast on a large repo. Each file's name is
    printed once above its matches (--heading: a tenth of the output of naming the file on
    every match) and its identical matches are counted in C (Counter over bytes), so even
    100k matches cost little Python. `per_file_lines` only guards against minified files:
    rg caps lines of any term, so a low cap would let common words hide rare ones.
    `listed`: `paths` are files of the repo's listing (already confined)."""
    if not terms:
        return {}
    args = ["--only-matching", "--ignore-case", "--fixed-strings", "--with-filename", "--heading",
            "--no-line-number", "--no-messages", "--null", "--max-count", str(per_file_lines)]
    for term in sorted(terms, key=len, reverse=True):  # longest first wins at one position
        args += ["-e", term]
    where = list(paths or []) if listed else engine.confine(paths or [])
    out, _ = await engine.run([*args, "--", *where])
    table: dict[str, dict[str, int]] = {}
    texts: dict[bytes, dict[str, int]] = {}  # each match decoded once, not once per file
    for name, rows in _headed(out):
        path = _clean(name.decode("utf-8", "replace"))
        for match, n in Counter(rows.split(b"\n")).items():
            if match:
                per_path = texts.get(match)
                if per_path is None:
                    per_path = table.setdefault(match.decode("utf-8", "replace"), {})
                    texts[match] = per_path
                per_path[path] = per_path.get(path, 0) + n
    return table


def _headed(out: bytes) -> list[tuple[bytes, bytes]]:
    """(file name, its output rows) from `--heading --null` output: a name, NUL, the rows,
    a blank line before the next file (rows are never empty: every term has a character)."""
    blocks = []
    for block in out.split(b"\n\n"):
        name, sep, rows = block.partition(b"\0")
        if sep:
            blocks.append((name, rows))
    return blocks


async def line_hits(engine: Engine, terms: list[str], paths: list[str]) -> list[LineHit]:
    """Every line of `paths` holding any term (case ignored), with the matched texts: plain
    `path NUL line:match` output, far cheaper to read than --json for thousands of hits.
    `paths` are files rg listed (the ranking's): repo-relative, already confined."""
    if not terms or not paths:
        return []
    args = ["--only-matching", "--ignore-case", "--fixed-strings", "--with-filename", "--heading",
            "--line-number", "--no-messages", "--null", "--max-count", str(MAX_LINES_PER_FILE)]
    for term in sorted(terms, key=len, reverse=True):
        args += ["-e", term]
    out, _ = await engine.run([*args, "--", *paths])
    by_line: dict[tuple[str, int], list[str]] = {}
    for name, rows in _headed(out):
        path = _clean(name.decode("utf-8", "replace"))
        for row in rows.decode("utf-8", "replace").split("\n"):
            number, sep, match = row.partition(":")
            if sep and number.isdigit():
                by_line.setdefault((path, int(number)), []).append(match)
    return [LineHit(p, n, m) for (p, n), m in by_line.items()]
