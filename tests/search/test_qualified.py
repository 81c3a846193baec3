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


# -- a module path the reporter wrote is worth the name's own rarity ---------------------

FIELDS = "".join(f'''class {name}:
    """A model field."""

    def __init__(self, **options):
        self.options = options

''' for name in ("CharField", "UUIDField", "BooleanField", "IntegerField"))

AUTODETECTOR = '''class MigrationAutodetector:
    def generate_altered_fields(self, old, new):
        """An altered field's operation; a relation to another app needs that app first."""
        dependencies = []
        if getattr(new, "remote_field", None):
            dependencies.append(new.remote_field)
        return dependencies
'''

MODEL_REPORT = """Changing a UUID field to a ForeignKey creates no dependency

class App1(models.Model):
    id = models.UUIDField(primary_key=True)
    text = models.CharField(max_length=100)
    flag = models.BooleanField(default=False)
    count = models.IntegerField(default=0)

After changing `another_app` to a ForeignKey, the migration that
generate_altered_fields() writes lists no dependency on the other app.
"""


def _model_repo(root: Path) -> Path:
    models = root / "web" / "db" / "models"
    models.mkdir(parents=True)
    (models / "__init__.py").write_text("from .fields import *  # noqa\n")
    (models / "fields.py").write_text(FIELDS)
    (root / "web" / "db" / "migrations").mkdir()
    (root / "web" / "db" / "migrations" / "autodetector.py").write_text(AUTODETECTOR)
    for k in range(15):  # apps that declare models, as every project's tests do
        app = root / "apps" / f"app{k}"
        app.mkdir(parents=True)
        (app / "models.py").write_text(
            "from web.db import models\n\n\nclass Item(models.Model):\n"
            "    uid = models.UUIDField(primary_key=True)\n"
            "    name = models.CharField(max_length=10)\n"
            "    done = models.BooleanField(default=False)\n"
            "    size = models.IntegerField(default=0)\n")
    forget_memory(root)
    return root


async def test_a_module_qualified_name_counts_at_its_own_rarity(tmp_path: Path,
                                                                monkeypatch) -> None:
    root = _model_repo(tmp_path)
    result = await search(SearchRequest(query=MODEL_REPORT, repo=str(root)))
    assert result.spans[0].path == "web/db/migrations/autodetector.py"
    # at the top term's rarity, four field classes the model declares outweigh the method
    # the report says writes the migration
    resolved = deterministic.qualified_definitions
    monkeypatch.setattr(deterministic, "qualified_definitions",
                        lambda ctx, terms, top, idf: resolved(ctx, terms, top, [top] * len(idf)))
    forget_memory(root)
    old = await search(SearchRequest(query=MODEL_REPORT, repo=str(root)))
    assert old.spans[0].path == "web/db/models/fields.py"
