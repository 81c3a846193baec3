"""kill -9 during writes: the next splice command finishes the job, undo stays exact."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from splice.apply import Edit, NothingToUndo, apply_edits, undo
from splice.bench.safety.kills import PATCH, run_kills, seed_tree
from splice.bench.safety.tree import snapshot, stray_temps
from splice.core import journal
from splice.core.journal import locked

PROJECT = Path(__file__).resolve().parents[2]


def test_forty_random_kills_leave_no_mixed_tree_and_exact_undo() -> None:
    report = run_kills(40, seed=7, cli_every=20)
    assert report.kills == 40
    assert (report.mixed, report.stray_temps, report.unfinished_journals,
            report.undo_wrong, report.untyped) == (0, 0, 0, 0, 0)
    # the probe has teeth: some kills landed in the middle of a write
    assert sum(s.rolled_back for s in report.modes.values()) > 0
    assert sum(s.via_cli for s in report.modes.values()) == 2


def _die_after_renames(root: Path, renames: int, action: str = "apply") -> None:
    """Fork a child that runs the write and dies (os._exit, no cleanup) after N renames."""
    pid = os.fork()
    if pid == 0:
        real = journal.replace_file
        count = [0]

        def dying(rd: object, tmp: str, rel: str) -> None:
            if count[0] == renames:
                os._exit(9)
            count[0] += 1
            real(rd, tmp, rel)  # type: ignore[arg-type]

        journal.replace_file = dying  # type: ignore[assignment]
        try:
            if action == "apply":
                apply_edits(root, [Edit(None, PATCH)])
            else:
                undo(root)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 9  # it did die mid-way


def test_a_crash_between_renames_is_rolled_back_by_the_next_apply(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    seed_tree(root)
    before = snapshot(root, skip_state=True)
    _die_after_renames(root, 4)
    mixed = snapshot(root, skip_state=True)
    assert mixed != before and stray_temps(root)  # what the kill left: half a write
    apply_edits(root, [Edit("m0.py", "# ... existing code ...\nX = 1\n")])  # next command
    after = snapshot(root, skip_state=True)
    assert {k for k in after if after[k] != before.get(k)} == {"m0.py"}
    assert stray_temps(root) == []
    undo(root)
    assert snapshot(root, skip_state=True) == before


def test_plain_undo_after_a_crash_reports_the_rollback_and_goes_no_further(
        tmp_path: Path) -> None:
    root = tmp_path / "repo"
    seed_tree(root)
    before = snapshot(root, skip_state=True)
    apply_edits(root, [Edit("m1.py", "# ... existing code ...\nY = 2\n")])  # undoable
    middle = snapshot(root, skip_state=True)
    _die_after_renames(root, 6)
    done = subprocess.run([sys.executable, "-m", "splice", "undo", "--repo", str(root),
                           "--json"], cwd=PROJECT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert '"note": "rolled back an interrupted apply' in done.stdout
    assert snapshot(root, skip_state=True) == middle and stray_temps(root) == []
    undo(root)  # the apply before the crash is still undoable
    assert snapshot(root, skip_state=True) == before


def test_a_crash_inside_undo_leaves_the_undo_to_do_again(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    seed_tree(root)
    before = snapshot(root, skip_state=True)
    apply_edits(root, [Edit(None, PATCH)])
    after = snapshot(root, skip_state=True)
    _die_after_renames(root, 3, action="undo")
    with locked(root):
        pass  # the next command
    assert snapshot(root, skip_state=True) == after
    undo(root)
    assert snapshot(root, skip_state=True) == before
    with pytest.raises(NothingToUndo):
        undo(root)


def test_a_torn_journal_is_dropped_without_touching_the_tree(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    seed_tree(root)
    before = snapshot(root, skip_state=True)
    torn = root / ".splice" / "undo" / "20990101T000000-000000000-dead"
    torn.mkdir(parents=True)
    (torn / "0.orig").write_text("half")
    (torn / "manifest.json").write_text('{"version": 2, "id": "2099')  # cut short
    with locked(root):
        pass
    assert not torn.exists()
    assert snapshot(root, skip_state=True) == before


def test_a_run_write_back_is_undoable(tmp_path: Path) -> None:
    from splice.agent.workspace import CopyWorkspace

    root = tmp_path / "repo"
    seed_tree(root)
    before = snapshot(root, skip_state=True)
    ws = CopyWorkspace.create(root)
    (ws.root / "m2.py").write_text("RUN = 1\n")
    (ws.root / "old.py").unlink()
    (ws.root / "added").mkdir()
    (ws.root / "added" / "new.py").write_text("NEW = 1\n")
    ws.commit()
    ws.cleanup()
    assert (root / "added" / "new.py").exists() and not (root / "old.py").exists()
    report = undo(root)
    assert sorted(report.restored) == ["m2.py", "old.py"]
    assert report.removed == ["added/new.py"]
    assert snapshot(root, skip_state=True) == before


@pytest.mark.slow
def test_a_thousand_kills() -> None:
    """The recorded run (benchmarks/safety): `splice bench safety --kills 1000`."""
    report = run_kills(1000, seed=0)
    assert (report.mixed, report.stray_temps, report.unfinished_journals,
            report.undo_wrong, report.untyped) == (0, 0, 0, 0, 0)
