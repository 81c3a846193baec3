"""Debian binary packages that ship source (Go `-dev` packages, `openjdk-*-source`), cached.

`apt-get download NAME=VERSION` fetches the .deb through the machine's own apt sources (so
only versions its index lists: a stable release and its security/point updates), and
`dpkg-deb -x` unpacks it; a `src.zip` inside (the JDK's sources) is unpacked in place with
every member confined. Go and Java version pairs come from here: PyPI and npm hold few.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from splice.bench.corpus import CorpusError, cache_dir

APT_TIMEOUT_S = 600


def _run(args: list[str], cwd: Path) -> None:
    try:
        subprocess.run(args, cwd=cwd, check=True, capture_output=True, text=True,
                       timeout=APT_TIMEOUT_S)
    except FileNotFoundError as exc:
        raise CorpusError(f"{args[0]} is not installed: Debian corpus pairs need apt and dpkg",
                          hint="Run on Debian or Ubuntu, or leave out the debian pairs.") from exc
    except subprocess.CalledProcessError as exc:
        raise CorpusError(f"`{' '.join(args)}` failed: {exc.stderr.strip()[-300:]}",
                          hint="Run `apt-get update`; the version must be in the apt index.") \
            from exc


def _unzip_sources(root: Path) -> None:
    for archive in list(root.rglob("src.zip")):
        dest = archive.with_suffix("")
        with zipfile.ZipFile(archive) as zf:
            for member in zf.namelist():
                target = (dest / member).resolve()
                if dest.resolve() not in target.parents and target != dest.resolve():
                    raise CorpusError(f"{archive}: member {member!r} would unpack outside")
            zf.extractall(dest)
        archive.unlink()


def fetch_deb(name: str, version: str) -> Path:
    """The unpacked contents of Debian package `name=version` (cached)."""
    safe = version.replace(":", "_").replace("~", "_")
    target = cache_dir() / "debian" / f"{name}-{safe}"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".deb-"))
    try:
        _run(["apt-get", "download", f"{name}={version}"], staging)
        debs = list(staging.glob("*.deb"))
        if len(debs) != 1:
            raise CorpusError(f"apt-get download {name}={version} gave {len(debs)} files")
        tree = staging / "tree"
        _run(["dpkg-deb", "-x", str(debs[0]), str(tree)], staging)
        _unzip_sources(tree)
        try:
            tree.rename(target)
        except OSError:
            if not target.is_dir():  # another process unpacked it first: use theirs
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
