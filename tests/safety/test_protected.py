"""Protected paths and one-file edits: the probe suite through every writing surface."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from splice.apply import Edit, apply_edits
from splice.bench.safety.paths import PROBES, run_paths
from splice.bench.safety.tree import make_git_repo, snapshot
from splice.core.errors import MalformedEdit, ProtectedPath

PROJECT = Path(__file__).resolve().parents[2]


def test_every_probe_is_refused_by_apply_edits_and_mcp_and_changes_nothing() -> None:
    report = run_paths(("apply_edits", "mcp"))
    assert report.runs == 2 * len(PROBES)
    bad = [r for r in report.rows if r.changed or r.untyped or not r.refused]
    assert bad == []


def test_probes_through_the_cli_are_refused() -> None:
    chosen = tuple(p for p in PROBES if p.name in (
        "hook via Update+Move File", ".GIT/config (letter case)", "x/config (x -> .git)",
        "edit for app.py deletes other.py"))
    report = run_paths(("cli",), chosen, project=PROJECT)
    assert report.runs == 4
    assert [r for r in report.rows if r.changed or r.untyped or not r.refused] == []
    assert all('"error"' in r.message for r in report.rows)  # --json error on stderr


def test_mcp_edit_file_for_one_path_cannot_delete_another(tmp_path: Path) -> None:
    import anyio
    from mcp import Client

    from splice.mcp_server import build_repo_server

    root = make_git_repo(tmp_path / "repo")

    async def call() -> tuple[bool, str]:
        async with Client(build_repo_server(root)) as client:
            result = await client.call_tool("edit_file", {
                "path": "app.py", "instruction": "I tidy up.",
                "code_edit": "*** Begin Patch\n*** Delete File: other.py\n*** End Patch"})
        return bool(result.is_error), "".join(getattr(c, "text", "") for c in result.content)

    is_error, text = anyio.run(call)
    assert is_error
    assert "also touches other.py" in text and "may change only that file" in text
    assert (root / "other.py").exists()


def test_a_patch_sent_without_a_path_may_still_touch_several_files(tmp_path: Path) -> None:
    root = make_git_repo(tmp_path / "repo")
    patch = ("*** Begin Patch\n*** Delete File: other.py\n*** Update File: app.py\n@@\n"
             "-    return 1\n+    return 5\n*** End Patch\n")
    report = apply_edits(root, [Edit(None, patch)])
    assert {f.path: f.action for f in report.files} == {"other.py": "deleted",
                                                         "app.py": "modified"}
    with pytest.raises(MalformedEdit, match="also touches"):
        apply_edits(root, [Edit("app.py", patch.replace("other.py", "a/keep.txt"))])


def test_refusals_are_typed_and_name_the_path(tmp_path: Path) -> None:
    root = make_git_repo(tmp_path / "repo")
    with pytest.raises(ProtectedPath) as info:
        apply_edits(root, [Edit(".git/hooks/pre-commit", "#!/bin/sh\nexit 0\n", "whole")])
    assert info.value.path == ".git/hooks/pre-commit"
    assert ".git/" in str(info.value) and "never writes" in str(info.value)
    assert not (root / ".git/hooks/pre-commit").exists()


def test_protected_setting_from_the_environment(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_git_repo(tmp_path / "repo")
    (root / "deploy").mkdir()
    (root / "deploy" / "prod.yaml").write_text("replicas: 3\n")
    monkeypatch.setenv("SPLICE_PROTECTED", "deploy/*.yaml")
    with pytest.raises(ProtectedPath, match="protected pattern"):
        apply_edits(root, [Edit("deploy/prod.yaml", "replicas: 0\n", "whole")])
    apply_edits(root, [Edit("deploy/notes.txt", "fine\n", "whole")])  # not matched
    assert (root / "deploy" / "prod.yaml").read_text() == "replicas: 3\n"


@pytest.mark.parametrize("mode", [0o644, 0o755, 0o4755])
def test_a_moved_file_never_gains_permission_bits(tmp_path: Path, mode: int) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "tool.sh").write_text("echo a\n")
    os.chmod(root / "tool.sh", mode)
    patch = ("*** Begin Patch\n*** Update File: tool.sh\n*** Move to: bin/tool.sh\n@@\n"
             "-echo a\n+echo b\n*** End Patch\n")
    apply_edits(root, [Edit(None, patch)])
    moved = stat.S_IMODE((root / "bin" / "tool.sh").stat().st_mode)
    assert moved == mode & 0o777  # same rwx bits, never set-id


def test_run_write_back_leaves_protected_paths_out(tmp_path: Path) -> None:
    from splice.agent.workspace import CopyWorkspace
    from splice.core.journal import locked

    root = make_git_repo(tmp_path / "repo")
    with locked(root):
        pass  # splice's own .splice/ and its line in .git/info/exclude exist already
    before = snapshot(root)
    ws = CopyWorkspace.create(root)
    try:
        (ws.root / ".GIT").mkdir()
        (ws.root / ".GIT" / "config").write_text("[core]\n\tfsmonitor = evil\n")
        (ws.root / "secrets" / "key.txt").write_text("leaked\n")
        (ws.root / "app.py").write_text("def main():\n    return 7\n")
        assert set(ws.changes()) == {"app.py"}
        ws.commit()
    finally:
        ws.cleanup()
    after = snapshot(root, skip_state=True)
    changed = {k for k in before.keys() | after.keys()
               if before.get(k) != after.get(k) and not k.startswith(".splice")}
    assert changed == {"app.py"}


def test_a_splice_folder_that_is_a_link_is_refused(tmp_path: Path) -> None:
    from splice.core.errors import WriteFailed

    root, elsewhere = tmp_path / "repo", tmp_path / "elsewhere"
    root.mkdir()
    elsewhere.mkdir()
    (root / "app.py").write_text("X = 1\n")
    (root / ".splice").symlink_to(elsewhere)
    with pytest.raises(WriteFailed, match="symlink"):
        apply_edits(root, [Edit("app.py", "X = 2\n", "whole")])
    assert list(elsewhere.iterdir()) == []
    assert (root / "app.py").read_text() == "X = 1\n"


async def test_the_agents_edit_tool_refuses_probes_in_its_workspace(tmp_path: Path) -> None:
    from splice.agent import toolset as ts
    from splice.core.journal import locked
    from splice.core.repo import Repo
    from splice.tools import ToolContext

    root = make_git_repo(tmp_path / "scratch")
    with locked(root):
        pass  # splice's own .splice/ and its exclude line, as after any earlier edit
    ctx = ToolContext(repo=Repo(root), task="t")
    tool = ts.worker_toolset().tools["edit"]
    before = snapshot(root)
    for probe in PROBES:
        result = await tool.call({"path": probe.path or "app.py", "edit": probe.edit}, ctx)
        assert result.is_error, probe.name
    after = snapshot(root)
    assert {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)} == set()
