"""Repo access: every path confined to the root, text read with its encoding remembered."""

from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from splice.core.dirfd import RootDir
from splice.core.errors import (
    BinaryFile,
    FileMissing,
    FileTooLarge,
    NotAFile,
    PathEscape,
)

DEFAULT_MAX_BYTES = 4 * 1024 * 1024
BINARY_SNIFF_BYTES = 8192
STATE_DIR = ".splice"

Newline = Literal["\n", "\r\n", "\r"]

_BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


class TextFile(BaseModel):
    """A decoded text file and what it takes to write it back byte-for-byte alike."""

    path: str
    text: str
    encoding: str = "utf-8"
    bom: bool = False
    newline: Newline = "\n"

    @property
    def final_newline(self) -> bool:
        return self.text.endswith(("\n", "\r"))

    def encode(self, text: str | None = None) -> bytes:
        body = (self.text if text is None else text).encode(self.encoding)
        if self.bom:
            bom = next(b for b, enc in _BOMS if enc == self.encoding)
            return bom + body
        return body


def detect_newline(text: str) -> Newline:
    """The dominant line ending; '\\n' when there is none."""
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    if crlf > lf and crlf >= cr:
        return "\r\n"
    if cr > lf and cr > crlf:
        return "\r"
    return "\n"


def looks_binary(data: bytes) -> bool:
    return b"\x00" in data[:BINARY_SNIFF_BYTES]


def decode_bytes(data: bytes, path: str = "<bytes>") -> TextFile:
    """Decode file bytes, remembering BOM, encoding and line endings; refuse binary data."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(enc)
            except UnicodeDecodeError as exc:
                raise BinaryFile(f"{path}: has a {enc} byte-order mark but does not decode",
                                 hint="Only text files can be read or edited.",
                                 path=path) from exc
            return TextFile(path=path, text=text, encoding=enc, bom=True,
                            newline=detect_newline(text))
    if looks_binary(data):
        raise BinaryFile(f"{path}: is a binary file (it contains NUL bytes)",
                         hint="Only text files can be read or edited.", path=path)
    for enc in ("utf-8", "cp1252", "latin-1"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return TextFile(path=path, text=text, encoding=enc, newline=detect_newline(text))
    raise AssertionError("latin-1 decodes every byte string")  # pragma: no cover


class Repo:
    """A directory whose files workers may read and write, and nothing outside it."""

    def __init__(self, root: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES):
        path = Path(root).expanduser()
        if not path.exists():
            raise FileMissing(f"repo {root}: does not exist",
                              hint="Pass the directory of an existing repository.")
        if not path.is_dir():
            raise NotAFile(f"repo {root}: is not a directory",
                           hint="Pass the repository's directory, not a file in it.")
        self.root = path.resolve()
        self.max_bytes = max_bytes

    def resolve(self, path: str | os.PathLike[str]) -> Path:
        """The absolute path for `path`, or PathEscape when it would leave the root.

        Relative paths are taken from the root. An absolute path is accepted only when it
        already lies inside the root. Symlinks are followed before the check, so a link
        that points outside is refused like `..` is.
        """
        raw = os.fspath(path)
        if not raw or "\x00" in raw:
            raise PathEscape(f"path {raw!r}: is empty or contains a NUL byte",
                             hint="Give a path relative to the repository root.", path=raw)
        candidate = Path(raw).expanduser()
        if not candidate.is_absolute():
            candidate = self.root / candidate
        real = Path(os.path.realpath(candidate))
        if real != self.root and self.root not in real.parents:
            raise PathEscape(
                f"path {raw}: lies outside the repository {self.root}",
                hint="Give a path relative to the repository root, without '..' "
                     "and not through a symlink that leads outside.",
                path=raw,
            )
        return real

    def relpath(self, path: str | os.PathLike[str]) -> str:
        """The root-relative POSIX path for `path` (confined like `resolve`)."""
        return self.resolve(path).relative_to(self.root).as_posix()

    def read_bytes(self, path: str | os.PathLike[str]) -> bytes:
        rel = self.relpath(path)
        with RootDir(self.root) as rd:
            found = self._read(rel, rd)
        if found is None:
            raise FileMissing(f"{rel}: no such file in the repository",
                              hint="Check the path; search for the file first if unsure.",
                              path=rel)
        return found[0]

    def read_text(self, path: str | os.PathLike[str]) -> TextFile:
        rel = self.relpath(path)
        return decode_bytes(self.read_bytes(rel), rel)

    def read_file(self, rel: str, rd: RootDir) -> tuple[TextFile, bytes, int] | None:
        """(decoded text, bytes, permission bits) of a confined `rel` read through the
        open root `rd`, or None when there is no such file."""
        found = self._read(rel, rd)
        if found is None:
            return None
        data, mode = found
        return decode_bytes(data, rel), data, mode

    def _read(self, rel: str, rd: RootDir) -> tuple[bytes, int] | None:
        """Bytes and mode through directory fds: a folder swapped for a link after
        `relpath` checked it is refused, never followed. Every OS error is typed."""
        try:
            st = rd.lstat(rel)
            if st is None:
                return None
            if not stat.S_ISREG(st.st_mode):
                raise NotAFile(f"{rel}: is not a regular file", path=rel)
            if st.st_size > self.max_bytes:
                raise FileTooLarge(
                    f"{rel}: is {st.st_size:,} bytes, over the {self.max_bytes:,}-byte limit",
                    hint="Read a line range of it instead, or raise the limit.", path=rel,
                    details={"size": st.st_size, "limit": self.max_bytes})
            data = rd.read(rel, limit=self.max_bytes)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EXDEV):
                raise PathEscape(f"{rel}: a folder on its path changed into a link while it "
                                 "was being read", hint="Try again once the tree is quiet.",
                                 path=rel) from exc
            if exc.errno == errno.EFBIG:
                raise FileTooLarge(f"{rel}: grew past the {self.max_bytes:,}-byte limit",
                                   path=rel) from exc
            raise NotAFile(f"{rel}: cannot be read ({exc.strerror or exc})",
                           hint="Check the file's permissions and type.", path=rel) from exc
        if data is None:
            return None
        return data, st.st_mode & 0o7777

    def state_dir(self, *parts: str) -> Path:
        """`.splice/<parts>` under the root, created, and kept out of git's view."""
        return ensure_state_dir(self.root, *parts)


def ensure_state_dir(root: Path, *parts: str) -> Path:
    """Create `.splice/...` in `root` and add `.splice/` to `.git/info/exclude` once."""
    state = root / STATE_DIR
    target = state.joinpath(*parts)
    target.mkdir(parents=True, exist_ok=True)
    git_dir = root / ".git"
    if git_dir.is_dir():
        exclude = git_dir / "info" / "exclude"
        try:
            current = exclude.read_text() if exclude.exists() else ""
            if f"{STATE_DIR}/" not in current.split():
                exclude.parent.mkdir(parents=True, exist_ok=True)
                sep = "" if not current or current.endswith("\n") else "\n"
                exclude.write_text(f"{current}{sep}{STATE_DIR}/\n")
        except OSError:
            pass  # a read-only .git must not stop the work; the dir is still usable
    return target
