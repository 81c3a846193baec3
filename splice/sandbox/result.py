"""What one sandboxed command did: exit code, capped output, and how it was confined."""

from __future__ import annotations

import signal

from pydantic import BaseModel, Field

from splice.sandbox.isolation import Guarantees, Level

# Signals the limits send, named for what tripped them.
_LIMIT_SIGNALS: dict[int, str] = {
    int(signal.SIGXCPU): "cpu_limit",
    int(signal.SIGXFSZ): "file_size_limit",
}


def killed_by_signal(signum: int) -> str:
    if signum in _LIMIT_SIGNALS:
        return _LIMIT_SIGNALS[signum]
    try:
        return f"signal {signal.Signals(signum).name}"
    except ValueError:
        return f"signal {signum}"


class CommandResult(BaseModel):
    """The outcome of `Sandbox.run`.

    exit_code follows the shell: the command's status, or 128+N when signal N ended it
    (so a CPU-limit kill reads 152), and 124 when splice stopped it at its timeout.
    """

    command: str
    exit_code: int
    stdout: str
    stderr: str
    duration_s: float
    timed_out: bool = False
    truncated: bool = Field(False, description="stdout or stderr lost its middle to the cap")
    isolation: Level
    guarantees: Guarantees
    killed_by: str | None = Field(
        None, description="timeout | cpu_limit | file_size_limit | proc_limit | signal NAME")
    proc_limit: str = Field(
        description="how the process cap is enforced: cgroup | rlimit | watchdog")
    stdout_bytes: int = 0
    stderr_bytes: int = 0
    warnings: list[str] = Field(default_factory=list)
    policy: str = Field("", description="what the command could see and read: the policy "
                        "named in docs/sandbox.md (home-deny under bubblewrap)")

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out

    def render(self) -> str:
        """The text a model sees: the status line, warnings, then each non-empty stream."""
        status = f"exit code {self.exit_code}"
        if self.timed_out:
            status += " (timed out, killed with its children)"
        elif self.killed_by:
            status += f" (killed: {self.killed_by})"
        parts = [f"$ {self.command}",
                 f"{status} in {self.duration_s:.1f}s [isolation: {self.isolation}]"
                 + (f" [policy: {self.policy}]" if self.policy else "")]
        parts += [f"warning: {w}" for w in self.warnings]
        for name, text in (("stdout", self.stdout), ("stderr", self.stderr)):
            if text:
                parts.append(f"--- {name} ---\n{text.rstrip(chr(10))}")
        if not self.stdout and not self.stderr:
            parts.append("(no output)")
        return "\n".join(parts)
