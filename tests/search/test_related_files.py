"""A fix that spans files: the namesake a found region's function hands its work to, defined
in one other file that holds few of the report's words, is shown among the first five files
(related.py)."""

from __future__ import annotations

from pathlib import Path

from splice.search import SearchRequest, search
from splice.search.related import namesakes, words_of

LOOKUPS = '''from db.models.expressions import Func


class Lookup:
    lookup_name = None

    def __init__(self, lhs, rhs):
        self.lhs, self.rhs = lhs, rhs

    def process_lhs(self, compiler, connection):
        return compiler.compile(self.lhs)


class YearLookup(Lookup):
    def year_lookup_bounds(self, connection, year):
        output_field = self.lhs.lhs.output_field
        if isinstance(output_field, DateTimeField):
            bounds = connection.ops.year_lookup_bounds_for_datetime_field(year)
        else:
            bounds = connection.ops.year_lookup_bounds_for_date_field(year)
        return bounds

    def as_sql(self, compiler, connection):
        # Avoid the extract operation if the rhs is a direct value to allow
        # indexes to be used.
        if self.rhs_is_direct_value():
            # Skip the extract part by directly using the originating field,
            # that is self.lhs.lhs.
            lhs_sql, params = self.process_lhs(compiler, connection, self.lhs.lhs)
            rhs_sql, _ = self.process_rhs(compiler, connection)
            rhs_sql = self.get_direct_rhs_sql(connection, rhs_sql)
            start, finish = self.year_lookup_bounds(connection, self.rhs)
            params.extend(self.get_bound_params(start, finish))
            return '%s %s' % (lhs_sql, rhs_sql), params
        return super().as_sql(compiler, connection)


class YearExact(YearLookup):
    def get_direct_rhs_sql(self, connection, rhs):
        return 'BETWEEN %s AND %s'
'''

OPERATIONS = '''import datetime


class BaseDatabaseOperations:
    """What every database backend must say the same way."""

    def adapt_datefield_value(self, value):
        return str(value) if value is not None else None

    def year_lookup_bounds_for_date_field(self, value):
        first = datetime.date(value, 1, 1)
        second = datetime.date(value, 12, 31)
        first = self.adapt_datefield_value(first)
        second = self.adapt_datefield_value(second)
        return [first, second]

    def year_lookup_bounds_for_datetime_field(self, value):
        first = datetime.datetime(value, 1, 1)
        second = datetime.datetime(value, 12, 31, 23, 59, 59, 999999)
        return [str(first), str(second)]
'''

DATETIME = '''from db.models.lookups import Transform


class Extract(Transform):
    lookup_name = None

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.lhs)
        return connection.ops.date_extract_sql(self.lookup_name, sql), params


class ExtractYear(Extract):
    lookup_name = 'year'


class ExtractIsoYear(Extract):
    """Return the ISO-8601 week-numbering year."""
    lookup_name = 'iso_year'


ExtractYear.register_lookup(YearExact)
ExtractIsoYear.register_lookup(YearExact)
'''

QUERY = '''class QuerySet:
    def filter(self, *args, **kwargs):
        """Return a new QuerySet instance with the args ANDed to the existing set:
        a lookup such as start_date__iso_year=2020 becomes a filter on the query."""
        return self._filter_or_exclude(False, args, kwargs)

    def annotate(self, *args, **kwargs):
        """Return a query set in which the returned objects have been annotated, e.g.
        with ExtractIsoYear('start_date'), and can be filtered on the annotation."""
        return self._annotate(args, kwargs)

    def _annotate(self, args, kwargs):
        for alias, annotation in kwargs.items():
            self.query.add_annotation(annotation, alias)
        return self
'''

SQL_QUERY = '''class Query:
    def add_annotation(self, annotation, alias):
        """Add a single annotation expression to the query: an extracted iso_year
        lookup of start_date is selected as its alias."""
        self.annotations[alias] = annotation.resolve_expression(self)

    def build_lookup(self, lookups, lhs, rhs):
        """Try to extract transforms and lookup from given lhs: the last name is the
        lookup (iso_year, year, exact), applied as a filter on the annotation."""
        *transforms, lookup_name = lookups or ['exact']
        lookup_class = lhs.get_lookup(lookup_name)
        return lookup_class(lhs, rhs)
'''

