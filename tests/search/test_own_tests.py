"""A bug report's test names are its own: the repro's `def test_x`, a run's `FAIL: test_x`,
the test a traceback ran in, a test method called on a class the report defines. They say
what failed, not that the asker wants the project's tests: the test penalty stays."""

from __future__ import annotations

from splice.search.priors import prior, wants_tests
from splice.search.terms import extract_terms

# Shaped like django-12273 (a Trac ticket: code pasted without a fence, tabs).
REPRO = """Resetting primary key for a child model doesn't work.
Description
\t
In the attached example code setting the primary key to None does not work.
class Item(models.Model):
\tuid = models.AutoField(primary_key=True, editable=False)
\tf = models.BooleanField(default=False)
\tdef reset(self):
\t\tself.uid = None
\t\tself.f = False
class SaveTestCase(TestCase):
\tdef setUp(self):
\t\tself.derived = Derived.objects.create(f=True)
\t\tobj1 = Item.objects.get(pk=self.derived.pk)
\t\tobj1.reset()
\t\tobj1.save() # the first object is overwritten
\tdef test_f_true(self):
\t\tobj = Item.objects.get(pk=self.derived.pk)
\t\tself.assertTrue(obj.f)
"""

# Shaped like django-14349: a test run's verdict and the traceback of the failing test.
RUN = """URLValidator tests failing on Python versions patched for bpo-43882
Description
\t
On Python versions with a fix for bpo-43882 the following tests fail:
======================================================================
FAIL: test_validators (validators.tests.TestValidators) [URLValidator] (value='http://www.djangoproject.com/\\n')
----------------------------------------------------------------------
Traceback (most recent call last):
 File "/usr/lib/python3.7/unittest/case.py", line 59, in testPartExecutor
\tyield
 File "/work/Django-3.2.1/tests/validators/tests.py", line 328, in test_validators
\tvalidator(value)
 File "/usr/lib/python3.7/unittest/case.py", line 135, in _raiseFailure
\traise self.test_case.failureException(msg)
AssertionError: ValidationError not raised
"""

# Shaped like django-14787: the test method is called on the report's own class.
CALLED = """method_decorator() should preserve wrapper assignments
Description
\t
def logger(func):
\t@wraps(func)
\tdef inner(*args, **kwargs):
\t\treturn func(*args, **kwargs)
\treturn inner
class Test:
\t@method_decorator(logger)
\tdef test_method(self):
\t\treturn "hello"
Test().test_method()
This results in AttributeError: 'functools.partial' object has no attribute '__name__'
"""

# Asking about one of the project's tests, by name, in a sentence.
ASKED = "test_huge_range_log in test_image fails on CI with a ValueError from LogNorm"


def _wants(query: str) -> bool:
    got = extract_terms(query)
    return wants_tests(got.terms, got.paths, frozenset(got.own_tests))


def test_a_reports_own_tests_keep_the_penalty() -> None:
    assert {"test_f_true"} <= set(extract_terms(REPRO).own_tests)
    assert {"test_validators", "test_case"} <= set(extract_terms(RUN).own_tests)
    assert "test_method" in extract_terms(CALLED).own_tests
    for report in (REPRO, RUN, CALLED):
        assert not _wants(report)
        got = extract_terms(report)
        assert wants_tests(got.terms, got.paths)  # what the names alone would have said
    assert prior("tests/validators/tests.py", _wants(RUN)) < prior("django/core/validators.py")


def test_a_test_asked_about_by_name_lifts_it() -> None:
    assert extract_terms(ASKED).own_tests == []
    assert _wants(ASKED)


def test_a_verdict_lines_test_label_is_not_searched() -> None:
    # `FAIL: test_validators (validators.tests.TestValidators) [URLValidator] (...)`: the
    # test and its class say which test noticed; the subtest's validator is the lead
    terms = {t.text for t in extract_terms(RUN).terms}
    assert not {"TestValidators", "validators.tests.TestValidators"} & terms
    assert "URLValidator" in terms
    assert "test_validators" in extract_terms(RUN).own_tests
