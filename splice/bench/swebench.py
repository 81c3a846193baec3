"""SWE-bench bug reports on source archives of the projects' own releases.

The tasks (`shared/data/swebench-dev.jsonl`: Django, matplotlib, scikit-learn) name commits
this machine cannot reach. Their releases' source archives on PyPI are reachable, so each
task is mapped to a release whose source the gold patch applies to:

- Candidates: the first release of every minor series in the range SWE-bench covers
  (`SERIES`), then the last release of each series for tasks still unmapped.
- A patch applies when every hunk's old lines (context and removed) occur verbatim in the
  release's file, in order, at any offset (GNU patch's `-F0`: offsets yes, fuzz no).
- Several releases take it: the one with the smallest total offset from the patch's own line
  numbers wins (nearest to the commit's text); a tie goes to the newer release.
- No release takes it: the task is left out, with the reason, in the mapping.

The mapping is cached in `benchmarks/swebench/mapping.json` (committed, so benches need no
search), the archives in the corpus cache. Each task's `patch` is rebased onto its release
(a fresh unified diff of the release's file and the fixed file), so line numbers, gold lines
and hunk context are the release's. Split: `dev` when the first hex digit of
sha1(instance_id) is even, else `check`; never tune on `check`.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from splice.bench.corpus import CorpusError, fetch_sdist
from splice.bench.tasks import Task, gold_files, gold_lines
from splice.core.errors import InvalidRequest

Split = Literal["dev", "check", "all"]

# repo -> (PyPI distribution, minor series to try, oldest first)
SERIES: dict[str, tuple[str, list[str]]] = {
    "django/django": ("Django", ["2.2", "3.0", "3.1", "3.2", "4.0", "4.1", "4.2", "5.0", "5.1"]),
    "matplotlib/matplotlib": ("matplotlib", [f"3.{m}" for m in range(0, 10)]),
    "scikit-learn/scikit-learn": ("scikit-learn",
                                  [f"0.{m}" for m in range(20, 25)] + ["1.0", "1.1", "1.2",
                                                                       "1.3", "1.4", "1.5"]),
}
DATA_NAME = Path("shared") / "data" / "swebench-dev.jsonl"
MAPPING = Path(__file__).resolve().parents[2] / "benchmarks" / "swebench" / "mapping.json"


class SweTask(Task):
    """A SWE-bench task pinned to a PyPI release; `patch` is rebased onto that release."""

    dist: str
    version: str
    split: Literal["dev", "check"]
    swe_patch: str = ""  # the patch as SWE-bench gives it (the commit's line numbers)

    @property
    def gold_files(self) -> list[str]:
        return gold_files(self.patch)

    @property
    def gold_lines(self) -> dict[str, list[int]]:
        return {path: sorted(lines) for path, lines in gold_lines(self.patch).items()}

    def fixed_texts(self, root: Path) -> dict[str, str]:
        """Each gold file's text after the gold patch (the release's file, patched)."""
        return {path: text for path, (_, text) in _patched(root, self.swe_patch)[0].items()}


def split_of(instance_id: str) -> Literal["dev", "check"]:
    return "dev" if int(hashlib.sha1(instance_id.encode()).hexdigest()[0], 16) % 2 == 0 \
        else "check"


def data_file() -> Path:
    """The task file: $SPLICE_SWEBENCH, else `shared/data/...` beside an ancestor folder."""
    if env := os.environ.get("SPLICE_SWEBENCH"):
        return Path(env)
    for base in [Path.cwd(), *Path.cwd().parents, *Path(__file__).resolve().parents]:
        if (base / DATA_NAME).is_file():
            return base / DATA_NAME
    raise InvalidRequest("the SWE-bench task file was not found",
                         hint=f"Set SPLICE_SWEBENCH to the path of {DATA_NAME.name}.")


def raw_tasks() -> list[Task]:
    rows = [json.loads(line) for line in data_file().read_text().splitlines() if line.strip()]
    return [Task.model_validate(row) for row in rows]


def load_tasks(split: Split = "dev") -> list[SweTask]:
    """The mapped tasks of one split (cached mapping; patches rebased onto the release)."""
    if split not in ("dev", "check", "all"):
        raise InvalidRequest(f"unknown split {split!r}", hint="Use dev, check or all.")
    mapping = read_mapping()
    out: list[SweTask] = []
    for task in raw_tasks():
        pin = mapping.get("tasks", {}).get(task.instance_id)
        part = split_of(task.instance_id)
        if not pin or (split != "all" and part != split):
            continue
        out.append(SweTask(**task.model_dump(exclude={"patch"}), patch=pin["patch"],
                           swe_patch=task.patch, dist=pin["dist"], version=pin["version"],
                           split=part))
    return out


def checkout(task: SweTask) -> Path:
    """The unpacked release (cached; treat as read-only, copy before writing)."""
    return fetch_sdist(task.dist, task.version)


def write_taskset(split: Split, out: Path) -> tuple[Path, Path]:
    """A task file plus a repos folder of links, for benches that take `--repos DIR`.

    Each task's `repo` becomes `<repo>@<version>` and `repos/<owner>__<name>@<version>`
    links to the release, so tasks of one project at different releases coexist."""
    out.mkdir(parents=True, exist_ok=True)
    repos = out / "repos"
    repos.mkdir(exist_ok=True)
    tasks_path = out / f"swebench-{split}.jsonl"
    from splice.bench.progress import track

    with open(tasks_path, "w", encoding="utf-8") as fh:
        for task in track(load_tasks(split), "SWE-bench releases (PyPI sdists)"):
            name = f"{task.repo.replace('/', '__')}@{task.version}"
            link = repos / name
            if not link.exists():
                link.symlink_to(checkout(task), target_is_directory=True)
            row = Task(instance_id=task.instance_id, repo=f"{task.repo}@{task.version}",
                       base_commit=task.base_commit, problem_statement=task.problem_statement,
                       patch=task.patch)
            fh.write(row.model_dump_json() + "\n")
    return tasks_path, repos


def read_mapping() -> dict:
    if not MAPPING.is_file():
        raise InvalidRequest(f"{MAPPING} is missing",
                             hint="Build it: python -m splice.bench.swebench (needs PyPI once).")
    return json.loads(MAPPING.read_text())


# ---------------------------------------------------------------- patch application


@dataclass
class _Hunk:
    start: int  # 1-based old start from the header
    old: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)


_HEADER = re.compile(r"^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@")


def parse_files(patch: str) -> dict[str, list[_Hunk]]:
    """path -> hunks of a git-style unified diff (a/ b/ prefixes); /dev/null old side kept
    as an empty hunk list with an added file marker (`None` start)."""
    files: dict[str, list[_Hunk]] = {}
    current: list[_Hunk] | None = None
    old_path = ""
    for line in patch.splitlines():
        if line.startswith("--- "):
            old_path = line[4:].split("\t")[0]
        elif line.startswith("+++ "):
            new_path = line[4:].split("\t")[0]
            path = new_path[2:] if new_path.startswith("b/") else new_path
            if new_path == "/dev/null":
                path = old_path[2:] if old_path.startswith("a/") else old_path
            current = files.setdefault(path, [])
        elif (m := _HEADER.match(line)) and current is not None:
            current.append(_Hunk(int(m.group(1))))
        elif current and line[:1] in (" ", "-", "+", ""):
            hunk = current[-1]
            body = line[1:]
            if line[:1] in (" ", ""):
                hunk.old.append(body)
                hunk.new.append(body)
            elif line[:1] == "-":
                hunk.old.append(body)
            else:
                hunk.new.append(body)
    return files


def apply_file(text: str | None, hunks: list[_Hunk]) -> tuple[str, int] | None:
    """(patched text, total offset) or None when a hunk's old lines are not found in order."""
    lines = [] if text is None else text.split("\n")
    out: list[str] = []
    pos = 0
    offset = 0
    for hunk in hunks:
        if not hunk.old:  # a new file, or an insertion at the very top
            at = max(hunk.start, pos) if text is None else pos
        else:
            found = _find(lines, hunk.old, pos, hunk.start - 1)
            if found is None:
                return None
            at = found
            offset += abs(at - (hunk.start - 1))
        out.extend(lines[pos:at])
        out.extend(hunk.new)
        pos = at + len(hunk.old)
    out.extend(lines[pos:])
    return "\n".join(out), offset


