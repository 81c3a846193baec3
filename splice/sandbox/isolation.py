"""Which isolation this machine offers, and the command line that applies it.

Levels, best first:
- "bwrap": bubblewrap. The whole system read-only, the scratch tree writable at its own
  path, a private /tmp and /run, the home empty (policy.py: home-deny), no network (a
  fresh network namespace with only loopback), its own pid namespace, all capabilities
  dropped (so root inside cannot remount anything writable), killed with its parent.
- "unshare": util-linux `unshare` with a new network and pid namespace (`-r` maps the
  user to root in a user namespace when we are not root), capabilities dropped with
  setpriv when present. No network; the filesystem is NOT confined.
- "none": a plain subprocess with rlimits, only when asked for by name. Neither network nor
  filesystem is confined, and the command can read splice's own environment
  (/proc/$PPID/environ); every result says so.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from splice.sandbox.policy import HomePolicy, inside

Level = Literal["bwrap", "unshare", "none"]
LEVELS: tuple[Level, ...] = ("bwrap", "unshare", "none")


class Guarantees(BaseModel):
    """What an isolation level promises; every CommandResult carries one."""

    network: bool
    filesystem: bool
    pid_namespace: bool


GUARANTEES: dict[Level, Guarantees] = {
    "bwrap": Guarantees(network=True, filesystem=True, pid_namespace=True),
    "unshare": Guarantees(network=True, filesystem=False, pid_namespace=True),
    "none": Guarantees(network=False, filesystem=False, pid_namespace=False),
}

# Inside `unshare --fork` the command would be the namespace's init, which ignores
# signals it has no handler for (SIGXCPU from the CPU limit, say); a shell as init runs it
# as an ordinary child instead and passes on its exit status (128+N for signal N).
_INIT_SHELL = ["/bin/sh", "-c", '"$@" & wait $!', "splice-init"]


def git_dirs(root: Path) -> list[Path]:
    """The git dir a worktree at or above `root` points into (its `.git` is a file)."""
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return []  # an ordinary repo: its .git is inside the tree already
        if dot_git.is_file():
            try:
                text = dot_git.read_text().strip()
            except OSError:
                return []
            if not text.startswith("gitdir:"):
                return []
            gitdir = (folder / text.removeprefix("gitdir:").strip()).resolve()
            common = gitdir
            try:
                common = (gitdir / (gitdir / "commondir").read_text().strip()).resolve()
            except OSError:
                pass
            return [common]
    return []


def _hide(path: Path) -> list[str]:
    """Arguments that make `path` unreadable: /dev/null over a file, an empty read-only
    tmpfs over a folder."""
    if path.is_dir():
        return ["--size", str(1 << 20), "--tmpfs", str(path), "--remount-ro", str(path)]
    return ["--ro-bind", "/dev/null", str(path)]


def bwrap_argv(argv: list[str], *, writable: list[Path], cwd: Path,
               readonly: Sequence[Path] = (), tmp_bytes: int = 1 << 30,
               policy: HomePolicy | None = None) -> list[str]:
    """The bubblewrap command line around `argv`.

    `readonly` names host paths that must stay visible even under the private /tmp or
    /run (the git repo a scratch worktree points into, say). The private tmpfs mounts are
    RAM, so each gets a size: /tmp `tmp_bytes`, /dev/shm a quarter of it, /run 16 MB.
    `policy` (splice.sandbox.policy) empties the homes, binds back what it lists and hides
    secret-looking files; without one, only the private /tmp and /run apply.
    """
    policy = policy or HomePolicy()
    sizes = {Path("/tmp"): tmp_bytes, Path("/run"): 16 << 20}
    # /dev is bubblewrap's minimal one, then read-only so it cannot be filled; /dev/shm
    # stays writable (multiprocessing needs it) within its own size.
    cmd = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--remount-ro", "/dev",
           "--perms", "1777", "--size", str(max(tmp_bytes // 4, 1 << 20)),
           "--tmpfs", "/dev/shm", "--proc", "/proc"]
    rw = [*writable, *policy.writable]
    # A private /tmp, and a private /run: sockets stay connectable on a read-only mount
    # (a docker.sock would be a way out).
    for private, size in sizes.items():
        if not private.is_dir() or any(private == w for w in rw):
            continue
        cmd += ["--perms", "1777" if private.name == "tmp" else "0755",
                "--size", str(size), "--tmpfs", str(private)]
        # A writable dir inside it would otherwise sit among writable tmpfs skeleton dirs,
        # where writes to its host neighbours would "succeed" into the throwaway tmpfs;
        # show its top-level ancestor read-only from the host instead, like the rest.
        tops = {private / w.relative_to(private).parts[0] for w in rw
                if inside(w, private) and w != private}
        for top in sorted(tops):
            cmd += ["--ro-bind", str(top), str(top)]
    for home in policy.homes:
        cmd += ["--perms", "0700", "--size", str(64 << 20), "--tmpfs", str(home)]
    for path in dict.fromkeys([*readonly, *policy.readonly]):
        cmd += ["--ro-bind", str(path), str(path)]
    for path in dict.fromkeys(rw):
        cmd += ["--bind", str(path), str(path)]
    for path in policy.masked:
        cmd += _hide(path)
    for path in policy.protected:
        cmd += ["--ro-bind", str(path), str(path)]
    for path in policy.hidden_files:
        cmd += _hide(path)
    cmd += ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try", "--cap-drop", "ALL", "--die-with-parent",
            "--new-session", "--chdir", str(cwd), "--"]
    return cmd + argv


def unshare_argv(argv: list[str]) -> list[str]:
    """The `unshare` command line around `argv`."""
    cmd = ["unshare", "--net", "--pid", "--fork", "--kill-child", "--mount-proc"]
    if os.geteuid() != 0:
        cmd.append("--map-root-user")
    cmd.append("--")
    if shutil.which("setpriv"):
        # Root inside a namespace keeps its capabilities; drop them all for the command.
        cmd += ["setpriv", "--no-new-privs", "--bounding-set", "-all", "--inh-caps", "-all",
                "--"]
    return cmd + _INIT_SHELL + argv


def wrap(level: Level, argv: list[str], *, writable: list[Path], cwd: Path,
         readonly: Sequence[Path] = (), tmp_bytes: int = 1 << 30,
         policy: HomePolicy | None = None) -> list[str]:
    if level == "bwrap":
        return bwrap_argv(argv, writable=writable, cwd=cwd, readonly=readonly,
                          tmp_bytes=tmp_bytes, policy=policy)
    if level == "unshare":
        return unshare_argv(argv)
    return argv


def _works(cmd: list[str]) -> str | None:
    """None when `cmd` runs and exits 0, else why not."""
    if shutil.which(cmd[0]) is None:
        return f"{cmd[0]} is not installed"
    try:
        done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=15, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{cmd[0]} failed to start: {exc}"
    if done.returncode != 0:
        err = done.stderr.decode(errors="replace").strip().splitlines()
        return f"{cmd[0]} exited {done.returncode}: {err[-1] if err else 'no message'}"
    return None


@functools.cache
def probe() -> dict[Level, str | None]:
    """For each level, None when it works on this machine, else the reason it does not.

    Probed once per process: each probe runs `true` under the real flags.
    """
    scratch = Path("/")
    true = shutil.which("true") or "/bin/true"
    return {
        "bwrap": _works(bwrap_argv([true], writable=[], cwd=scratch)),
        "unshare": _works(unshare_argv([true])),
        "none": None,
    }


def best_available() -> Level:
    found = probe()
    return next(level for level in LEVELS if found[level] is None)
