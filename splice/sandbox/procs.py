"""Finding and killing every process a sandboxed command started.

Three nets, used together, because each misses something on its own:
- the pids cgroup (when we may create one, usually as root): the kernel counts every
  descendant, caps their number with pids.max, and lists them for killing even after
  they double-fork or call setsid();
- the process tree and session read from /proc: descendants of the launcher plus
  anything still in its session;
- the process group, killed with killpg.
Inside bubblewrap or `unshare --pid` the pid namespace adds a fourth: when its init dies
the kernel kills everything left in it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import uuid
from pathlib import Path


def _read_stat(pid: int) -> tuple[int, int] | None:
    """(ppid, session id) of a process, or None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    # "pid (comm) state ppid pgrp session ..."; comm may hold spaces and parentheses.
    fields = raw[raw.rfind(b")") + 2:].split()
    try:
        return int(fields[1]), int(fields[3])
    except (IndexError, ValueError):
        return None


def family(leader: int, *, reaped: bool = False) -> set[int]:
    """Live descendants of `leader` and members of its session (and their descendants).

    Once the leader is reaped its number may be reused by an unrelated process, so only
    its session members count then: while any of them lives, the kernel keeps the number
    reserved as their session id.
    """
    children: dict[int, list[int]] = {}
    members: set[int] = set()
    try:
        entries = os.listdir("/proc")
    except OSError:
        return {leader}
    for entry in entries:
        if not entry.isdigit():
            continue
        stat = _read_stat(int(entry))
        if stat is None:
            continue
        ppid, sid = stat
        children.setdefault(ppid, []).append(int(entry))
        if sid == leader:
            members.add(int(entry))
    found: set[int] = set()
    todo = [*members] if reaped else [leader, *members]
    while todo:
        pid = todo.pop()
        found.add(pid)
        todo.extend(child for child in children.get(pid, []) if child not in found)
    return found


def count_user_processes(uid: int) -> int:
    """Processes owned by `uid` (RLIMIT_NPROC counts them all, not only ours)."""
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    count += 1
    return count


def _find_pids_hierarchy() -> Path | None:
    """Where a pids cgroup may be created: a cgroup v1 pids mount or the cgroup v2 root."""
    try:
        mounts = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return None
    for line in mounts:
        parts = line.split()
        if len(parts) < 4:
            continue
        mountpoint, fstype, options = parts[1], parts[2], parts[3].split(",")
        if fstype == "cgroup" and "pids" in options:
            return Path(mountpoint)
        if fstype == "cgroup2":
            root = Path(mountpoint)
            with contextlib.suppress(OSError):
                if "pids" in (root / "cgroup.subtree_control").read_text().split():
                    return root
    return None


def _sweep_stale(hierarchy: Path) -> None:
    """Remove empty cgroups left by splice processes that died before cleaning up."""
    with contextlib.suppress(OSError):
        for entry in hierarchy.glob("splice-*-*"):
            owner = entry.name.split("-")[1]
            if owner.isdigit() and not Path(f"/proc/{owner}").exists():
                with contextlib.suppress(OSError):
                    entry.rmdir()  # refused while processes remain in it


class PidsCgroup:
    """A throwaway pids cgroup: caps the number of processes and tasks, root included.

    RLIMIT_NPROC does not bind root (the kernel exempts uid 0 and CAP_SYS_RESOURCE), so
    this is how the process cap holds when splice runs as root.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def create(cls, max_procs: int) -> PidsCgroup | None:
        hierarchy = _find_pids_hierarchy()
        if hierarchy is None or not os.access(hierarchy, os.W_OK):
            return None
        _sweep_stale(hierarchy)
        path = hierarchy / f"splice-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            path.mkdir()
        except OSError:
            return None
        try:
            (path / "pids.max").write_text(str(max_procs))
        except OSError:
            with contextlib.suppress(OSError):
                path.rmdir()
            return None
        return cls(path)

    def pids(self) -> set[int]:
        try:
            text = (self.path / "cgroup.procs").read_text()
        except OSError:
            return set()
        return {int(p) for p in text.split()}

    def hit_limit(self) -> bool:
        """Whether a fork was refused because of pids.max (v1 and v2 keep this count)."""
        with contextlib.suppress(OSError, ValueError):
            for line in (self.path / "pids.events").read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "max":
                    return int(value) > 0
        return False

    def remove(self) -> None:
        with contextlib.suppress(OSError):
            self.path.rmdir()


def _is_zombie(pid: int) -> bool:
    try:
        raw = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return True  # gone altogether
    return raw[raw.rfind(b")") + 2:][:1] in (b"Z", b"X")


def kill_all(leader: int, cgroup: PidsCgroup | None, *, reaped: bool = False,
             rounds: int = 20) -> None:
    """SIGKILL the leader's group, family and cgroup until nothing of it is left alive."""
    for _ in range(rounds):
        victims = family(leader, reaped=reaped) | (cgroup.pids() if cgroup else set())
        if not reaped:
            with contextlib.suppress(OSError):
                os.killpg(leader, signal.SIGKILL)
        alive = [pid for pid in victims if not _is_zombie(pid)]
        for pid in alive:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        if not alive:
            return
