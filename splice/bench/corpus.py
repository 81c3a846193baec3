"""Source archives of real projects, downloaded once and cached.

PyPI sdists come through the simple index (PEP 503; the sha256 in each link is checked),
npm packages through the registry's tarballs (sha1 `shasum` checked). Archives are
unpacked with every member confined to the target directory. This is the only place in
splice, with the model providers, that touches the network.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tarfile
import tempfile
import zipfile
from html import unescape
from pathlib import Path

import httpx

from splice.core.errors import SpliceError

PYPI_SIMPLE = "https://pypi.org/simple"
NPM_REGISTRY = "https://registry.npmjs.org"
TIMEOUT = httpx.Timeout(60.0, connect=20.0)


class CorpusError(SpliceError):
    code = "corpus_error"


def cache_dir() -> Path:
    """$SPLICE_CACHE, else ~/.cache/splice; created."""
    root = Path(os.environ.get("SPLICE_CACHE") or Path.home() / ".cache" / "splice")
    root.mkdir(parents=True, exist_ok=True)
    return root


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _download(url: str, dest: Path, *, sha256: str | None = None, sha1: str | None = None) -> Path:
    if dest.exists():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    from splice.bench.progress import download

    try:
        with httpx.stream("GET", url, timeout=TIMEOUT, follow_redirects=True) as resp:
            resp.raise_for_status()
            h256, h1 = hashlib.sha256(), hashlib.sha1()
            length = resp.headers.get("content-length", "")
            total = int(length) if length.isdigit() else None
            with download(url, dest, total) as shown, \
                    tempfile.NamedTemporaryFile(dir=dest.parent, delete=False) as tmp:
                for block in resp.iter_bytes():
                    tmp.write(block)
                    h256.update(block)
                    h1.update(block)
                    shown.advance(len(block))
    except httpx.HTTPError as exc:
        raise CorpusError(f"download of {url} failed: {exc}",
                          hint="The corpus needs PyPI/npm once; later runs use the cache.") from exc
    if (sha256 and h256.hexdigest() != sha256) or (sha1 and h1.hexdigest() != sha1):
        os.unlink(tmp.name)
        raise CorpusError(f"{url}: checksum mismatch", hint="Try again; the file was not kept.")
    os.replace(tmp.name, dest)
    return dest


def _safe_extract(archive: Path, target: Path) -> Path:
    """Unpack into `target` (all members confined), return the single top directory."""
    if target.exists():
        return _top_dir(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".unpack-"))
    try:
        if archive.name.endswith(".zip"):
            with zipfile.ZipFile(archive) as zf:
                for member in zf.namelist():
                    _confined(staging, member)
                zf.extractall(staging)
        else:
            with tarfile.open(archive) as tf:
                try:
                    tf.extractall(staging, filter="data")
                except tarfile.FilterError as exc:
                    raise CorpusError(f"{archive.name}: {exc}") from exc
        from splice.bench.progress import say

        say(f"unpacked {archive.name} -> {target}")
        try:
            os.replace(staging, target)
        except OSError:
            if not target.is_dir():  # another process unpacked it first: use theirs
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return _top_dir(target)


def _confined(root: Path, member: str) -> None:
    dest = (root / member).resolve()
    if root.resolve() not in dest.parents and dest != root.resolve():
        raise CorpusError(f"archive member {member!r} would unpack outside its folder")


def _top_dir(target: Path) -> Path:
    entries = [p for p in target.iterdir()]
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else target


def fetch_sdist(name: str, version: str) -> Path:
    """The unpacked source distribution of `name==version` (cached)."""
    norm = _normalize(name)
    target = cache_dir() / "pypi" / f"{norm}-{version}"
    if target.exists():
        return _top_dir(target)
    try:
        index = httpx.get(f"{PYPI_SIMPLE}/{norm}/", timeout=TIMEOUT, follow_redirects=True)
        index.raise_for_status()
    except httpx.HTTPError as exc:
        raise CorpusError(f"PyPI index for {name} unreachable: {exc}",
                          hint="The corpus needs PyPI once; later runs use the cache.") from exc
    pattern = re.compile(
        rf"^{re.escape(norm)}-{re.escape(version)}\.(tar\.gz|zip|tar\.bz2)$", re.IGNORECASE)
    for href in re.findall(r'href="([^"]+)"', index.text):
        url, _, frag = unescape(href).partition("#")
        filename = url.rsplit("/", 1)[-1]
        if pattern.match(_normalize_filename(filename)):
            sha = frag.split("=", 1)[1] if frag.startswith("sha256=") else None
            archive = _download(url, cache_dir() / "downloads" / filename, sha256=sha)
            return _safe_extract(archive, target)
    raise CorpusError(f"PyPI has no source archive for {name}=={version}",
                      hint="Pick a version that published an sdist.")


def _normalize_filename(filename: str) -> str:
    # sdist names spell the project as its author did (Foo_Bar-1.0.tar.gz)
    stem, sep, rest = filename.partition("-")
    return f"{_normalize(stem)}{sep}{rest}" if sep else filename


def fetch_npm(name: str, version: str) -> Path:
    """The unpacked npm tarball of `name@version` (cached)."""
    safe = name.replace("/", "__")
    target = cache_dir() / "npm" / f"{safe}-{version}"
    if target.exists():
        return _top_dir(target)
    try:
        meta = httpx.get(f"{NPM_REGISTRY}/{name}/{version}", timeout=TIMEOUT)
        meta.raise_for_status()
        dist = meta.json()["dist"]
    except (httpx.HTTPError, KeyError, ValueError) as exc:
        raise CorpusError(f"npm registry has no {name}@{version}: {exc}") from exc
    archive = _download(dist["tarball"], cache_dir() / "downloads" / f"{safe}-{version}.tgz",
                        sha1=dist.get("shasum"))
    return _safe_extract(archive, target)
