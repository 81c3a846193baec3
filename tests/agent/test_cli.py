"""`splice run` and `splice trace` end to end with the scripted provider and test tools."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from splice.cli import app
from splice.commands.display import run_flow as cli_flow
from splice.commands.display.run_flow import RunArgs, execute
from tests.agent.helpers import make_repo, test_toolset

SECRET_ENV = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL",
              "OPENAI_API_KEY", "OPENAI_BASE_URL")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in SECRET_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SPLICE_TOOLSET", "tests.agent.helpers:test_toolset")
    monkeypatch.setenv("COLUMNS", "200")  # rich would fold the table at 80
    return monkeypatch


def write_script(path: Path, *responses: list[dict]) -> Path:
    path.write_text(json.dumps([{"content": blocks} for blocks in responses]))
    return path


def call(name: str, **input: object) -> dict:
    return {"type": "tool_use", "name": name, "input": input}


FIX = [
    [call("search", query="def add")],
    [call("edit", path="calc.py", edit="a - b=>a + b")],
    [call("finish", summary="add adds")],
]


def test_no_key_says_what_to_set(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["run", "fix it", "--repo", str(tmp_path)])
    assert result.exit_code == 2
    assert "ANTHROPIC_API_KEY" in result.output and "--base-url" in result.output
    assert "--provider scripted --script FILE" in result.output
    assert not (tmp_path / ".splice" / "runs").exists() or not any(
        (tmp_path / ".splice" / "runs").iterdir())


def test_scripted_run_applies_the_diff(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    script = write_script(tmp_path / "s.json", *FIX)
    result = CliRunner().invoke(app, ["run", "fix add", "--repo", str(repo), "--provider",
                                      "scripted", "--script", str(script), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["status"] == "finished" and payload["applied"] is True
    assert payload["changed_files"] == ["calc.py"]
    assert "return a + b" in (repo / "calc.py").read_text()
    assert "step   2" in result.stderr  # live progress on stderr

    shown = CliRunner().invoke(app, ["trace", "show", payload["run_id"], "--repo", str(repo)])
    assert shown.exit_code == 0, shown.output
    assert "search(def add)" in shown.stdout and "finished" in shown.stdout
    as_json = CliRunner().invoke(app, ["trace", "show", payload["run_id"], "--repo", str(repo),
                                       "--json"])
    records = json.loads(as_json.stdout)
    assert [s["step"] for s in records["steps"] if s["kind"] == "step"] == [1, 2, 3]
    assert records["steps"][0]["tool_calls"][0]["evidence"][0]["path"] == "calc.py"


def test_approve_without_a_terminal_refuses(clean_env: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    script = write_script(tmp_path / "s.json", *FIX)
    result = CliRunner().invoke(app, ["run", "fix add", "--repo", str(repo), "--provider",
                                      "scripted", "--script", str(script), "--approve"])
    assert result.exit_code == 4, result.output
    assert "needs a terminal" in result.stdout and "nothing was applied" in result.stdout
    assert "return a - b" in (repo / "calc.py").read_text()
    saved = list((repo / ".splice" / "runs").glob("*/final.diff"))
    assert len(saved) == 1 and "+    return a + b" in saved[0].read_text()


@pytest.mark.parametrize("answer", [True, False])
def test_approve_asks_and_obeys(clean_env: pytest.MonkeyPatch, tmp_path: Path,
                                answer: bool) -> None:
    repo = make_repo(tmp_path / "repo")
    script = write_script(tmp_path / "s.json", *FIX)
    asked: list[str] = []
    clean_env.setattr(cli_flow, "_confirm", lambda q: asked.append(q) or answer)
    code = execute(RunArgs(task="fix add", repo=repo, provider="scripted", script=script,
                           approve=True, interactive=True), toolset=test_toolset())
    assert len(asked) == 1
    assert code == (0 if answer else 4)
    assert ("return a + b" in (repo / "calc.py").read_text()) is answer


def test_budget_exhausted_applies_nothing_and_resume_finishes(
        clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    script = write_script(tmp_path / "s.json", *FIX)
    result = CliRunner().invoke(app, ["run", "fix add", "--repo", str(repo), "--provider",
                                      "scripted", "--script", str(script),
                                      "--max-iterations", "2", "--json"])
    assert result.exit_code == 3, result.output
    payload = json.loads(result.stdout)
    assert payload["status"] == "budget_exhausted" and payload["applied"] is False
    assert payload["stop"]["kind"] == "iterations" and payload["doing"] == "edit(calc.py)"
    assert "return a - b" in (repo / "calc.py").read_text()
    # Resume with a bigger budget: only the finish step is left to play.
    rest = write_script(tmp_path / "rest.json", FIX[2])
    resumed = CliRunner().invoke(app, ["run", "--resume", payload["run_id"], "--repo", str(repo),
                                       "--provider", "scripted", "--script", str(rest),
                                       "--max-iterations", "5", "--json"])
    assert resumed.exit_code == 0, resumed.output
    final = json.loads(resumed.stdout)
    assert final["status"] == "finished" and final["steps"] == 3 and final["applied"]
    assert "return a + b" in (repo / "calc.py").read_text()


def test_bad_script_is_a_clear_error(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = CliRunner().invoke(app, ["run", "x", "--repo", str(tmp_path), "--provider",
                                      "scripted", "--script", str(bad)])
    assert result.exit_code == 2 and "not valid JSON" in result.output


def test_trace_show_unknown_run(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["trace", "show", "nope", "--repo", str(tmp_path)])
    assert result.exit_code == 1 and "not found" in result.output


def test_unknown_provider_and_bad_budget(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["run", "x", "--repo", str(tmp_path), "--provider", "gpt"])
    assert result.exit_code == 2 and "unknown provider" in result.output
    result = CliRunner().invoke(app, ["run", "x", "--repo", str(tmp_path), "--max-cost", "-1",
                                      "--provider", "scripted", "--script", "s.json"])
    assert result.exit_code == 2 and "bad budget" in result.output


def test_trace_list(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    script = write_script(tmp_path / "s.json", FIX[2])
    CliRunner().invoke(app, ["run", "say done", "--repo", str(repo), "--provider", "scripted",
                             "--script", str(script)])
    listed = CliRunner().invoke(app, ["trace", "list", "--repo", str(repo), "--json"])
    rows = json.loads(listed.stdout)
    assert len(rows) == 1 and rows[0]["status"] == "finished" and rows[0]["steps"] == 1


def test_a_run_that_ends_in_retries_reports_the_time_they_took(
        clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import re

    from tests.agent.fake_servers import FakeAPI, error

    repo = make_repo(tmp_path / "repo")
    clean_env.setenv("ANTHROPIC_API_KEY", "sk-ant-test-0123456789abcdef")
    overloaded = error(529, "overloaded_error", {"retry-after-ms": "150"})
    with FakeAPI([overloaded for _ in range(50)]) as api:
        result = CliRunner().invoke(app, ["run", "fix add", "--repo", str(repo),
                                          "--base-url", api.url, "--model", "claude-x",
                                          "--retry-budget", "0.6"])
    assert result.exit_code != 0
    summary = next(line for line in result.output.splitlines() if line.startswith("error after"))
    seconds = float(re.search(r", (\d+\.\d)s$", summary).group(1))  # type: ignore[union-attr]
    assert seconds >= 0.5, summary  # not 0.0s: the retries' waits count
    assert 3 <= len(api.requests) <= 6  # retried within the budget, then gave up
    assert "every model failed" in result.output and "--retry-budget" in result.output
