"""The symbol index in memory: each file's definitions packed as text rows, and where a
name is defined, found by one regex over all files' rows. Built, cached and kept fresh by
index.py; a lazy index parses what a lookup needs first (resolve.py)."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from splice.search.symbols import Definition


@dataclass
class FileEntry:
    size: int
    mtime_ns: int
    # "name\tkind\tstart\tend" lines: one JSON string a file loads far faster than nested
    # lists, and only the files a search touches are ever split into Definitions.
    # None: not parsed yet (a lazy index parses a file when a search needs it: resolve.py).
    defs: str | None


def pack(defs: list[Definition]) -> str:
    return "".join(f"{' '.join(d.name.split())}\t{d.kind}\t{d.start_line}\t{d.end_line}\n"
                   for d in defs)


def unpack(packed: str) -> list[Definition]:
    out = []
    for line in packed.split("\n"):
        if line:
            name, kind, start, end = line.split("\t")
            out.append(Definition.from_row([name, kind, int(start), int(end)]))
    return out


@dataclass
class SymbolIndex:
    files: dict[str, FileEntry] = field(default_factory=dict)
    listing: list[str] = field(default_factory=list)  # every searchable file, as last listed
    listed_at: float = 0.0  # time.time() of that listing
    # names (lowercase) whose every possible defining file is parsed: find() answers
    # them exactly although other files are not parsed yet
    resolved: set[str] = field(default_factory=set)
    root: Path | None = None  # where unparsed files are read from (None: never parse)
    dirty: bool = False  # parsed since the snapshot was written
    from_store: int = 0  # files this process filled from the blob store (resolve.fill)
    stat_search: int = -1  # the search (searches.current()) whose build_index stat'ed every file
    parsed_here: int = 0  # files this process parsed itself (resolve.fill)
    _defs: dict[str, list[Definition]] = field(default_factory=dict)
    _joined: tuple[str, list[int], list[str]] | None = None
    _lowered: tuple[str, str | None] | None = None  # (blob, "\n" + its lowercase copy)
    # find()'s answers per name for one blob: a warm search asks the same names again
    _found: tuple[str, dict[str, list[tuple[str, Definition]]]] | None = None

    def unparsed(self) -> list[str]:
        return [p for p, e in self.files.items() if e.defs is None]

    def definitions(self, path: str) -> list[Definition]:
        if path not in self._defs:
            entry = self.files.get(path)
            if entry is not None and entry.defs is None and self.root is not None:
                from splice.search.resolve import fill

                fill(self, [path])
                entry = self.files.get(path)
            self._defs[path] = unpack(entry.defs) if entry and entry.defs else []
        return self._defs[path]

    def set_entries(self, entries: list[tuple[str, FileEntry]]) -> None:
        """Newly parsed files (already listed ones keep their place: one order, one answer)."""
        for rel, entry in entries:
            self.files[rel] = entry
            self._defs.pop(rel, None)
        if entries:
            self._joined = None
            self.dirty = True

    def find(self, names: set[str]) -> dict[str, list[tuple[str, Definition]]]:
        """Where each of `names` (lowercase) is defined: one regex over each file's packed
        rows (in C), Definitions built only for the files that hold a name. In a lazy index
        the files that may define a name not asked before are parsed first (resolve.py)."""
        table: dict[str, list[tuple[str, Definition]]] = defaultdict(list)
        if not names:
            return table
        if self.root is not None and not names <= self.resolved:
            from splice.search.resolve import resolve

            resolve(self, names)
        blob, starts, paths = self._blob()
        lower = self._lower(blob)
        if lower is None:  # rare non-ASCII names: matched each time, case ignored
            return self._match(names, "\n" + blob, starts, paths, re.IGNORECASE)
        if self._found is None or self._found[0] is not blob:
            self._found = (blob, {})
        memo = self._found[1]
        missing = names - memo.keys()
        if missing:
            for name in missing:
                memo[name] = []
            for name, rows in self._match(missing, lower, starts, paths, 0).items():
                if name in missing:
                    memo[name] = rows
        for name in names:
            if memo.get(name):
                table[name] = memo[name]
        return table

    def _match(self, names: set[str], text: str, starts: list[int], paths: list[str],
               flags: int) -> dict[str, list[tuple[str, Definition]]]:
        """Definitions named any of `names`, by one regex over `text` ("\n" and the blob or
        its lowercase copy, matched without IGNORECASE: several times faster). A row is
        found by the newline before it: a literal the regex engine skips to, where "^"
        would be tried at every character."""
        blob = self._blob()[0]
        table: dict[str, list[tuple[str, Definition]]] = defaultdict(list)
        wanted = re.compile("\n(?:" + "|".join(map(re.escape, sorted(names))) + ")\t", flags)
        for m in wanted.finditer(text):
            at = m.start()  # "\n" at `at` in text: the row starts at `at` in the blob
            path = paths[bisect.bisect_right(starts, at) - 1]
            d = unpack(blob[at:blob.index("\n", at) + 1])[0]
            table[d.name.lower()].append((path, d))
        return table

    def _lower(self, blob: str) -> str | None:
        """"\n" and the blob in lowercase (None when lowercasing moves characters)."""
        if self._lowered is None or self._lowered[0] is not blob:
            low = blob.lower()
            self._lowered = (blob, "\n" + low if len(low) == len(blob) else None)
        return self._lowered[1]

    def _blob(self) -> tuple[str, list[int], list[str]]:
        """All packed rows in one string (one regex pass finds names in every file), with
        where each file's rows start."""
        if self._joined is None:
            starts, paths, parts, at = [], [], [], 0
            for path, entry in self.files.items():
                if entry.defs:  # None (unparsed) or "" (no definitions): nothing to match
                    starts.append(at)
                    paths.append(path)
                    parts.append(entry.defs)
                    at += len(entry.defs)
            self._joined = ("".join(parts), starts, paths)
        return self._joined
