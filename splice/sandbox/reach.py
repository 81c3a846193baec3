"""Making sure the program a command starts is visible inside bubblewrap, or saying why not.

The private /tmp and /run and the emptied home hide whatever lives there: a virtualenv in
/tmp, an interpreter under ~/.pyenv or ~/.local/share/uv. The program (and the interpreter
its `#!` line names) is bound back read-only at its real path; what cannot be (it sits in a
credential folder, or is a file the policy hides) gets a message that names it.
"""

from __future__ import annotations

from pathlib import Path

from splice.sandbox.policy import SECRET_HOME_PATHS, HomePolicy, homes, inside

_HIDDEN_AREAS = (Path("/tmp"), Path("/run"), Path("/dev/shm"))


def _blocked_by(path: Path, policy: HomePolicy) -> Path | None:
    """The masked or hidden path that keeps `path` unreadable, if any."""
    secrets = [home / rel for home in homes() for rel in SECRET_HOME_PATHS]
    for block in (*policy.masked, *policy.hidden_files, *secrets):
        if inside(path, block):
            return block
    return None


def _visible(path: Path, policy: HomePolicy, root: Path) -> bool:
    if _blocked_by(path, policy) is not None:
        return False
    shown = (root, *policy.readonly, *policy.writable)
    if any(inside(path, b) for b in shown):
        return True
    return not any(inside(path, area) for area in (*_HIDDEN_AREAS, *policy.homes))


def _interpreter(program: Path) -> Path | None:
    """The absolute interpreter a `#!` line names (`#!/usr/bin/env X` names none)."""
    try:
        with program.open("rb") as fh:
            first = fh.readline(256)
    except OSError:
        return None
    if not first.startswith(b"#!"):
        return None
    words = first[2:].decode(errors="replace").split()
    if not words or not words[0].startswith("/") or words[0].endswith("/env"):
        return None
    return Path(words[0])


def _prefix(real: Path) -> Path:
    """What to bind for a program at `real`: its install prefix when it sits in a `bin`
    folder that is not directly in a home, else its folder."""
    folder = real.parent
    if folder.name == "bin" and folder.parent not in homes() and folder.parent.name != ".local":
        return folder.parent
    return folder


def bind_program(program: Path, policy: HomePolicy, root: Path) -> str | None:
    """Bind `program` and its `#!` interpreter into `policy` where hidden; None when the
    command can start, else the message to show instead of bubblewrap's execvp error."""
    todo = [program]
    interp = _interpreter(program.resolve())
    if interp is not None:
        todo.append(interp)
    for path in todo:
        for form in dict.fromkeys((path, path.resolve())):
            if _visible(form, policy, root):
                continue
            block = _blocked_by(form, policy)
            if block is not None:
                return (f"splice sandbox: cannot run {path}: it lies in {block}, which the "
                        f"home-deny policy hides (credentials). Allow it by path with "
                        f"SPLICE_SANDBOX_ALLOW={block} (or Sandbox(allow=[...])), or install "
                        "the tool somewhere else.")
            if not form.exists():
                return (f"splice sandbox: cannot run {path}: {form} does not exist.")
            policy.readonly.append(_prefix(form) if form == form.resolve() else form.parent)
    return None


def explain_bwrap_failure(stderr: str) -> str | None:
    """A sentence for bubblewrap's own errors (they start with `bwrap:`)."""
    for line in stderr.splitlines()[:3]:
        if line.startswith("bwrap: execvp"):
            return ("bubblewrap could not start the program: its path, or the interpreter "
                    "it names, is not visible in the sandbox (the private /tmp and the empty "
                    "home hide what lives there). Allow its folder with "
                    "SPLICE_SANDBOX_ALLOW=/its/folder, see docs/sandbox.md.")
        if line.startswith("bwrap:"):
            return (f"bubblewrap could not set up the sandbox ({line.strip()}); a path splice "
                    "binds may be missing or unmountable, see docs/sandbox.md.")
    return None
