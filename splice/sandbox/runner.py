"""`Sandbox.run`: one command, confined, limited, its output captured and capped."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Literal

import anyio
import anyio.abc

from splice.core.errors import SandboxError
from splice.core.repo import ensure_state_dir
from splice.sandbox import procs, reach
from splice.sandbox.capture import CappedBuffer, pump
from splice.sandbox.env import build_env
from splice.sandbox.isolation import GUARANTEES, LEVELS, Level, git_dirs, probe, wrap
from splice.sandbox.policy import ALLOW_ENV, SHOW_ENV, env_list, plan
from splice.sandbox.result import CommandResult, killed_by_signal

LAUNCHER = Path(__file__).with_name("_launch.py")
# After the command ends (or is killed), how long its pipes may take to reach EOF.
DRAIN_S = 2.0
WATCHDOG_INTERVAL_S = 0.05
TIMEOUT_EXIT_CODE = 124  # what GNU timeout(1) returns

IsolationChoice = Literal["auto", "bwrap", "unshare", "none"]
ISOLATION_ENV = "SPLICE_SANDBOX_ISOLATION"
NONE_POLICY = ("the command runs as a plain child of splice: it can read splice's own "
               "environment (/proc/$PPID/environ, API keys included), reach the network, "
               "and read and write every file this user can")
POLICY_LINES: dict[Level, str] = {
    "bwrap": "home-deny",
    "unshare": "no network; filesystem NOT confined (home and secrets readable)",
    "none": "unconfined: can read splice's own environment (/proc/$PPID/environ), reach "
            "the network and every file this user can",
}


class _RunState:
    def __init__(self) -> None:
        self.proc_limit_hit = False
        self.pumps_left = 2
        self.drained = anyio.Event()

    def pump_done(self) -> None:
        self.pumps_left -= 1
        if self.pumps_left == 0:
            self.drained.set()


class Sandbox:
    """Runs commands in `root` (a scratch tree) with no network, no secrets and limits.

    isolation: "auto" takes bwrap, else unshare, and refuses when neither works; "none"
    runs only when named (here or by SPLICE_SANDBOX_ISOLATION, read when isolation is None);
    a named level that does not work raises SandboxError. require_isolation=True refuses
    "none". allow / show (default: SPLICE_SANDBOX_ALLOW / SPLICE_SANDBOX_SHOW) open the
    home-deny policy under bubblewrap: host paths (`PATH:rw` writable) and globs of the
    root's hidden secret-looking files (docs/sandbox.md). warn_stderr=False leaves the
    NO ISOLATION warning to the caller (it is in every result either way).
    Limits: cpu_s (CPU seconds per process), memory_mb (RLIMIT_DATA: heap and anonymous
    mappings, which reservations like V8's do not trip), max_procs (processes and
    threads), max_file_mb (largest file a command may write), tmp_mb (size of the
    private, RAM-backed /tmp under bubblewrap), max_output_bytes (per stream; head and
    tail kept). env_allow adds name patterns to the environment
    allow-list; env sets variables outright. Secrets pass through neither.
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        isolation: IsolationChoice | None = None,
        require_isolation: bool = False,
        cpu_s: int = 600,
        memory_mb: int = 4096,
        max_procs: int = 256,
        max_file_mb: int = 2048,
        tmp_mb: int = 1024,
        max_output_bytes: int = 100_000,
        env_allow: Iterable[str] = (),
        env: Mapping[str, str] | None = None,
        allow: Iterable[str] | None = None,
        show: Iterable[str] | None = None,
        warn_stderr: bool = True,
    ) -> None:
        path = Path(root).resolve()
        if not path.is_dir():
            raise SandboxError(f"sandbox root {path} is not a directory",
                               hint="Pass the scratch tree's directory (ScratchTree.path).",
                               path=str(path))
        if isolation is None:
            isolation = os.environ.get(ISOLATION_ENV, "auto") or "auto"  # type: ignore[assignment]
        if isolation not in ("auto", *LEVELS):
            raise SandboxError(f"unknown isolation {isolation!r}",
                               hint="Use one of: auto, bwrap, unshare, none.")
        for name, value in (("cpu_s", cpu_s), ("memory_mb", memory_mb),
                            ("max_procs", max_procs), ("max_file_mb", max_file_mb),
                            ("tmp_mb", tmp_mb),
                            ("max_output_bytes", max_output_bytes)):
            if value <= 0:
                raise SandboxError(f"{name} must be positive, got {value}")
        self.root = path
        self.isolation: IsolationChoice = isolation
        self.require_isolation = require_isolation
        self.cpu_s = cpu_s
        self.memory_mb = memory_mb
        self.max_procs = max_procs
        self.max_file_mb = max_file_mb
        self.tmp_mb = tmp_mb
        self.max_output_bytes = max_output_bytes
        self.env_allow = tuple(env_allow)
        self.env = dict(env or {})
        self.allow = list(env_list(ALLOW_ENV) if allow is None else allow)
        self.show = list(env_list(SHOW_ENV) if show is None else show)
        self.warn_stderr = warn_stderr
        self._warned = False

    # -- isolation -------------------------------------------------------------------

    def level(self) -> Level:
        """The isolation level runs will use (probes once per process; may raise).

        "auto" takes bubblewrap, else unshare, and never "none": running without isolation
        has to be asked for by name.
        """
        found = probe()
        if self.isolation == "none" and self.require_isolation:
            works = [lv for lv in ("bwrap", "unshare") if found[lv] is None]
            raise SandboxError(
                "refusing to run: isolation 'none' (--isolation none) was asked for together "
                "with require_isolation (--require-isolation); they contradict each other",
                hint=(f"{' and '.join(works)} work{'s' if len(works) == 1 else ''} here: "
                      "drop --isolation none." if works else
                      "No isolation works here (" + "; ".join(
                          f"{lv}: {found[lv]}" for lv in ("bwrap", "unshare")) +
                      "): install bubblewrap (apt-get install bubblewrap) or drop "
                      "--require-isolation."))
        if self.isolation == "auto":
            usable: list[Level] = [lv for lv in ("bwrap", "unshare") if found[lv] is None]
            if not usable:
                reasons = "; ".join(f"{lv}: {found[lv]}" for lv in ("bwrap", "unshare"))
                raise SandboxError(
                    f"refusing to run: no isolation works here ({reasons})",
                    hint="Install bubblewrap (Debian: apt-get install bubblewrap). To run "
                         "without any isolation, ask for it by name: --isolation none, "
                         f"isolation='none' or {ISOLATION_ENV}=none.")
            return usable[0]
        level = self.isolation
        if found[level] is not None:
            raise SandboxError(f"isolation {level!r} is not available: {found[level]}",
                               hint="Install bubblewrap (apt-get install bubblewrap) "
                                    "or use isolation='auto'.")
        return level

    def _warnings(self, level: Level) -> list[str]:
        found = probe()
        if level == "none":
            return [f"NO ISOLATION (isolation 'none' was asked for): {NONE_POLICY}"]
        if level == "unshare":
            return [f"filesystem not confined: no network, but writes outside the scratch "
                    f"tree are possible (bubblewrap: {found['bwrap'] or 'not chosen'})"]
        return []

    # -- running ---------------------------------------------------------------------

    def _argv(self, command: str | list[str]) -> tuple[list[str], str]:
        if isinstance(command, str):
            if not command.strip():
                raise SandboxError("empty command", hint="Pass the command line to run.")
            shell = shutil.which("bash") or "/bin/sh"
            return [shell, "-c", command], command
        if not command:
            raise SandboxError("empty command", hint="Pass the command line to run.")
        return [str(c) for c in command], shlex.join(str(c) for c in command)

    def _limits_argv(self, cgroup: procs.PidsCgroup | None) -> tuple[list[str], str]:
        args = [sys.executable, "-I", "-S", str(LAUNCHER),
                "--cpu", str(self.cpu_s),
                "--data", str(self.memory_mb * 1024 * 1024),
                "--fsize", str(self.max_file_mb * 1024 * 1024)]
        if cgroup is not None:
            return [*args, "--cgroup", str(cgroup.path)], "cgroup"
        uid = os.getuid()
        if uid != 0:
            # RLIMIT_NPROC counts every process of the user, so leave room for those.
            nproc = procs.count_user_processes(uid) + self.max_procs
            return [*args, "--nproc", str(nproc)], "rlimit"
        # Root ignores RLIMIT_NPROC and no pids cgroup could be made: poll instead.
        return args, "watchdog"

    async def run(self, command: str | list[str], timeout_s: float = 120) -> CommandResult:
        """Run `command` (a shell line, or an argv list) in the sandbox root."""
        if timeout_s <= 0:
            raise SandboxError(f"timeout_s must be positive, got {timeout_s}")
        argv, shown = self._argv(command)
        level = await anyio.to_thread.run_sync(self.level)
        warnings = self._warnings(level)
        if warnings and level == "none" and self.warn_stderr and not self._warned:
            self._warned = True
            sys.stderr.write(f"splice sandbox warning: {warnings[0]}\n")
        base_env = build_env(home="/", allow=self.env_allow, extra=self.env)
        policy = None
        if level == "bwrap":
            policy = await anyio.to_thread.run_sync(
                lambda: plan(self.root, path_var=base_env["PATH"], allow=self.allow,
                             show=self.show))
            warnings += policy.notes
            home = policy.homes[0] if policy.homes else ensure_state_dir(
                self.root, "sandbox", "home")
            tmp = None
        else:
            home = ensure_state_dir(self.root, "sandbox", "home")
            tmp = str(ensure_state_dir(self.root, "sandbox", "tmp"))
        env = build_env(home=str(home), tmpdir=tmp, allow=self.env_allow, extra=self.env)
        header = POLICY_LINES[level]
        if "/" not in argv[0]:
            found = shutil.which(argv[0], path=env["PATH"])
            if found is None:  # every level reports it the way a shell does
                return CommandResult(
                    command=shown, exit_code=127, stdout="",
                    stderr=f"splice sandbox: {argv[0]}: command not found on PATH\n",
                    duration_s=0.0, timed_out=False, truncated=False, isolation=level,
                    guarantees=GUARANTEES[level], killed_by=None, proc_limit="none",
                    warnings=warnings, policy=header)
            argv = [found, *argv[1:]]
        if policy is not None:
            unseen = reach.bind_program(Path(argv[0]), policy, self.root)
            header = policy.header()
            if unseen:
                return CommandResult(
                    command=shown, exit_code=126, stdout="", stderr=unseen + "\n",
                    duration_s=0.0, isolation=level, guarantees=GUARANTEES[level],
                    proc_limit="none", warnings=warnings, policy=header)
        cgroup = (await anyio.to_thread.run_sync(procs.PidsCgroup.create, self.max_procs)
                  if os.geteuid() == 0 else None)
        launcher, mechanism = self._limits_argv(cgroup)
        if mechanism == "watchdog":
            warnings.append("process cap enforced by polling (root, no pids cgroup): "
                            "a fast fork burst can overshoot it before it is killed")
        # A scratch worktree's git metadata lives in the user's repo: readable, never writable.
        full = [*launcher, "--", *wrap(level, argv, writable=[self.root], cwd=self.root,
                                       readonly=git_dirs(self.root),
                                       tmp_bytes=self.tmp_mb << 20, policy=policy)]
        try:
            result = await self._execute(full, env, shown, level, mechanism, cgroup,
                                         timeout_s, warnings)
        finally:
            if cgroup is not None:
                cgroup.remove()
        result.policy = header
        if level == "bwrap":
            note = reach.explain_bwrap_failure(result.stderr)
            if note:
                result.warnings.append(note)
        return result

    async def _execute(self, full: list[str], env: dict[str, str], shown: str, level: Level,
                       mechanism: str, cgroup: procs.PidsCgroup | None, timeout_s: float,
                       warnings: list[str]) -> CommandResult:
        out, err = CappedBuffer(self.max_output_bytes), CappedBuffer(self.max_output_bytes)
        state = _RunState()
        started = time.monotonic()
        try:
            proc = await anyio.open_process(full, stdin=subprocess.DEVNULL, cwd=self.root,
                                            env=env, start_new_session=True)
        except OSError as exc:
            raise SandboxError(f"could not start the sandbox: {exc}") from exc
        timed_out = False
        reaped = False
        try:
            async with anyio.create_task_group() as tg:
                for stream, sink in ((proc.stdout, out), (proc.stderr, err)):
                    tg.start_soon(self._pump, stream, sink, state)
                if mechanism == "watchdog":
                    tg.start_soon(self._watchdog, proc, state)
                with anyio.move_on_after(timeout_s) as scope:
                    await proc.wait()
                reaped = not scope.cancelled_caught
                timed_out = scope.cancelled_caught and not state.proc_limit_hit
                # Kill what is left: everything on timeout, stray background jobs otherwise.
                await anyio.to_thread.run_sync(
                    lambda: procs.kill_all(proc.pid, cgroup, reaped=reaped))
                await proc.wait()
                reaped = True
                with anyio.move_on_after(DRAIN_S):
                    await state.drained.wait()
                tg.cancel_scope.cancel()
        finally:
            if not reaped:  # cancelled from outside: leave nothing running
                with anyio.CancelScope(shield=True):
                    await anyio.to_thread.run_sync(lambda: procs.kill_all(proc.pid, cgroup))
                    await proc.wait()
            await proc.aclose()
        duration = time.monotonic() - started
        code = proc.returncode if proc.returncode is not None else -9
        killed_by: str | None = None
        if timed_out:
            exit_code, killed_by = TIMEOUT_EXIT_CODE, "timeout"
        elif state.proc_limit_hit:
            exit_code, killed_by = 128 + 9, "proc_limit"
        elif code < 0:
            exit_code, killed_by = 128 - code, killed_by_signal(-code)
        else:
            exit_code = code
            if 128 < code <= 128 + 64:  # a wrapper or shell reporting death by signal
                killed_by = killed_by_signal(code - 128)
        if cgroup is not None and cgroup.hit_limit():
            warnings.append(f"process cap reached: forks beyond {self.max_procs} "
                            "processes were refused")
        return CommandResult(
            command=shown, exit_code=exit_code, stdout=out.text(), stderr=err.text(),
            duration_s=round(duration, 3), timed_out=timed_out,
            truncated=out.truncated or err.truncated, isolation=level,
            guarantees=GUARANTEES[level], killed_by=killed_by, proc_limit=mechanism,
            stdout_bytes=out.total, stderr_bytes=err.total, warnings=warnings)

    @staticmethod
    async def _pump(stream: object, sink: CappedBuffer, state: _RunState) -> None:
        try:
            await pump(stream, sink)  # type: ignore[arg-type]
        finally:
            state.pump_done()

    async def _watchdog(self, proc: anyio.abc.Process, state: _RunState) -> None:
        """Kill the whole command once it holds more than max_procs processes."""
        leader = proc.pid
        while proc.returncode is None:
            count = len(await anyio.to_thread.run_sync(procs.family, leader))
            if count > self.max_procs:
                state.proc_limit_hit = True
                await anyio.to_thread.run_sync(procs.kill_all, leader, None)
                return
            await anyio.sleep(WATCHDOG_INTERVAL_S)
