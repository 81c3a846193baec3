"""A tiny repo and SWE-bench-style tasks for the token benchmark's tests (no network)."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

FILLER = "\n".join(
    f"def helper_{i}(value):\n    \"\"\"Helper number {i}.\"\"\"\n    return value + {i}\n"
    for i in range(60))

CORE = f'''"""Header parsing."""

import re

{FILLER}

def parse_header(line):
    """Split a Content-Type style header into the value and its parameters."""
    value, _, rest = line.partition(";")
    params = {{}}
    for item in rest.split(";"):
        key, _, val = item.strip().partition("=")
        if key and key != "charset":
            params[key] = val
    return value.strip(), params


def format_header(value, params):
    return value + "".join(f"; {{k}}={{v}}" for k, v in params.items())
'''

CALLERS = "\n".join(
    f"from pkg.core import parse_header\n\n\ndef use_{i}(line):\n    return parse_header(line)[{i % 2}]\n"
    for i in range(3))

NET = '''"""Network settings."""

WAIT = 1
HOSTS = ["a", "b"]


def hosts():
    return list(HOSTS)
'''


def _diff(path: str, before: str, after: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True),
                                        f"a/{path}", f"b/{path}", n=3))


def make_repo(root: Path) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text('"""pkg."""\n')
    (root / "pkg" / "core.py").write_text(CORE)
    (root / "pkg" / "net.py").write_text(NET)
    for i in range(3):
        (root / "pkg" / f"client_{i}.py").write_text(CALLERS)
    return root


def header_task() -> dict[str, str]:
    after = CORE.replace('        if key and key != "charset":\n', "        if key:\n")
    return {"instance_id": "fixture-1", "repo": "local/fixture", "base_commit": "",
            "problem_statement": "``parse_header`` drops the ``charset`` parameter of a "
                                 "Content-Type header.",
            "patch": _diff("pkg/core.py", CORE, after)}


def miss_task() -> dict[str, str]:
    after = NET.replace("WAIT = 1\n", "WAIT = 10\n")
    return {"instance_id": "fixture-2", "repo": "local/fixture", "base_commit": "",
            "problem_statement": "Timeouts are far too short on slow links.",
            "patch": _diff("pkg/net.py", NET, after)}


def write_tasks(path: Path, *tasks: dict[str, str]) -> Path:
    path.write_text("".join(json.dumps(t) + "\n" for t in tasks))
    return path
