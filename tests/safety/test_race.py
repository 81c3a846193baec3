"""A folder swapped for a symlink while splice writes: nothing lands outside, every error
is typed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from splice.apply import Edit, apply_edits
from splice.bench.safety.race import run_race
from splice.bench.safety.tree import stray_temps
from splice.core import journal
from splice.core.errors import SpliceError, WriteFailed


def test_race_probe_small_run() -> None:
    report = run_race(300)
    assert report.tries == 300
    assert report.outside_writes == 0
    assert report.untyped == 0, report.untyped_kinds
    assert report.stray_temps_after_recovery == 0
    assert report.written + report.refused == 300


def _tree(tmp_path: Path) -> tuple[Path, Path]:
    root, outside = tmp_path / "repo", tmp_path / "outside"
    (root / "pkg").mkdir(parents=True)
    outside.mkdir()
    (root / "pkg" / "mod.py").write_text("X = 0\n")
    (root / "pkg" / "other.py").write_text("Y = 0\n")
    (outside / "mod.py").write_text("OUTSIDE\n")
    return root, outside


def test_a_folder_swapped_after_the_check_fails_the_write(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    root, outside = _tree(tmp_path)
    real = journal.replace_file
    swapped: list[str] = []

    def swap_then_rename(rd: object, tmp: str, rel: str) -> None:
        if rel == "pkg/other.py" and not swapped:  # the first file is already in place
            os.rename(root / "pkg", root / "pkg-real")
            os.symlink(outside, root / "pkg")
            swapped.append(rel)
        real(rd, tmp, rel)  # type: ignore[arg-type]

    monkeypatch.setattr(journal, "replace_file", swap_then_rename)
    with pytest.raises(WriteFailed):
        apply_edits(root, [Edit("pkg/mod.py", "X = 1\n", "whole"),
                           Edit("pkg/other.py", "Y = 1\n", "whole")])
    assert sorted(p.name for p in outside.iterdir()) == ["mod.py"]
    assert (outside / "mod.py").read_text() == "OUTSIDE\n"
    os.unlink(root / "pkg")
    os.rename(root / "pkg-real", root / "pkg")
    monkeypatch.setattr(journal, "replace_file", real)
    with journal.locked(root):
        pass  # the next command finishes the cleanup the race got in the way of
    assert (root / "pkg" / "mod.py").read_text() == "X = 0\n"  # rolled back
    assert (root / "pkg" / "other.py").read_text() == "Y = 0\n"
    assert stray_temps(root) == []


@pytest.mark.parametrize("edit", [
    Edit("pkg", "X = 1\n", "whole"),  # a folder where a file is meant
    Edit("pkg/mod.py/inner.py", "X = 1\n", "whole"),  # a file where a folder is meant
    Edit(None, "*** Begin Patch\n*** Add File: pkg/mod.py/x.py\n+X = 1\n*** End Patch\n"),
])
def test_os_errors_come_back_typed(tmp_path: Path, edit: Edit) -> None:
    root, _ = _tree(tmp_path)
    with pytest.raises(SpliceError) as info:
        apply_edits(root, [edit])
    assert not isinstance(info.value, OSError)
    assert (root / "pkg" / "mod.py").read_text() == "X = 0\n"
    assert stray_temps(root) == []


@pytest.mark.slow
def test_twenty_thousand_tries_and_the_baseline_breaks() -> None:
    """The recorded run (benchmarks/safety): `splice bench safety --race 20000`."""
    report = run_race(20000)
    assert (report.outside_writes, report.untyped, report.stray_temps_after_recovery) == (0, 0, 0)
    assert run_race(20000, baseline=True).outside_writes > 0  # the probe can catch a leak
