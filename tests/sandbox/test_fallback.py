"""Choosing the isolation level when the better ones are missing, and refusing to."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from splice.core.errors import SandboxError
from splice.sandbox import Sandbox, probe
from splice.sandbox import runner as runner_mod


def _fake_probe(monkeypatch: pytest.MonkeyPatch, **broken: str) -> None:
    real = probe()
    fake = {level: broken.get(level, reason) for level, reason in real.items()}
    monkeypatch.setattr(runner_mod, "probe", lambda: fake)


async def test_without_bwrap_auto_falls_back_to_the_next_level(
        root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = "unshare" if probe()["unshare"] is None else "none"
    _fake_probe(monkeypatch, bwrap="bwrap is not installed")
    result = await Sandbox(root).run("echo hi", timeout_s=20)
    assert result.isolation == expected and result.stdout == "hi\n"
    assert not result.guarantees.filesystem
    assert result.guarantees.network == (expected == "unshare")
    assert any("bwrap is not installed" in w for w in result.warnings)
    with pytest.raises(SandboxError, match="bwrap is not installed"):
        Sandbox(root, isolation="bwrap").level()


async def test_without_any_isolation_auto_refuses_and_none_runs_only_by_name(
        root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _fake_probe(monkeypatch, bwrap="bwrap is not installed", unshare="unshare exited 1")
    with pytest.raises(SandboxError, match="refusing to run: no isolation works") as err:
        await Sandbox(root).run("echo hi", timeout_s=20)
    assert "--isolation none" in err.value.hint and "bubblewrap" in err.value.hint
    sandbox = Sandbox(root, isolation="none")
    result = await sandbox.run("echo hi", timeout_s=20)
    await sandbox.run("echo again", timeout_s=20)
    assert result.isolation == "none" and result.stdout == "hi\n"
    assert not result.guarantees.network and not result.guarantees.filesystem
    assert "NO ISOLATION" in result.render()
    assert "splice's own environment" in result.render()
    assert capsys.readouterr().err.count("NO ISOLATION") == 1  # once per sandbox
    monkeypatch.setenv("SPLICE_SANDBOX_ISOLATION", "none")
    assert Sandbox(root).level() == "none"  # the setting names it too


def test_none_with_require_isolation_says_they_contradict(root: Path) -> None:
    with pytest.raises(SandboxError, match="contradict") as err:
        Sandbox(root, isolation="none", require_isolation=True).level()
    assert "neither" not in str(err.value)
    if probe()["bwrap"] is None:
        assert "bwrap" in err.value.hint and "drop --isolation none" in err.value.hint
    assert "Python" not in err.value.hint and "require_isolation=False" not in err.value.hint


def test_bad_arguments_are_typed_errors(root: Path) -> None:
    with pytest.raises(SandboxError, match="not a directory"):
        Sandbox(root / "missing")
    with pytest.raises(SandboxError, match="unknown isolation"):
        Sandbox(root, isolation="docker")  # type: ignore[arg-type]
    with pytest.raises(SandboxError, match="memory_mb"):
        Sandbox(root, memory_mb=0)
    with pytest.raises(SandboxError, match="refusing"):
        Sandbox(root, isolation="none", require_isolation=True).level()


async def test_empty_command_and_bad_timeout_are_refused(root: Path) -> None:
    with pytest.raises(SandboxError, match="empty command"):
        await Sandbox(root).run("   ")
    with pytest.raises(SandboxError, match="timeout_s"):
        await Sandbox(root).run("true", timeout_s=0)


async def test_missing_program_is_a_127_not_a_crash(root: Path) -> None:
    result = await Sandbox(root).run(["no-such-program-xyz"], timeout_s=20)
    assert result.exit_code == 127 and "no-such-program-xyz" in result.stderr


def test_cli_exec_mirrors_exit_code_and_reports_isolation(tmp_path: Path) -> None:
    from splice.cli import app

    repo = tmp_path / "r"
    repo.mkdir()
    (repo / "a.txt").write_text("hello\n")
    runner = CliRunner()
    done = runner.invoke(app, ["exec", "--repo", str(repo), "--json", "--diff", "--",
                               "cat a.txt; echo more >> a.txt; exit 3"])
    assert done.exit_code == 3, done.output
    payload = json.loads(done.stdout)
    assert payload["exit_code"] == 3 and payload["stdout"] == "hello\n"
    assert payload["isolation"] in ("bwrap", "unshare", "none")
    assert payload["changes"] == [{"path": "a.txt", "action": "modified"}]
    assert "+more" in payload["diff"]
    assert (repo / "a.txt").read_text() == "hello\n"  # the user's tree is untouched
    done = runner.invoke(app, ["exec", "--repo", str(repo), "--", "echo", "two words"])
    assert done.exit_code == 0 and "two words" in done.stdout and "isolation:" in done.stdout
    done = runner.invoke(app, ["exec", "--repo", str(repo / "nope"), "--", "true"])
    assert done.exit_code != 0 and "not a directory" in done.output
    done = runner.invoke(app, ["exec", "--repo", str(repo), "--isolation", "docker", "--", "true"])
    assert done.exit_code != 0 and "unknown isolation" in done.output
