"""Files a report names by module name (`auth.0011_update_proxy_permissions`): matched
against file names, since no file's text holds them; names a function could have, or many
files carry, never count."""

from __future__ import annotations

from pathlib import Path

from splice.search import SearchRequest, search
from splice.search.named_modules import module_names, named_files

FILES = [
    "app/auth/migrations/0001_initial.py",
    "app/auth/migrations/0011_update_proxy_permissions.py",
    "app/sites/migrations/0001_initial.py",
    "app/shop/migrations/0001_initial.py",
    "app/db/utils.py",
    "app/core/utils.py",
    "app/forms/utils.py",
    "app/isotonic.py",
    "examples/decomposition/plot_sparse_coding.py",
]


def test_a_migration_named_as_django_prints_it_names_its_file() -> None:
    report = "Migration auth.0011_update_proxy_permissions fails for models recreated as a proxy."
    assert named_files(report, FILES) == ["app/auth/migrations/0011_update_proxy_permissions.py"]


def test_a_numbered_module_written_as_a_path_names_its_file() -> None:
    report = "see app/auth/migrations/0011_update_proxy_permissions.py, line 3"
    assert named_files(report, FILES) == ["app/auth/migrations/0011_update_proxy_permissions.py"]


def test_names_a_function_could_have_or_many_files_carry_name_none() -> None:
    # plot_sparse_coding, db.utils: a function or attribute may have these names too;
    # 0001_initial: three files carry it; isotonic: a word in prose
    report = ("dependencies = [('app', '0001_initial')]; db.utils fails in plot_sparse_coding "
              "with isotonic regression")
    assert named_files(report, FILES) == []
    assert module_names(report) == {"0001_initial"}


def look_alikes(folder: Path, stem: str, template: str, count: int) -> None:
    """`count` modules of the template's text (three times over) that share a report's words."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"{stem}{i}.py").write_text(template.format(i=i) * 3)


async def ranked_files(root: Path, report: str) -> list[str]:
    result = await search(SearchRequest(query=report, repo=str(root), max_tokens=4000))
    return list(dict.fromkeys(s.path for s in result.spans))


async def test_the_named_migration_reaches_the_top_five(tmp_path: Path) -> None:
    # ten modules that share the report's words; the migration shares few of them
    noise = ('from app.db import IntegrityError\n\n\ndef recreate_{i}(proxy, permissions):\n'
             '    """Recreate proxy permissions; a duplicate key is an IntegrityError."""\n'
             '    if permissions.duplicate(proxy):\n'
             '        raise IntegrityError("duplicate key value violates unique constraint")\n'
             '    return permissions.migrate(proxy, {i})\n')
    look_alikes(tmp_path / "app" / "auth", "perms", noise, 10)
    migration = tmp_path / "app/auth/migrations/0011_update_proxy_permissions.py"
    migration.parent.mkdir(parents=True)
    migration.write_text("from app.db import migrations\n\n\ndef forwards(apps, editor):\n"
                         "    Permission = apps.get_model('auth', 'Permission')\n"
                         "    Permission.objects.filter(content_type=1).update(content_type=2)\n")
    report = ("Migration auth.0011_update_proxy_permissions fails for models recreated as a "
              "proxy.\nIntegrityError: duplicate key value violates unique constraint\n"
              "It looks like the migration re-creates existing permissions of proxy models.")
    files = await ranked_files(tmp_path, report)
    assert "app/auth/migrations/0011_update_proxy_permissions.py" in files[:5]


async def test_an_example_named_by_its_path_is_not_ranked_as_docs(tmp_path: Path) -> None:
    # the report names the example that warns; five library modules share its words
    code = ("def sparse_encode_{i}(X, dictionary, max_iter=1000):\n"
            "    '''Sparse coding with lasso_cd; warns when lasso_cd has not converged.'''\n"
            "    return lasso_cd(X, dictionary, max_iter=max_iter)\n")
    look_alikes(tmp_path / "pkg" / "decomposition", "coding", code, 6)
    (tmp_path / "pkg" / "decomposition" / "dict_learning.py").write_text(
        'class SparseCoder:\n    """Sparse coding: lasso_cd, max_iter."""\n\n'
        '    def __init__(self, max_iter=1000):\n        self.max_iter = max_iter\n')
    example = tmp_path / "examples" / "decomposition" / "plot_sparse_coding.py"
    example.parent.mkdir(parents=True)
    example.write_text("from pkg.decomposition.coding0 import sparse_encode_0\n\n"
                       "coder = sparse_encode_0(X, D)  # lasso_cd\n")
    report = ("SparseCoder does not expose max_iter for lasso_cd. This results in a warning "
              "in `examples/decomposition/plot_sparse_coding.py` complaining that the "
              "estimator has not converged.")
    files = await ranked_files(tmp_path, report)
    assert files[0] == "examples/decomposition/plot_sparse_coding.py"


async def test_a_scoped_search_shows_no_definition_outside_its_scope(tmp_path: Path) -> None:
    # `db.utils.ProgrammingError` resolves to a class in db/utils.py; searched within
    # sql/compiler.py only, the answer must not show that class (it used to)
    (tmp_path / "db" / "sql").mkdir(parents=True)
    (tmp_path / "db" / "utils.py").write_text("class ProgrammingError(Exception):\n    pass\n")
    (tmp_path / "db" / "sql" / "compiler.py").write_text(
        "from db.utils import ProgrammingError\n\n\ndef execute_sql(cursor, sql):\n"
        "    try:\n        return cursor.execute(sql)\n"
        "    except ProgrammingError:\n        raise\n")
    report = "db.utils.ProgrammingError: ORDER BY position 4 is not in select list"
    whole = await search(SearchRequest(query=report, repo=str(tmp_path)))  # indexes all
    assert "db/utils.py" in {s.path for s in whole.spans}
    scoped = await search(SearchRequest(query=report, repo=str(tmp_path),
                                        paths=["db/sql/compiler.py"]))
    assert scoped.spans and {s.path for s in scoped.spans} == {"db/sql/compiler.py"}
