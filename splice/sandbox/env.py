"""The environment a sandboxed command sees: an allow-list, and never a secret.

A variable passes only when its name matches the allow-list AND does not look like a
credential. The secret check runs last, so no allow-list pattern (not even `*`) can let
an API key, a token, a password or a cloud credential through.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Mapping

# Names a build or a test run needs; everything else stays behind.
DEFAULT_ALLOW: tuple[str, ...] = (
    "PATH", "LANG", "LANGUAGE", "LC_*", "TERM", "TZ", "COLUMNS", "LINES",
    "NO_COLOR", "FORCE_COLOR", "CLICOLOR", "CI",
    "PYTHON*", "VIRTUAL_ENV", "CONDA_PREFIX", "CONDA_DEFAULT_ENV", "PYENV_*",
    "JAVA_HOME", "GOPATH", "GOROOT", "GOFLAGS", "CARGO_HOME", "RUSTUP_HOME",
    "NODE_ENV", "NODE_PATH", "NVM_DIR",
)

# Credential-shaped names. Matched case-insensitively against the whole name.
SECRET_PATTERNS: tuple[str, ...] = (
    "*_API_KEY", "*_APIKEY", "API_KEY", "*_TOKEN", "TOKEN", "*_TOKEN_*", "*SECRET*",
    "*PASSWORD*", "*PASSWD*", "*CREDENTIAL*", "*_PRIVATE_KEY", "*_ACCESS_KEY*",
    "*_AUTH", "*_AUTH_*", "*SESSION_KEY*",
    "AWS_*", "GOOGLE_*", "GCLOUD_*", "GCP_*", "CLOUDSDK_*", "AZURE_*", "ARM_CLIENT_*",
    "ANTHROPIC_*", "OPENAI_*", "GH_*", "GITHUB_*", "GITLAB_*", "HF_*", "HUGGING*",
    "NPM_CONFIG__AUTH*", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "UV_INDEX*",
    "SSH_AUTH_SOCK", "GPG_AGENT_INFO", "DOCKER_*", "KUBECONFIG", "VAULT_*",
    "DATABASE_URL", "*_DSN",
)

_DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def is_secret(name: str) -> bool:
    upper = name.upper()
    return any(fnmatch.fnmatchcase(upper, pattern) for pattern in SECRET_PATTERNS)


def is_allowed(name: str, allow: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in allow) and not is_secret(name)


def build_env(
    *,
    home: str,
    tmpdir: str | None = None,
    parent: Mapping[str, str] | None = None,
    allow: Iterable[str] = (),
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The child's environment: allowed parent variables, then `extra`, minus secrets.

    HOME points at a private writable directory so tools that write caches to ~ never
    touch the user's real home.
    """
    source = os.environ if parent is None else parent
    patterns = (*DEFAULT_ALLOW, *allow)
    env = {k: v for k, v in source.items() if is_allowed(k, patterns)}
    for key, value in (extra or {}).items():
        if not is_secret(key):
            env[key] = value
    env.setdefault("PATH", _DEFAULT_PATH)
    env.setdefault("LANG", "C.UTF-8")
    env["HOME"] = home
    if tmpdir is not None:
        env["TMPDIR"] = tmpdir
    # Git in the scratch tree should not prompt or reach for a credential helper.
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["SPLICE_SANDBOX"] = "1"
    return env


def dropped_names(env: Mapping[str, str], parent: Mapping[str, str] | None = None) -> list[str]:
    """Parent variables that did not reach the child (for diagnostics; names only)."""
    source = os.environ if parent is None else parent
    return sorted(k for k in source if k not in env)
