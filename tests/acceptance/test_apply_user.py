"""`splice apply` from a shell: what it says about how an edit landed, and what it refuses."""

from __future__ import annotations

import json
from pathlib import Path

from tests.acceptance.installed import Installed
from tests.acceptance.realrepo import git, make_repo

FIX_ADD = """\
<<<<<<< SEARCH
def add(a, b):
    \"\"\"Return the sum of a and b.\"\"\"
    return a - b
=======
def add(a, b):
    \"\"\"Return the sum of a and b.\"\"\"
    return a + b
>>>>>>> REPLACE
"""

# The model misremembered the docstring: only a fuzzy match finds the place.
FIX_ADD_FUZZY = FIX_ADD.replace('"""Return the sum of a and b."""\n    return a - b',
                                '"""Return the sum of a and b"""\n    return a - b', 1)

AIDER = "verbs.py\n```python\n" + FIX_ADD + "```\n"


def _edit(tmp_path: Path, text: str, name: str = "edit.txt") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_fuzzy_match_is_said_in_text_output(installed: Installed, repo: Path,
                                            tmp_path: Path) -> None:
    done = installed.run("apply", "verbs.py", "--edit", str(_edit(tmp_path, FIX_ADD_FUZZY)),
                         cwd=repo)
    assert done.returncode == 0, done.stderr
    assert "return a + b" in (repo / "verbs.py").read_text()
    assert "fuzz" in done.stdout.lower(), done.stdout


def test_already_applied_is_said_in_text_output(installed: Installed, repo: Path,
                                                tmp_path: Path) -> None:
    edit = _edit(tmp_path, FIX_ADD)
    first = installed.run("apply", "verbs.py", "--edit", str(edit), cwd=repo)
    assert first.returncode == 0, first.stderr
    again = installed.run("apply", "verbs.py", "--edit", str(edit), cwd=repo)
    assert again.returncode == 0 and "already applied" in again.stdout


def test_a_hunk_whose_removed_line_never_existed_is_not_already_applied(
        installed: Installed, repo: Path, tmp_path: Path) -> None:
    # a pure deletion of a line the file never had: nothing of it is in the file
    diff = ("--- a/verbs.py\n+++ b/verbs.py\n@@ -20,3 +20,2 @@\n def handle(event):\n"
            "-    event = dict(event)\n     return event.get(\"name\")\n")
    done = installed.run("apply", "verbs.py", "--edit", str(_edit(tmp_path, diff)), cwd=repo)
    assert "already applied" not in done.stdout
    assert done.returncode != 0 and "lines 20-21" in done.stderr  # shows where it looked


def test_fmt_udiff_given_search_replace_says_it_is_not_a_diff(
        installed: Installed, repo: Path, tmp_path: Path) -> None:
    done = installed.run("apply", "verbs.py", "--fmt", "udiff", "--edit",
                         str(_edit(tmp_path, FIX_ADD)), cwd=repo)
    assert done.returncode != 0
    assert "this is not a unified diff" in done.stderr
    assert "@@" in done.stderr  # what a unified diff looks like
    assert "were not found" not in done.stderr


def test_aider_file_name_above_the_fence_is_the_file(installed: Installed, repo: Path,
                                                     tmp_path: Path) -> None:
    done = installed.run("apply", "--edit", str(_edit(tmp_path, AIDER)), cwd=repo)
    assert done.returncode == 0, done.stderr
    assert "return a + b" in (repo / "verbs.py").read_text()
    wrong = installed.run("apply", "routes.py", "--edit", str(_edit(tmp_path, AIDER)),
                          cwd=repo)
    assert wrong.returncode != 0 and "verbs.py" in wrong.stderr and "routes.py" in wrong.stderr


def test_aider_blocks_for_two_files_apply_together(installed: Installed, repo: Path,
                                                   tmp_path: Path) -> None:
    two = AIDER + ("\nroutes.py\n```python\n<<<<<<< SEARCH\n    return sorted(ignored_methods)\n"
                   "=======\n    return sorted(ignored_methods, reverse=True)\n"
                   ">>>>>>> REPLACE\n```\n")
    done = installed.run("apply", "--edit", str(_edit(tmp_path, two)), "--json", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert sorted(f["path"] for f in json.loads(done.stdout)["files"]) == ["routes.py",
                                                                            "verbs.py"]


def test_file_through_a_symlink_into_another_repo(installed: Installed, repo: Path,
                                                  tmp_path: Path) -> None:
    other = make_repo(tmp_path / "other")
    (repo / "link_dir").symlink_to(other)
    before = (other / "verbs.py").read_text()
    done = installed.run("apply", "link_dir/verbs.py", "--edit",
                         str(_edit(tmp_path, FIX_ADD)), cwd=repo)
    if done.returncode != 0:  # refused: nothing changed, and it says how to do it
        assert (other / "verbs.py").read_text() == before
        assert "--repo" in done.stderr and str(other) in done.stderr
        done = installed.run("apply", "link_dir/verbs.py", "--repo", str(other), "--edit",
                             str(_edit(tmp_path, FIX_ADD)), cwd=repo)
        assert done.returncode == 0, done.stderr
    assert "return a + b" in (other / "verbs.py").read_text()
    # whatever undo hint it printed works, typed where the user is
    hint = next(line for line in done.stdout.splitlines() if "undo with:" in line)
    undo = installed.run(*hint.split("undo with:", 1)[1].split()[1:], cwd=repo)
    assert undo.returncode == 0, undo.stderr
    assert (other / "verbs.py").read_text() == before
    assert git(other, "status", "--porcelain") == ""


def test_blocks_already_in_the_file_are_said_when_others_apply(installed: Installed,
                                                               repo: Path, tmp_path: Path) -> None:
    partial = FIX_ADD + ('<<<<<<< SEARCH\ndef version():\n    return "0.1"\n=======\n'
                         'def version():\n    return "0.0"\n>>>>>>> REPLACE\n')
    done = installed.run("apply", "verbs.py", "--edit", str(_edit(tmp_path, partial)), cwd=repo)
    assert done.returncode == 0, done.stderr
    assert "1 of 2 blocks were already in the file" in done.stdout
