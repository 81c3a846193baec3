"""Task files in the SWE-bench schema, and what a gold patch says matters.

A task names a repo, a base commit, a problem statement and the gold patch. `--repos DIR`
maps `repo` to a local checkout: DIR/<repo> or DIR/<repo with '/' as '__'>.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ValidationError
from unidiff import PatchSet
from unidiff.errors import UnidiffParseError

from splice.core.errors import InvalidRequest


class Task(BaseModel):
    instance_id: str
    repo: str
    base_commit: str = ""
    problem_statement: str
    patch: str
    test_cmd: str | None = None  # optional: how to run the tests that judge a fix


def load_tasks(path: str | Path) -> list[Task]:
    """Read a JSONL (or JSON list) task file; errors name the line that is wrong."""
    file = Path(path)
    if not file.is_file():
        raise InvalidRequest(f"task file {path}: not found",
                             hint="Pass a .jsonl file with one SWE-bench-style task a line.")
    text = file.read_text(encoding="utf-8")
    rows: list[tuple[int, object]] = []
    if text.lstrip().startswith("["):
        rows = list(enumerate(json.loads(text), 1))
    else:
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    rows.append((n, json.loads(line)))
                except json.JSONDecodeError as exc:
                    raise InvalidRequest(f"task file {path}, line {n}: not JSON ({exc.msg})") from exc
    tasks = []
    for n, row in rows:
        try:
            tasks.append(Task.model_validate(row))
        except ValidationError as exc:
            fields = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors())
            raise InvalidRequest(
                f"task file {path}, entry {n}: missing or bad fields: {fields}",
                hint="Each task needs instance_id, repo, problem_statement and patch.") from exc
    if not tasks:
        raise InvalidRequest(f"task file {path}: holds no tasks")
    return tasks


def write_tasks(tasks: list[Task], path: str | Path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for task in tasks:
            fh.write(task.model_dump_json() + "\n")


def resolve_repo(task: Task, repos: str | Path) -> Path:
    base = Path(repos)
    for candidate in (base / task.repo, base / task.repo.replace("/", "__"),
                      base / task.repo.split("/")[-1]):
        if candidate.is_dir():
            return candidate
    raise InvalidRequest(f"task {task.instance_id}: no checkout of {task.repo} under {repos}",
                         hint=f"Put it at {base / task.repo.replace('/', '__')}.")


def gold_files(patch: str) -> list[str]:
    """Files the gold patch modifies or deletes (pre-image paths; added files excluded)."""
    return [f.path for f in _parse(patch) if not f.is_added_file]


def gold_lines(patch: str) -> dict[str, set[int]]:
    """Pre-image lines the patch touches: removed lines, and for a pure insertion the
    lines on either side of it (so an insertion point counts as found when they are)."""
    out: dict[str, set[int]] = {}
    for pf in _parse(patch):
        if pf.is_added_file:
            continue
        lines: set[int] = set()
        for hunk in pf:
            prev: int | None = None
            removed = added = False
            for line in hunk:
                if line.is_removed and line.source_line_no is not None:
                    lines.add(line.source_line_no)
                    removed, prev = True, line.source_line_no
                elif line.is_added:
                    added = True
                else:
                    if added and not removed:
                        lines.update(n for n in (prev, line.source_line_no) if n)
                    removed = added = False
                    prev = line.source_line_no
            if added and not removed and prev:
                lines.add(prev)
        out[pf.path] = lines
    return out


def _parse(patch: str) -> PatchSet:
    try:
        return PatchSet(patch)
    except UnidiffParseError as exc:
        raise InvalidRequest(f"gold patch does not parse as a unified diff: {exc}") from exc
