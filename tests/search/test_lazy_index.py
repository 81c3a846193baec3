"""The lazy index: a search parses only the files that can define the names it asks
about, and answers exactly as a fully parsed index would."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from splice.core.repo import Repo
from splice.search import SearchRequest, search
from splice.search import index as index_module
from splice.search.index import build_index, forget_memory
from splice.search.ripgrep import Engine
from splice.search.symbol_index import SymbolIndex

# Definitions in the shapes people write them, and decoys that only mention the names.
SHAPES: dict[str, str] = {
    "py/defs.py": "class Ledger:\n    async def  settle(self):\n        pass\n\n\n"
                  "def reconcile(rows):\n    return rows\n",
    "py/calls.py": "from py.defs import reconcile\n\n# settle the Ledger: no def here\n"
                   "x = reconcile([])  # the classes Ledger and settle\n",
    "py/other.py": "def unrelated():\n    return 1\n",
    "js/gen.js": "function* settleAll(xs) {\n  yield xs;\n}\n"
                 "export default class Ledger {\n  static reconcile (a) {\n    return a;\n  }\n"
                 "  get total() { return 0; }\n}\n",
    "js/arrow.js": "export const reconcile =\n  (rows) => rows;\nvar settle = function () {};\n",
    "js/member.js": "obj.reconcile(1);\nconst y = { reconcile: 1 };\nif (a == reconcile) {}\n",
    "ts/types.ts": "export interface Ledger { n: number }\ntype Settle = string;\n"
                   "enum Reconcile { A }\nexport const settle: () => void = () => {};\n",
    "go/server.go": "package m\n\ntype (\n\tLedger struct{}\n\tSettle int\n)\n\n"
                    "func (l *Ledger) Reconcile[T any]() {}\n",
    "rs/lib.rs": "struct Ledger;\nimpl Display for Ledger {}\npub(crate) fn settle() {}\n"
                 "mod reconcile {}\ntrait Settle {}\n",
    "java/Ledger.java": "class Ledger {\n  Ledger() {}\n  public <T> void reconcile\n    (T a) {}\n"
                        "  record Settle(int a) {}\n}\n",
}
NAMES = {"ledger", "settle", "reconcile", "settleall", "total", "unrelated", "nowhere", "x"}


@pytest.fixture(autouse=True)
def lazy_even_when_small(monkeypatch: pytest.MonkeyPatch) -> None:
    """These repos are tiny: make them as lazy as a large one (and complete them only
    where a test says so)."""
    monkeypatch.setattr(index_module, "LAZY_MIN_BYTES", 0)
    monkeypatch.setenv("SPLICE_INDEX_BACKGROUND", "0")


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _rows(index: SymbolIndex, names: set[str]) -> dict[str, list[tuple[str, str, int, int]]]:
    found = index.find(names)
    return {n: [(p, d.kind, d.start_line, d.end_line) for p, d in found.get(n, [])]
            for n in sorted(names)}


async def test_lazy_find_equals_a_full_index_and_parses_only_candidates(tmp_path: Path) -> None:
    _write(tmp_path, SHAPES)
    repo = Repo(tmp_path)
    files = await Engine(repo).files()
    full, report = await build_index(repo, files, use_disk=False)
    assert report.parsed == len(full.files) == len(SHAPES)
    expected = _rows(full, NAMES)
    assert list(dict.fromkeys(r[0] for r in expected["ledger"])) == [
        "go/server.go", "java/Ledger.java", "js/gen.js", "py/defs.py", "rs/lib.rs", "ts/types.ts"]
    forget_memory()
    lazy, report = await build_index(repo, files, use_disk=False, lazy=True)
    assert report.parsed == 0 and len(lazy.unparsed()) == len(SHAPES)
    for name in sorted(NAMES):  # one name at a time: each asks rg and parses anew
        assert _rows(lazy, {name}) == {name: expected[name]}, name
    # the files that only mention the names were never parsed
    assert {"py/calls.py", "js/member.js"} <= set(lazy.unparsed())
    assert lazy.definitions("py/calls.py") == []  # parsed when asked for, and empty


async def test_cold_search_parses_part_of_the_repo_and_answers_as_a_warm_one(
        sample_repo: Path) -> None:
    _write(sample_repo, {f"noise/mod{i}.py": f"def helper_{i}():\n    return {i}\n"
                         for i in range(30)})
    query = "verify_token raises ValueError: token expired for user"
    cold = await search(SearchRequest(query=query, repo=str(sample_repo)))
    assert cold.stats.index == "cold"
    assert 0 < cold.stats.index_parsed < cold.stats.index_files
    forget_memory()
    repo = Repo(sample_repo)
    await build_index(repo, await Engine(repo).files())  # every file parsed
    forget_memory()
    warm = await search(SearchRequest(query=query, repo=str(sample_repo)))
    assert warm.stats.index == "warm" and warm.stats.index_parsed == 0
    assert [s.model_dump() for s in warm.spans] == [s.model_dump() for s in cold.spans]
    assert warm.spans[0].path == "pkg/auth.py"


async def test_what_a_search_parsed_is_kept_for_the_next_process(sample_repo: Path) -> None:
    query = "TokenStore.issue returns a token"
    first = await search(SearchRequest(query=query, repo=str(sample_repo)))
    assert first.stats.index_parsed > 0
    forget_memory()  # as a new process would: only the snapshot on disk is left
    again = await search(SearchRequest(query=query, repo=str(sample_repo)))
    assert again.stats.index == "warm" and again.stats.index_parsed == 0
    assert again.spans == first.spans


async def test_a_definition_added_to_an_unparsed_file_is_found(sample_repo: Path) -> None:
    repo = Repo(sample_repo)
    files = await Engine(repo).files()
    index, _ = await build_index(repo, files, lazy=True)
    assert index.find({"brand_new"}) == {}
    assert "brand_new" in index.resolved and "pkg/util.py" in index.unparsed()
    util = sample_repo / "pkg" / "util.py"
    util.write_text(util.read_text() + "\n\ndef brand_new():\n    pass\n")
    st = util.stat()
    os.utime(util, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    index, _ = await build_index(repo, files, lazy=True)
    assert "brand_new" not in index.resolved  # a changed file: resolved names are asked again
    assert [p for p, _ in index.find({"brand_new"})["brand_new"]] == ["pkg/util.py"]


async def test_a_new_copy_takes_what_was_parsed_from_the_blob_store(sample_repo: Path,
                                                                     tmp_path: Path) -> None:
    import shutil

    query = "verify_token raises ValueError: token expired for user"
    first = await search(SearchRequest(query=query, repo=str(sample_repo)))
    assert first.stats.index == "cold" and first.stats.index_parsed > 0
    copy = tmp_path / "copy"
    shutil.copytree(sample_repo, copy)
    again = await search(SearchRequest(query=query, repo=str(copy)))
    assert again.stats.index == "store"  # same content: nothing parsed again
    assert [(s.path, s.start_line, s.end_line) for s in again.spans] == \
        [(s.path, s.start_line, s.end_line) for s in first.spans]


async def test_a_small_repo_is_parsed_whole_on_the_first_search(sample_repo: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "LAZY_MIN_BYTES", 1_500_000)
    got = await search(SearchRequest(query="verify_token", repo=str(sample_repo)))
    assert got.stats.index == "cold" and got.stats.index_parsed == got.stats.index_files


async def test_the_completer_parses_the_rest_and_a_lazy_writer_keeps_its_work(
        sample_repo: Path) -> None:
    from splice.search.complete import complete
    from splice.search.index import cached_index

    query = "verify_token raises ValueError: token expired for user"
    first = await search(SearchRequest(query=query, repo=str(sample_repo)))
    lazy = cached_index(Repo(sample_repo), 60.0)[0]  # this process's index: partly parsed
    assert lazy.unparsed()
    forget_memory()
    assert await complete(sample_repo.resolve()) == len(lazy.unparsed())
    forget_memory()
    index, report = await build_index(Repo(sample_repo), lazy.listing, lazy=True)
    assert report.state == "warm" and not index.unparsed()
    # the earlier process writes its lazy index after the completer: nothing is undone
    lazy.dirty = True
    await index_module.save_if_dirty(Repo(sample_repo), lazy)
    forget_memory()
    again = await search(SearchRequest(query=query + " TokenStore", repo=str(sample_repo)))
    assert again.stats.index == "warm" and again.stats.index_parsed == 0
    assert first.spans[0].path == again.spans[0].path == "pkg/auth.py"


async def test_a_lazy_search_starts_one_completer(sample_repo: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from splice.search import complete

    started: list[Path] = []
    monkeypatch.setenv("SPLICE_INDEX_BACKGROUND", "1")
    monkeypatch.setattr(complete, "_spawn", started.append)
    monkeypatch.setattr(complete, "_STARTED", set())
    await search(SearchRequest(query="verify_token", repo=str(sample_repo)))
    await search(SearchRequest(query="parse_header_value", repo=str(sample_repo)))
    assert len(started) == 1 and started[0][-3:] == ["-m", "splice.search.complete",
                                                     str(sample_repo.resolve())]
