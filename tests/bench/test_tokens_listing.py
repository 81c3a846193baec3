"""The splice fallback's way to a file nothing pointed to (ls of nearby folders), and the
oracle bound (the fallback's floor: reads of the fix lines' definitions only)."""

from __future__ import annotations

from pathlib import Path

import anyio
import pytest
from typer.testing import CliRunner

from splice.bench.tokens.accounting import Conversation
from splice.bench.tokens.bound import minimal_reads, oracle_fallback
from splice.bench.tokens.calls import as_agent_call
from splice.bench.tokens.compacted_reads import compacted_pager
from splice.bench.tokens.listing import folder_levels, list_call
from splice.bench.tokens.locate import Pager, widen_then_read_rest
from splice.bench.tokens.policies import SpliceSettings, splice
from splice.bench.tokens.repoview import Hit, RepoView, Seen
from splice.cli import app
from tests.bench.tokens_fixture import miss_task, write_tasks


def _tree(root: Path) -> RepoView:
    """A package with a deep tree and many modules, so a whole listing is large."""
    for area in ("models", "forms", "views", "utils"):
        for sub in ("core", "extra"):
            folder = root / "pkg" / area / sub
            folder.mkdir(parents=True)
            (folder / "__init__.py").write_text("")
            for i in range(40):
                (folder / f"module_{i}.py").write_text(f"def f_{i}():\n    return {i}\n")
    target = root / "pkg" / "models" / "extra" / "lookups.py"
    target.write_text("".join(f"def lookup_{i}(x):\n    return x + {i}\n\n\n" for i in range(30)))
    return RepoView.scan(root)


def test_levels_go_up_from_what_was_found_then_down_to_the_file() -> None:
    hits = [Hit("pkg/tests/test_a.py", 1, ""), Hit("pkg/models/core/query.py", 10, "")]
    levels = folder_levels(hits, ["pkg/models/extra/deep/deeper/lookups.py"])
    # the test file is skipped; the source file's folder and every folder above it first
    # (each with its subfolders' entries: pkg/models/extra/ is shown by that call)
    assert levels[0] == ["pkg/models/core", "pkg/models", "pkg", ""]
    assert levels[1:] == [["pkg/models/extra/deep"]]  # its entries and deeper/'s


def test_a_file_one_folder_below_a_listed_one_needs_one_call() -> None:
    assert folder_levels([Hit("pkg/a/x.py", 3, "")], ["pkg/a/y.py"]) == [["pkg/a", "pkg", ""]]
    assert folder_levels([Hit("pkg/a/x.py", 3, "")], ["pkg/b/y.py"]) == [["pkg/a", "pkg", ""]]


def test_ls_shows_each_folders_entries_and_its_subfolders(tmp_path: Path) -> None:
    view = _tree(tmp_path)
    tool, args, text = list_call(view, ["pkg/models"])
    assert args == {"paths": ["pkg/models", "pkg/models/*/"]}
    assert "pkg/models:\ncore/\nextra/" in text
    assert "pkg/models/extra:\n__init__.py\nlookups.py" in text
    assert "pkg/forms" not in text  # other areas are not listed
    name, run_args, framed = as_agent_call((tool, args, text))
    assert name == "run" and run_args == {"command": "ls pkg/models 'pkg/models/*/'"}
    assert framed.startswith("$ ls pkg/models 'pkg/models/*/'\nexit code 0")
    whole = as_agent_call(list_call(view))
    assert whole[1] == {"command": "git ls-files"}


LOOKUPS = "pkg/models/extra/lookups.py"  # nothing the search or greps showed points here


def _find_unlocated(tmp_path: Path, pager: Pager) -> tuple[RepoView, Conversation, list]:
    """The last rung after a search that pointed only to a neighbouring folder: the view,
    the conversation, and its run and read calls in order."""
    view = _tree(tmp_path)
    need = {LOOKUPS: {50}}
    conv = Conversation("splice", 100, "task", agent=True)
    seen = Seen()
    seen.add("pkg/models/core/module_1.py", 1, 2)
    pager(conv, view, seen, need, [Hit("pkg/models/core/module_1.py", 1, "")])
    assert not seen.missing(need)
    calls = [(b.name, b.input) for m in conv.messages for b in m.content
             if getattr(b, "name", "") in ("run", "read")]
    return view, conv, calls


def test_an_unlocated_file_is_found_without_a_whole_listing(tmp_path: Path) -> None:
    view, conv, calls = _find_unlocated(tmp_path, widen_then_read_rest)
    whole = sum(len(f) for f in view.all_files)
    commands = [args["command"] for name, args in calls if name == "run"]
    assert commands and all(c.startswith("ls ") for c in commands)
    assert conv.run.input_tokens < whole / 4  # far below carrying the whole file list


