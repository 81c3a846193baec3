"""A real terminal: tmux on a private socket, a shell in it, commands typed, screens read."""

from __future__ import annotations

import itertools
import subprocess
import time
import uuid
from pathlib import Path

from tests.acceptance.installed import Installed

_counter = itertools.count(1)


class Screen:
    """One tmux session of `width` columns running bash with the installed splice on PATH."""

    def __init__(self, installed: Installed, width: int, height: int = 50,
                 cwd: Path | None = None) -> None:
        self.socket = installed.folder / f"tmux-{uuid.uuid4().hex[:8]}"
        self.width = width
        env = {**installed.env, "PS1": "$ ", "SHELL": "/bin/bash"}
        self._tmux("-f", "/dev/null", "start-server", ";", "set-option", "-g",
                   "history-limit", "50000", ";", "new-session", "-d", "-x", str(width),
                   "-y", str(height), "-c", str(cwd or installed.folder),
                   "bash --norc --noprofile", env=env)

    def _tmux(self, *args: str, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(["tmux", "-S", str(self.socket), *args], capture_output=True,
                              text=True, check=True, env=env, timeout=30)
        return done.stdout

    def screen(self, joined: bool = False) -> list[str]:
        """Every line the terminal shows, scrollback included, as it shows them (joined:
        lines the terminal wrapped are put back together)."""
        return self._tmux("capture-pane", "-p", *(["-J"] if joined else []),
                          "-S", "-").splitlines()

    def type(self, command: str, timeout: float = 60, joined: bool = False) -> list[str]:
        """Type `command` and Enter; the screen lines it printed, once it is done."""
        marker = f"__done_{next(_counter)}__"
        self._tmux("send-keys", "-l", f"{command}; echo {marker}")
        self._tmux("send-keys", "Enter")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.screen(joined)
            if marker in (line.strip() for line in lines):
                end = max(i for i, line in enumerate(lines) if line.strip() == marker)
                start = max((i for i, line in enumerate(lines[:end]) if marker in line),
                            default=-1)
                # the typed line may wrap: skip it to its end, the line holding the marker
                return lines[start + 1:end]
            time.sleep(0.1)
        raise AssertionError(f"{command!r} did not finish in {timeout}s:\n"
                             + "\n".join(self.screen()[-40:]))

    def close(self) -> None:
        subprocess.run(["tmux", "-S", str(self.socket), "kill-server"], capture_output=True,
                       check=False, timeout=30)
        self.socket.unlink(missing_ok=True)
