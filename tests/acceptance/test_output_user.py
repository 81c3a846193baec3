"""Output read through a pipe (by a script or an agent) is the file's lines, never wrapped."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.acceptance.installed import Installed

LONG_LINE = re.compile(r"^@click\.option\(\"--all-methods\"")
TASK = ("The add function in verbs.py returns a - b instead of the sum a + b; please fix it "
        "and check it with a quick run of the module")


def _code_lines(stdout: str) -> list[str]:
    """The lines inside the ``` fences of `splice search` output."""
    out, inside = [], False
    for line in stdout.splitlines():
        if line.startswith("```"):
            inside = not inside
            continue
        if inside:
            out.append(line)
    return out


def test_piped_search_prints_the_files_lines(installed: Installed, template_repo: Path) -> None:
    done = installed.run("search", "routes_command all_methods ignored_methods", "--repo",
                         str(template_repo))
    assert done.returncode == 0, done.stderr
    shown = _code_lines(done.stdout)
    assert any(LONG_LINE.match(line) for line in shown), done.stdout
    real = set((template_repo / "routes.py").read_text().splitlines())
    for path in {p for p in re.findall(r"^(\S+\.py):\d+-\d+$", done.stdout, re.M)}:
        real |= set((template_repo / path).read_text().splitlines())
    assert [line for line in shown if line not in real] == []


def test_piped_compact_and_apply_keep_lines_whole(installed: Installed, repo: Path,
                                                  tmp_path: Path) -> None:
    compact = installed.run("compact", "routes.py", "--query", "all methods", "--ratio", "0.9",
                            cwd=repo)
    assert compact.returncode == 0, compact.stderr
    real = (repo / "routes.py").read_text().splitlines()
    assert any(LONG_LINE.match(line) for line in compact.stdout.splitlines())
    assert all(line in real or "filtered" in line for line in compact.stdout.splitlines())
    edit = tmp_path / "e.txt"
    edit.write_text("<<<<<<< SEARCH\n    return sorted(ignored_methods)\n=======\n"
                    "    return sorted(ignored_methods, key=str.lower, reverse=True)  # "
                    "longest first, then by name, as the routes table shows them\n"
                    ">>>>>>> REPLACE\n")
    done = installed.run("apply", "routes.py", "--edit", str(edit), "--dry-run", cwd=repo)
    assert done.returncode == 0, done.stderr
    added = [line for line in done.stdout.splitlines() if line.startswith("+    return")]
    assert added == ["+    return sorted(ignored_methods, key=str.lower, reverse=True)  # "
                     "longest first, then by name, as the routes table shows them"]


def test_width_option_and_tables_in_a_pipe(installed: Installed, repo: Path) -> None:
    wide = installed.run("trace", "list", "--repo", str(repo))
    assert wide.returncode != 0 and "no runs" in wide.stderr  # said, not a traceback
    narrow = installed.run("--width", "60", "exec", "--repo", str(repo), "--", "echo", "hi")
    assert narrow.returncode == 0, narrow.stderr


def _scripted_run(installed: Installed, repo: Path, tmp_path: Path) -> str:
    script = tmp_path / "script.json"
    script.write_text(json.dumps([
        {"content": [{"type": "tool_use", "name": "search",
                      "input": {"query": "def add returns the wrong sum"}}]},
        {"content": [{"type": "tool_use", "name": "edit", "input": {
            "path": "verbs.py",
            "edit": "<<<<<<< SEARCH\n    return a - b\n=======\n    return a + b\n"
                    ">>>>>>> REPLACE\n"}}]},
        {"content": [{"type": "tool_use", "name": "run", "input": {
            "command": "python -c 'import verbs; assert verbs.add(2, 3) == 5; print(1)'"}}]},
        {"content": [{"type": "tool_use", "name": "finish",
                      "input": {"summary": "add now adds"}}]}]))
    done = installed.run("run", TASK, "--repo", str(repo), "--provider", "scripted",
                         "--script", str(script), cwd=repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "return a + b" in (repo / "verbs.py").read_text()
    return re.search(r"splice trace show (\S+)", done.stdout).group(1)  # type: ignore[union-attr]


def test_piped_trace_show_is_readable(installed: Installed, repo: Path, tmp_path: Path) -> None:
    run_id = _scripted_run(installed, repo, tmp_path)
    done = installed.run("trace", "show", run_id, "--repo", str(repo))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(TASK in line for line in lines), done.stdout  # the task on one line
    for call in ("search(def add returns the wrong sum)", "edit(verbs.py)",
                 "run(python -c 'import verbs; assert verbs.add(2, 3) == 5; print(1)')"):
        assert any(call in line for line in lines), (call, done.stdout)
    assert any("verbs.py:" in line for line in lines)  # evidence


def test_search_in_a_terminal_leaves_wrapping_to_the_terminal(installed: Installed,
                                                              template_repo: Path) -> None:
    from tests.acceptance.terminal import Screen

    screen = Screen(installed, width=80, cwd=template_repo)
    try:
        lines = screen.type("splice search 'routes_command all_methods' --repo .", joined=True)
    finally:
        screen.close()
    real = (template_repo / "routes.py").read_text().splitlines()
    long = [line for line in real if LONG_LINE.match(line)]
    assert len(long[0]) > 80 and long[0] in [line.rstrip() for line in lines], lines
