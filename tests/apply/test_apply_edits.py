"""apply_edits: confinement, refusals, all-or-none writes, the journal and undo."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import splice.core.journal as journal
from splice.apply import (
    ApplyError,
    Edit,
    NoMatch,
    NothingToUndo,
    UndoConflict,
    WriteFailed,
    apply_edits,
    undo,
)
from splice.core.errors import BinaryFile, FileMissing, FileTooLarge, MalformedEdit, PathEscape


def sr(old: str, new: str) -> str:
    return f"<<<<<<< SEARCH\n{old}=======\n{new}>>>>>>> REPLACE\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "a.py").write_text("def a():\n    return 1\n")
    (tmp_path / "b.py").write_text("def b():\n    return 2\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "c.py").write_bytes(b"x = 1\r\ny = 2\r\n")
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and ".splice" not in p.parts}


def test_modifies_and_reports_a_diff(repo: Path) -> None:
    report = apply_edits(repo, [Edit("a.py", sr("    return 1\n", "    return 10\n"))])
    assert (repo / "a.py").read_text() == "def a():\n    return 10\n"
    [change] = report.files
    assert change.action == "modified" and change.fmt == "search_replace"
    assert "-    return 1\n+    return 10\n" in change.diff
    assert report.undo_id


def test_keeps_crlf_on_disk(repo: Path) -> None:
    apply_edits(repo, [Edit("pkg/c.py", "@@\n x = 1\n-y = 2\n+y = 3\n")])
    assert (repo / "pkg" / "c.py").read_bytes() == b"x = 1\r\ny = 3\r\n"


def test_keeps_file_mode(repo: Path) -> None:
    os.chmod(repo / "a.py", 0o755)
    apply_edits(repo, [Edit("a.py", sr("    return 1\n", "    return 5\n"))])
    assert (repo / "a.py").stat().st_mode & 0o777 == 0o755


def test_dry_run_writes_nothing(repo: Path) -> None:
    before = snapshot(repo)
    report = apply_edits(repo, [Edit("a.py", sr("    return 1\n", "    return 9\n"))],
                         dry_run=True)
    assert report.dry_run and "+    return 9" in report.files[0].diff
    assert snapshot(repo) == before
    assert not (repo / ".splice").exists()


def test_already_applied_reports_unchanged(repo: Path) -> None:
    edit = Edit("a.py", sr("    return 0\n", "    return 1\n"))
    report = apply_edits(repo, [edit])
    assert report.files[0].already_applied and report.files[0].action == "unchanged"
    assert report.undo_id is None


@pytest.mark.parametrize("path", ["../outside.py", "/etc/passwd", "pkg/../../x.py"])
def test_path_escapes_refused(repo: Path, path: str) -> None:
    with pytest.raises(PathEscape):
        apply_edits(repo, [Edit(path, "x = 1\n", "whole")])


def test_symlink_escape_refused(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "t.py"
    outside.write_text("x = 1\n")
    (repo / "link.py").symlink_to(outside)
    with pytest.raises(PathEscape):
        apply_edits(repo, [Edit("link.py", sr("x = 1\n", "x = 2\n"))])
    assert outside.read_text() == "x = 1\n"


def test_patch_paths_are_confined_too(repo: Path) -> None:
    patch = "*** Begin Patch\n*** Add File: ../evil.py\n+x = 1\n*** End Patch\n"
    with pytest.raises(PathEscape):
        apply_edits(repo, [Edit(None, patch)])
    assert not (repo.parent / "evil.py").exists()


def test_binary_file_refused(repo: Path) -> None:
    (repo / "blob.bin").write_bytes(b"\x00\x01\x02abc")
    with pytest.raises(BinaryFile):
        apply_edits(repo, [Edit("blob.bin", "abc\n", "whole")])
    assert (repo / "blob.bin").read_bytes() == b"\x00\x01\x02abc"


def test_oversized_file_refused(repo: Path) -> None:
    from splice.apply.edits import _Plan
    from splice.core.dirfd import RootDir
    from splice.core.repo import Repo

    (repo / "big.py").write_text("x = 1\n" * 10)
    with RootDir(repo) as rd:
        plan = _Plan(Repo(repo, max_bytes=10), rd)
        with pytest.raises(FileTooLarge):
            plan.add(Edit("big.py", sr("x = 1\n", "x = 2\n")))


def test_missing_file_needs_whole_or_add(repo: Path) -> None:
    with pytest.raises(FileMissing):
        apply_edits(repo, [Edit("new.py", sr("a\n", "b\n"))])
    report = apply_edits(repo, [Edit("new.py", "print('hi')\n", "whole")])
    assert report.files[0].action == "added"
    assert (repo / "new.py").read_text() == "print('hi')\n"


def test_error_in_second_edit_writes_nothing(repo: Path) -> None:
    before = snapshot(repo)
    with pytest.raises(NoMatch):
        apply_edits(repo, [Edit("a.py", sr("    return 1\n", "    return 3\n")),
                           Edit("b.py", sr("    return 99\n", "    return 3\n"))])
    assert snapshot(repo) == before


def test_rename_failure_on_second_file_restores_the_first(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(repo)
    real = journal.replace_file
    calls: list[Path] = []

    def flaky(rd: object, tmp: str, target: str) -> None:
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(rd, tmp, target)

    monkeypatch.setattr(journal, "replace_file", flaky)
    with pytest.raises(WriteFailed) as info:
        apply_edits(repo, [Edit("a.py", sr("    return 1\n", "    return 3\n")),
                           Edit("b.py", sr("    return 2\n", "    return 4\n"))])
    assert "put back" in str(info.value)
    assert len(calls) == 2
    assert snapshot(repo) == before  # the first file was restored
    leftovers = [p for p in repo.rglob("*.tmp")]
    assert leftovers == []
    assert not list((repo / ".splice" / "undo").iterdir())


def test_multi_file_patch_add_delete_move_and_undo(repo: Path) -> None:
    before = snapshot(repo)
    patch = (
        "*** Begin Patch\n"
        "*** Update File: a.py\n@@ def a():\n-    return 1\n+    return 100\n"
        "*** Add File: docs/notes.md\n+# Notes\n+hello\n"
        "*** Delete File: b.py\n"
        "*** Update File: pkg/c.py\n*** Move to: pkg/d.py\n@@\n x = 1\n-y = 2\n+y = 22\n"
        "*** End Patch\n"
    )
    report = apply_edits(repo, [Edit(None, patch)])
    actions = {f.path: f.action for f in report.files}
    assert actions == {"a.py": "modified", "docs/notes.md": "added", "b.py": "deleted",
                       "pkg/c.py": "moved"}
    assert (repo / "a.py").read_text().endswith("return 100\n")
    assert (repo / "docs" / "notes.md").read_text() == "# Notes\nhello\n"
    assert not (repo / "b.py").exists()
    assert not (repo / "pkg" / "c.py").exists()
    assert (repo / "pkg" / "d.py").read_bytes() == b"x = 1\r\ny = 22\r\n"
    moved = next(f for f in report.files if f.action == "moved")
    assert moved.new_path == "pkg/d.py" and "+y = 22" in moved.diff

    restored = undo(repo)
    assert sorted(restored.restored) == ["a.py", "b.py", "pkg/c.py"]
    assert sorted(restored.removed) == ["docs/notes.md", "pkg/d.py"]
    assert snapshot(repo) == before


def test_folders_a_deletion_empties_go_and_undo_brings_them_back(repo: Path) -> None:
    (repo / "pkg" / "deep").mkdir(parents=True)
    (repo / "pkg" / "deep" / "only.py").write_text("x = 1\n")
    before = snapshot(repo)
    patch = ("*** Begin Patch\n*** Update File: pkg/deep/only.py\n*** Move to: new/place/only.py\n"
             "@@\n-x = 1\n+x = 2\n*** End Patch\n")
    apply_edits(repo, [Edit(None, patch)])
    assert not (repo / "pkg" / "deep").exists()
    assert (repo / "pkg" / "c.py").exists()  # a folder with other files stays
    undo(repo)
    assert not (repo / "new").exists()  # the folder the move made is gone again
    assert snapshot(repo) == before


def test_journal_written_and_git_excluded(repo: Path) -> None:
    (repo / ".git" / "info").mkdir(parents=True)
    report = apply_edits(repo, [Edit("a.py", sr("    return 1\n", "    return 7\n"))])
    folder = repo / ".splice" / "undo" / str(report.undo_id)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["files"][0]["path"] == "a.py"
    assert (folder / manifest["files"][0]["backup"]).read_text() == "def a():\n    return 1\n"
    assert ".splice/" in (repo / ".git" / "info" / "exclude").read_text()


def test_undo_latest_only_then_nothing(repo: Path) -> None:
    apply_edits(repo, [Edit("a.py", sr("    return 1\n", "    return 2\n"))])
    apply_edits(repo, [Edit("a.py", sr("    return 2\n", "    return 3\n"))])
    undo(repo)
    assert (repo / "a.py").read_text().endswith("return 2\n")
    undo(repo)
    assert (repo / "a.py").read_text().endswith("return 1\n")
    with pytest.raises(NothingToUndo):
        undo(repo)


def test_undo_refuses_when_file_changed_since(repo: Path) -> None:
    apply_edits(repo, [Edit("a.py", sr("    return 1\n", "    return 2\n"))])
    (repo / "a.py").write_text("hand edited\n")
    with pytest.raises(UndoConflict) as info:
        undo(repo)
    assert "a.py" in str(info.value)
    assert (repo / "a.py").read_text() == "hand edited\n"
    undo(repo, force=True)
    assert (repo / "a.py").read_text() == "def a():\n    return 1\n"


def test_errors_are_apply_errors_with_messages(repo: Path) -> None:
    with pytest.raises(ApplyError) as info:
        apply_edits(repo, [Edit("a.py", "<<<<<<< SEARCH\nnope\n=======\nx\n>>>>>>> REPLACE\n")])
    assert info.value.path == "a.py"


def test_edits_as_dicts(repo: Path) -> None:
    report = apply_edits(repo, [{"path": "a.py", "edit": sr("    return 1\n", "    return 4\n")}])
    assert report.files[0].action == "modified"


def test_single_file_patch_goes_to_the_named_file(repo: Path) -> None:
    patch = "*** Begin Patch\n*** Update File: c.py\n@@\n x = 1\n-y = 2\n+y = 5\n*** End Patch\n"
    apply_edits(repo, [Edit("pkg/c.py", patch)])
    assert (repo / "pkg" / "c.py").read_bytes() == b"x = 1\r\ny = 5\r\n"


async def test_async_entry_point(repo: Path) -> None:
    from splice.apply import ApplyRequest, apply_async

    report = await apply_async(ApplyRequest(repo=str(repo), path="a.py",
                                            edit=sr("    return 1\n", "    return 6\n")))
    assert report.files[0].action == "modified"
    assert "modified  a.py" in report.render()
    assert (repo / "a.py").read_text().endswith("return 6\n")


def test_old_journal_entries_are_pruned(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(journal, "KEEP_JOURNALS", 2)
    for i in range(4):
        apply_edits(repo, [Edit("a.py", f"def a():\n    return {i + 10}\n", "whole")])
    assert len(list((repo / ".splice" / "undo").iterdir())) == 2


def test_two_edits_to_one_file_apply_in_turn(repo: Path) -> None:
    report = apply_edits(repo, [Edit("a.py", sr("    return 1\n", "    return 2\n")),
                                Edit("a.py", "@@\n def a():\n-    return 2\n+    return 3\n")])
    assert (repo / "a.py").read_text() == "def a():\n    return 3\n"
    [change] = report.files
    assert change.fmt == "search_replace+udiff"
    assert "-    return 1\n+    return 3\n" in change.diff


def test_empty_edit_is_refused_and_creates_nothing(repo: Path) -> None:
    for path in ("brand_new.py", "a.py"):
        before = (repo / path).read_bytes() if (repo / path).exists() else None
        with pytest.raises(MalformedEdit, match="empty"):
            apply_edits(repo, [Edit(path=path, edit="")])
        after = (repo / path).read_bytes() if (repo / path).exists() else None
        assert after == before
