"""The `home-deny` policy: what a bubblewrapped command may see of the home and the repo.

Deny by default (docs/sandbox.md says the same in prose):
- every home (the $HOME splice runs with and the user's passwd home) is an empty tmpfs;
- back in, read-only: the Python interpreter and virtualenv splice runs with, the venv
  and interpreter the command's PATH names, and each PATH directory that would be hidden;
- back in as the user allows (`allow`, or SPLICE_SANDBOX_ALLOW): host paths such as a
  cache, read-only unless written `PATH:rw`;
- credential files of the home stay masked even inside an allowed folder, unless allowed
  by their own path;
- in the sandbox root, files git ignores whose names look like secrets (`.env*`, `*.pem`,
  `*.key`, `*credential*`, `*secret*`) are hidden unless shown (`show`, or
  SPLICE_SANDBOX_SHOW: glob patterns relative to the root); in a folder that is not a git
  repo every such file is hidden;
- `.git` and `.splice` of the root are read-only.
"""

from __future__ import annotations

import fnmatch
import os
import pwd
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from pydantic import BaseModel, Field

POLICY_NAME = "home-deny"
SECRET_FILE_GLOBS: tuple[str, ...] = (".env*", "*.pem", "*.key", "*credential*", "*secret*")
ALLOW_ENV = "SPLICE_SANDBOX_ALLOW"
SHOW_ENV = "SPLICE_SANDBOX_SHOW"
# Folders under the root never walked for secret-looking files (outside git, they are big).
_NO_WALK = frozenset({".git", ".splice", "node_modules", ".venv", "venv", "__pycache__",
                      ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache"})
# State splice or git keeps in a tree: visible to the command, never writable by it.
PROTECTED_DIRS = (".git", ".splice")

# Credential files of a home: masked wherever the home shows through (a root or an allowed
# folder that contains them), unless allowed by their own path.
SECRET_HOME_PATHS: tuple[str, ...] = (
    ".ssh", ".aws", ".azure", ".config/gcloud", ".config/gh", ".docker", ".kube",
    ".gnupg", ".netrc", ".git-credentials", ".pypirc", ".npmrc", ".yarnrc",
    ".cargo/credentials", ".cargo/credentials.toml", ".config/hub", ".vault-token",
    ".anthropic", ".config/anthropic", ".config/openai", ".claude", ".claude.json",
    ".codex", ".config/git/credentials", ".pgpass", ".my.cnf", ".env", ".bash_history",
    ".zsh_history", ".python_history", ".psql_history", ".mysql_history", ".lesshst",
    ".local/share/keyrings", ".password-store", ".terraform.d", ".config/rclone",
    ".config/op", ".mozilla", ".config/google-chrome", ".config/chromium",
)


class HomePolicy(BaseModel):
    """The binds bubblewrap makes on top of a read-only host for one sandbox root."""

    homes: list[Path] = Field(default_factory=list, description="tmpfs'd, empty")
    exposed_homes: list[Path] = Field(
        default_factory=list, description="homes left visible: the root contains them")
    readonly: list[Path] = Field(default_factory=list, description="bound back read-only")
    writable: list[Path] = Field(default_factory=list, description="allowed, writable")
    masked: list[Path] = Field(default_factory=list, description="credential paths hidden")
    hidden_files: list[Path] = Field(default_factory=list,
                                     description="secret-looking files of the root hidden")
    protected: list[Path] = Field(default_factory=list, description="read-only in the root")
    notes: list[str] = Field(default_factory=list)

    def header(self) -> str:
        """One line for the result header: the policy's name and what it did here."""
        bits = ["empty home" if self.homes and not self.exposed_homes else
                "home visible (the root contains it)"]
        allowed = len(self.writable) + len(self.readonly)
        if allowed:
            bits.append(f"{allowed} path(s) bound back")
        bits.append(f"{len(self.hidden_files)} secret-looking file(s) hidden")
        if self.protected:
            bits.append(" and ".join(p.name for p in self.protected) + " read-only")
        return f"{POLICY_NAME}: " + ", ".join(bits)


def homes() -> list[Path]:
    """The home splice runs with ($HOME) and the user's passwd home, when they exist."""
    found = [Path(os.path.expanduser("~"))]
    try:
        found.append(Path(pwd.getpwuid(os.geteuid()).pw_dir))
    except KeyError:
        pass
    out: list[Path] = []
    for home in found:
        if str(home) in ("", "/") or not home.is_dir():
            continue
        for form in (home, home.resolve()):
            if form not in out:
                out.append(form)
    return out


def inside(path: Path, parent: Path) -> bool:
    return path == parent or parent in path.parents


def parse_allow(entries: Iterable[str]) -> tuple[list[Path], list[Path]]:
    """(read-only, writable) host paths from entries like `~/.cache/pip:rw`."""
    readonly: list[Path] = []
    writable: list[Path] = []
    for raw in entries:
        entry = raw.strip()
        if not entry:
            continue
        target = writable if entry.endswith(":rw") else readonly
        entry = entry.removesuffix(":rw").removesuffix(":ro")
        path = Path(os.path.expanduser(entry))
        if path.is_absolute():
            target.append(path)
    return readonly, writable


def env_list(name: str, environ: Mapping[str, str] | None = None) -> list[str]:
    """A comma-separated setting from the environment."""
    value = (os.environ if environ is None else environ).get(name, "")
    return [part.strip() for part in value.split(",") if part.strip()]


def _prefix_parts(bin_dir: Path, home_list: list[Path]) -> list[Path]:
    """What a `bin` directory needs to work: its whole prefix, unless that is a home or
    ~/.local (where only bin and lib are taken)."""
    if bin_dir.name != "bin":
        return [bin_dir]
    prefix = bin_dir.parent
    if any(prefix == h or prefix == h / ".local" for h in home_list):
        return [bin_dir, prefix / "lib"]
    return [prefix]


def _venv_home(prefix: Path) -> Path | None:
    """The interpreter's bin folder a virtualenv points at (pyvenv.cfg `home =`)."""
    try:
        text = (prefix / "pyvenv.cfg").read_text(errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "home" and value.strip():
            return Path(value.strip())
    return None


def runtime_paths(path_var: str, home_list: list[Path]) -> list[Path]:
    """Interpreter and venv folders the command may need, from splice's own Python and
    from the command's PATH (each resolved to where it really lives)."""
    wanted: list[Path] = []
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    if os.environ.get("VIRTUAL_ENV"):
        prefixes.add(os.environ["VIRTUAL_ENV"])
    for prefix in sorted(prefixes):
        wanted.append(Path(prefix))
    wanted += _prefix_parts(Path(sys.executable).resolve().parent, home_list)
    for entry in path_var.split(os.pathsep):
        if not entry or not os.path.isabs(entry) or not os.path.isdir(entry):
            continue
        bin_dir = Path(entry)
        if bin_dir in home_list:
            continue  # a home on PATH would undo the policy
        wanted += _prefix_parts(bin_dir, home_list)
        real = bin_dir.resolve()
        if real != bin_dir:
            wanted += _prefix_parts(real, home_list)
    for folder in list(wanted):
        base = _venv_home(folder)
        if base is not None and base.is_dir():
            wanted += _prefix_parts(base, home_list)
            wanted += _prefix_parts(base.resolve(), home_list)
    out: list[Path] = []
    for path in wanted:
        for form in (path, path.resolve()):
            if form.exists() and form not in out:
                out.append(form)
    return out


def _matches_secret(name: str) -> bool:
    lower = name.lower()
    return any(fnmatch.fnmatchcase(lower, g) for g in SECRET_FILE_GLOBS)


def _shown(rel: str, show: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(Path(rel).name, pattern)
               for pattern in show)


def _git_ignored(root: Path) -> list[str] | None:
    """Files git ignores under `root` (relative), or None when root is not in a git repo."""
    try:
        done = subprocess.run(
            ["git", "-c", "core.hooksPath=/dev/null", "ls-files", "--others", "--ignored",
             "--exclude-standard", "-z"], cwd=root, capture_output=True, timeout=30,
            check=False, env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return [p for p in done.stdout.decode(errors="replace").split("\0") if p]


def _walk_all(root: Path) -> list[str]:
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in _NO_WALK]
        rel = Path(folder).relative_to(root)
        found += [str(rel / name) if str(rel) != "." else name for name in (*dirs, *files)]
    return found


def secret_files(root: Path, show: Iterable[str] = ()) -> list[Path]:
    """Secret-looking files or folders of `root` to hide: git-ignored ones in a git repo,
    every one elsewhere; the shallowest matching folder stands for what it holds."""
    show = list(show)
    candidates = _git_ignored(root)
    if candidates is None:
        candidates = _walk_all(root)
    hidden: list[Path] = []
    for rel in candidates:
        parts = Path(rel).parts
        for depth, part in enumerate(parts):
            if parts[0] in PROTECTED_DIRS:
                break
            if _matches_secret(part):
                prefix = str(Path(*parts[: depth + 1]))
                path = root / prefix
                if not _shown(prefix, show) and path not in hidden and (
                        path.is_file() or path.is_dir()) and not path.is_symlink():
                    hidden.append(path)
                break
    return hidden


def plan(root: Path, *, path_var: str, allow: Iterable[str] = (),
         show: Iterable[str] = ()) -> HomePolicy:
    """The home-deny policy for a bubblewrap run whose writable tree is `root`."""
    home_list = homes()
    allow_ro, allow_rw = parse_allow(allow)
    policy = HomePolicy(writable=[p for p in allow_rw if p.exists()])
    for home in home_list:
        if inside(home, root):
            policy.exposed_homes.append(home)
            policy.notes.append(f"the home {home} is inside the sandbox root, so it stays "
                                "visible (credential files masked)")
        else:
            policy.homes.append(home)
    missing = [p for p in (*allow_ro, *allow_rw) if not p.exists()]
    policy.notes += [f"allowed path {p} does not exist: not bound" for p in missing]
    # Only what the private /tmp, /run or an emptied home would hide needs binding back.
    hidden_areas = [Path("/tmp"), Path("/run"), Path("/dev/shm"), *home_list]
    needed = [p for p in runtime_paths(path_var, home_list) if not inside(p, root)
              and any(inside(p, area) for area in hidden_areas)]
    policy.readonly = [p for p in (*allow_ro, *needed) if p.exists()]
    explicit = [*allow_ro, *allow_rw]
    for home in home_list:
        for rel in SECRET_HOME_PATHS:
            secret = home / rel
            if not os.path.lexists(secret) or secret in policy.masked:
                continue
            if any(inside(a, secret) for a in explicit):
                continue  # the user allowed this credential path by name
            shown_through = home in policy.exposed_homes or any(
                inside(secret, b) for b in (*policy.readonly, *policy.writable, root))
            if shown_through:
                policy.masked.append(secret)
    policy.hidden_files = secret_files(root, show)
    policy.protected = [root / d for d in PROTECTED_DIRS
                        if (root / d).is_dir() or (root / d).is_file()]
    return policy
