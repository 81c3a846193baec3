"""Launcher run as `python -I -S _launch.py [OPTIONS] -- ARGV...` before the sandboxed command.

Standard library only, no splice imports: it starts in a few milliseconds and does its
work between fork and exec, which anyio's open_process has no hook for. It joins the pids
cgroup (so every descendant is counted and can be killed as one), sets the rlimits, and
execs the rest of the command line. Limits and cgroup membership survive the exec and pass
to every child, bubblewrap and unshare included.

Options (each optional): --cpu SECONDS --data BYTES --nproc N --fsize BYTES --cgroup DIR
"""

import os
import resource
import signal
import sys

_RLIMITS = {
    "--cpu": resource.RLIMIT_CPU,
    "--data": resource.RLIMIT_DATA,
    "--nproc": resource.RLIMIT_NPROC,
    "--fsize": resource.RLIMIT_FSIZE,
}


def main(args: list[str]) -> None:
    if "--" not in args:
        sys.stderr.write("splice sandbox launcher: missing '--' before the command\n")
        sys.exit(125)
    split = args.index("--")
    opts, argv = args[:split], args[split + 1:]
    if not argv:
        sys.stderr.write("splice sandbox launcher: empty command\n")
        sys.exit(125)
    limits: list[tuple[int, int, int]] = [(resource.RLIMIT_CORE, 0, 0)]
    cgroup = None
    for name, value in zip(opts[::2], opts[1::2], strict=True):
        if name == "--cgroup":
            cgroup = value
        elif name == "--cpu":
            # Soft limit sends SIGXCPU; the hard limit a second later is a SIGKILL.
            limits.append((resource.RLIMIT_CPU, int(value), int(value) + 1))
        else:
            limits.append((_RLIMITS[name], int(value), int(value)))
    if cgroup is not None:
        with open(os.path.join(cgroup, "cgroup.procs"), "w") as fh:
            fh.write(str(os.getpid()))
    for which, soft, hard in limits:
        _, current_hard = resource.getrlimit(which)
        if current_hard != resource.RLIM_INFINITY:
            hard = min(hard, current_hard)
            soft = min(soft, hard)
        resource.setrlimit(which, (soft, hard))
    # Python ignores SIGPIPE and SIGXFSZ, and an ignored signal stays ignored across exec:
    # give the command the defaults a shell would (so the file size limit kills).
    for signum in (signal.SIGPIPE, signal.SIGXFSZ):
        signal.signal(signum, signal.SIG_DFL)
    try:
        os.execvp(argv[0], argv)
    except OSError as exc:
        sys.stderr.write(f"splice sandbox: cannot run {argv[0]!r}: {exc.strerror}\n")
        sys.exit(127 if isinstance(exc, FileNotFoundError) else 126)


if __name__ == "__main__":
    main(sys.argv[1:])
