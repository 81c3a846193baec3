"""`splice search` as people ask: plain questions, names that are not there, flags, order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.acceptance.installed import Installed

# (verb, a question a person would type); each names `def <verb>` in verbs.py, in a folder
# of few files (click's 17 modules + verbs.py) where "add" is also in most files.
VERB_QUESTIONS = [
    ("add", "the add function returns the wrong sum"),
    ("update", "update() drops keys"),
    ("remove", "remove loses the last item"),
    ("handle", "handle returns None for events"),
    ("change", "change swaps its arguments"),
    ("version", "version reports 0.0"),
    ("case", "case does not lower the text"),
]


def _spans(installed: Installed, repo: Path, query: str) -> dict:
    done = installed.run("search", query, "--repo", str(repo), "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _def_line(repo: Path, verb: str) -> int:
    lines = (repo / "verbs.py").read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(f"def {verb}("))


@pytest.mark.parametrize(("verb", "question"), VERB_QUESTIONS)
def test_plain_question_naming_a_definition_finds_it(installed: Installed, template_repo: Path,
                                                     verb: str, question: str) -> None:
    line = _def_line(template_repo, verb)
    spans = _spans(installed, template_repo, question)["spans"][:5]
    assert any(s["path"] == "verbs.py" and s["start_line"] <= line <= s["end_line"]
               for s in spans), [(s["path"], s["start_line"]) for s in spans]


def test_an_identifier_that_occurs_nowhere_is_said_first(installed: Installed,
                                                         template_repo: Path) -> None:
    done = installed.run("search", "get_user_by_token", "--repo", str(template_repo))
    first = done.stdout.strip().splitlines()[0].lower()
    assert "get_user_by_token" in first and ("not" in first or "no " in first), first


def test_a_literal_flag_in_the_query_is_searched_as_written(installed: Installed,
                                                            template_repo: Path) -> None:
    found = _spans(installed, template_repo, "flask routes --all-methods")
    assert any("all-methods" in term for term in found["stats"]["terms"]), found["stats"]
    text = (template_repo / "routes.py").read_text().splitlines()
    flag_line = next(i for i, line in enumerate(text, 1) if '"--all-methods"' in line)
    top = found["spans"][0]
    assert top["path"] == "routes.py" and top["start_line"] <= flag_line <= top["end_line"]


def test_best_first_means_in_score_order(installed: Installed, template_repo: Path) -> None:
    for query in ("update() drops keys", "the add function returns the wrong sum"):
        scores = [s["score"] for s in _spans(installed, template_repo, query)["spans"]]
        assert scores == sorted(scores, reverse=True), (query, scores)


def test_search_outside_a_git_repo_leaves_no_splice_folder(installed: Installed,
                                                           tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "tool.py").write_text("def add(a, b):\n    return a + b\n")
    done = installed.run("search", "add", "--repo", str(folder))
    assert done.returncode == 0, done.stderr
    assert "tool.py" in done.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["tool.py"]
