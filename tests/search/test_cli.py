import json
from pathlib import Path

from typer.testing import CliRunner

from splice.cli import app

runner = CliRunner()


def test_search_readable(sample_repo: Path) -> None:
    res = runner.invoke(app, ["search", "verify_token", "--repo", str(sample_repo)])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("pkg/auth.py:18-24\n```\ndef verify_token")
    assert "tokens" in res.output and "index cold" in res.output


def test_search_json(sample_repo: Path) -> None:
    res = runner.invoke(app, ["search", "Router dispatch", "--repo", str(sample_repo),
                              "--json", "--max-tokens", "300"])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.output)
    assert payload["spans"][0]["path"] == "web/app.js"
    assert {"start_line", "end_line", "score", "reason", "text"} <= set(payload["spans"][0])
    assert payload["stats"]["tokens_returned"] <= 300


def test_search_errors_go_to_stderr_without_traceback(sample_repo: Path) -> None:
    cases = [["search", "", "--repo", str(sample_repo)],
             ["search", "x", "--repo", str(sample_repo / "nope")],
             ["search", "x", "--repo", str(sample_repo), "--pattern", "(bad"],
             ["search", "x", "--repo", str(sample_repo), "--path", "../.."],
             ["search", "x", "--repo", str(sample_repo), "--max-tokens", "0"]]
    for args in cases:
        res = runner.invoke(app, args)
        assert res.exit_code == 1, args
        assert "error" in res.output and "Traceback" not in res.output, args
        assert res.exception is None or isinstance(res.exception, SystemExit)


def test_search_json_error(sample_repo: Path) -> None:
    res = runner.invoke(app, ["search", " ", "--repo", str(sample_repo), "--json"])
    assert res.exit_code == 1
    assert json.loads(res.output)["error"] == "invalid_request"


def test_no_results_say_why(sample_repo: Path) -> None:
    res = runner.invoke(app, ["search", "qqzzxx_absent", "--repo", str(sample_repo)])
    assert res.exit_code == 0 and "no results" in res.output and "None of the query" in res.output
