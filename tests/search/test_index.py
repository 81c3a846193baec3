import json
import os
import shutil
from pathlib import Path

from splice.core.repo import Repo
from splice.search.index import CACHE_VERSION, build_index, forget_memory
from splice.search.ripgrep import Engine
from splice.search.store import snapshot_path


async def index_of(root: Path):
    repo = Repo(root)
    files = await Engine(repo).files()
    return await build_index(repo, files)


async def test_cold_then_memory_then_warm_from_disk(sample_repo: Path) -> None:
    index, report = await index_of(sample_repo)
    assert report.state == "cold" and report.parsed == report.files
    names = {d.name for d in index.definitions("pkg/auth.py")}
    assert {"TokenStore", "issue", "verify_token"} <= names
    assert {d.name for d in index.definitions("lib.rs")} == {"Packet", "compute_checksum"}
    assert "build/generated.py" not in index.files  # gitignored
    cache = snapshot_path(sample_repo.resolve(), CACHE_VERSION)
    assert json.loads(cache.read_text())["files"]["pkg/auth.py"][2]
    # not a git work tree: the cache lives in the user's cache, the folder stays clean
    assert not (sample_repo / ".splice").exists()

    _, again = await index_of(sample_repo)
    assert again.state == "memory" and again.parsed == 0
    forget_memory()
    _, warm = await index_of(sample_repo)
    assert warm.state == "warm" and warm.parsed == 0


async def test_changed_file_is_reparsed_alone(sample_repo: Path) -> None:
    await index_of(sample_repo)
    util = sample_repo / "pkg" / "util.py"
    util.write_text(util.read_text() + "\n\ndef added_later():\n    pass\n")
    st = util.stat()
    os.utime(util, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    forget_memory()
    index, report = await index_of(sample_repo)
    assert report.state == "partial" and report.parsed == 1
    assert "added_later" in {d.name for d in index.definitions("pkg/util.py")}


async def test_deleted_file_leaves_the_index(sample_repo: Path) -> None:
    await index_of(sample_repo)
    (sample_repo / "lib.rs").unlink()
    index, _ = await index_of(sample_repo)
    assert "lib.rs" not in index.files


async def test_corrupt_cache_is_rebuilt(sample_repo: Path) -> None:
    await index_of(sample_repo)
    forget_memory()
    snapshot_path(sample_repo.resolve(), CACHE_VERSION).write_text("{not json")
    index, report = await index_of(sample_repo)
    assert report.state == "store" and index.definitions("pkg/auth.py")  # by content
    forget_memory()
    for path in snapshot_path(sample_repo.resolve(), CACHE_VERSION).parent.parent.iterdir():
        if path.is_file():
            path.write_bytes(b"not a database")  # a broken blob store costs a parse only
    snapshot_path(sample_repo.resolve(), CACHE_VERSION).write_text("{not json")
    index, report = await index_of(sample_repo)
    assert report.state == "cold" and index.definitions("pkg/auth.py")


async def test_indexing_writes_nothing_into_the_searched_folder(sample_repo: Path) -> None:
    before = sorted(p.relative_to(sample_repo) for p in sample_repo.rglob("*"))
    await index_of(sample_repo)
    assert sorted(p.relative_to(sample_repo) for p in sample_repo.rglob("*")) == before
    assert not (sample_repo / ".splice").exists()


async def test_another_checkout_of_indexed_code_starts_warm(sample_repo: Path,
                                                            tmp_path: Path) -> None:
    await index_of(sample_repo)
    copy = tmp_path / "second-checkout"
    shutil.copytree(sample_repo, copy)
    (copy / "pkg" / "util.py").write_text("def brand_new():\n    return 1\n")
    forget_memory()
    index, report = await index_of(copy)
    # every file known by its content but the one that changed, parsed alone
    assert report.state == "partial" and report.parsed == 1
    assert {d.name for d in index.definitions("pkg/util.py")} == {"brand_new"}
    assert {d.name for d in index.definitions("pkg/auth.py")} >= {"verify_token"}
    same = tmp_path / "third-checkout"
    shutil.copytree(sample_repo, same)
    forget_memory()
    _, again = await index_of(same)
    assert again.state == "store" and again.parsed == 0


async def test_many_files_parse_in_worker_processes(tmp_path: Path) -> None:
    for i in range(320):  # above PROCESS_THRESHOLD: the forked pool does the parsing
        (tmp_path / f"m{i}.py").write_text(f"def f{i}():\n    return {i}\n\nclass C{i}:\n    pass\n")
    forget_memory()
    index, report = await index_of(tmp_path)
    assert report.parsed == 320
    assert [d.name for d in index.definitions("m7.py")] == ["f7", "C7"]


async def test_repo_without_supported_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello\n")
    index, report = await index_of(tmp_path)
    assert report.state == "none" and not index.files


async def test_partial_listing_keeps_other_entries(sample_repo: Path) -> None:
    repo = Repo(sample_repo)
    await build_index(repo, await Engine(repo).files())
    forget_memory()
    index, report = await build_index(repo, ["pkg/util.py"], complete=False)
    assert report.parsed == 0 and "lib.rs" in index.files
    forget_memory()
    _, full = await index_of(sample_repo)
    assert full.state == "warm" and full.parsed == 0
