import json
import os
from pathlib import Path

from splice.core.repo import Repo
from splice.search.engine import Engine
from splice.search.index import CACHE_NAME, _cache_path, build_index, forget_memory


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
    cache = _cache_path(Repo(sample_repo))
    assert cache is not None and cache.name == CACHE_NAME
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
    cache = _cache_path(Repo(sample_repo))
    assert cache is not None
    cache.write_text("{not json")
    index, report = await index_of(sample_repo)
    assert report.state == "cold" and index.definitions("pkg/auth.py")


async def test_state_dir_is_git_excluded(sample_repo: Path) -> None:
    (sample_repo / ".git" / "info").mkdir(parents=True)
    await index_of(sample_repo)
    assert ".splice/" in (sample_repo / ".git" / "info" / "exclude").read_text()


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
