"""Process helpers the test packages share."""

from __future__ import annotations

import signal
import subprocess


def default_sigint() -> None:
    """A Popen `preexec_fn`: the child takes Ctrl-C as from a terminal. A shell without job
    control starts background commands with SIGINT ignored, Python keeps an ignored SIGINT,
    and a test of what Ctrl-C does would then see the child ignore it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def stop(proc: subprocess.Popen[bytes], grace_s: float = 10) -> None:
    """Terminate `proc`, and kill it if it has not exited within `grace_s` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
