"""Traceback frames in pass-through wrappers (a database cursor's `execute` handing its
arguments down to `_execute`, a context manager's `__exit__` re-raising) are in every
report whose error passes them: the frame that does the work leads."""

from __future__ import annotations

from pathlib import Path

from splice.search import SearchRequest, search
from splice.search.passthrough import forwards, parameters
from splice.search.terms import extract_terms

WRAPPERS = '''import functools


class CursorWrapper:
    def __init__(self, cursor, db):
        self.cursor = cursor
        self.db = db

    def execute(self, sql, params=None):
        return self._execute_with_wrappers(sql, params, many=False, executor=self._execute)

    def _execute_with_wrappers(self, sql, params, many, executor):
        context = {"connection": self.db, "cursor": self}
        for wrapper in reversed(self.db.execute_wrappers):
            executor = functools.partial(wrapper, executor)
        return executor(sql, params, many, context)

    def _execute(self, sql, params, *ignored_wrapper_args):
        self.db.validate_no_broken_transaction()
        with self.db.wrap_database_errors:
            if params is None:
                return self.cursor.execute(sql)
            return self.cursor.execute(sql, params)
'''

ERRORS = '''class DatabaseErrorWrapper:
    def __init__(self, wrapper):
        self.wrapper = wrapper

    def __enter__(self):
        pass

    def __exit__(self, exc_type, exc_value, traceback):
        if exc_type is None:
            return
        for dj_exc_type in (DataError, IntegrityError, ProgrammingError):
            if issubclass(exc_type, dj_exc_type):
                dj_exc_value = dj_exc_type(*exc_value.args)
                raise dj_exc_value.with_traceback(traceback) from exc_value
'''

COMPILER = '''class SQLCompiler:
    def as_sql(self, with_limits=True):
        """The SELECT for this query; a combined query (union) orders by its columns."""
        parts = []
        for query in self.query.combined_queries:
            parts.append(query.get_compiler(self.using).as_sql())
        return " UNION ".join(p[0] for p in parts), []

    def execute_sql(self, result_type="multi", chunked_fetch=False):
        sql, params = self.as_sql()
        cursor = self.connection.cursor()
        cursor.execute(sql, params)
        return cursor.fetchall()
'''

REPORT = """Union queryset with ordering breaks on re-evaluation
Ordering a union of two querysets and evaluating it again breaks:
>>> qs = Dimension.objects.filter(pk__in=[10, 11]).union(Dimension.objects.filter(pk__in=[16]))
>>> qs.order_by().values_list('pk', flat=True)
>>> qs
Traceback (most recent call last):
  File "/venv/lib/python3.6/site-packages/django/db/models/sql/compiler.py", line 12, in execute_sql
    cursor.execute(sql, params)
  File "/venv/lib/python3.6/site-packages/django/db/backends/utils.py", line 10, in execute
    return self._execute_with_wrappers(sql, params, many=False, executor=self._execute)
  File "/venv/lib/python3.6/site-packages/django/db/backends/utils.py", line 16, in _execute_with_wrappers
    return executor(sql, params, many, context)
  File "/venv/lib/python3.6/site-packages/django/db/backends/utils.py", line 23, in _execute
    return self.cursor.execute(sql, params)
  File "/venv/lib/python3.6/site-packages/django/db/utils.py", line 14, in __exit__
    raise dj_exc_value.with_traceback(traceback) from exc_value
  File "/venv/lib/python3.6/site-packages/django/db/backends/utils.py", line 23, in _execute
    return self.cursor.execute(sql, params)
django.db.utils.ProgrammingError: ORDER BY position 4 is not in select list
"""


def _method(name: str) -> str:
    """The source of one method of WRAPPERS."""
    start = WRAPPERS.index(f"    def {name}(")
    end = WRAPPERS.find("\n\n", start)
    return WRAPPERS[start:end if end > 0 else None]


def test_a_wrapper_that_hands_its_arguments_on_forwards() -> None:
    assert parameters("self, sql, params=None, *args, **kw") == ["sql", "params"]
    assert forwards(_method("execute"))
    assert forwards(_method("_execute_with_wrappers"))  # calls the executor it was given
    assert forwards(_method("_execute"))
    assert not forwards(_method("__init__"))  # sets attributes, calls nothing


def test_a_function_that_raises_or_works_on_its_argument_does_not_forward() -> None:
    raising = ('def validate_color_for_prop_cycle(s):\n'
               '    if isinstance(s, str) and re.match("^C[0-9]$", s):\n'
               '        raise ValueError(f"Cannot put cycle reference ({s!r}) in prop_cycler")\n'
               '    return validate_color(s)\n')
    assert not forwards(raising)
    assert not forwards("def transform(self, X):\n    Xt = X.copy()\n    return Xt\n")
    documented = 'def run(self, args):\n    """Run the command."""\n    return self.main(args)\n'
    assert not forwards(documented)


def test_frames_keep_the_printed_source_line() -> None:
    frames = extract_terms(REPORT).frames
    assert frames[0].function == "_execute" and frames[0].depth == 0
    assert frames[0].source == "return self.cursor.execute(sql, params)"


async def test_frames_in_pass_through_wrappers_do_not_lead(tmp_path: Path) -> None:
    for path, text in {"django/db/backends/utils.py": WRAPPERS, "django/db/utils.py": ERRORS,
                       "django/db/models/sql/compiler.py": COMPILER,
                       "django/db/models/sql/__init__.py": ""}.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    for i in range(8):  # other modules the database layer has
        (tmp_path / f"django/db/models/other{i}.py").write_text(
            f"def helper_{i}(rows):\n    return [r for r in rows if r]\n")
    result = await search(SearchRequest(query=REPORT, repo=str(tmp_path), max_tokens=1500))
    # the innermost frame that does work: the compiler ran the query the backend rejected
    assert result.spans[0].path == "django/db/models/sql/compiler.py"
