"""Files a report names by their module name, not by their path.

Tools print a numbered module by its name: Django and Alembic name a migration
`auth.0011_update_proxy_permissions` (app label, then the migration's file name). Such a name
occurs in no file's text, so no term occurrence finds it: it is matched against the file
names. Only names that can be nothing but a module count: a name that starts with digits
cannot be a function, class or attribute (tried on the SWE-bench dev set: any code-like
name equal to a file's name also took `subplots_adjust` or `tight_layout`, functions that
share their module's name, and cost three tasks their top file). Only a name at most
MAX_HOLDERS code files carry counts: every app has a `0001_initial`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from splice.core.syntax import EXTENSIONS

MAX_HOLDERS = 2    # a module name more files carry than this names none of them
MIN_LENGTH = 6     # `0001_a`: shorter names are too likely by chance
EXTENSIONS_NO_DOT = frozenset(e.lstrip(".") for e in EXTENSIONS)  # the parsed languages
# a token of names joined by dots or slashes; segments may start with a digit (migrations)
_TOKEN = re.compile(r"(?<![\w./-])[\w-]+(?:[./][\w-]+)*")
_NUMBERED = re.compile(r"\d+_[a-z]\w*")  # 0011_update_proxy_permissions


def _module_only(segment: str) -> bool:
    """A name only a module can have: digits, an underscore, then a word."""
    return len(segment) >= MIN_LENGTH and bool(_NUMBERED.fullmatch(segment))


def module_names(query: str) -> set[str]:
    """The segments of the query's names that only a module can have, lowercase."""
    out: set[str] = set()
    for token in _TOKEN.findall(query):
        out.update(s for s in re.split(r"[./]", token.lower()) if _module_only(s))
    return out


@lru_cache(maxsize=8)
def _by_stem(files: tuple[str, ...]) -> dict[str, list[str]]:
    by_stem: dict[str, list[str]] = defaultdict(list)
    for path in files:
        name = path.rpartition("/")[2]
        stem, _, ext = name.partition(".")
        if ext in EXTENSIONS_NO_DOT:
            by_stem[stem.lower()].append(path)
    return by_stem


def named_files(query: str, files: list[str]) -> list[str]:
    """The code files whose module name the query writes, held by at most MAX_HOLDERS code
    files."""
    by_stem = _by_stem(tuple(files))
    out: list[str] = []
    for name in sorted(module_names(query)):
        holders = by_stem.get(name, [])
        if 0 < len(holders) <= MAX_HOLDERS:
            out += holders
    return list(dict.fromkeys(out))
