"""Capture real tool output: each project of compact_tool_projects written to a temp dir
and its command run by the real tool in splice's sandbox (no network), the output saved
as a fixture beside a manifest (`splice bench compact --capture-tools DIR`).

JS projects need typescript, eslint, @eslint/js, jest and vitest: give a directory that
holds them (`--node-modules DIR`, e.g. one made with `npm install typescript eslint
@eslint/js jest vitest`); it is copied into each JS project. Kinds whose tool is missing
are skipped and named, never faked.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import anyio
from pydantic import BaseModel

from splice.bench.compact_tool_projects import PROJECTS, ToolProject

MANIFEST = "manifest.json"
_NEEDS = {"go_test": "go", "make": "make", "git_log": "git", "git_diff": "git",
          "ruff": "ruff", "json": "ruff", "npm_install": "npm"}


class Captured(BaseModel):
    kind: str
    command: str
    query: str
    exit_code: int
    file: str


def _prepare(project: ToolProject, root: Path, node_modules: Path | None) -> None:
    for rel, text in project.files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if project.node_modules and node_modules is not None:
        shutil.copytree(node_modules, root / "node_modules", symlinks=True)


async def capture_one(project: ToolProject, node_modules: Path | None) -> tuple[int, str]:
    """(exit code, stdout then stderr) of the project's command, run in the sandbox."""
    from splice.sandbox import Sandbox

    with tempfile.TemporaryDirectory(prefix=f"splice-tool-{project.kind}-") as tmp:
        root = Path(tmp) / "proj"
        root.mkdir()
        _prepare(project, root, node_modules)
        for step in project.git:  # the history is set up outside: the sandbox keeps .git read-only
            setup = subprocess.run(step, shell=True, cwd=root, capture_output=True, text=True,
                                   timeout=60)
            if setup.returncode != 0:
                raise RuntimeError(f"{project.kind}: setup step failed: {step}\n{setup.stderr}")
        result = await Sandbox(root).run(project.command, timeout_s=300)
        return result.exit_code, result.stdout + result.stderr


def missing_tool(project: ToolProject, node_modules: Path | None) -> str | None:
    if project.node_modules and (node_modules is None or not node_modules.is_dir()):
        return "node_modules (--node-modules DIR)"
    tool = _NEEDS.get(project.kind)
    if tool and shutil.which(tool) is None:
        return tool
    return None


def capture_all(out: Path, node_modules: Path | None = None,
                kinds: list[str] | None = None) -> tuple[list[Captured], list[str]]:
    """Write DIR/<kind>.txt per project and DIR/manifest.json; returns the captures and
    the kinds skipped (with the missing tool)."""
    out.mkdir(parents=True, exist_ok=True)
    captured: list[Captured] = []
    skipped: list[str] = []
    for project in PROJECTS:
        if kinds and project.kind not in kinds:
            continue
        lacking = missing_tool(project, node_modules)
        if lacking:
            skipped.append(f"{project.kind} (no {lacking})")
            continue
        code, text = anyio.run(capture_one, project, node_modules)
        name = f"{project.kind}.txt"
        (out / name).write_text(text, encoding="utf-8")
        captured.append(Captured(kind=project.kind, command=project.command,
                                 query=project.query, exit_code=code, file=name))
    manifest = out / MANIFEST
    old = {c["kind"]: c for c in json.loads(manifest.read_text())} if manifest.exists() else {}
    old.update({c.kind: c.model_dump() for c in captured})
    manifest.write_text(json.dumps(list(old.values()), indent=1) + "\n", encoding="utf-8")
    return captured, skipped


def load_fixtures(directory: Path) -> list[tuple[Captured, str]]:
    """The captured outputs in a fixture directory, with their manifest entries."""
    entries = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    return [(Captured(**e), (directory / e["file"]).read_text(encoding="utf-8"))
            for e in entries]
