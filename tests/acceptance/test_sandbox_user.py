"""`splice exec` as a user runs it: from a venv in its own /tmp folder, with bubblewrap
present, with the fallback forced, and with isolation asked off by name."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from splice.sandbox import probe
from tests.acceptance.installed import Installed

HAS_BWRAP = probe()["bwrap"] is None
needs_bwrap = pytest.mark.skipif(not HAS_BWRAP, reason="bubblewrap does not work here")

HOME_CANARIES = (
    ".claude/.credentials.json", ".codex/auth.json", ".config/git/credentials", ".pgpass",
    ".bash_history", ".env", ".ssh/id_rsa", ".config/gcloud/application_default_credentials.json",
    ".aws/credentials", ".netrc", ".git-credentials", ".docker/config.json", ".kube/config",
)


def _fake_home(installed: Installed, tmp_path: Path) -> Path:
    home = tmp_path / "home"
    for rel in HOME_CANARIES:
        (home / rel).parent.mkdir(parents=True, exist_ok=True)
        (home / rel).write_text(f"CANARY {rel}\n")
    return home


@needs_bwrap
def test_venv_apart_from_the_repo_runs_under_bubblewrap(installed: Installed,
                                                        repo: Path) -> None:
    done = installed.run("exec", "--repo", str(repo), "--", "python", "-c",
                         "import sys, click; print(sys.prefix)")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(str(installed.venv)) == 1
    assert "isolation: bwrap" in done.stdout and "execvp" not in done.stderr


@needs_bwrap
def test_zero_credential_canaries_read(installed: Installed, repo: Path, tmp_path: Path) -> None:
    home = _fake_home(installed, tmp_path)
    reads = " ".join(f"'{home / rel}'" for rel in HOME_CANARIES) + " .env"
    done = installed.run("exec", "--repo", str(repo), "--json", "--",
                         f"cat {reads} 2>/dev/null; ls -A ~; grep -rs CANARY ~ .; true",
                         env={"HOME": str(home)})
    payload = json.loads(done.stdout)
    assert len(HOME_CANARIES) + 1 >= 10
    assert "CANARY" not in payload["stdout"], payload["stdout"]
    assert payload["policy"].startswith("home-deny")
    assert (repo / ".env").read_text().startswith("CANARY")  # it was there to be read


def test_none_with_require_isolation_says_what_is_true(installed: Installed, repo: Path) -> None:
    done = installed.run("exec", "--repo", str(repo), "--isolation", "none",
                         "--require-isolation", "--", "true")
    assert done.returncode != 0
    assert "contradict" in done.stderr
    assert "neither bubblewrap nor unshare works" not in done.stderr
    assert "require_isolation=False" not in done.stderr  # no Python argument for a CLI user


def test_no_isolation_warning_printed_once_and_names_the_environment(
        installed: Installed, repo: Path) -> None:
    done = installed.run("exec", "--repo", str(repo), "--isolation", "none", "--", "true")
    assert done.returncode == 0, done.stderr
    everything = done.stdout + done.stderr
    assert everything.count("NO ISOLATION") == 1, everything
    assert "splice's own environment" in everything


def _broken(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "broken-bin"
    folder.mkdir(exist_ok=True)
    fake = folder / name
    fake.write_text("#!/bin/sh\necho 'fake: not allowed here' >&2\nexit 1\n")
    fake.chmod(0o755)
    return folder


def test_fallback_forced_when_bubblewrap_fails(installed: Installed, repo: Path,
                                               tmp_path: Path) -> None:
    broken = _broken(tmp_path, "bwrap")
    path = f"{broken}:{installed.env['PATH']}"
    done = installed.run("exec", "--repo", str(repo), "--", "echo", "hi", env={"PATH": path})
    if shutil.which("unshare") and probe()["unshare"] is None:
        assert done.returncode == 0, done.stderr
        assert "isolation: unshare" in done.stdout and "NOT confined" in done.stdout
    else:
        assert done.returncode != 0 and "--isolation none" in done.stderr
    _broken(tmp_path, "unshare")
    refused = installed.run("exec", "--repo", str(repo), "--", "echo", "hi",
                            env={"PATH": path})
    assert refused.returncode != 0 and "hi" not in refused.stdout
    assert "no isolation works here" in refused.stderr and "--isolation none" in refused.stderr
