"""`splice serve` refuses unsafe or incomplete setups before binding anything."""

from __future__ import annotations

from typer.testing import CliRunner

from splice.cli import app


def test_non_loopback_host_needs_a_token() -> None:
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "0"])
    assert result.exit_code == 1
    assert "--token" in result.output


def test_fallback_flags_need_the_url() -> None:
    result = CliRunner().invoke(app, ["serve", "--fallback-model", "morph-v3-large"])
    assert result.exit_code == 1
    assert "--fallback-url" in result.output


def test_missing_key_variable_is_named(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SPLICE_TEST_NO_SUCH_KEY", raising=False)
    result = CliRunner().invoke(app, ["serve", "--fallback-url", "http://127.0.0.1:9/v1",
                                      "--fallback-key-env", "SPLICE_TEST_NO_SUCH_KEY"])
    assert result.exit_code == 1
    assert "SPLICE_TEST_NO_SUCH_KEY" in result.output
