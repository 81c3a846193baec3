"""Typed errors. Each carries what a model or a person needs to fix the call.

`str(err)` is the whole message (what went wrong, then what to do), fit to send back
to a model as a tool result with is_error.
"""

from __future__ import annotations

from typing import Any


class SpliceError(Exception):
    """Base of every error splice raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, hint: str = "", path: str | None = None,
                 details: dict[str, Any] | None = None) -> None:
        self.message = message
        self.hint = hint
        self.path = path
        self.details = details or {}
        super().__init__(self.render())

    def render(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message

    def to_dict(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, "hint": self.hint,
                "path": self.path, **self.details}


class InvalidRequest(SpliceError):
    """The call's arguments are wrong (empty query, ratio out of range, ...)."""

    code = "invalid_request"


class PathError(SpliceError):
    """A path the repo cannot serve."""

    code = "path_error"


class PathEscape(PathError):
    """A path that leads outside the repo root (.., absolute, or through a symlink)."""

    code = "path_escape"


class FileMissing(PathError):
    code = "file_missing"


class NotAFile(PathError):
    code = "not_a_file"


class BinaryFile(PathError):
    code = "binary_file"


class FileTooLarge(PathError):
    code = "file_too_large"


class ApplyError(SpliceError):
    """An edit could not be merged; the message says why and what to send instead."""

    code = "apply_error"


class NoMatch(ApplyError):
    code = "no_match"


class AmbiguousMatch(ApplyError):
    code = "ambiguous_match"


class MalformedEdit(ApplyError):
    code = "malformed_edit"


class SyntaxBroken(ApplyError):
    code = "syntax_broken"


class SuspiciousDeletion(ApplyError):
    code = "suspicious_deletion"


class ProtectedPath(ApplyError):
    """The edit would write, move or delete .git/, .splice/ or a protected path."""

    code = "protected_path"


class WriteFailed(ApplyError):
    """Writing failed part-way; every file was left as it was."""

    code = "write_failed"


class SandboxError(SpliceError):
    code = "sandbox_error"


class ModelError(SpliceError):
    """A model provider failed (after retries and fallbacks)."""

    code = "model_error"
