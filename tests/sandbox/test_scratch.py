"""Scratch trees: what the user sees, what changed, and an original left byte-identical."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest

from splice.sandbox import ScratchTree
from tests.sandbox.conftest import LEVELS, make_sandbox


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True,
                          capture_output=True, text=True).stdout


def tree_digest(root: Path) -> dict[str, str]:
    """Every file's sha256 (symlinks by target), plus git's index, HEAD and refs."""
    digest: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here == root / ".git":
            dirnames[:] = [d for d in dirnames if d == "refs"]
            filenames = [f for f in filenames if f in ("index", "HEAD", "packed-refs")]
        for name in filenames:
            path = here / name
            rel = path.relative_to(root).as_posix()
            data = os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
            digest[rel] = hashlib.sha256(data).hexdigest()
    return digest


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repo with committed files plus every kind of uncommitted change."""
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q")
    (path / "app.py").write_text("def main():\n    return 1\n")
    (path / "lib").mkdir()
    (path / "lib" / "util.py").write_text("X = 1\n")
    (path / "gone.txt").write_text("to be deleted\n")
    (path / ".gitignore").write_text("ignored.txt\n*.log\n")
    git(path, "add", "-A")
    git(path, "commit", "-qm", "init")
    (path / "app.py").write_text("def main():\n    return 2  # unstaged edit\n")
    (path / "staged.py").write_text("STAGED = True\n")
    git(path, "add", "staged.py")
    (path / "untracked.md").write_text("notes\n")
    (path / "gone.txt").unlink()
    (path / "ignored.txt").write_text("SECRET local file\n")
    (path / "node_modules" / "dep").mkdir(parents=True)  # untracked, not even ignored
    (path / "node_modules" / "dep" / "index.js").write_text("module.exports = 1\n")
    return path


def test_git_scratch_shows_what_the_user_sees(repo: Path) -> None:
    with ScratchTree.create(repo) as scratch:
        assert scratch.kind == "worktree" and scratch.path != repo
        assert (scratch.path / "app.py").read_text().endswith("# unstaged edit\n")
        assert (scratch.path / "staged.py").exists() and (scratch.path / "untracked.md").exists()
        assert not (scratch.path / "gone.txt").exists()
        assert not (scratch.path / "ignored.txt").exists()  # ignored files stay behind
        assert not (scratch.path / "node_modules").exists()
        assert scratch.changes() == [] and scratch.diff() == ""
        worktrees = git(repo, "worktree", "list")
        assert str(scratch.path) in worktrees
    assert not scratch.path.exists()
    assert git(repo, "worktree", "list").count("\n") == 1  # removed and pruned
    assert not (repo / ".git" / "worktrees").exists() or not any(
        (repo / ".git" / "worktrees").iterdir())


def test_changes_and_diff_report_edits_additions_and_deletions(repo: Path) -> None:
    before = tree_digest(repo)
    with ScratchTree.create(repo) as scratch:
        s = scratch.path
        (s / "app.py").write_text("def main():\n    return 3\n")
        (s / "lib" / "new.py").write_text("NEW = 1")  # no final newline
        (s / "lib" / "util.py").unlink()
        (s / "untracked.md").write_text("notes\n")  # rewritten with the same bytes
        (s / "__pycache__").mkdir()
        (s / "__pycache__" / "app.cpython-311.pyc").write_bytes(b"\0junk")
        (s / "run.log").write_text("ignored by .gitignore\n")
        changes = scratch.changes()
        assert [(c.path, c.action) for c in changes] == [
            ("app.py", "modified"), ("lib/new.py", "added"), ("lib/util.py", "deleted")]
        assert changes[0].content == b"def main():\n    return 3\n"
        assert changes[2].content is None
        diff = scratch.diff()
        assert "--- a/app.py\n+++ b/app.py\n" in diff
        assert "-    return 2  # unstaged edit\n+    return 3\n" in diff
        assert "--- /dev/null\n+++ b/lib/new.py\n" in diff
        assert "+NEW = 1\n\\ No newline at end of file\n" in diff
        assert "--- a/lib/util.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-X = 1\n" in diff
        assert "deleted file mode 100644\n" in diff
    assert tree_digest(repo) == before


def test_plain_directory_is_copied_without_caches(tmp_path: Path) -> None:
    src = tmp_path / "plain"
    (src / "node_modules" / "big").mkdir(parents=True)
    (src / "node_modules" / "big" / "index.js").write_text("x")
    (src / "target").mkdir()
    (src / "target" / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55")
    (src / "src").mkdir()
    (src / "src" / "main.rs").write_text("fn main() {}\n")
    (src / "link").symlink_to("src/main.rs")
    os.mkfifo(src / "pipe")  # copying would block on it: skipped
    with ScratchTree.create(src) as scratch:
        assert scratch.kind == "copy"
        assert (scratch.path / "src" / "main.rs").read_text() == "fn main() {}\n"
        assert (scratch.path / "link").is_symlink()
        assert not (scratch.path / "node_modules").exists()
        assert not (scratch.path / "target").exists()
        (scratch.path / "src" / "main.rs").write_text("fn main() { println!(); }\n")
        assert [(c.path, c.action) for c in scratch.changes()] == [("src/main.rs", "modified")]
    assert not scratch.path.exists()


@pytest.mark.parametrize("level", LEVELS)
async def test_original_is_byte_identical_after_hostile_commands(level: str, repo: Path) -> None:
    before = tree_digest(repo)
    status = git(repo, "status", "--porcelain")
    with ScratchTree.create(repo) as scratch:
        sandbox = make_sandbox(level, scratch.path, max_procs=64, memory_mb=512)
        if sandbox is None:
            return
        commands = [
            "echo changed > app.py && rm -f lib/util.py && mkdir -p out && echo x > out/y",
            "git status --porcelain; git diff --stat; git log --oneline | head -1",
            "git checkout -- . 2>&1; git stash 2>&1; true",
            "for i in $(seq 1 50); do (sleep 5 &); done; echo many",
            "python3 -c 'import sys; sys.stdout.write(\"z\" * (5 << 20))'",
        ]
        if sandbox.level() == "bwrap":
            # Only a confined filesystem can promise to withstand these.
            commands += [f"rm -rf {repo}/app.py {repo}/lib", f"echo pwned > {repo}/app.py",
                         f"touch {repo}/new-file", f"git -C {repo} checkout -- . 2>&1"]
        for command in commands:
            result = await sandbox.run(command, timeout_s=10)
            assert result.isolation == level
        assert tree_digest(repo) == before, "changed while commands ran"
    assert tree_digest(repo) == before
    assert git(repo, "status", "--porcelain") == status


@pytest.mark.parametrize("level", LEVELS)
async def test_git_reads_work_inside_the_scratch(level: str, repo: Path) -> None:
    with ScratchTree.create(repo) as scratch:
        sandbox = make_sandbox(level, scratch.path)
        if sandbox is None:
            return
        (scratch.path / "app.py").write_text("changed\n")
        result = await sandbox.run("git status --porcelain && git diff --stat", timeout_s=20)
        assert result.exit_code == 0, result.render()
        assert " M app.py" in result.stdout and " D gone.txt" in result.stdout
        assert "files changed" in result.stdout
