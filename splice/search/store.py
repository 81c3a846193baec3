"""Where the symbol index lives: in the user's cache, never in the searched folder.

Two layers. A repo snapshot (`repos/<hash of the root>.json`: each file's size, mtime and
definitions, plus the last listing) makes a repeat search of one folder cheap. A blob store
(`blobs-v<N>.sqlite`) keeps definitions by file identity, the sha1 of the file's bytes and
language, so a new worktree, clone or unpacked copy of a repo already indexed anywhere
starts warm: only files whose content was never seen are parsed.

The folder is $SPLICE_INDEX_DIR, else $SPLICE_CACHE/index, else ~/.cache/splice/index.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

STORE_VERSION = 1
POSTINGS_VERSION = 3  # postings.py's file format
LOOKUP_BATCH = 500  # keys per SELECT (SQLite's variable limit is 32766; smaller is friendlier)


def index_dir() -> Path:
    if env := os.environ.get("SPLICE_INDEX_DIR"):
        return Path(env)
    cache = os.environ.get("SPLICE_CACHE")
    return (Path(cache) if cache else Path.home() / ".cache" / "splice") / "index"


def snapshot_path(root: Path, version: int) -> Path:
    digest = hashlib.sha1(str(root).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return index_dir() / "repos" / f"{root.name[:40]}-{digest}-v{version}.json"


def postings_path(root: Path, version: int) -> Path:
    """Where the word postings of `root` live (postings.py): beside its snapshot."""
    snapshot = snapshot_path(root, version)
    return snapshot.with_name(snapshot.stem.rsplit("-v", 1)[0] + f"-postings-v{version}.npy")


def blob_key(data: bytes, language: str) -> str:
    """A file's identity: its bytes and the grammar that reads them."""
    h = hashlib.sha1(language.encode())
    h.update(b"\0")
    h.update(data)
    return h.hexdigest()


class BlobStore:
    """Packed definitions by blob key, in SQLite (safe with several processes at once)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or store_path()
        self._db: sqlite3.Connection | None = None
        self.lock = threading.Lock()  # one connection, used by whichever thread searches

    def _conn(self) -> sqlite3.Connection | None:
        if self._db is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=5.0, check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("CREATE TABLE IF NOT EXISTS blobs (key TEXT PRIMARY KEY, defs TEXT)")
                self._db = db
            except (OSError, sqlite3.Error):
                return None  # no writable cache: search still works, only colder
        return self._db

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        with self.lock:
            return self._get_many(keys)

    def _get_many(self, keys: Iterable[str]) -> dict[str, str]:
        db = self._conn()
        wanted = list(dict.fromkeys(keys))
        out: dict[str, str] = {}
        if db is None:
            return out
        try:
            for i in range(0, len(wanted), LOOKUP_BATCH):
                chunk = wanted[i:i + LOOKUP_BATCH]
                marks = ",".join("?" * len(chunk))
                out.update(db.execute(f"SELECT key, defs FROM blobs WHERE key IN ({marks})",
                                      chunk).fetchall())
        except sqlite3.Error:
            return out
        return out

    def put_many(self, items: dict[str, str]) -> None:
        with self.lock:
            self._put_many(items)

    def _put_many(self, items: dict[str, str]) -> None:
        db = self._conn()
        if db is None or not items:
            return
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO blobs (key, defs) VALUES (?, ?)",
                               items.items())
        except sqlite3.Error:
            pass  # a locked or full cache only costs a later parse

    def close(self) -> None:
        with self.lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def store_path() -> Path:
    return index_dir() / f"blobs-v{STORE_VERSION}.sqlite"


_SHARED: list[BlobStore] = []  # this process's open store (opening one costs a few ms)
_SHARED_LOCK = threading.Lock()


def shared_store() -> BlobStore:
    """The store of the current index folder, kept open between calls; reopened when the
    folder changed or its file was removed (a cleared cache must not swallow writes)."""
    path = store_path()
    with _SHARED_LOCK:
        if _SHARED and (_SHARED[0].path != path or not path.exists()):
            _SHARED.pop().close()
        if not _SHARED:
            _SHARED.append(BlobStore(path))
        return _SHARED[0]
