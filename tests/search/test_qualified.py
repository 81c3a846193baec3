"""A dotted name in the query resolves to the definition it qualifies."""

from __future__ import annotations

from pathlib import Path

from splice.search import SearchRequest, deterministic, search
from splice.search.index import forget_memory

CORE = '''class Group:
    """Nests commands: a group of groups."""

    def group(self, name):
        """Nest a command under this one."""
        return Group()

    def command(self, name):
        return name


class Other:
    def group(self):
        return "other"
'''

DECORATORS = '''from .core import Group


def group(name=None):
    return Group()
'''


async def test_pkg_dot_name_finds_the_module_level_function(tmp_path: Path,
                                                           monkeypatch) -> None:
    pkg = tmp_path / "clicky"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from .decorators import group\n")
    (pkg / "core.py").write_text(CORE)
    (pkg / "decorators.py").write_text(DECORATORS)
    forget_memory(tmp_path)
    result = await search(SearchRequest(query="Fix the type hints of @clicky.group()",
                                        repo=str(tmp_path), planner="deterministic"))
    first = result.spans[0]
    assert first.path == "clicky/decorators.py"
    assert "def group(name=None):" in result.texts[0]
    # without resolving the qualified name, the class full of `group` methods wins
    monkeypatch.setattr(deterministic, "qualified_definitions", lambda *a: [])
    forget_memory(tmp_path)
    plain = await search(SearchRequest(query="Fix the type hints of @clicky.group()",
                                       repo=str(tmp_path), planner="deterministic"))
    assert plain.spans[0].path == "clicky/core.py"


async def test_class_dot_method_finds_that_method(tmp_path: Path) -> None:
    pkg = tmp_path / "lib"
    pkg.mkdir()
    (pkg / "core.py").write_text(CORE)
    (pkg / "decorators.py").write_text(DECORATORS)
    forget_memory(tmp_path)
    result = await search(SearchRequest(query="Other.group returns a string",
                                        repo=str(tmp_path), planner="deterministic",
                                        max_tokens=120))
    assert result.spans[0].path == "lib/core.py"
    assert "def group(self):" in result.texts[0] and "Nests" not in result.texts[0]
