"""Build a Model from CLI options and the environment, or say exactly what is missing."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from splice.core.bounds import RETRY_BUDGET_S
from splice.core.errors import InvalidRequest
from splice.core.llm import Model, ModelResponse, ScriptedModel, ToolUseBlock

ProviderName = Literal["anthropic", "openai", "scripted"]
PROVIDERS: tuple[str, ...] = ("anthropic", "openai", "scripted")
OPENAI_DEFAULT_BASE = "https://api.openai.com/v1"


class MissingCredentials(InvalidRequest):
    code = "missing_credentials"


NO_KEY_HINT = """\
Set one of:
  export ANTHROPIC_API_KEY=sk-ant-...   (Anthropic, the default provider)
  --provider openai --base-url http://localhost:11434/v1 --model qwen2.5-coder:7b
      (any OpenAI-compatible server: Ollama, vLLM, llama.cpp, LM Studio, OpenRouter;
       export OPENAI_API_KEY=... if the server needs a key)
  --provider scripted --script FILE     (replay recorded responses, offline)"""


class ProviderChoice(BaseModel):
    provider: ProviderName | None = None
    models: list[str] = Field(default_factory=list)
    base_url: str | None = None
    script: Path | None = None
    retry_budget_s: float = Field(default=RETRY_BUDGET_S, ge=0)


def split_models(values: Sequence[str]) -> list[str]:
    """`--model a --model b` and `--model a,b` both give the chain [a, b]."""
    return [m.strip() for v in values for m in v.split(",") if m.strip()]


def resolve_provider(choice: ProviderChoice, env: Mapping[str, str]) -> ProviderName:
    if choice.provider is not None:
        return choice.provider
    if choice.script is not None:
        return "scripted"
    if env.get("ANTHROPIC_API_KEY") or env.get("ANTHROPIC_AUTH_TOKEN"):
        return "anthropic"
    if choice.base_url or env.get("OPENAI_BASE_URL") or env.get("OPENAI_API_KEY"):
        return "openai"
    return "anthropic"


def api_key_for(provider: str, env: Mapping[str, str] | None = None) -> str | None:
    env = os.environ if env is None else env
    if provider == "anthropic":
        return env.get("ANTHROPIC_API_KEY") or env.get("ANTHROPIC_AUTH_TOKEN")
    if provider == "openai":
        return env.get("OPENAI_API_KEY")
    return None


def build_model(choice: ProviderChoice, env: Mapping[str, str] | None = None) -> Model:
    env = os.environ if env is None else env
    provider = resolve_provider(choice, env)
    if provider == "scripted":
        if choice.script is None:
            raise InvalidRequest("--provider scripted needs --script FILE",
                                 hint="FILE is a JSON list of model responses.")
        return load_script(choice.script)
    from splice.agent.providers.retry import RetryPolicy

    policy = RetryPolicy(retry_budget_s=choice.retry_budget_s)
    if provider == "anthropic":
        from splice.agent.providers.anthropic import AnthropicModel

        key = api_key_for("anthropic", env)
        base = choice.base_url or env.get("ANTHROPIC_BASE_URL")
        if not key and not base:
            raise MissingCredentials("no API key and no --base-url: splice run has no model "
                                     "to talk to", hint=NO_KEY_HINT)
        # A keyless base URL is a local proxy; the SDK still wants some credential.
        return AnthropicModel(choice.models or None, base_url=choice.base_url,
                              api_key=None if key else "none", policy=policy)
    from splice.agent.providers.openai_compat import OpenAICompatModel

    key = api_key_for("openai", env)
    base = choice.base_url or env.get("OPENAI_BASE_URL") or (OPENAI_DEFAULT_BASE if key else None)
    if not base:
        raise MissingCredentials("--provider openai needs --base-url (or OPENAI_BASE_URL)",
                                 hint=NO_KEY_HINT)
    if not choice.models:
        raise InvalidRequest("--provider openai needs --model NAME",
                             hint="The server's model name, e.g. --model qwen2.5-coder:7b "
                                  "for Ollama.")
    return OpenAICompatModel(choice.models, base_url=base, api_key=key, policy=policy)


def load_script(path: Path) -> ScriptedModel:
    """A JSON list of responses: {"content": [{"type": "text"|"tool_use", ...}], ...}.

    A tool_use block without an id gets one, so scripts stay short to write.
    """
    try:
        raw = json.loads(Path(path).read_text("utf-8"))
    except OSError as exc:
        raise InvalidRequest(f"--script {path}: cannot read it: {exc.strerror}",
                             hint="Give the path of a JSON file of responses.") from exc
    except ValueError as exc:
        raise InvalidRequest(f"--script {path}: not valid JSON: {exc}",
                             hint="The file holds a JSON list of responses.") from exc
    items = raw.get("responses") if isinstance(raw, dict) else raw
    if not isinstance(items, list) or not items:
        raise InvalidRequest(f"--script {path}: expected a non-empty JSON list of responses",
                             hint='[{"content": [{"type": "tool_use", "name": "finish", '
                                  '"input": {"summary": "done"}}]}]')
    steps: list[ModelResponse] = []
    for i, item in enumerate(items):
        for j, block in enumerate(item.get("content", []) if isinstance(item, dict) else []):
            if isinstance(block, dict) and block.get("type") == "tool_use":
                block.setdefault("id", f"call_{i + 1}_{j + 1}")
                # a recorded input that is not an object replays as the API sent it
                parsed = ToolUseBlock.from_value(block["id"], str(block.get("name", "")),
                                                 block.get("input"))
                block.update(input=parsed.input, invalid_input=parsed.invalid_input)
        try:
            steps.append(ModelResponse.model_validate(item))
        except ValidationError as exc:
            raise InvalidRequest(f"--script {path}: response {i + 1} is malformed: "
                                 f"{exc.errors()[0]['msg']}",
                                 hint="Each response is {\"content\": [blocks]}.") from exc
    return ScriptedModel(steps, name=Path(path).name)


__all__ = ["MissingCredentials", "ProviderChoice", "build_model", "load_script",
           "split_models", "api_key_for"]