EXPRESSIONS = '''class Func:
    """An SQL function call: EXTRACT of a date, an annotation or a lookup's left side."""

    def resolve_expression(self, query=None, allow_joins=True, reuse=None):
        """Resolve the annotation (ExtractIsoYear('start_date')) for use in a filter."""
        c = self.copy()
        c.source_expressions = [e.resolve_expression(query) for e in self.source_expressions]
        return c
'''

QUERY_UTILS = '''class RegisterLookupMixin:
    """Transforms register lookups: ExtractIsoYear registers YearExact for iso_year, and
    each annotation or filter finds its lookup here."""

    def get_lookup(self, lookup_name):
        found = self._lookups().get(lookup_name)
        return found

    @classmethod
    def register_lookup(cls, lookup, lookup_name=None):
        """Register a lookup (the year lookups of ExtractYear and ExtractIsoYear)."""
        cls.class_lookups[lookup_name or lookup.lookup_name] = lookup
        return lookup
'''

TESTS = '''class DateFunctionTests:
    def test_extract_iso_year_func(self):
        start_date = datetime(2015, 6, 15)
        qs = DTModel.objects.annotate(extracted=ExtractIsoYear('start_date'))
        self.assertEqual(qs.filter(start_date__iso_year=2015).count(), 1)

    def test_extract_iso_year_func_boundaries(self):
        qs = DTModel.objects.annotate(extracted=ExtractIsoYear('start_date'))
        qs = qs.filter(extracted=2015).order_by('start_date')
        self.assertSequenceEqual(qs, [])
'''

REPORT = """Query optimization in YearLookup breaks filtering by "__iso_year"

Description

The optimization to use BETWEEN instead of the EXTRACT operation in YearLookup is also
registered for the "__iso_year" lookup, which breaks the functionality provided by
ExtractIsoYear when used via the lookup.

This has unfortunately been broken ever since ExtractIsoYear was introduced. The annotation
works, but filtering by it uses BETWEEN with the calendar year's dates:

    qs = DTModel.objects.filter(extracted=2020)
    # explicit annotation used in filter does not use "extracted" and adds BETWEEN
    qs = DTModel.objects.annotate(extracted=ExtractIsoYear('start_date')).filter(extracted=2020)
    # implicit lookup uses BETWEEN
    DTModel.objects.filter(start_date__iso_year=2020).only('id')

The bounds of the lookup should be those of the ISO year, not of the calendar year.
"""


def _repo(root: Path) -> None:
    files = {
        "db/models/lookups.py": LOOKUPS,
        "db/backends/base/operations.py": OPERATIONS,
        "db/models/functions/datetime.py": DATETIME,
        "db/models/query.py": QUERY,
        "db/models/sql/query.py": SQL_QUERY,
        "db/models/expressions.py": EXPRESSIONS,
        "db/models/query_utils.py": QUERY_UTILS,
        "tests/db_functions/test_extract.py": TESTS,
        "docs/ref/models/lookups.txt": "iso_year lookup: filter on ExtractIsoYear of start_date,"
                                       " an annotation of the query\\n" * 3,
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


def test_namesakes_share_two_words_of_their_names() -> None:
    assert words_of("year_lookup_bounds_for_date_field") == {"year", "lookup", "bounds", "for",
                                                             "date", "field"}
    assert words_of("YearLookup") == {"year", "lookup"}
    assert namesakes("year_lookup_bounds", "year_lookup_bounds_for_date_field")
    assert namesakes("get_valid_name", "get_valid_filename")
    # one shared word is chance: a getter calling another getter
    assert not namesakes("get_queryset", "get_app_config")
    assert not namesakes("as_sql", "compile")


async def test_the_file_defining_what_the_found_region_calls_is_in_the_first_five(
        tmp_path: Path) -> None:
    _repo(tmp_path)
    result = await search(SearchRequest(query=REPORT, repo=str(tmp_path), max_tokens=4000))
    files = list(dict.fromkeys(s.path for s in result.spans))
    assert "db/models/lookups.py" in files[:3]
    assert "db/backends/base/operations.py" in files[:5]
    # shown at its callee, the method the fix changes
    ops = [s for s in result.spans if s.path == "db/backends/base/operations.py"]
    line = OPERATIONS.splitlines().index("    def year_lookup_bounds_for_date_field(self, value):") + 1
    assert any(s.start_line <= line <= s.end_line for s in ops)
