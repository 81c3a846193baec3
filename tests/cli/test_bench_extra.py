"""`splice bench` without the bench extra says how to get it; with it, runs as before."""

import pytest
from typer.testing import CliRunner

from splice.cli import app
from splice.commands import bench_extra


def test_the_extra_lists_what_the_bench_imports_and_the_runtime_does_not() -> None:
    import tomllib
    from pathlib import Path

    data = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    runtime = " ".join(data["project"]["dependencies"])
    extra = " ".join(data["project"]["optional-dependencies"]["bench"])
    for name in ("matplotlib", "unidiff"):
        assert name in extra and name not in runtime
    assert "ripgrepy" not in runtime  # never imported (docs/architecture.md says why)
    assert any("splice[bench]" in d for d in data["project"]["optional-dependencies"]["dev"])


def test_missing_extra_is_named_with_the_install_command(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench_extra, "bench_requirements",
                        lambda: ["matplotlib>=3.8", "no-such-dist-for-splice>=1"])
    monkeypatch.setattr("sys.argv", ["splice", "bench", "apply", "--help"])
    result = CliRunner().invoke(app, ["bench", "apply", "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output  # help is always there
    monkeypatch.setattr("sys.argv", ["splice", "bench", "tokens", "--limit", "1"])
    result = CliRunner().invoke(app, ["bench", "tokens", "--limit", "1"])
    assert result.exit_code == 2
    assert "no-such-dist-for-splice not installed" in result.output
    assert 'pip install "splice[bench]"' in result.output
    assert "matplotlib" not in result.output.split("(")[1].split(")")[0]  # it is installed


def test_requirements_are_read_from_the_installed_metadata() -> None:
    names = bench_extra.bench_requirements()
    # an install of this pyproject lists the extra; an older install lists none
    assert all(not r.startswith("splice") for r in names)
