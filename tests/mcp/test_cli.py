"""`splice mcp` argument errors: a clear message on stderr, a non-zero exit, nothing on stdout."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from splice.cli import app
from splice.commands.mcp import _is_loopback


def test_missing_repo_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["mcp", "--repo", str(tmp_path / "nope")])
    assert result.exit_code != 0
    assert "does not exist" in result.stderr
    assert result.stdout == ""


def test_repo_must_be_a_directory(tmp_path: Path) -> None:
    file = tmp_path / "f.txt"
    file.write_text("x")
    result = CliRunner().invoke(app, ["mcp", "--repo", str(file)])
    assert result.exit_code != 0 and "not a directory" in result.stderr


def test_bad_log_level_and_port() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["mcp", "--log-level", "LOUD"]).exit_code != 0
    assert runner.invoke(app, ["mcp", "--http", "70000"]).exit_code != 0


def test_loopback_detection() -> None:
    assert _is_loopback("127.0.0.1") and _is_loopback("::1") and _is_loopback("localhost")
    assert not _is_loopback("0.0.0.0") and not _is_loopback("192.168.1.5")
