"""Word postings: which files hold which words, and how often, kept in the user's cache next
to the symbol snapshot, so a warm search counts its terms without an rg pass over the repo.

A "word" is a maximal run of the characters a plain search term ([A-Za-z0-9_]) can match,
case ignored, as ripgrep matches (so also the Kelvin sign and the long s, which ripgrep's
case folding takes for k and s). A term made of such characters can only match inside one
word, so its matches in a file follow from the file's words and their counts alone
(occurrences.py). Files are keyed by path, size and mtime; a changed file is read again at
search time and its words replace the stored ones until the postings are rebuilt (by the
background completer, or `refresh`). The folders' mtimes (and the ignore files') say whether
the set of files is still the one the postings were built from.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from splice.search import searches, trigrams
from splice.search.store import POSTINGS_VERSION, postings_path

# a NUL this early makes ripgrep skip the whole file when it walks (its first buffer is
# 64 KiB; half of it keeps a margin); a NUL later leaves ripgrep's output to its buffering,
# so such a file is "opaque" and a search that needs it walks with rg instead
BINARY_PREFIX = 32 * 1024
MAX_DIRS = 20_000  # more folders than this to check each search: rely on listings instead
IGNORE_FILES = (".gitignore", ".ignore", ".rgignore")
WORD = re.compile(rb"(?:[A-Za-z0-9_]|\xc5\xbf|\xe2\x84\xaa)+")
SEP = "\0"


def fold(word: str) -> str:
    """A word as ripgrep's case folding compares it (K -> k, long s -> s)."""
    return word.lower().replace("\u017f", "s")


