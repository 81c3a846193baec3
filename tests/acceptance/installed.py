"""The installed `splice`, as a user has it: a virtualenv in its own /tmp folder, apart
from the repo, whose `splice` console script runs the code under test.

The venv is made with `--system-site-packages` (no network: splice's dependencies come from
the interpreter running the tests) and `--without-pip`; a .pth file puts this checkout
first on its path, and `bin/splice` is the console script pip would write.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

CONSOLE_SCRIPT = """#!{python}
import sys
from splice.cli import main
if __name__ == "__main__":
    sys.exit(main())
"""


@dataclass
class Installed:
    folder: Path
    venv: Path
    home: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    @property
    def splice(self) -> Path:
        return self.bin / "splice"

    def run(self, *args: str, cwd: Path | None = None, input: str | None = None,
            env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """`splice ARGS...` through pipes, as a script or an agent runs it."""
        return subprocess.run([str(self.splice), *args], cwd=cwd or self.folder,
                              input=input, capture_output=True, text=True, timeout=timeout,
                              env={**self.env, **(env or {})}, check=False)

    def python(self, code: str, *, env: dict[str, str] | None = None,
               timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.bin / "python"), "-c", code], capture_output=True,
                              text=True, timeout=timeout, env={**self.env, **(env or {})},
                              check=False, cwd=self.folder)


def make_installed() -> Installed:
    folder = Path(tempfile.mkdtemp(prefix="splice-accept-", dir="/tmp"))
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip",
                    str(venv)], check=True)
    purelib = Path(sysconfig.get_path("purelib", vars={"base": str(venv),
                                                       "platbase": str(venv)}))
    purelib.mkdir(parents=True, exist_ok=True)
    lines = [str(PROJECT_ROOT)]
    if sys.prefix != sys.base_prefix:
        # The tests run inside a venv: --system-site-packages reaches the base interpreter's
        # packages only, so the outer venv's (splice's dependencies) are added by hand.
        outer = dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib"))
        lines += [f"import site; site.addsitedir({str(p)!r})" for p in outer]
    (purelib / "_splice_under_test.pth").write_text("\n".join(lines) + "\n")
    script = venv / "bin" / "splice"
    script.write_text(CONSOLE_SCRIPT.format(python=venv / "bin" / "python"))
    script.chmod(0o755)
    home = folder / "home"
    home.mkdir()
    # ripgrep's wheel puts `rg` next to the interpreter that installed it; a user whose
    # Python is on PATH has it there too (after the venv, which comes first).
    system_bin = str(Path(sys.executable).resolve().parent)
    path = os.pathsep.join(dict.fromkeys([str(venv / "bin"), "/usr/local/bin", "/usr/bin",
                                          "/bin", system_bin]))
    env = {"PATH": path, "HOME": str(home), "LANG": "C.UTF-8", "VIRTUAL_ENV": str(venv),
           "TERM": "xterm-256color", "SPLICE_CACHE": str(folder / "cache")}
    installed = Installed(folder=folder, venv=venv, home=home, env=env)
    where = installed.python("import splice; print(splice.__file__)").stdout.strip()
    assert where.startswith(str(PROJECT_ROOT / "splice")), where
    return installed


def remove_installed(installed: Installed) -> None:
    shutil.rmtree(installed.folder, ignore_errors=True)