def test_compacted_reads_find_an_unlocated_file_the_same_way(tmp_path: Path) -> None:
    # --compact auto's last rung: the file is found (ls of nearby folders) before it is
    # read whole, as with compaction off; never a whole listing, never a blind read
    _, _, calls = _find_unlocated(tmp_path, compacted_pager("lookup"))
    first_read = next(i for i, (name, args) in enumerate(calls)
                      if name == "read" and args["path"] == LOOKUPS)
    commands = [args["command"] for name, args in calls[:first_read] if name == "run"]
    assert commands and all(c.startswith("ls ") for c in commands)


def test_the_bound_reads_the_enclosing_definition_once(tmp_path: Path) -> None:
    view = _tree(tmp_path)
    path = "pkg/models/extra/lookups.py"
    # lookup_5 spans lines 21-22; lookup_20 spans 81-82
    reads = minimal_reads(view, Seen(), {path: {21, 22, 82}}, "oracle-defs")
    assert reads == [(path, 21, 22), (path, 81, 82)]
    lines = minimal_reads(view, Seen(), {path: {40}}, "oracle-lines")
    assert lines == [(path, 38, 42)]
    conv = Conversation("splice", 100, "task", agent=True)
    seen = Seen()
    oracle_fallback("oracle-defs")(conv, view, seen, {path: {21, 82}}, [])
    assert not seen.missing({path: {21, 82}})
    assert len(conv.run.turns) == 1  # both reads in one call
    with pytest.raises(ValueError, match="unknown bound"):
        oracle_fallback("oracle")


def test_handed_files_reads_the_gold_file_without_finding_it(tmp_path: Path) -> None:
    # oracle-files: the path is handed over, the lines are not: no grep, no listing, the
    # file read whole as the read tool returns it (it fits: verbatim), in one call
    view = _tree(tmp_path)
    conv = Conversation("splice", 100, "task", agent=True)
    seen = Seen()
    need = {LOOKUPS: {50}}
    oracle_fallback("oracle-files", "lookup")(conv, view, seen, need,
                                              [Hit("pkg/models/core/module_1.py", 1, "")])
    assert not seen.missing(need)
    calls = [(b.name, b.input) for m in conv.messages for b in m.content
             if getattr(b, "name", "")]
    assert calls == [("read", {"path": LOOKUPS, "start_line": 1, "end_line": 120})]


def test_handed_files_pages_what_compaction_cut_nearest_the_span(tmp_path: Path) -> None:
    # a file past the read cap comes compacted; the needed line it cut is then read in a
    # verbatim page, the page nearest where the search pointed first
    (tmp_path / "big.py").write_text("".join(
        f"def helper_{i}(value):\n    total = value * {i} + {i * 7}\n    return total\n\n\n"
        for i in range(900)))
    view = RepoView.scan(tmp_path)
    need = {"big.py": {3702}}  # inside helper_740, far from the task's words
    conv = Conversation("splice", 100, "task", agent=True)
    seen = Seen()
    oracle_fallback("oracle-files", "helper_3 value")(conv, view, seen, need,
                                                    [Hit("big.py", 3600, "")])
    assert not seen.missing(need)
    reads = [b.input for m in conv.messages for b in m.content if getattr(b, "name", "")]
    assert reads[0] == {"path": "big.py", "start_line": 1, "end_line": 4500}
    assert reads[1]["start_line"] <= 3702 <= reads[1]["end_line"]  # the nearest page first
    assert len(conv.run.turns) == 2  # the whole (compacted) read, then one call of pages


def test_the_bound_is_never_dearer_than_the_agent(tmp_path: Path) -> None:
    from splice.bench.tokens.gold import read_gold
    from tests.bench.tokens_fixture import make_repo

    root = make_repo(tmp_path / "repo")
    task = miss_task()  # the statement names nothing: the search misses the line
    golds = read_gold(task["patch"], root)
    view = RepoView.scan(root)

    async def both() -> tuple[int, int]:
        agent = await splice(task["problem_statement"], view, golds)
        bound = await splice(task["problem_statement"], view, golds,
                             SpliceSettings(fallback="oracle-defs"))
        assert agent.edit_ok and bound.edit_ok
        return agent.total_tokens, bound.total_tokens

    agent_tokens, bound_tokens = anyio.run(both)
    assert bound_tokens <= agent_tokens

    async def handed() -> int:
        run = await splice(task["problem_statement"], view, golds,
                           SpliceSettings(fallback="oracle-files"))
        assert run.edit_ok
        return run.total_tokens

    assert anyio.run(handed) <= agent_tokens


def test_cli_rejects_an_unknown_fallback(tmp_path: Path) -> None:
    tasks = write_tasks(tmp_path / "tasks.jsonl", miss_task())
    (tmp_path / "repos").mkdir()
    result = CliRunner().invoke(app, ["bench", "tokens", "--tasks", str(tasks), "--repos",
                                      str(tmp_path / "repos"), "--fallback", "magic"])
    assert result.exit_code == 2
    assert "--fallback 'magic'" in result.stderr
