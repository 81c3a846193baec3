"""Paths no edit, patch or write-back may write, move or delete.

`.git` at any depth (any letter case, and the spellings other file systems fold into
`.git`: trailing dots or spaces, ignorable code points) and `.splice` are always
protected; a repo adds its own with `[tool.splice] protected = ["secrets/**", ...]` in its
pyproject.toml, or the SPLICE_PROTECTED environment variable (patterns separated by
os.pathsep). A pattern protects what it matches and everything below it.
"""

from __future__ import annotations

import fnmatch
import os
import tomllib
from collections.abc import Sequence
from pathlib import Path

from splice.core.errors import ProtectedPath

ALWAYS = (".git", ".splice")
ENV_VAR = "SPLICE_PROTECTED"
# Code points HFS+ ignores in names (git refuses ".g\u200cit" for the same reason).
_IGNORABLE = dict.fromkeys([0x200C, 0x200D, 0x200E, 0x200F, *range(0x202A, 0x202F),
                            *range(0x206A, 0x2070), 0xFEFF])


def fold(name: str) -> str:
    """A path part as a case-insensitive, dot-trimming file system would see it."""
    return name.translate(_IGNORABLE).rstrip(" .").casefold()


def load_patterns(root: Path) -> list[str]:
    """The repo's own protected patterns (pyproject.toml, then the environment)."""
    patterns: list[str] = []
    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
        extra = data.get("tool", {}).get("splice", {}).get("protected", [])
        if isinstance(extra, list):
            patterns += [p for p in extra if isinstance(p, str) and p.strip()]
    except (OSError, ValueError):
        pass
    patterns += [p for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    return patterns


def protected_reason(rel: str, patterns: Sequence[str] = ()) -> str | None:
    """Why `rel` (root-relative, POSIX) may not be written, or None when it may."""
    parts = [p for p in rel.split("/") if p not in ("", ".")]
    for part in parts:
        if fold(part) in ALWAYS:
            return f"it lies in {part}/, which splice never writes"
    for pattern in patterns:
        pat = pattern.strip().strip("/")
        for i in range(1, len(parts) + 1):
            if fnmatch.fnmatchcase("/".join(parts[:i]), pat):
                return f"it matches the protected pattern {pattern!r}"
    return None


def check_writable(rel: str, patterns: Sequence[str] = (), *, raw: str | None = None,
                   root: Path | None = None, action: str = "write") -> None:
    """Raise ProtectedPath when `rel`, or the path as the caller spelled it (`raw`: a
    `.git` named on the way, as in `a/../.git/x`, counts too), is protected."""
    spelled = _spelled_rel(raw, root)
    for candidate in dict.fromkeys([rel, *([spelled] if spelled else [])]):
        reason = protected_reason(candidate, patterns)
        if reason is not None:
            shown = raw if raw and not raw.startswith("/") else rel
            raise ProtectedPath(
                f"refusing to {action} {shown}: {reason}.",
                hint="Edits may not touch .git/, .splice/ or the repo's protected paths; "
                     "edit the project's own files instead.", path=shown)


def _spelled_rel(raw: str | None, root: Path | None) -> str | None:
    """`raw` relative to the root as written (no symlinks resolved), or None."""
    if not raw:
        return None
    raw = raw.replace("\\", "/")
    if not raw.startswith("/"):
        return raw
    if root is not None:
        prefix = root.as_posix().rstrip("/") + "/"
        if raw.startswith(prefix):
            return raw[len(prefix):]
    return None
