"""`splice apply` and `splice undo` through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from splice.cli import app

EDIT = "<<<<<<< SEARCH\n    return 1\n=======\n    return 2\n>>>>>>> REPLACE\n"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.py").write_text("def a():\n    return 1\n")
    (tmp_path / "edit.txt").write_text(EDIT)
    return tmp_path


def test_apply_prints_diff_and_writes(work: Path) -> None:
    result = CliRunner().invoke(app, ["apply", str(work / "src" / "a.py"),
                                      "--edit", str(work / "edit.txt")])
    assert result.exit_code == 0, result.output
    assert "-    return 1" in result.output and "+    return 2" in result.output
    assert (work / "src" / "a.py").read_text() == "def a():\n    return 2\n"
    # root is the git work tree: the journal lives there, not in src/
    assert (work / ".splice" / "undo").is_dir()


def test_apply_from_stdin_with_json(work: Path) -> None:
    result = CliRunner().invoke(app, ["apply", str(work / "src" / "a.py"), "--edit", "-",
                                      "--json"], input=EDIT)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["files"][0]["path"] == "src/a.py"
    assert report["files"][0]["action"] == "modified"


def test_dry_run(work: Path) -> None:
    result = CliRunner().invoke(app, ["apply", str(work / "src" / "a.py"),
                                      "--edit", str(work / "edit.txt"), "--dry-run"])
    assert result.exit_code == 0
    assert "dry run" in result.output
    assert (work / "src" / "a.py").read_text() == "def a():\n    return 1\n"


def test_bad_edit_leaves_file_byte_identical(work: Path) -> None:
    target = work / "src" / "a.py"
    target.write_bytes(b"def a():\r\n    return 1\r\n")
    before = target.read_bytes()
    bad = work / "bad.txt"
    bad.write_text("<<<<<<< SEARCH\n    return 7\n=======\n    return 8\n>>>>>>> REPLACE\n")
    result = CliRunner().invoke(app, ["apply", str(target), "--edit", str(bad)])
    assert result.exit_code == 1
    assert "not found" in result.stderr
    assert "Traceback" not in result.output
    assert target.read_bytes() == before


def test_error_as_json_on_stderr(work: Path) -> None:
    bad = work / "bad.txt"
    bad.write_text("<<<<<<< SEARCH\n    return 7\n=======\n    return 8\n>>>>>>> REPLACE\n")
    result = CliRunner().invoke(app, ["apply", str(work / "src" / "a.py"), "--edit",
                                      str(bad), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stderr)["error"] == "no_match"


def test_unreadable_edit_and_bad_format(work: Path) -> None:
    result = CliRunner().invoke(app, ["apply", str(work / "src" / "a.py"), "--edit",
                                      str(work / "missing.txt")])
    assert result.exit_code == 1 and "cannot read the edit" in result.stderr
    result = CliRunner().invoke(app, ["apply", str(work / "src" / "a.py"), "--edit",
                                      str(work / "edit.txt"), "--fmt", "yaml"])
    assert result.exit_code == 1 and "unknown --fmt" in result.stderr


def test_undo_command(work: Path) -> None:
    runner = CliRunner()
    runner.invoke(app, ["apply", str(work / "src" / "a.py"), "--edit", str(work / "edit.txt")])
    result = runner.invoke(app, ["undo", "--repo", str(work)])
    assert result.exit_code == 0, result.output
    assert "restored src/a.py" in result.output
    assert (work / "src" / "a.py").read_text() == "def a():\n    return 1\n"
    result = runner.invoke(app, ["undo", "--repo", str(work), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stderr)["error"] == "nothing_to_undo"


def test_multi_file_patch_without_file_argument(work: Path) -> None:
    patch = work / "p.txt"
    patch.write_text("*** Begin Patch\n*** Add File: src/b.py\n+b = 1\n*** End Patch\n")
    result = CliRunner().invoke(app, ["apply", "--edit", str(patch), "--repo", str(work)])
    assert result.exit_code == 0, result.output
    assert (work / "src" / "b.py").read_text() == "b = 1\n"


def test_help_explains_root(work: Path) -> None:
    result = CliRunner().invoke(app, ["apply", "--help"])
    assert result.exit_code == 0
    assert "git work tree" in result.output
