"""Word postings count a query's terms exactly as one rg pass over the repo does, and are
never trusted past a change: a changed file is read again, an added, removed or renamed
file (a changed folder) or a changed ignore file sends the count back to rg."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from splice.core.repo import Repo
from splice.search import complete as complete_module
from splice.search import postings, searches
from splice.search.api import unchanged_listing
from splice.search.index import build_index
from splice.search.occurrences import count_terms
from splice.search.ripgrep import Engine, occurrences
from splice.search.word_counts import from_postings as _from_postings

FILES = {
    "pkg/auth.py": "class TokenStore:\n    def issue(self, token):\n"
                   "        token_store = TOKEN + Token\n        return verify_token(token)\n",
    "pkg/deep/util.py": "def parse_header_value(raw):\n    # aaaa: two matches, not three\n"
                        "    return raw.split(';')  # no token here\n",
    "pkg/units.py": "KELVIN = '\u212aelvin'  # kelvin sign\nLONG = '\u017fet'  # long s: set\n",
    "docs/notes.txt": "The token expired for user ann.\nSelect_Related and select_related.\n",
    "web/app.js": "function token() { return router.dispatch(tokenize(x)); }\n",
    "data.bin": "token\x00 token after the NUL\n",
    "many.txt": "token\n" * 40,
    ".gitignore": "build/\n",
    "build/generated.py": "token token token\n",
}
TERMS = ["token", "token_store", "Token", "select_related", "aa", "kelvin", "set",
         "verify_token(token)", "token expired for user", "no match here", "dispatch"]


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    _write(root, FILES)
    postings.forget_memory()
    yield root
    postings.forget_memory()


async def _built(root: Path) -> Engine:
    engine = Engine(Repo(root))
    postings.refresh(root, await engine.files())
    searches.new_search()
    return engine


async def _same_as_rg(engine: Engine, terms: list[str], cap: int = 500) -> dict:
    walked = await occurrences(engine, terms, per_file_lines=cap)
    got = await count_terms(engine, terms, [], per_file_lines=cap)
    assert got == walked
    return got


async def test_counts_equal_one_rg_pass(repo: Path) -> None:
    engine = await _built(repo)
    assert _from_postings(repo, TERMS, 500) is not None  # answered from the postings
    got = await _same_as_rg(engine, TERMS)
    # decided beforehand: the longest term wins where both start, case kept as written
    assert got["token_store"] == {"pkg/auth.py": 1}
    assert got["aa"]["pkg/deep/util.py"] == 2
    assert got["\u212aelvin"] == {"pkg/units.py": 1} and got["\u017fet"] == {"pkg/units.py": 1}
    assert "data.bin" not in got.get("token", {})  # rg skips a file with an early NUL
    assert "build/generated.py" not in got.get("token", {})  # ignored
    assert got["verify_token(token)"] == {"pkg/auth.py": 1}
    assert got["token expired for user"] == {"docs/notes.txt": 1}


async def test_word_only_terms_need_no_rg(repo: Path) -> None:
    await _built(repo)
    table, rg_files = _from_postings(repo, ["token", "select_related"], 500)
    assert rg_files == []
    assert table["Select_Related"] == {"docs/notes.txt": 1}


async def test_a_term_with_other_characters_goes_to_rg_in_the_files_that_may_hold_it(
        repo: Path) -> None:
    await _built(repo)
    _, rg_files = _from_postings(repo, ["token", "token expired for user"], 500)
    assert rg_files == ["docs/notes.txt"]


async def test_the_per_file_cap_is_rgs(repo: Path) -> None:
    engine = await _built(repo)
    _, rg_files = _from_postings(repo, ["token"], 10)
    assert rg_files == ["many.txt"]  # 40 matches: rg stops at 10 lines
    got = await _same_as_rg(engine, ["token"], cap=10)
    assert got["token"]["many.txt"] == 10


async def test_a_changed_file_is_read_again(repo: Path) -> None:
    engine = await _built(repo)
    path = repo / "pkg/deep/util.py"
    path.write_text("token token token_store\n", encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a new mtime whatever the clock's resolution
    searches.new_search()
    assert _from_postings(repo, ["token", "token_store"], 500) is not None  # still postings
    got = await _same_as_rg(engine, TERMS)
    assert got["token"]["pkg/deep/util.py"] == 2
    assert got["token_store"]["pkg/deep/util.py"] == 1
    assert "aa" not in got


async def test_an_added_removed_or_renamed_file_sends_the_count_to_rg(repo: Path) -> None:
    engine = await _built(repo)
    (repo / "pkg/deep/new.py").write_text("token_store = 1\n", encoding="utf-8")
    searches.new_search()
    assert _from_postings(repo, ["token"], 500) is None
    got = await _same_as_rg(engine, TERMS)
    assert got["token_store"]["pkg/deep/new.py"] == 1
    engine = await _built(repo)
    (repo / "web/app.js").rename(repo / "web/main.js")
    searches.new_search()
    assert _from_postings(repo, ["token"], 500) is None
    assert "web/main.js" in (await _same_as_rg(engine, TERMS))["token"]
    engine = await _built(repo)
    (repo / "web/main.js").unlink()
    searches.new_search()
    assert _from_postings(repo, ["token"], 500) is None
    await _same_as_rg(engine, TERMS)


async def test_a_changed_ignore_file_sends_the_count_to_rg(repo: Path) -> None:
    engine = await _built(repo)
    path = repo / ".gitignore"
    path.write_text("build/\ndocs/\n", encoding="utf-8")
    os.utime(path, ns=(1, 1))
    searches.new_search()
    assert _from_postings(repo, ["token"], 500) is None
    assert "docs/notes.txt" not in (await _same_as_rg(engine, TERMS))["token"]


@pytest.mark.parametrize("data", [
    ("token\n" * 20_000 + "\x00").encode(),  # a NUL past rg's first buffer: its output is rg's own
    "token = 1\n".encode("utf-16"),  # a BOM: rg transcodes the file
], ids=["late-nul", "utf-16"])
async def test_an_opaque_file_sends_the_count_to_rg(repo: Path, data: bytes) -> None:
    (repo / "odd.txt").write_bytes(data)
    engine = await _built(repo)
    assert _from_postings(repo, ["token"], 500) is None
    assert "odd.txt" in (await _same_as_rg(engine, ["token"]))["token"]


async def test_refresh_reads_only_changed_files(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = await _built(repo)
    path = repo / "docs/notes.txt"
    path.write_text("select_related only\n", encoding="utf-8")
    os.utime(path, ns=(1, 1))
    read: list[str] = []
    real = postings.read_words

    def spy(root: Path, rel: str):
        read.append(rel)
        return real(root, rel)

    monkeypatch.setattr(postings, "read_words", spy)
    postings.refresh(repo, await engine.files())
    assert read == ["docs/notes.txt"]
    postings.forget_memory()  # from disk
    searches.new_search()
    table, _ = _from_postings(repo, ["select_related", "token"], 500)
    assert table["select_related"] == {"docs/notes.txt": 1}
    assert "docs/notes.txt" not in table["token"]


async def test_the_listing_is_reused_only_while_no_folder_changed(repo: Path) -> None:
    engine = await _built(repo)
    files = await engine.files()
    await build_index(Repo(repo), files)
    assert unchanged_listing(Repo(repo)) == files
    (repo / "pkg/deep/other.py").write_text("x = 1\n", encoding="utf-8")
    searches.new_search()
    assert unchanged_listing(Repo(repo)) is None


def test_words_of_follows_what_rg_searches() -> None:
    assert postings.words_of(b"a_b c1 a_b") == {"a_b": 2, "c1": 1}
    assert postings.words_of(b"token\x00more") == {}  # an early NUL: rg skips the file
    assert postings.words_of(b"x" * postings.BINARY_PREFIX + b"\x00") is None
    assert postings.words_of(b"\xff\xfet\x00o\x00") is None  # UTF-16: rg transcodes it
    assert postings.words_of("caf\u00e9 \u212a".encode()) == {"caf": 1, "\u212a": 1}


async def test_a_file_changed_under_a_checked_index_is_read_again(repo: Path) -> None:
    engine = await _built(repo)
    await build_index(Repo(repo), await engine.files())
    path = repo / "pkg/auth.py"
    path.write_text("token_store = token_store\n", encoding="utf-8")
    os.utime(path, ns=(1, 1))
    searches.new_search()
    await build_index(Repo(repo), await engine.files())  # this search's stat of every file
    table, _ = _from_postings(repo, ["token_store"], 500)
    assert table["token_store"]["pkg/auth.py"] == 2
    await _same_as_rg(engine, TERMS)


async def test_the_completer_builds_postings_for_a_big_enough_repo(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = await Engine(Repo(repo)).files()
    assert not complete_module.postings_wanted(repo, files)  # a small repo: rg is quick
    monkeypatch.setattr(complete_module, "POSTINGS_MIN_FILES", 2)
    assert complete_module.postings_wanted(repo, files)  # missing
    await complete_module.complete(repo.resolve())
    searches.new_search()
    assert not complete_module.postings_wanted(repo, files)
    assert _from_postings(repo, ["token"], 500) is not None


async def test_postings_of_a_repo_with_too_many_folders_are_not_rebuilt_again(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postings, "MAX_DIRS", 1)
    monkeypatch.setattr(complete_module, "POSTINGS_MIN_FILES", 2)
    files = await Engine(Repo(repo)).files()
    postings.refresh(repo, files)  # folders not recorded: never usable
    searches.new_search()
    assert _from_postings(repo, ["token"], 500) is None
    assert not complete_module.postings_wanted(repo, files)


def test_a_completer_may_start_again_after_a_while(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[list[str]] = []
    monkeypatch.setenv("SPLICE_INDEX_BACKGROUND", "1")
    monkeypatch.setattr(complete_module, "_spawn", started.append)
    monkeypatch.setattr(complete_module, "_STARTED", set())
    assert complete_module.start(tmp_path) and not complete_module.start(tmp_path)
    monkeypatch.setattr(complete_module, "RESTART_S", 0.0)
    assert complete_module.start(tmp_path)
    assert len(started) == 2
