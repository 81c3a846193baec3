"""Keep secrets out of traces and checkpoints.

A secret is the value of an environment variable whose name looks like one
(`*_API_KEY`, `*_TOKEN`, `*SECRET*`, `*PASSWORD*`), any key handed in explicitly, and
anything shaped like a provider key (`sk-...`). Every string written to disk goes
through `Redactor.scrub`.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

SECRET_NAME_PATTERNS = ("*_API_KEY", "*_TOKEN", "*SECRET*", "*PASSWORD*", "*_KEY_ID")
# Provider-style keys even when no variable names them (sk-ant-..., sk-proj-..., ghp_...).
KEY_SHAPES = re.compile(r"\b(?:sk-[A-Za-z0-9_\-]{16,}|gh[pousr]_[A-Za-z0-9]{20,})")
MIN_SECRET_LEN = 6  # shorter values ("1", "true") would redact ordinary words


def is_secret_name(name: str) -> bool:
    upper = name.upper()
    return any(fnmatch.fnmatchcase(upper, pattern) for pattern in SECRET_NAME_PATTERNS)


class Redactor:
    def __init__(self, secrets: Mapping[str, str] | None = None) -> None:
        # Longest first, so a secret that contains another is replaced whole.
        pairs = [(v, k) for k, v in (secrets or {}).items() if v and len(v) >= MIN_SECRET_LEN]
        self._secrets = sorted(pairs, key=lambda p: -len(p[0]))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None,
                 extra: Iterable[str] = ()) -> Redactor:
        env = os.environ if env is None else env
        secrets = {name: value for name, value in env.items() if is_secret_name(name)}
        for i, value in enumerate(extra):
            if value:
                secrets[f"secret{i}"] = value
        return cls(secrets)

    def scrub_text(self, text: str) -> str:
        for value, name in self._secrets:
            if value in text:
                text = text.replace(value, f"[REDACTED:{name}]")
        return KEY_SHAPES.sub("[REDACTED]", text)

    def scrub(self, value: Any) -> Any:
        """A copy of a JSON-like value with every string scrubbed (keys too)."""
        if isinstance(value, str):
            return self.scrub_text(value)
        if isinstance(value, dict):
            return {self.scrub(k): self.scrub(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.scrub(v) for v in value]
        return value
