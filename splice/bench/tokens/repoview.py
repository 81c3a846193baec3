"""The baselines' view of a repository: terms from the task text, grep, ranged reads.

What a grep-driven agent would type: the identifiers the problem statement names, grepped
as whole words in the repo's source files; files ranked the way a sensible agent reads
them (non-test files first, then the files matching most distinct terms, then most hits).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from splice.core.syntax import EXTENSIONS

SKIP_DIRS = {"node_modules", "__pycache__", ".git", ".splice", ".hg", ".svn", ".tox",
             ".venv", "venv", "build", "dist"}
MAX_FILE_BYTES = 1_000_000
MAX_TERMS = 8

STOPWORDS = set("""
a an and are as at be been but by can could did do does for from has have if in into is it
its may more most must no not of on or our should so such than that the their them then
there these they this those to too use used uses using was were when where which while who
will with would you your fix fixed fixes issue bug error errors add added adds support
supports change changed changes make makes made now also new old allow allows after before
handle handles handled correctly correct instead only like via based version versions
python none true false self default value values work works working case cases
""".split())

_CODE = re.compile(r"``([^`]+)``|`([^`]+)`")
_ROLE = re.compile(r":[a-z]+:`[^`]*`")
_URL = re.compile(r"https?://\S+|\[[^\]]*\]\([^)]*\)")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]{2,}")


def _code_like(word: str) -> bool:
    return "_" in word or "." in word or bool(re.search(r"[a-z][A-Z]", word)) \
        or bool(re.match(r"[A-Z][a-z]+[A-Z]", word))


def query_terms(problem: str, exclude: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Identifiers the statement names: code literals first, then code-like words in the
    prose; dotted names split into their parts. Falls back to the longest plain words.
    `exclude`: words no one greps for here (the project's own package name)."""
    text = _URL.sub(" ", _ROLE.sub(" ", problem))
    found: list[str] = []
    for match in _CODE.finditer(text):
        found += _IDENT.findall(match.group(1) or match.group(2))
    prose = _CODE.sub(" ", text)
    found += [w for w in _IDENT.findall(prose) if _code_like(w)]
    terms: list[str] = []
    for name in found:
        for part in name.split("."):
            if len(part) >= 3 and part.lower() not in STOPWORDS and part not in terms \
                    and part.lower() not in exclude:
                terms.append(part)
    if not terms:
        words = [w for w in _WORD.findall(prose)
                 if w.lower() not in STOPWORDS and len(w) >= 5 and w.lower() not in exclude]
        terms = sorted(dict.fromkeys(words), key=lambda w: (-len(w), words.index(w)))
    return terms[:MAX_TERMS]


def fallback_terms(problem: str, used: list[str]) -> list[str]:
    """The broader second grep: the statement's plain words (4+ letters, no stopwords)."""
    text = _CODE.sub(lambda m: m.group(1) or m.group(2), _URL.sub(" ", _ROLE.sub(" ", problem)))
    words = [w for w in _WORD.findall(text) if len(w) >= 4 and w.lower() not in STOPWORDS]
    return [w for w in dict.fromkeys(words) if w not in used][:12]


def is_test_path(path: str) -> bool:
    parts = PurePosixPath(path).parts
    name = parts[-1]
    return any(p in ("tests", "test", "testing") for p in parts[:-1]) or \
        name.startswith("test_") or name.endswith(("_test.py", ".test.js", ".test.ts"))


@dataclass
class Hit:
    path: str
    line: int
    text: str


@dataclass
class RepoView:
    root: Path
    files: list[str] = field(default_factory=list)        # source files, sorted
    all_files: list[str] = field(default_factory=list)    # every text file, sorted
    _lines: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def scan(cls, root: Path) -> RepoView:
        view = cls(root=root)
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS
                                 and not d.startswith(".") and not d.endswith(".egg-info"))
            for name in filenames:
                full = Path(dirpath) / name
                try:
                    if full.stat().st_size > MAX_FILE_BYTES:
                        continue
                except OSError:
                    continue
                rel = PurePosixPath(full.relative_to(root)).as_posix()
                view.all_files.append(rel)
                if PurePosixPath(name).suffix.lower() in EXTENSIONS:
                    view.files.append(rel)
        view.files.sort()
        view.all_files.sort()
        return view

    def package_names(self) -> frozenset[str]:
        """Top-level package names (folders with __init__.py at the root or under src/)."""
        names = set()
        for path in self.files:
            parts = PurePosixPath(path).parts
            if parts[0] == "src":
                parts = parts[1:]
            if len(parts) == 2 and parts[1] == "__init__.py":
                names.add(parts[0].lower())
        return frozenset(names)

    def lines(self, path: str) -> list[str]:
        if path not in self._lines:
            try:
                data = (self.root / path).read_bytes()
            except OSError:
                data = b""
            text = "" if b"\0" in data[:8192] else data.decode("utf-8", errors="replace")
            self._lines[path] = text.splitlines()
        return self._lines[path]

    def text(self, path: str) -> str:
        return (self.root / path).read_text(encoding="utf-8", errors="replace")

    def grep(self, terms: list[str], files: list[str] | None = None) -> list[tuple[str, list[Hit]]]:
        """Whole-word fixed-string matches, files ranked: non-test first, most distinct
        terms, most hits, path."""
        if not terms:
            return []
        pattern = re.compile(r"(?<![A-Za-z0-9_])(?:" + "|".join(
            re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")(?![A-Za-z0-9_])")
        ranked = []
        for path in files if files is not None else self.files:
            hits: list[Hit] = []
            distinct: set[str] = set()
            for n, line in enumerate(self.lines(path), 1):
                found = pattern.findall(line)
                if found:
                    hits.append(Hit(path, n, line))
                    distinct.update(found)
            if hits:
                ranked.append((is_test_path(path), -len(distinct), -len(hits), path, hits))
        ranked.sort(key=lambda r: r[:4])
        return [(r[3], r[4]) for r in ranked]


def numbered(lines: list[str], start: int, end: int) -> str:
    """Lines start..end (1-based, inclusive) as `  42 | code`, like the agent's read tool."""
    width = len(str(end))
    return "\n".join(f"{n:>{width}} | {lines[n - 1]}" for n in range(start, end + 1))


class Seen:
    """Which lines of which files the model has been shown."""

    def __init__(self) -> None:
        self.lines: dict[str, set[int]] = {}

    def add(self, path: str, start: int, end: int) -> None:
        self.lines.setdefault(path, set()).update(range(start, end + 1))

    def covers(self, path: str, line: int) -> bool:
        return line in self.lines.get(path, ())

    def missing(self, need: dict[str, set[int]]) -> dict[str, set[int]]:
        out = {}
        for path, lines in need.items():
            left = {n for n in lines if not self.covers(path, n)}
            if left or (not lines and path not in self.lines):
                out[path] = left
        return out
