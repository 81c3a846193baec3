from pathlib import Path

from splice.bench import taskset_pypi
from splice.bench.tasks import gold_files, gold_lines, load_tasks
from splice.bench.taskset_pypi import build_taskset, changelog_section, source_patch

RST = """Version 2.1.3
-------------

Unreleased

-   Fix ``striptags`` not collapsing spaces. :issue:`417`


Version 2.1.2
-------------

Released 2023-01-17

-   Older entry.
"""

MD = """# Change Log

## [0.12.4] - 2024-02-27

### Fixed

- Support `|` operator for tables.

## [0.12.3] - 2023-11-15

- Older.
"""


def test_changelog_sections() -> None:
    assert changelog_section(RST, "2.1.3") == "-   Fix ``striptags`` not collapsing spaces. :issue:`417`"
    assert changelog_section(RST, "2.1.2") == "-   Older entry."
    assert changelog_section(MD, "0.12.4") == "### Fixed\n\n- Support `|` operator for tables."
    assert changelog_section(MD, "0.12.1") == ""
    assert changelog_section(RST, "2.1") == ""  # 2.1 is not 2.1.3


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


OLD = {"src/pkg/core.py": "def f():\n    return 1\n", "src/pkg/__init__.py": '__version__ = "1.0.0"\n',
       "tests/test_core.py": "assert True\n", "docs/index.rst": "old\n",
       "CHANGES.rst": "Version 1.0.0\n-------------\n\n- First.\n"}
NEW = {"src/pkg/core.py": "def f():\n    return 2\n", "src/pkg/__init__.py": '__version__ = "1.0.1"\n',
       "tests/test_core.py": "assert 1\n", "docs/index.rst": "new\n",
       "src/pkg/added.py": "x = 1\n",
       "CHANGES.rst": "Version 1.0.1\n-------------\n\n- f returns two now.\n\n"
                      "Version 1.0.0\n-------------\n\n- First.\n"}


def test_source_patch_leaves_out_tests_docs_and_version_bump(tmp_path: Path) -> None:
    old, new = write(tmp_path / "old", OLD), write(tmp_path / "new", NEW)
    patch, files, changed = source_patch(old, new)
    assert gold_files(patch) == ["src/pkg/core.py"]  # added.py is new: not a gold file
    assert gold_lines(patch) == {"src/pkg/core.py": {2}}
    assert files == 2 and changed == 3


def test_version_bump_hunks_leave_the_gold_but_real_changes_stay(tmp_path: Path) -> None:
    init_old = '"""Pkg."""\n\n__releasedate__ = "20220407"\n__version__ = "5.0.0"\n\n\ndef f():\n' \
               '    if sys.version_info >= (3, 8):\n        return 1\n    return 0\n'
    init_new = init_old.replace("20220407", "20220627").replace('"5.0.0"', '"5.0.1"') \
                       .replace("(3, 8)", "(3, 9)")
    old = write(tmp_path / "old", {"pkg/__init__.py": init_old, "pkg/only.py": '__version__ = "5.0.0"\n'})
    new = write(tmp_path / "new", {"pkg/__init__.py": init_new, "pkg/only.py": '__version__ = "5.0.1"\n'})
    patch, files, changed = source_patch(old, new)
    assert gold_files(patch) == ["pkg/__init__.py"]  # only.py changed nothing but its version
    assert gold_lines(patch) == {"pkg/__init__.py": {8}}  # the version_info test, not the bump
    assert files == 1 and changed == 2


def test_build_taskset_offline(tmp_path: Path, monkeypatch) -> None:
    old, new = write(tmp_path / "old", OLD), write(tmp_path / "new", NEW)
    monkeypatch.setattr(taskset_pypi, "fetch_sdist",
                        lambda name, version: old if version == "1.0.0" else new)
    report = build_taskset(tmp_path / "t.jsonl", tmp_path / "repos", {"demo": ["1.0.0", "1.0.1"]})
    assert report.tasks == 1 and report.skipped == {}
    task = load_tasks(tmp_path / "t.jsonl")[0]
    assert task.instance_id == "demo-1.0.1" and task.problem_statement == "- f returns two now."
    assert "return 2" not in task.problem_statement
    assert (tmp_path / "repos" / "pypi__demo-1.0.0" / "src" / "pkg" / "core.py").read_text() == OLD["src/pkg/core.py"]


def test_build_taskset_skips_pairs_without_a_changelog_entry(tmp_path: Path, monkeypatch) -> None:
    old = write(tmp_path / "old", OLD)
    new = write(tmp_path / "new", {**NEW, "CHANGES.rst": "nothing about versions\n"})
    monkeypatch.setattr(taskset_pypi, "fetch_sdist",
                        lambda name, version: old if version == "1.0.0" else new)
    report = build_taskset(tmp_path / "t.jsonl", tmp_path / "repos", {"demo": ["1.0.0", "1.0.1"]})
    assert report.tasks == 0 and "no changelog entry" in report.skipped["demo-1.0.1"]


def test_ensure_taskset_builds_a_named_set_once_and_refuses_unknown_names(tmp_path: Path,
                                                                          monkeypatch) -> None:
    import pytest

    from splice.bench.taskset_pypi import ensure_taskset
    from splice.core.errors import InvalidRequest

    old, new = write(tmp_path / "old", OLD), write(tmp_path / "new", NEW)
    monkeypatch.setenv("SPLICE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setitem(taskset_pypi.TASKSETS, "check", {"demo": ["1.0.0", "1.0.1"]})
    monkeypatch.setattr(taskset_pypi, "fetch_sdist",
                        lambda name, version: old if version == "1.0.0" else new)
    tasks_file, repos, report = ensure_taskset("check")
    assert report is not None and report.tasks == 1 and "check" in tasks_file.name
    assert ensure_taskset("check")[2] is None  # cached: not built again
    with pytest.raises(InvalidRequest, match="unknown task set 'nope'"):
        ensure_taskset("nope")


def test_an_unknown_swebench_split_is_refused_with_the_names_to_use() -> None:
    import pytest

    from splice.bench.tasksets import named_taskset
    from splice.core.errors import InvalidRequest

    with pytest.raises(InvalidRequest) as err:
        named_taskset("swebench-train")
    assert "swebench-dev" in (err.value.hint or "")


def test_an_unknown_task_set_is_refused_naming_every_family_and_the_cli_exits_2() -> None:
    # Decided before running: a changelog-style misspelling is told the SWE-bench names
    # too (before, only `default, check`), and `splice bench tokens` exits 2 on it.
    import subprocess
    import sys

    import pytest

    from splice.bench.tasksets import named_taskset
    from splice.core.errors import InvalidRequest

    with pytest.raises(InvalidRequest) as err:
        named_taskset("swebench_dev")
    assert all(n in (err.value.hint or "") for n in ("default", "check", "swebench-dev",
                                                     "swebench-check", "swebench-all"))
    done = subprocess.run([sys.executable, "-m", "splice", "bench", "tokens", "--taskset",
                           "bogus"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "swebench-dev" in done.stderr
