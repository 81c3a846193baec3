"""The call sites an edit left behind: when an edit changes a definition's signature
(signatures.py), the lines across the repo that call it, found with one ripgrep pass for
the changed names and kept only where tree-sitter sees a call (not a definition, comment or
string). Best first (the edited file, then files by how much of their folder they share
with it), within a token budget, with a count of what was left out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import anyio
from tree_sitter import Node, Tree

from splice.core.callsites import CallersReport, CallSite, SignatureCallers, SignatureChange
from splice.core.errors import SpliceError
from splice.core.repo import Repo
from splice.core.syntax import LINE_COMMENTS, language_name, parse
from splice.core.tokens import count_tokens
from splice.search.ripgrep import Engine
from splice.search.signatures import signature_changes

DEFAULT_MAX_TOKENS = 1000
MAX_CALL_LINES = 12  # a call longer than this is shown from its first line

# Files with matches past the budget are still parsed, to count their calls exactly, up to
# this many; past it a line that spells a call counts as one.
EXACT_COUNT_FILES = 40
_DEFINES = re.compile(r"\b(?:def|function|fn|func)\s")
_CALL_TYPES = {"call", "call_expression", "new_expression", "method_invocation",
               "object_creation_expression", "macro_invocation"}
_NAME_TYPES = {"identifier", "property_identifier", "field_identifier", "type_identifier"}


@dataclass
class _Target:
    change: SignatureChange
    bare: re.Pattern[str]  # name( not after a dot
    dotted: re.Pattern[str]  # receiver.name(


def _target(change: SignatureChange) -> _Target:
    n = re.escape(change.call_name)
    return _Target(change, re.compile(rf"(?:^|[^\w$.])(?P<n>{n})\s*\("),
                   re.compile(rf"(?P<recv>\w*)\s*\.\s*(?P<n>{n})\s*\("))


def _module_names(path: str, text: str) -> set[str]:
    """What a file calls the module at `path` by: its name and any `import ... as` alias."""
    p = PurePosixPath(path)
    stem = p.parent.name if p.stem == "__init__" else p.stem
    names = {stem}
    s = re.escape(stem)
    names.update(re.findall(rf"import\s+[\w.]*\b{s}\s+as\s+(\w+)", text))
    return names


def _call_node(tree: Tree, row: int, col: int, name: str) -> Node | None:
    """The call whose callee is the name at (row, col), or None (a definition, a mention in
    a comment or string, a reference that is not called)."""
    node = tree.root_node.named_descendant_for_point_range((row, col), (row, col + len(name)))
    if node is None or node.type not in _NAME_TYPES:
        return None
    up: Node | None = node.parent
    for _ in range(3):
        if up is None:
            return None
        if up.type in _CALL_TYPES:
            args = up.child_by_field_name("arguments")
            if args is not None and args.start_byte >= node.end_byte:
                return up
            return None
        up = up.parent
    return None


def _columns(line: str, t: _Target, modules: set[str]) -> list[int]:
    """Where `line` calls the target's name: `name(` for functions (and `module.name(`),
    `.name(` for methods."""
    cols = [] if t.change.method_only else [m.start("n") for m in t.bare.finditer(line)]
    cols += [m.start("n") for m in t.dotted.finditer(line)
             if t.change.method_only or m.group("recv") in modules]
    return cols


def _strip_comment(line: str, language: str | None) -> str:
    for mark in LINE_COMMENTS.get(language or "", ("#", "//")):
        line = line.split(mark, 1)[0]
    return line


@dataclass
class _File:
    path: str
    text: str
    lines: list[str]
    tree: Tree | None
    language: str | None


def _load(root: Path, path: str, text: str | None) -> _File | None:
    if text is None:
        try:
            text = Repo(root).read_text(path).text
        except SpliceError:  # unreadable or binary: its lines cannot be shown anyway
            return None
    language = language_name(path)
    tree = parse(text, language) if language else None
    return _File(path, text, text.splitlines(), tree, language)


def _sites_in(f: _File, rows: list[int], t: _Target, home: str) -> list[CallSite]:
    """The call sites of `t` on 0-based `rows` of file `f`."""
    out: list[CallSite] = []
    name = t.change.call_name
    modules = _module_names(home, f.text) if not t.change.method_only else set()
    for row in rows:
        line = f.lines[row] if row < len(f.lines) else ""
        cols = _columns(line, t, modules)
        for col in sorted(set(cols)):
            if f.tree is None:
                if col < len(_strip_comment(line, f.language)):
                    out.append(CallSite(path=f.path, start_line=row + 1, end_line=row + 1,
                                        symbol=t.change.name))
                continue
            call = _call_node(f.tree, row, len(line[:col].encode("utf-8")), name)
            if call is not None:
                end = min(call.end_point[0], row + MAX_CALL_LINES - 1)
                out.append(CallSite(path=f.path, start_line=row + 1, end_line=end + 1,
                                    symbol=t.change.name))
    return out


def _closeness(home: str, path: str) -> tuple[int, int]:
    """Edited file first, then files sharing more of its folder."""
    if path == home:
        return (0, 0)
    a, b = PurePosixPath(home).parent.parts, PurePosixPath(path).parent.parts
    shared = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                  min(len(a), len(b)))
    return (1, -shared)


def _names_pattern(changes: list[SignatureChange]) -> str:
    return rf"\b(?:{'|'.join(sorted({re.escape(c.call_name) for c in changes}))})\b"


async def find_callers(root: str | Path, path: str, old_text: str, new_text: str, *,
                       max_tokens: int = DEFAULT_MAX_TOKENS,
                       engine: Engine | None = None) -> CallersReport:
    """The call sites of every definition in `path` whose signature changed between
    `old_text` and `new_text` (the repo holds `new_text` at `path`), within `max_tokens`."""
    root = Path(root)
    repo = Repo(root)
    rel = repo.relpath(path)
    language = language_name(rel)
    report = CallersReport(path=rel)
    if language is None:
        return report
    changes = await anyio.to_thread.run_sync(signature_changes, old_text, new_text, language)
    if not changes:
        return report
    targets = [_target(c) for c in changes]
    report.changes = [SignatureCallers(change=c) for c in changes]
    hits: dict[str, dict[int, str]] = {}
    pattern = _names_pattern(changes)
    engine = engine or Engine(repo)
    for m in await engine.grep([pattern], fixed=False, ignore_case=False, max_count=1000):
        hits.setdefault(m.path, {})[m.line - 1] = m.text
    # the edited file as the caller gave it (the disk may still hold the old text)
    home = {i: line for i, line in enumerate(new_text.splitlines())
            if re.search(pattern, line)}
    hits.pop(rel, None)
    if home:
        hits[rel] = home
    used, full, counted = 0, False, 0
    modules = _module_names(rel, "")
    for p in sorted(hits, key=lambda p: (*_closeness(rel, p), p)):
        lines = sorted(hits[p])
        if full:
            counted += 1
        if counted > EXACT_COUNT_FILES:  # too many to parse: count calls by their lines
            for t, entry in zip(targets, report.changes, strict=True):
                entry.left_out += sum(bool(_columns(text, t, modules)) and
                                      not _DEFINES.search(text) for text in hits[p].values())
            continue
        f = await anyio.to_thread.run_sync(_load, root, p, new_text if p == rel else None)
        if f is None:
            continue
        found = [(s, entry) for t, entry in zip(targets, report.changes, strict=True)
                 for s in _sites_in(f, lines, t, rel)]
        # in the edited file, nearest the changed definition first
        found.sort(key=lambda se: (abs(se[0].start_line - se[1].change.line) if p == rel
                                   else se[0].start_line))
        for site, entry in found:
            text = "\n".join(f.lines[site.start_line - 1:site.end_line])
            cost = count_tokens(f"{site.label()}\n{text}") + 1
            if full or used + cost > max_tokens:
                entry.left_out += 1
                full = True
                continue
            used += cost
            entry.sites.append(site)
    report.tokens = used
    return report


async def callers_after_edit(root: str | Path, path: str, old_text: str | None, *,
                             max_tokens: int = DEFAULT_MAX_TOKENS) -> CallersReport | None:
    """After an edit of `path` wrote its new text: the callers of what it changed, or None
    when no signature changed (or the file was new, or is no longer readable)."""
    if old_text is None:
        return None
    try:
        new_text = Repo(Path(root)).read_text(path).text
    except SpliceError:  # the edit deleted or moved it: nothing to compare
        return None
    report = await find_callers(root, path, old_text, new_text, max_tokens=max_tokens)
    return report if report.changes else None


def text_before_edit(root: str | Path, path: str) -> str | None:
    """The file's text before an edit, or None when it does not exist or is not text."""
    try:
        return Repo(Path(root)).read_text(path).text
    except SpliceError:
        return None
