"""A method sent without its class matches a namesake of another class by name alone; when
the seen lines and the instruction both point at a different class, that namesake is not
where the writer worked (lazy.structure with Writer.points_away). Shape from django's
expressions.py (SWE-bench dev, django-13449): the fix adds `Window.as_sqlite`, and the
mixin above already has an `as_sqlite`; the right outcome is a refusal (where the new
method goes is not said), never the mixin's method replaced."""

from __future__ import annotations

import pytest

from splice.apply import merge
from splice.core.errors import ApplyError

ORIGINAL = '''class SQLiteNumericMixin:
    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = self.as_sql(compiler, connection, **extra_context)
        return sql, params


class Window(Expression):
    template = "%(expression)s OVER (%(window)s)"

    def as_sql(self, compiler, connection, template=None):
        return self.template, []

    def __str__(self):
        return "window"
'''
EDIT = '''    # ... keep existing code ...
    def as_sqlite(self, compiler, connection):
        copy = self.copy()
        return super(Window, copy).as_sqlite(compiler, connection)
    # ... keep existing code ...
'''


def test_namesake_outside_the_evidence_is_not_replaced() -> None:
    with pytest.raises(ApplyError):
        merge(ORIGINAL, EDIT, path="expressions.py", instruction="Update `Window.as_sql`.",
              seen_lines=[(7, 14)])


def test_namesake_inside_the_evidence_is_replaced() -> None:
    out = merge(ORIGINAL, EDIT, path="expressions.py",
                instruction="Update `SQLiteNumericMixin.as_sqlite`.", seen_lines=[(1, 4)]).text
    assert "super(Window, copy)" in out and "**extra_context" not in out
