"""The warm search's shortcuts give the answers the plain ways give: one sweep for every
hit line's enclosing definition, rg's --heading output, find() remembering names for one
index state, the word sample and module map kept for one listing."""

from __future__ import annotations

import random
from pathlib import Path

from splice.core.repo import Repo
from splice.search.imports import modules_of
from splice.search.regions import enclosing_each
from splice.search.ripgrep import Engine, line_hits, occurrences
from splice.search.symbol_index import FileEntry, SymbolIndex, pack
from splice.search.symbols import Definition, enclosing, extract_definitions
from splice.search.words import sample

NESTED = '''class Outer:
    def first(self):
        return 1

    class Inner:
        def deep(self):
            x = 1
            return x

    def second(self):
        return 2


def top():
    def helper():
        pass
    return helper
'''


def _d(name: str, start: int, end: int) -> Definition:
    return Definition(name=name, kind="function", start_line=start, end_line=end)


def test_one_sweep_finds_what_enclosing_finds_line_by_line() -> None:
    parsed = extract_definitions(NESTED.encode(), "python")
    lines = list(range(0, 22))
    assert enclosing_each(parsed, lines) == [enclosing(parsed, ln) for ln in lines]
    assert enclosing_each(parsed, [7])[0].name == "deep"  # innermost
    # equal starts (a decorator and its function), a gap, and rows out of order: the sweep
    # must scan exactly what enclosing scans and break ties the same way
    odd = [_d("a", 1, 40), _d("b", 5, 10), _d("c", 5, 12), _d("late", 30, 35),
           _d("early", 2, 3), _d("d", 14, 20)]
    rng = random.Random(7)
    for _ in range(200):
        picked = sorted(rng.sample(range(0, 45), rng.randint(1, 20)))
        assert enclosing_each(odd, picked) == [enclosing(odd, ln) for ln in picked]


def _repo(tmp_path: Path, files: dict[str, str]) -> Engine:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return Engine(Repo(tmp_path))


async def test_occurrences_count_per_file_and_text(tmp_path: Path) -> None:
    engine = _repo(tmp_path, {"a.py": "Token token\ntoken_store = 1\n",
                              "pkg/b.py": "no match here\n", "pkg/c.py": "TOKEN\n"})
    got = await occurrences(engine, ["token", "token_store"])
    # the longest term wins where both start; case is kept as matched
    assert got == {"Token": {"a.py": 1}, "token": {"a.py": 1}, "token_store": {"a.py": 1},
                   "TOKEN": {"pkg/c.py": 1}}


async def test_occurrences_name_the_file_when_only_one_is_searched(tmp_path: Path) -> None:
    engine = _repo(tmp_path, {"only.py": "value = value + 1\n"})
    assert await occurrences(engine, ["value"]) == {"value": {"only.py": 2}}
    assert await occurrences(engine, ["value"], ["only.py"]) == {"value": {"only.py": 2}}


async def test_line_hits_give_each_line_its_matched_texts(tmp_path: Path) -> None:
    engine = _repo(tmp_path, {"a.py": "x = 1\nparse(tokens)\n\ntokens.parse()\n",
                              "b.py": "parse\n"})
    got = await line_hits(engine, ["parse", "tokens"], ["a.py", "b.py"])
    rows = sorted((h.path, h.line, sorted(h.submatches)) for h in got)
    assert rows == [("a.py", 2, ["parse", "tokens"]), ("a.py", 4, ["parse", "tokens"]),
                    ("b.py", 1, ["parse"])]
    one = await line_hits(engine, ["parse"], ["b.py"])
    assert [(h.path, h.line) for h in one] == [("b.py", 1)]


def test_find_answers_again_after_new_files_are_parsed() -> None:
    index = SymbolIndex()
    index.set_entries([("a.py", FileEntry(10, 1, pack([_d("parse", 1, 3)])))])
    assert [p for p, _ in index.find({"parse"})["parse"]] == ["a.py"]
    assert index.find({"parse", "missing"}).get("missing") is None
    index.set_entries([("b.py", FileEntry(10, 1, pack([_d("Parse", 4, 9), _d("missing", 1, 2)])))])
    found = index.find({"parse", "missing"})
    assert [(p, d.start_line) for p, d in found["parse"]] == [("a.py", 1), ("b.py", 4)]
    assert [p for p, _ in found["missing"]] == ["b.py"]
    assert set(index.find({"parse"})) == {"parse"}  # only the names asked for


def test_the_sample_and_module_map_follow_the_listing() -> None:
    first = [f"pkg/m{i:03}.py" for i in range(100)]
    second = first + [f"pkg/z{i:03}.py" for i in range(100)]
    assert sample(first) == sample(list(first)) == first
    assert sample(second) == second  # a new listing is sampled again, not the old answer
    assert modules_of(first).absolute("pkg.m001", "x.py") == "pkg/m001.py"
    assert modules_of(second).absolute("pkg.z001", "x.py") == "pkg/z001.py"
