"""Lazy-edit marker lines: a comment, in the file's own syntax, whose text starts and ends
with `...` — `# ... existing code ...`, `// ... keep the auth checks ...`, `<!-- ... -->`."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePosixPath

_STYLES: dict[str, str] = {
    "hash": r"\#+\s*(?P<t>.*?)",
    "slash": r"//+\s*(?P<t>.*?)",
    "block": r"/\*+\s*(?P<t>.*?)\s*\*+/",
    "jsx": r"\{\s*/\*+\s*(?P<t>.*?)\s*\*+/\s*\}",
    "html": r"<!--\s*(?P<t>.*?)\s*-->",
    "dash": r"--\s*(?P<t>.*?)",
    "semi": r";+\s*(?P<t>.*?)",
    "percent": r"%+\s*(?P<t>.*?)",
}

_HASH = ("hash",)
_C = ("slash", "block")
_BY_EXT: dict[str, tuple[str, ...]] = {
    **{e: _HASH for e in (".py", ".pyi", ".sh", ".bash", ".zsh", ".rb", ".pl", ".r", ".yaml",
                          ".yml", ".toml", ".cfg", ".conf", ".mk", ".cmake", ".nim", ".ps1",
                          ".dockerfile", ".tf", ".coffee", ".jl", ".ex", ".exs", ".cr")},
    **{e: _C for e in (".c", ".h", ".cc", ".cpp", ".hpp", ".cxx", ".java", ".go", ".rs",
                       ".kt", ".kts", ".swift", ".scala", ".cs", ".dart", ".zig", ".proto",
                       ".css", ".scss", ".less", ".groovy", ".gradle", ".json5", ".jsonc")},
    **{e: (*_C, "jsx") for e in (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx",
                                  ".vue", ".svelte")},
    **{e: ("html",) for e in (".html", ".htm", ".xml", ".svg", ".md", ".markdown", ".xhtml")},
    **{e: ("dash", "block") for e in (".sql", ".lua", ".hs", ".elm", ".ada", ".adb")},
    **{e: ("semi",) for e in (".lisp", ".clj", ".cljs", ".el", ".scm", ".ini", ".asm", ".s")},
    ".php": ("hash", "slash", "block", "html"),
    ".tex": ("percent",), ".erl": ("percent",), ".m": ("percent", "slash", "block"),
}
_NAMES: dict[str, tuple[str, ...]] = {"Makefile": _HASH, "Dockerfile": _HASH,
                                      "CMakeLists.txt": _HASH}


def _compile(styles: tuple[str, ...]) -> re.Pattern[str]:
    # each style gets its own named group, since a name may appear only once
    parts = [_STYLES[s].replace("(?P<t>", f"(?P<t{i}>") for i, s in enumerate(styles)]
    return re.compile(r"^\s*(?:" + "|".join(f"(?:{p})" for p in parts) + r")\s*$")


_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def styles_for(path: str | None) -> tuple[str, ...]:
    if path:
        p = PurePosixPath(path.replace("\\", "/"))
        if p.name in _NAMES:
            return _NAMES[p.name]
        found = _BY_EXT.get(p.suffix.lower())
        if found:
            return found
    return tuple(_STYLES)


def _pattern(styles: tuple[str, ...]) -> re.Pattern[str]:
    pattern = _PATTERNS.get(styles)
    if pattern is None:
        pattern = _compile(styles)
        _PATTERNS[styles] = pattern
    return pattern


def _is_elided(text: str) -> bool:
    text = text.strip().replace("\u2026", "...")
    return len(text) >= 3 and text.startswith("...") and text.endswith("...")


def marker_checker(path: str | None) -> Callable[[str], bool]:
    """A predicate telling marker lines apart, for `path`'s comment syntax."""
    pattern = _pattern(styles_for(path))

    def is_marker(line: str) -> bool:
        if "..." not in line and "\u2026" not in line:
            return False
        m = pattern.match(line)
        if m is None:
            return False
        text = next((g for g in m.groups() if g is not None), "")
        return _is_elided(text)

    return is_marker


def has_markers(lines: list[str], path: str | None) -> bool:
    is_marker = marker_checker(path)
    return any(is_marker(line) for line in lines)
