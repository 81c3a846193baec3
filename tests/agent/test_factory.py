"""Choosing and building a provider from options and the environment."""

import json
from pathlib import Path

import pytest

from splice.agent.providers.anthropic import AnthropicModel
from splice.agent.providers.factory import (
    MissingCredentials,
    ProviderChoice,
    build_model,
    load_script,
    resolve_provider,
    split_models,
)
from splice.agent.providers.openai_compat import OpenAICompatModel
from splice.agent.providers.pricing import price_for
from splice.core.errors import InvalidRequest
from splice.core.llm import Message, ScriptedModel
from tests.agent.fake_servers import FakeAPI, message, text


def test_split_models_and_provider_choice() -> None:
    assert split_models(["a,b", " c "]) == ["a", "b", "c"]
    assert resolve_provider(ProviderChoice(), {}) == "anthropic"
    assert resolve_provider(ProviderChoice(), {"ANTHROPIC_API_KEY": "k"}) == "anthropic"
    assert resolve_provider(ProviderChoice(base_url="http://x"), {}) == "openai"
    assert resolve_provider(ProviderChoice(script=Path("s")), {}) == "scripted"
    assert resolve_provider(ProviderChoice(provider="anthropic", base_url="http://x"),
                            {}) == "anthropic"


def test_build_model_errors_say_what_to_do() -> None:
    with pytest.raises(MissingCredentials, match="no API key") as exc:
        build_model(ProviderChoice(), env={})
    assert "ANTHROPIC_API_KEY" in exc.value.hint
    with pytest.raises(MissingCredentials, match="--base-url"):
        build_model(ProviderChoice(provider="openai"), env={})
    with pytest.raises(InvalidRequest, match="--model"):
        build_model(ProviderChoice(provider="openai", base_url="http://localhost:1/v1"), env={})
    with pytest.raises(InvalidRequest, match="--script"):
        build_model(ProviderChoice(provider="scripted"), env={})


def test_build_model_kinds(tmp_path: Path) -> None:
    local = build_model(ProviderChoice(base_url="http://localhost:11434", models=["qwen"]),
                        env={})
    assert isinstance(local, OpenAICompatModel)
    assert local.base_url == "http://localhost:11434/v1"
    keyed = build_model(ProviderChoice(provider="openai", models=["gpt-x"]),
                        env={"OPENAI_API_KEY": "k"})
    assert isinstance(keyed, OpenAICompatModel)
    assert keyed.base_url == "https://api.openai.com/v1"
    chain = build_model(ProviderChoice(models=["claude-opus-4-6", "claude-haiku-4-5"]),
                        env={"ANTHROPIC_API_KEY": "sk-ant-x"})
    assert isinstance(chain, AnthropicModel) and chain.models == ["claude-opus-4-6",
                                                                 "claude-haiku-4-5"]
    script = tmp_path / "s.json"
    script.write_text(json.dumps([{"content": [{"type": "tool_use", "name": "finish",
                                                "input": {"summary": "x"}}]}]))
    scripted = build_model(ProviderChoice(script=script), env={})
    assert isinstance(scripted, ScriptedModel) and scripted.remaining == 1


def test_load_script_errors(tmp_path: Path) -> None:
    for body, needle in [("[]", "non-empty"), ('[{"content": [{"type": "bogus"}]}]',
                                               "malformed"), ("{", "not valid JSON")]:
        path = tmp_path / "s.json"
        path.write_text(body)
        with pytest.raises(InvalidRequest, match=needle):
            load_script(path)
    with pytest.raises(InvalidRequest, match="cannot read"):
        load_script(tmp_path / "missing.json")


async def test_sdk_reads_key_and_base_url_from_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeAPI([message(text("hi"), model="claude-opus-4-6",
                          usage={"input_tokens": 1000, "output_tokens": 100,
                                 "cache_creation_input_tokens": 2000,
                                 "cache_read_input_tokens": 4000})]) as api:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-from-env-0123456789")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", api.url)
        model = build_model(ProviderChoice(models=["claude-opus-4-6"]))
        response = await model.complete(system="s", messages=[Message.user("x")], tools=[])
    sent = api.requests[0].headers
    assert "sk-ant-from-env-0123456789" in sent.get("x-api-key", "") + sent.get(
        "authorization", "")
    u = response.usage
    assert (u.input_tokens, u.output_tokens, u.cache_write_tokens, u.cache_read_tokens) == (
        1000, 100, 2000, 4000)
    # Opus 4.6: $5 in, $25 out, writes 1.25x, reads 0.1x (per million tokens).
    assert u.cost_usd == pytest.approx((1000 * 5 + 100 * 25 + 2000 * 6.25 + 4000 * 0.5) / 1e6)


def test_prices(monkeypatch: pytest.MonkeyPatch) -> None:
    assert price_for("claude-haiku-4-5-20251001").input == 1.0  # type: ignore[union-attr]
    assert price_for("anthropic/claude-sonnet-4-6").output == 15.0  # type: ignore[union-attr]
    assert price_for("qwen2.5-coder:7b") is None
    monkeypatch.setenv("SPLICE_PRICE", "0.5,1.5")
    assert price_for("qwen2.5-coder:7b").output == 1.5  # type: ignore[union-attr]
    monkeypatch.setenv("SPLICE_PRICE", "cheap")
    with pytest.raises(InvalidRequest, match="SPLICE_PRICE"):
        price_for("x")


async def test_a_script_replays_inputs_that_are_not_objects(tmp_path: Path) -> None:
    from splice.agent.providers.factory import load_script

    script = tmp_path / "s.json"
    script.write_text(json.dumps([{"content": [
        {"type": "tool_use", "name": "edit", "input": "fix calc.py"},
        {"type": "tool_use", "name": "read", "input": [1, 2]},
        {"type": "tool_use", "name": "read", "input": {"path": "a.py"}}]}]))
    response = await load_script(script).complete(system="", messages=[Message.user("t")],
                                                  tools=[])
    calls = response.tool_uses
    assert [c.invalid_input for c in calls] == ['"fix calc.py"', "[1, 2]", None]
    assert [c.input for c in calls] == [{}, {}, {"path": "a.py"}]
