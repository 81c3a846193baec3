import io
import tarfile
from pathlib import Path

import pytest

from splice.bench import corpus


def _tar(path: Path, members: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))


def test_extract_confines_members_and_finds_top_dir(tmp_path: Path) -> None:
    good = tmp_path / "good.tar.gz"
    _tar(good, {"pkg-1.0/a.py": b"x = 1\n", "pkg-1.0/sub/b.py": b"y = 2\n"})
    top = corpus._safe_extract(good, tmp_path / "out" / "pkg-1.0")
    assert (top / "sub" / "b.py").read_text() == "y = 2\n"
    # cached: a second call does not unpack again
    assert corpus._safe_extract(good, tmp_path / "out" / "pkg-1.0") == top

    evil = tmp_path / "evil.tar.gz"
    _tar(evil, {"../escape.py": b"boom"})
    with pytest.raises(corpus.CorpusError):
        corpus._safe_extract(evil, tmp_path / "out" / "evil")
    assert not (tmp_path / "out" / "escape.py").exists()
    assert not (tmp_path / "out" / "evil").exists()


def test_cache_dir_honours_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPLICE_CACHE", str(tmp_path / "c"))
    assert corpus.cache_dir() == tmp_path / "c" and (tmp_path / "c").is_dir()
