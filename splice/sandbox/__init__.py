"""Running commands a model wrote: no network, no secrets, limits, a scratch tree.

    from splice.sandbox import Sandbox, CommandResult, ScratchTree
    with ScratchTree.create(repo_root) as scratch:
        result = await Sandbox(scratch.path).run("pytest -q", timeout_s=120)
        print(result.render())            # exit code, output, isolation used
        changes = scratch.changes()       # for apply's all-or-none writer

What holds, by isolation level (every CommandResult says which one it got, in
`isolation` and `guarantees`, and warns in `warnings` when something is not confined):

- bwrap: no network, writes only inside the scratch tree (and a private /tmp), own pid
  namespace, no capabilities even as root, and the `home-deny` policy (policy.py,
  docs/sandbox.md): an empty home, the interpreter and venv bound back read-only wherever
  they live, secret-looking git-ignored files hidden, `.git` and `.splice` read-only.
- unshare: no network, own pid namespace; the filesystem is NOT confined.
- none: only when asked for by name (`auto` never picks it); rlimits and process-group
  killing only; the command can read splice's own environment; one warning on stderr.

Limits at every level: wall-clock timeout (the command and all its children are killed:
pid namespace, pids cgroup, session and process tree), RLIMIT_CPU, RLIMIT_DATA (memory),
RLIMIT_FSIZE, no core dumps, output capped per stream with head and tail kept.

The process cap: root ignores RLIMIT_NPROC, so as root splice makes a throwaway pids
cgroup (cgroup v1 pids hierarchy, or the v2 root when it delegates pids) whose pids.max
the kernel enforces on processes and threads alike, root included. Where no cgroup can be
made, root falls back to a watchdog that polls the process tree every 50 ms and kills the
command past the cap (a fast burst may overshoot briefly; the result says "watchdog").
A normal user gets RLIMIT_NPROC set to the processes it already runs plus the cap.
"""

from splice.core.errors import SandboxError
from splice.sandbox.isolation import GUARANTEES, Guarantees, Level, probe
from splice.sandbox.result import CommandResult
from splice.sandbox.runner import Sandbox
from splice.sandbox.scratch import ScratchChange, ScratchTree

__all__ = ["GUARANTEES", "CommandResult", "ScratchChange", "Guarantees", "Level", "Sandbox",
           "SandboxError", "ScratchTree", "probe"]
