import os
from pathlib import Path

import pytest

from splice.core.errors import BinaryFile, FileMissing, FileTooLarge, NotAFile, PathEscape
from splice.core.repo import Repo, decode_bytes, detect_newline


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.py").write_text("x = 1\n")
    return Repo(tmp_path)


def test_relative_path_resolves_inside(repo: Repo) -> None:
    assert repo.relpath("src/a.py") == "src/a.py"
    assert repo.relpath("src/../src/a.py") == "src/a.py"


@pytest.mark.parametrize("bad", ["../x", "src/../../x", "/etc/passwd", "", "a\x00b"])
def test_escapes_are_refused(repo: Repo, bad: str) -> None:
    with pytest.raises(PathEscape) as info:
        repo.resolve(bad)
    assert "repository" in str(info.value) or "empty" in str(info.value)


def test_absolute_path_inside_root_is_accepted(repo: Repo) -> None:
    assert repo.relpath(repo.root / "src" / "a.py") == "src/a.py"


def test_symlink_escape_is_refused(repo: Repo, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"outside-{os.getpid()}.txt"
    outside.write_text("secret")
    try:
        (repo.root / "link.txt").symlink_to(outside)
        with pytest.raises(PathEscape):
            repo.read_text("link.txt")
    finally:
        outside.unlink()


def test_missing_binary_large_and_dir(repo: Repo) -> None:
    with pytest.raises(FileMissing):
        repo.read_text("nope.py")
    with pytest.raises(NotAFile):
        repo.read_text("src")
    (repo.root / "blob.bin").write_bytes(b"\x00\x01\x02")
    with pytest.raises(BinaryFile):
        repo.read_text("blob.bin")
    small = Repo(repo.root, max_bytes=4)
    with pytest.raises(FileTooLarge) as info:
        small.read_text("src/a.py")
    assert "limit" in str(info.value)


def test_repo_root_must_be_a_directory(tmp_path: Path) -> None:
    with pytest.raises(FileMissing):
        Repo(tmp_path / "missing")
    f = tmp_path / "f"
    f.write_text("")
    with pytest.raises(NotAFile):
        Repo(f)


def test_decode_remembers_bom_encoding_and_newlines() -> None:
    data = "\ufeffa\r\nb\r\n".encode()
    tf = decode_bytes(data, "x.txt")
    assert tf.bom and tf.encoding == "utf-8" and tf.newline == "\r\n"
    assert tf.text == "a\r\nb\r\n"
    assert tf.encode() == data
    latin = "café\n".encode("cp1252")
    tf2 = decode_bytes(latin)
    assert tf2.encoding == "cp1252" and tf2.encode() == latin
    utf16 = "\ufeffhi\n".encode("utf-16-le")
    tf3 = decode_bytes(utf16)
    assert tf3.text == "hi\n" and tf3.encode() == utf16


def test_detect_newline() -> None:
    assert detect_newline("a\nb\n") == "\n"
    assert detect_newline("a\r\nb\r\nc\n") == "\r\n"
    assert detect_newline("") == "\n"


def test_state_dir_is_git_excluded(tmp_path: Path) -> None:
    (tmp_path / ".git" / "info").mkdir(parents=True)
    repo = Repo(tmp_path)
    d = repo.state_dir("undo")
    assert d.is_dir()
    repo.state_dir("runs")
    exclude = (tmp_path / ".git" / "info" / "exclude").read_text()
    assert exclude.count(".splice/") == 1