def words_of(data: bytes) -> Counter[str] | None:
    """A file's words and counts as ripgrep sees them when it walks; None when ripgrep's
    output for it cannot be told from its words (a late NUL, UTF-16 it transcodes)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None
    nul = data.find(b"\0")
    if nul >= 0:
        return Counter() if nul < BINARY_PREFIX else None
    return Counter({w.decode(): n for w, n in Counter(WORD.findall(data)).items()})


def read_words(root: Path, rel: str) -> tuple[int, int, Counter[str] | None] | None:
    """(size, mtime, words) of one file; None when it cannot be read."""
    try:
        full = os.path.join(root, rel)
        st = os.stat(full)
        with open(full, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, words_of(data)


@dataclass
class Postings:
    paths: list[str]
    sizes: list[int]
    mtimes: list[int]
    opaque: np.ndarray              # bool per file: words_of said None
    written: str                    # the distinct words as written, each ending in "\n"
    folded: str                     # the same words folded (same lengths, same places)
    offsets: np.ndarray             # where each word starts in both, and the end
    starts: np.ndarray              # word w's postings: files/counts[starts[w]:starts[w+1]]
    files: np.ndarray               # int32 file ids
    counts: np.ndarray              # int32 occurrences of the word in the file
    dirs: list[str] = field(default_factory=list)
    dir_mtimes: list[int] = field(default_factory=list)
    ignores: list[str] = field(default_factory=list)
    ignore_mtimes: list[int] = field(default_factory=list)
    grams: trigrams.Trigrams | None = None  # the words' trigram index (built if not given)
    ids: dict[str, int] = field(default_factory=dict)
    memo: dict[str, np.ndarray] = field(default_factory=dict)
    checked: int = -1  # the search (searches.current()) whose same_files() said yes

    def __post_init__(self) -> None:
        self.ids = {p: i for i, p in enumerate(self.paths)}
        if self.grams is None:
            self.grams = trigrams.build(self.folded, self.offsets)

    @property
    def words(self) -> int:
        return len(self.offsets) - 1

    def word(self, wid: int) -> str:
        return self.written[self.offsets[wid]:self.offsets[wid + 1] - 1]

    def word_ids(self, part: str) -> np.ndarray:
        """Ids of the words that contain `part` (folded), case ignored (remembered: a
        search asks for a term's words up to three times, and terms repeat)."""
        key = fold(part)
        found = self.memo.get(key)
        if found is None and len(key) >= 3 and key.isascii():
            assert self.grams is not None  # built in __post_init__
            near = trigrams.candidates(self.grams, key).tolist()
            folded, offsets = self.folded, self.offsets
            found = np.asarray([w for w in near if key in folded[offsets[w]:offsets[w + 1]]],
                               dtype=np.int64)
        elif found is None:  # too short for trigrams: scan the words (one hit per word)
            hits = np.fromiter(map(re.Match.start, re.finditer(re.escape(key) + "[^\n]*",
                                                               self.folded)), dtype=np.int64)
            found = np.searchsorted(self.offsets, hits, side="right") - 1
        self.memo[key] = found
        return found

    def slices(self, word_ids: np.ndarray) -> np.ndarray:
        """Positions in files/counts of every posting of `word_ids`."""
        begins, ends = self.starts[word_ids], self.starts[word_ids + 1]
        lens = ends - begins
        total = int(lens.sum())
        if not total:
            return np.zeros(0, dtype=np.int64)
        shift = np.repeat(begins - (np.cumsum(lens) - lens), lens)
        return np.arange(total, dtype=np.int64) + shift

    def same_files(self, root: Path) -> bool:
        """True when no folder recorded at build time changed (no file added, removed or
        renamed there) and no ignore file changed: the listing is still the built one. A
        yes holds until the next search starts (one search asks up to three times)."""
        if not self.dirs:
            return False
        if self.checked == searches.current():
            return True
        if not self._check(root):
            return False
        self.checked = searches.current()
        return True

    def _check(self, root: Path) -> bool:
        base = f"{root}/"
        try:
            for rel, mtime in zip(self.dirs, self.dir_mtimes, strict=True):
                if os.stat(base + rel).st_mtime_ns != mtime:
                    return False
            for rel, mtime in zip(self.ignores, self.ignore_mtimes, strict=True):
                if os.stat(base + rel).st_mtime_ns != mtime:
                    return False
        except OSError:
            return False
        return True


def _folders(root: Path) -> tuple[list[str], list[int], list[str], list[int]]:
    """Every folder rg could walk into (hidden ones left out, as rg does) with its mtime,
    and the ignore files in them; empty when there are more than MAX_DIRS."""
    dirs, mtimes, ignores, ignore_mtimes = [], [], [], []
    for here, subdirs, names in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        rel = os.path.relpath(here, root)
        rel = "" if rel == "." else rel.replace(os.sep, "/")
        try:
            dirs.append(rel)
            mtimes.append(os.stat(here).st_mtime_ns)
            for name in IGNORE_FILES:
                if name in names:
                    ignores.append(f"{rel}/{name}" if rel else name)
                    ignore_mtimes.append(os.stat(os.path.join(here, name)).st_mtime_ns)
        except OSError:
            return [], [], [], []
        if len(dirs) > MAX_DIRS:
            return [], [], [], []
    return dirs, mtimes, ignores, ignore_mtimes


def build(root: Path, files: list[str], previous: Postings | None = None) -> Postings:
    """Postings for `files` (the repo's listing): files unchanged since `previous` keep
    their words; the rest are read. Folders are recorded first, so a file added while this
    runs shows as a changed folder, never as a silently missing file."""
    folders = _folders(root)
    entries: list[tuple[str, int, int, Counter[str] | None]] = []
    reuse = _by_file(previous) if previous is not None else {}
    for rel in files:
        try:
            st = os.stat(os.path.join(root, rel))
        except OSError:
            continue
        old = reuse.get(rel)
        if old is not None and old[0] == st.st_size and old[1] == st.st_mtime_ns:
            entries.append((rel, *old))
            continue
        got = read_words(root, rel)
        if got is not None:
            entries.append((rel, *got))
    return _assemble(entries, folders)


def _by_file(p: Postings) -> dict[str, tuple[int, int, Counter[str] | None]]:
    """Each file's (size, mtime, words) back from the postings (an incremental rebuild)."""
    per: list[Counter[str]] = [Counter() for _ in p.paths]
    vocab = p.written.split("\n")
    word_of = np.repeat(np.arange(p.words), np.diff(p.starts))
    for w, f, n in zip(word_of.tolist(), p.files.tolist(), p.counts.tolist(), strict=True):
        per[f][vocab[w]] = n
    return {path: (p.sizes[i], p.mtimes[i], None if p.opaque[i] else per[i])
            for i, path in enumerate(p.paths)}


def _assemble(entries: list[tuple[str, int, int, Counter[str] | None]],
              folders: tuple[list[str], list[int], list[str], list[int]]) -> Postings:
    ids: dict[str, int] = {}
    word_col: list[int] = []
    file_col: list[int] = []
    count_col: list[int] = []
    for f, (_, _, _, words) in enumerate(entries):
        for word, n in (words or {}).items():
            word_col.append(ids.setdefault(word, len(ids)))
            file_col.append(f)
            count_col.append(n)
    vocab = list(ids)
    word_arr = np.asarray(word_col, dtype=np.int64)
    order = np.argsort(word_arr, kind="stable")
    starts = np.zeros(len(vocab) + 1, dtype=np.int64)
    np.cumsum(np.bincount(word_arr, minlength=len(vocab)), out=starts[1:])
    lengths = np.fromiter((len(w) + 1 for w in vocab), dtype=np.int64, count=len(vocab))
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    return Postings(
        paths=[e[0] for e in entries], sizes=[e[1] for e in entries],
        mtimes=[e[2] for e in entries],
        opaque=np.array([e[3] is None for e in entries], dtype=bool),
        written="".join(w + "\n" for w in vocab), folded="".join(fold(w) + "\n" for w in vocab),
        offsets=offsets,
        starts=starts, files=np.asarray(file_col, dtype=np.int32)[order],
        counts=np.asarray(count_col, dtype=np.int32)[order],
        dirs=folders[0], dir_mtimes=folders[1], ignores=folders[2], ignore_mtimes=folders[3])


def _text(items: list[str]) -> np.ndarray:
    return np.frombuffer(SEP.join(items).encode("utf-8", "surrogateescape"), dtype=np.uint8)


def _items(arr: np.ndarray) -> list[str]:
    text = arr.tobytes().decode("utf-8", "surrogateescape")
    return text.split(SEP) if text else []


_FIELDS = ("paths", "sizes", "mtimes", "opaque", "written", "folded", "offsets", "starts",
           "tri_keys", "tri_starts", "tri_words",
           "files", "counts", "dirs", "dir_mtimes", "ignores", "ignore_mtimes")


def save(root: Path, p: Postings) -> None:
    """Written atomically (a reader never sees half a file); a failure only costs speed.
    Plain .npy arrays one after the other: an .npz would check a CRC on every load."""
    target = postings_path(root, POSTINGS_VERSION)
    assert p.grams is not None  # built in __post_init__
    arrays = {"paths": _text(p.paths), "sizes": np.asarray(p.sizes, dtype=np.int64),
              "mtimes": np.asarray(p.mtimes, dtype=np.int64), "opaque": p.opaque,
              "written": np.frombuffer(p.written.encode("utf-8"), dtype=np.uint8),
              "folded": np.frombuffer(p.folded.encode("ascii"), dtype=np.uint8),
              "offsets": p.offsets, "starts": p.starts, "files": p.files,
              "counts": p.counts, "tri_keys": p.grams[0], "tri_starts": p.grams[1],
              "tri_words": p.grams[2],
              "dirs": _text(p.dirs), "dir_mtimes": np.asarray(p.dir_mtimes, dtype=np.int64),
              "ignores": _text(p.ignores),
              "ignore_mtimes": np.asarray(p.ignore_mtimes, dtype=np.int64)}
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".postings-")
        with os.fdopen(fd, "wb") as fh:
            np.save(fh, np.asarray(POSTINGS_VERSION))
            for name in _FIELDS:
                np.save(fh, arrays[name], allow_pickle=False)
        os.replace(tmp, target)
    except OSError:
        return


