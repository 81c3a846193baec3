"""File priors added for multi-file answers: stubs beside their implementation, a docs
build's conf.py, build metadata and the project's own scripts rank below the package code,
each with a look-alike they must leave alone."""

from __future__ import annotations

from pathlib import Path

from splice.core.spans import Span
from splice.search import SearchRequest, search
from splice.search.priors import SCRIPT_PRIOR, STUB_PRIOR, prior, stub_prior

HOOKS = '''def register_hook(name, callback):
    """Register callback under name; a later register_hook replaces it."""
    HOOKS[name] = callback
    return callback
'''
HOOKS_STUB = '''from typing import Callable
def register_hook(name: str, callback: Callable[..., object]) -> Callable[..., object]: ...
'''


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def files_of(spans: list[Span]) -> list[str]:
    return list(dict.fromkeys(s.path for s in spans))


def test_a_stub_beside_its_module_ranks_lower() -> None:
    files = {"pkg/hooks.py", "pkg/hooks.pyi", "pkg/__init__.py", "pkg/__init__.pyi"}
    assert stub_prior("pkg/hooks.pyi", files) == STUB_PRIOR
    assert stub_prior("pkg/__init__.pyi", files) == STUB_PRIOR
    assert stub_prior("pkg/hooks.py", files) == 1.0


def test_a_stub_only_package_keeps_its_stubs() -> None:
    files = {"stubs/hooks.pyi", "pkg/other.py", "other/hooks.py"}
    assert stub_prior("stubs/hooks.pyi", files) == 1.0  # no hooks.py beside it


async def test_the_module_ranks_before_the_stub_that_mirrors_it(tmp_path: Path) -> None:
    write(tmp_path, "pkg/hooks.py", HOOKS)
    # the stub repeats the query's names more densely than the module does
    write(tmp_path, "pkg/hooks.pyi", HOOKS_STUB * 3)
    for i in range(4):
        write(tmp_path, f"pkg/other{i}.py", f"def other_{i}():\n    return {i}\n")
    result = await search(SearchRequest(query="register_hook callback replaces name",
                                        repo=str(tmp_path), max_tokens=4000))
    assert files_of(result.spans)[0] == "pkg/hooks.py"


async def test_a_stub_without_its_module_is_still_found_first(tmp_path: Path) -> None:
    write(tmp_path, "typings/hooks.pyi", HOOKS_STUB)
    write(tmp_path, "pkg/other.py", "def other():\n    return register_hook_name\n")
    result = await search(SearchRequest(query="register_hook callback",
                                        repo=str(tmp_path), max_tokens=4000))
    assert files_of(result.spans)[0] == "typings/hooks.pyi"


def test_build_metadata_and_sphinx_conf_rank_with_the_project_files() -> None:
    assert prior("docs/conf.py") <= prior("setup.py")
    assert prior("doc/source/conf.py") <= prior("setup.py")
    assert prior("src/pkg.egg-info/SOURCES.txt") == prior("setup.py")
    assert prior("src/pkg.egg-info/top_level.py") == prior("setup.py")
    assert prior("setup.py") < 0.1


def test_a_conf_module_outside_the_docs_is_ordinary_code() -> None:
    assert prior("pkg/conf.py") == 1.0
    assert prior("docs/examples.py") == prior("docs/other.py")  # docs code: the docs prior only


def test_top_level_scripts_rank_lower_but_a_package_scripts_module_does_not() -> None:
    assert SCRIPT_PRIOR < 1.0
    assert prior("scripts/release.py") == SCRIPT_PRIOR
    assert prior("tools/gen_tables.py") == SCRIPT_PRIOR
    assert prior("src/pkg/scripts/run.py") == 1.0
    assert prior("pkg/tools.py") == 1.0
    assert prior("scripts.py") == 1.0


async def test_the_package_module_ranks_before_a_script_using_it(tmp_path: Path) -> None:
    write(tmp_path, "pkg/hooks.py", HOOKS)
    write(tmp_path, "scripts/dump_hooks.py",
          "from pkg.hooks import register_hook\n\n"
          "def dump():\n    register_hook('x', print)\n    register_hook('y', print)\n"
          "    # register_hook callback replaces name\n" * 4)
    result = await search(SearchRequest(query="register_hook callback replaces name",
                                        repo=str(tmp_path), max_tokens=4000))
    assert files_of(result.spans)[0] == "pkg/hooks.py"
