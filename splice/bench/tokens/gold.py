"""What the gold patch says: each file's pre-image, post-image and change groups.

The replay uses the patch only as an oracle: to decide when a policy has seen what it
needs and what the correct edit is. Agents' queries never come from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from unidiff import PatchSet
from unidiff.errors import UnidiffParseError

from splice.core.errors import InvalidRequest


@dataclass(frozen=True)
class Change:
    """One run of removed and/or added lines. `start` is the first removed pre-image line
    (1-based); for a pure insertion, the line the new lines go before (len+1: at the end)."""

    start: int
    removed: tuple[str, ...]
    added: tuple[str, ...]

    @property
    def end(self) -> int:
        """Last removed line; start-1 for a pure insertion."""
        return self.start + len(self.removed) - 1


@dataclass
class GoldFile:
    path: str
    before: str  # "" for an added file
    after: str   # "" for a deleted file
    changes: list[Change] = field(default_factory=list)
    added: bool = False
    deleted: bool = False
    lines: set[int] = field(default_factory=set)  # pre-image lines an agent must have seen


def _strip(value: str) -> str:
    return value.rstrip("\r\n")


def read_gold(patch: str, root: Path) -> list[GoldFile]:
    """Every file of the patch with its texts, checked against the checkout at `root`."""
    try:
        patch_set = PatchSet(patch)
    except UnidiffParseError as exc:
        raise InvalidRequest(f"gold patch does not parse as a unified diff: {exc}") from exc
    out = []
    for pf in patch_set:
        if pf.is_added_file:
            before = ""
        else:
            file = root / pf.path
            if not file.is_file():
                raise InvalidRequest(f"gold patch names {pf.path}, which is not in {root}",
                                     hint="Check --repos and the task's base_commit.")
            before = file.read_text(encoding="utf-8", errors="surrogateescape")
        gold = GoldFile(path=pf.path, before=before, after="", added=pf.is_added_file,
                        deleted=pf.is_removed_file)
        gold.changes = _changes(pf)
        gold.after = "" if gold.deleted else _post_image(gold)
        gold.lines = _must_see(gold)
        out.append(gold)
    return out


def _changes(pf: object) -> list[Change]:
    changes: list[Change] = []
    for hunk in pf:  # type: ignore[attr-defined]
        removed: list[str] = []
        added: list[str] = []
        start: int | None = None
        next_source = hunk.source_start or 1
        for line in hunk:
            if line.is_removed:
                if start is None:
                    start = line.source_line_no
                removed.append(_strip(line.value))
                next_source = line.source_line_no + 1
            elif line.is_added:
                if start is None:
                    start = next_source
                added.append(_strip(line.value))
            elif line.is_context:
                if start is not None:
                    changes.append(Change(start, tuple(removed), tuple(added)))
                    removed, added, start = [], [], None
                next_source = line.source_line_no + 1
        if start is not None:
            changes.append(Change(start, tuple(removed), tuple(added)))
    return changes


def split_keep(text: str) -> tuple[list[str], str, bool]:
    """Lines without endings, the file's newline, and whether it ends with one."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines()
    return lines, newline, text.endswith(("\n", "\r"))


def _post_image(gold: GoldFile) -> str:
    lines, newline, final = split_keep(gold.before)
    out: list[str] = []
    cursor = 1
    for change in gold.changes:
        if change.start < cursor or change.end > len(lines):
            raise InvalidRequest(f"gold patch for {gold.path} does not fit the checkout "
                                 f"(change at line {change.start})",
                                 hint="The repo must be at the task's base_commit.")
        out.extend(lines[cursor - 1:change.start - 1])
        got = tuple(lines[change.start - 1:change.end])
        if got != change.removed:
            raise InvalidRequest(f"gold patch for {gold.path} does not match line "
                                 f"{change.start} of the checkout",
                                 hint="The repo must be at the task's base_commit.")
        out.extend(change.added)
        cursor = change.end + 1
    out.extend(lines[cursor - 1:])
    if not out:
        return ""
    return newline.join(out) + (newline if final or not gold.before else "")


def _must_see(gold: GoldFile) -> set[int]:
    """Removed lines; for a pure insertion, the lines on either side of it."""
    total = len(gold.before.splitlines())
    seen: set[int] = set()
    for change in gold.changes:
        if change.removed:
            seen.update(range(change.start, change.end + 1))
        else:
            seen.update(n for n in (change.start - 1, change.start) if 1 <= n <= total)
    return seen
