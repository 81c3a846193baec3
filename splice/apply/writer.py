"""Write several files all or none, with an undo journal.

Order of work:
1. every new content goes to a temp file beside its target, fsynced;
2. the journal (`.splice/undo/<id>/`: the originals and a manifest) is written and
   fsynced — before anything the user owns changes;
3. temp files are renamed over their targets, deletions done;
4. if any step of 3 fails, what was already done is put back from the journal and
   WriteFailed is raised.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from splice.core.errors import WriteFailed
from splice.core.repo import Repo

JOURNAL_DIR = "undo"
MANIFEST = "manifest.json"
KEEP_JOURNALS = 100  # older undo entries are pruned so .splice/ does not grow forever


@dataclass
class FileWrite:
    """One file's fate: new bytes (None = delete it)."""

    rel: str
    data: bytes | None
    mode: int | None = None  # permission bits to keep


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_durably(path: Path, data: bytes, mode: int | None = None) -> Path:
    """Write `data` to a fresh temp file next to `path` and fsync it; returns the temp."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.splice-{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644 if mode is None else mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def replace_file(tmp: Path, target: Path) -> None:
    """The rename that makes a write visible (a seam tests can break)."""
    os.replace(tmp, target)


def new_journal_id() -> str:
    # sortable by time; the random tail keeps two writes in one microsecond apart
    return f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{time.time_ns() % 10**9:09d}-" \
           f"{secrets.token_hex(2)}"


def _write_journal(repo: Repo, writes: list[FileWrite],
                   originals: dict[str, bytes | None]) -> tuple[str, Path]:
    journal_id = new_journal_id()
    folder = repo.state_dir(JOURNAL_DIR, journal_id)
    entries = []
    for i, w in enumerate(writes):
        old = originals[w.rel]
        backup = None
        if old is not None:
            backup = f"{i}.orig"
            tmp = write_durably(folder / backup, old)
            os.replace(tmp, folder / backup)
        entries.append({"path": w.rel, "existed": old is not None, "backup": backup,
                        "mode": w.mode,
                        "written_sha256": None if w.data is None else sha256(w.data)})
    manifest = {"id": journal_id, "created": time.time(), "files": entries}
    tmp = write_durably(folder / MANIFEST, json.dumps(manifest, indent=2).encode())
    os.replace(tmp, folder / MANIFEST)
    _fsync_dir(folder)
    return journal_id, folder


def _restore(repo: Repo, rel: str, old: bytes | None, mode: int | None) -> None:
    target = repo.root / rel
    if old is None:
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        _remove_emptied_dirs(repo.root, target.parent)
        return
    tmp = write_durably(target, old, mode)
    os.replace(tmp, target)


def commit_writes(repo: Repo, writes: list[FileWrite],
                  originals: dict[str, bytes | None]) -> str:
    """Make every write happen, or none; returns the journal id for undo."""
    temps: dict[str, Path] = {}
    try:
        for w in writes:
            if w.data is not None:
                temps[w.rel] = write_durably(repo.root / w.rel, w.data, w.mode)
    except OSError as exc:
        for tmp in temps.values():
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise WriteFailed(f"could not write {w.rel}: {exc.strerror or exc}",
                          hint="Nothing was changed. Check permissions and free space.",
                          path=w.rel) from exc
    try:
        journal_id, folder = _write_journal(repo, writes, originals)
    except OSError as exc:
        for tmp in temps.values():
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise WriteFailed(f"could not write the undo journal: {exc.strerror or exc}",
                          hint="Nothing was changed. Check that .splice/ is writable.") from exc
    done: list[FileWrite] = []
    try:
        for w in writes:
            target = repo.root / w.rel
            if w.data is None:
                target.unlink()
            else:
                replace_file(temps[w.rel], target)
                del temps[w.rel]
            done.append(w)
    except OSError as exc:
        failures = []
        for prev in reversed(done):
            try:
                _restore(repo, prev.rel, originals[prev.rel], prev.mode)
            except OSError as again:  # pragma: no cover - disk died mid-rollback
                failures.append(f"{prev.rel}: {again}")
        for tmp in temps.values():
            with contextlib.suppress(OSError):
                tmp.unlink()
        if not failures:
            _drop_journal(folder)
        hint = "Every file was put back as it was." if not failures else (
            "Some files could not be put back; run `splice undo` to restore them: "
            + "; ".join(failures))
        raise WriteFailed(f"writing {w.rel} failed part-way: {exc.strerror or exc}",
                          hint=hint, path=w.rel) from exc
    for w in writes:
        _fsync_dir((repo.root / w.rel).parent)
    for w in writes:
        if w.data is None:
            _remove_emptied_dirs(repo.root, (repo.root / w.rel).parent)
    _prune(folder.parent)
    return journal_id


def _remove_emptied_dirs(root: Path, folder: Path) -> None:
    """Remove folders a deletion left empty, up to the root, as `git apply` does.

    Only folders that held the deleted file can be empty now, so nothing the user kept
    empty on purpose goes; a folder with anything left in it stays.
    """
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _prune(journals: Path) -> None:
    entries = sorted(p for p in journals.iterdir() if p.is_dir())
    for old in entries[:-KEEP_JOURNALS]:
        shutil.rmtree(old, ignore_errors=True)


def _drop_journal(folder: Path) -> None:
    for child in folder.iterdir():
        with contextlib.suppress(OSError):
            child.unlink()
    with contextlib.suppress(OSError):
        folder.rmdir()
