import subprocess
from pathlib import Path

import anyio
import pytest

from splice.core.errors import InvalidRequest, PathEscape
from splice.core.repo import Repo
from splice.search import ripgrep as engine_mod
from splice.search.ripgrep import Engine, SearchEngineError, occurrences, rg_binary


def make(root: Path, **kw) -> Engine:
    return Engine(Repo(root), **kw)


def test_rg_binary_is_ripgrep() -> None:
    out = subprocess.run([rg_binary(), "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("ripgrep")


async def test_files_respect_gitignore_and_hidden(sample_repo: Path) -> None:
    files = await make(sample_repo).files()
    assert "pkg/auth.py" in files and "web/types.ts" in files
    assert not any(f.startswith("build/") for f in files)
    assert ".gitignore" not in files
    assert files == sorted(files)


async def test_files_glob(sample_repo: Path) -> None:
    assert await make(sample_repo).files(glob="*.ts") == ["web/types.ts"]


async def test_grep_parses_matches_and_skips_binary_and_ignored(sample_repo: Path) -> None:
    hits = await make(sample_repo).grep(["verify_token"])
    paths = {h.path for h in hits}
    assert "pkg/auth.py" in paths and "tests/test_auth.py" in paths
    assert "data.bin" not in paths and "build/generated.py" not in paths
    auth = [h for h in hits if h.path == "pkg/auth.py"]
    assert auth[0].line == 18 and auth[0].text.startswith("def verify_token")
    assert auth[0].submatches == ["verify_token"]


async def test_grep_fixed_strings_do_not_treat_dots_as_regex(sample_repo: Path) -> None:
    eng = make(sample_repo)
    assert await eng.grep(["res.send("]) != []
    assert await eng.grep(["res_send("]) == []


async def test_bad_regex_is_invalid_request(sample_repo: Path) -> None:
    eng = make(sample_repo)
    with pytest.raises(InvalidRequest, match="does not compile"):
        await eng.grep(["def (unclosed"], fixed=False)
    with pytest.raises(InvalidRequest):
        await eng.check_regex("[z-a]")
    await eng.check_regex(r"def \w+")  # a good one passes


async def test_non_utf8_file_is_searched_and_read(sample_repo: Path) -> None:
    eng = make(sample_repo)
    hits = await eng.grep(["legacy_encoder"])
    assert [h.path for h in hits] == ["legacy.py"]
    read = eng.read("legacy.py", 1, 1)
    assert read.text == "# café au lait"


async def test_occurrences_one_pass(sample_repo: Path) -> None:
    counts = await occurrences(make(sample_repo), ["verify_token", "Router"])
    assert counts["verify_token"]["pkg/auth.py"] == 1
    assert counts["verify_token"]["tests/test_auth.py"] == 3
    assert sum(per["web/app.js"] for m, per in counts.items()
               if m.lower() == "router" and "web/app.js" in per) == 4


def test_read_ranges_are_clipped_and_confined(sample_repo: Path) -> None:
    eng = make(sample_repo)
    part = eng.read("pkg/util.py", 1, 2)
    assert part.text.splitlines()[0] == "def parse_header_value(raw):"
    assert part.total_lines == 8 and part.end_line == 2
    assert eng.read("pkg/util.py", 7, 999).end_line == 8
    with pytest.raises(InvalidRequest, match="past the end"):
        eng.read("pkg/util.py", 50, 60)
    with pytest.raises(PathEscape):
        eng.read("../outside.py")


def test_list_dir_hides_dotfiles_and_is_confined(sample_repo: Path) -> None:
    eng = make(sample_repo)
    entries = eng.list_dir(".")
    assert "pkg/" in entries and "lib.rs" in entries and ".gitignore" not in entries
    with pytest.raises(PathEscape):
        eng.list_dir("..")
    with pytest.raises(InvalidRequest):
        eng.list_dir("lib.rs")


async def test_paths_outside_are_refused(sample_repo: Path) -> None:
    with pytest.raises(PathEscape):
        await make(sample_repo).files(["/etc"])


async def test_at_most_eight_rg_calls_at_once(sample_repo: Path, monkeypatch) -> None:
    active = peak = 0

    async def fake_run_process(cmd, **kw):
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        await anyio.sleep(0.01)
        active -= 1
        return subprocess.CompletedProcess(cmd, 1, b"", b"")

    monkeypatch.setattr(engine_mod.anyio, "run_process", fake_run_process)
    eng = make(sample_repo)
    async with anyio.create_task_group() as tg:
        for i in range(20):
            tg.start_soon(eng.grep, [f"term{i}"])
    assert peak == 8 and eng.calls == 20


async def test_timeout_stops_a_slow_call(sample_repo: Path, monkeypatch) -> None:
    async def slow(cmd, **kw):
        await anyio.sleep(5)

    monkeypatch.setattr(engine_mod.anyio, "run_process", slow)
    with pytest.raises(SearchEngineError, match="took over"):
        await make(sample_repo, timeout_s=0.05).grep(["x"])
