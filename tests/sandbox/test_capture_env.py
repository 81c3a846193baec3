from __future__ import annotations

import pytest

from splice.sandbox.capture import CappedBuffer
from splice.sandbox.env import build_env, is_secret


def test_small_output_is_kept_whole() -> None:
    buf = CappedBuffer(100)
    for part in (b"hello ", b"world"):
        buf.write(part)
    assert buf.getvalue() == b"hello world"
    assert not buf.truncated


def test_large_output_keeps_head_and_tail_and_says_what_was_cut() -> None:
    buf = CappedBuffer(1000)
    data = bytes(range(256)) * 4000  # 1,024,000 bytes
    for i in range(0, len(data), 4096):
        buf.write(data[i:i + 4096])
    value = buf.getvalue()
    assert buf.truncated and buf.total == len(data)
    assert value.startswith(data[:500]) and value.endswith(data[-500:])
    assert f"{len(data) - 1000} bytes cut".encode() in value
    assert len(buf.tail) <= 2 * 500 + 4096  # memory stays bounded


def test_output_exactly_at_cap_is_not_truncated() -> None:
    buf = CappedBuffer(10)
    buf.write(b"0123456789")
    assert buf.getvalue() == b"0123456789" and not buf.truncated


@pytest.mark.parametrize("name", [
    "ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GITHUB_TOKEN", "MY_SECRET", "client_secret",
    "DB_PASSWORD", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "GOOGLE_APPLICATION_CREDENTIALS",
    "AZURE_CLIENT_SECRET", "PYTHON_KEYRING_PASSWORD", "HF_TOKEN", "NPM_TOKEN", "SSH_AUTH_SOCK",
])
def test_credentials_are_secret(name: str) -> None:
    assert is_secret(name)


@pytest.mark.parametrize("name", ["PATH", "LANG", "LC_ALL", "TERM", "PYTHONHASHSEED", "HOME"])
def test_ordinary_names_are_not_secret(name: str) -> None:
    assert not is_secret(name)


def test_build_env_allow_list_and_secrets_never_pass() -> None:
    parent = {"PATH": "/bin", "LANG": "C", "LC_CTYPE": "C", "PYTHONPATH": "/x",
              "RANDOM_VAR": "1", "OPENAI_API_KEY": "sk-1", "PYTHON_TOKEN": "t",
              "AWS_PROFILE": "p", "HOME": "/root"}
    env = build_env(home="/scratch/home", parent=parent)
    assert env["PATH"] == "/bin" and env["LANG"] == "C" and env["PYTHONPATH"] == "/x"
    assert env["HOME"] == "/scratch/home"
    assert "RANDOM_VAR" not in env and "OPENAI_API_KEY" not in env
    assert "PYTHON_TOKEN" not in env and "AWS_PROFILE" not in env
    # Even an allow-everything pattern and explicit extras cannot pass a secret.
    env = build_env(home="/h", parent=parent, allow=["*"], extra={"X_API_KEY": "k", "OK": "1"})
    assert env["RANDOM_VAR"] == "1" and env["OK"] == "1"
    assert not any(is_secret(k) for k in env)