_MEMORY: dict[Path, tuple[int, Postings]] = {}  # root -> (file mtime, postings)


def load(root: Path) -> Postings | None:
    """The stored postings of `root` (kept in memory while the file is unchanged)."""
    target = postings_path(root, POSTINGS_VERSION)
    try:
        stamp = target.stat().st_mtime_ns
    except OSError:
        _MEMORY.pop(root, None)
        return None
    held = _MEMORY.get(root)
    if held is not None and held[0] == stamp:
        return held[1]
    try:
        with open(target, "rb") as fh:
            if int(np.load(fh)) != POSTINGS_VERSION:
                return None
            z = {name: np.load(fh, allow_pickle=False) for name in _FIELDS}
        p = Postings(
            paths=_items(z["paths"]), sizes=z["sizes"].tolist(), mtimes=z["mtimes"].tolist(),
            opaque=z["opaque"], written=z["written"].tobytes().decode("utf-8"),
            folded=z["folded"].tobytes().decode("ascii"), offsets=z["offsets"],
            starts=z["starts"], grams=(z["tri_keys"], z["tri_starts"], z["tri_words"]),
            files=z["files"], counts=z["counts"], dirs=_items(z["dirs"]),
            dir_mtimes=z["dir_mtimes"].tolist(), ignores=_items(z["ignores"]),
            ignore_mtimes=z["ignore_mtimes"].tolist())
    except (OSError, ValueError, EOFError, UnicodeDecodeError):
        return None
    if len(p.dirs) != len(p.dir_mtimes) or len(p.paths) != len(p.sizes) or \
            len(p.starts) != len(p.offsets) or len(p.written) != len(p.folded) or \
            len(p.files) != len(p.counts):
        return None
    _MEMORY[root] = (stamp, p)
    return p


def refresh(root: Path, files: list[str]) -> Postings:
    """Bring the stored postings of `root` up to `files` (its current listing): only new
    and changed files are read."""
    p = build(root, files, load(root))
    save(root, p)
    return p


def forget_memory() -> None:
    _MEMORY.clear()