def _find(lines: list[str], block: list[str], lo: int, hint: int) -> int | None:
    """The start of `block` in `lines` at or after `lo`, nearest to `hint`."""
    best: int | None = None
    first = block[0]
    for i in range(lo, len(lines) - len(block) + 1):
        if lines[i] == first and lines[i:i + len(block)] == block:
            if best is None or abs(i - hint) < abs(best - hint):
                best = i
    return best


def _patched(root: Path, patch: str) -> tuple[dict[str, tuple[str, str]], int]:
    """{path: (old text, new text)} and total offset; raises CorpusError when it fails."""
    result: dict[str, tuple[str, str]] = {}
    total = 0
    for path, hunks in parse_files(patch).items():
        file = root / path
        old = file.read_text(encoding="utf-8") if file.is_file() else None
        done = apply_file(old, hunks)
        if done is None:
            raise CorpusError(f"{path}: the gold patch does not apply")
        result[path] = (old or "", done[0])
        total += done[1]
    return result, total


def rebased_patch(files: dict[str, tuple[str, str]]) -> str:
    """A unified diff of each file's release text and its fixed text (3 lines of context)."""
    parts: list[str] = []
    for path, (old, new) in sorted(files.items()):
        a = old.splitlines(keepends=True)
        b = new.splitlines(keepends=True)
        diff = difflib.unified_diff(a, b, f"a/{path}" if old else "/dev/null", f"b/{path}", n=3)
        for line in diff:
            parts.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(parts)
