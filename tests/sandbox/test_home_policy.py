"""home-deny under bubblewrap: credential canaries unread, the venv and interpreter found."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from splice.sandbox import Sandbox, probe
from splice.sandbox.policy import secret_files

pytestmark = pytest.mark.skipif(probe()["bwrap"] is not None,
                                reason="bubblewrap does not work on this machine")

HOME_CANARIES = (
    ".claude/.credentials.json", ".claude.json", ".codex/auth.json", ".config/git/credentials",
    ".pgpass", ".bash_history", ".env", ".ssh/id_rsa", ".config/gcloud/credentials.db",
    ".aws/credentials", ".netrc", ".git-credentials", ".docker/config.json", ".npmrc",
    ".config/gh/hosts.yml", ".kube/config", ".somewhere/unknown-token.txt",
)
REPO_CANARIES = (".env", ".env.local", "config/server.pem", "deploy.key",
                 "aws_credentials.json", "secrets/db.txt")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", *args], cwd=repo,
                   check=True, capture_output=True)


@pytest.fixture
def fake_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    for rel in HOME_CANARIES:
        (home / rel).parent.mkdir(parents=True, exist_ok=True)
        (home / rel).write_text(f"CANARY home {rel}\n")
    (home / ".cache" / "pip").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / ".gitignore").write_text(".env*\n*.pem\n*.key\n*credentials*\nsecrets/\n")
    (repo / "app.py").write_text("print('app')\n")
    (repo / "test_secret_rotation.py").write_text("print('tracked, so visible')\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "init")
    for rel in REPO_CANARIES:
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(f"CANARY repo {rel}\n")
    return repo


async def test_zero_canaries_read_from_the_home_or_the_repo(fake_home: Path, repo: Path) -> None:
    paths = [str(fake_home / r) for r in HOME_CANARIES] + list(REPO_CANARIES)
    script = "; ".join(f"cat '{p}' 2>/dev/null" for p in paths)
    script += "; ls -A ~; find ~ -type f | head; grep -r CANARY ~ . 2>/dev/null; true"
    result = await Sandbox(repo, isolation="bwrap").run(script, timeout_s=30)
    assert result.exit_code == 0, result.render()
    assert len(paths) >= 10
    assert "CANARY" not in result.stdout, result.stdout
    assert result.policy.startswith("home-deny: empty home")
    assert "6 secret-looking file(s) hidden" in result.policy  # secrets/ counts as one
    assert "[policy: home-deny" in result.render()
    seen = await Sandbox(repo, isolation="bwrap").run("cat app.py test_secret_rotation.py",
                                                      timeout_s=30)
    assert "tracked, so visible" in seen.stdout and "app" in seen.stdout


async def test_git_and_splice_are_read_only_in_the_root(repo: Path) -> None:
    (repo / ".splice").mkdir()
    result = await Sandbox(repo, isolation="bwrap").run(
        "echo evil > .git/hooks/pre-commit; echo x > .splice/y; git config core.fsmonitor evil;"
        " echo ok > new.txt; git status --short >/dev/null && echo git-reads", timeout_s=30)
    assert not (repo / ".git" / "hooks" / "pre-commit").exists()
    assert not (repo / ".splice" / "y").exists()
    assert "fsmonitor" not in (repo / ".git" / "config").read_text()
    assert (repo / "new.txt").read_text() == "ok\n" and "git-reads" in result.stdout


async def test_allowed_paths_and_shown_files(fake_home: Path, repo: Path) -> None:
    sandbox = Sandbox(repo, isolation="bwrap", allow=[f"{fake_home}/.cache/pip:rw",
                                                      "~/.codex/auth.json"],
                      show=[".env.local"])
    result = await sandbox.run("echo cached > ~/.cache/pip/x; cat ~/.codex/auth.json .env.local;"
                               " cat ~/.pgpass .env; true", timeout_s=30)
    assert (fake_home / ".cache" / "pip" / "x").read_text() == "cached\n"
    assert "CANARY home .codex/auth.json" in result.stdout
    assert "CANARY repo .env.local" in result.stdout
    assert "pgpass" not in result.stdout and "repo .env\n" not in result.stdout


def test_outside_git_every_secret_looking_file_is_hidden(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("x")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "client_secret.json").write_text("x")
    (tmp_path / "src" / "main.py").write_text("x")
    hidden = {p.relative_to(tmp_path).as_posix() for p in secret_files(tmp_path)}
    assert hidden == {".env", "src/client_secret.json"}


@pytest.fixture
def venv_apart() -> Iterator[Path]:
    """A real virtualenv in its own /tmp folder, apart from the repo's."""
    folder = Path(tempfile.mkdtemp(prefix="splice-venv-", dir="/tmp"))
    try:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip",
                        "--system-site-packages", str(folder / "venv")], check=True)
        yield folder / "venv"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def test_a_venv_in_another_tmp_folder_runs(venv_apart: Path, repo: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    python = venv_apart / "bin" / "python"
    monkeypatch.setenv("PATH", f"{venv_apart / 'bin'}:/usr/bin:/bin")
    monkeypatch.setenv("VIRTUAL_ENV", str(venv_apart))
    sandbox = Sandbox(repo, isolation="bwrap")
    direct = await sandbox.run([str(python), "-c", "import sys; print(sys.prefix)"],
                               timeout_s=30)
    assert direct.exit_code == 0, direct.render()
    assert direct.stdout.strip() == str(venv_apart)
    by_path = await sandbox.run("python -c 'import anyio; print(\"ok\")'", timeout_s=30)
    assert by_path.stdout == "ok\n", by_path.render()


async def test_a_program_in_a_hidden_credential_folder_is_explained(
        fake_home: Path, repo: Path) -> None:
    tool = fake_home / ".ssh" / "tool.sh"
    tool.write_text("#!/bin/sh\necho ran\n")
    tool.chmod(0o755)
    result = await Sandbox(repo, isolation="bwrap").run([str(tool)], timeout_s=30)
    assert result.exit_code == 126 and "ran" not in result.stdout
    assert str(fake_home / ".ssh") in result.stderr and "SPLICE_SANDBOX_ALLOW" in result.stderr
