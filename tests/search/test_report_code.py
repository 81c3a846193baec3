"""Rules for the code a bug report pastes: a method called on a new instance names that
class's method, import lines are weak evidence of where a fix goes, and numbered schema
migrations rank below the code that writes them."""

from __future__ import annotations

from pathlib import Path

from splice.search import SearchRequest, search
from splice.search.imports import import_lines
from splice.search.index import forget_memory
from splice.search.priors import MIGRATION_PRIOR, prior
from splice.search.terms import extract_terms

# Two classes with a method of the same name: the report calls Q's.
QUERY_UTILS = '''class Q:
    """A filter node."""

    def __init__(self, *args, **kwargs):
        self.children = list(args) + sorted(kwargs.items())

    def deconstruct(self):
        if len(self.children) == 1:
            child = self.children[0]
            kwargs = {child[0]: child[1]}
            return (), kwargs
        return tuple(self.children), {}
'''

FIELDS = '''class Field:
    """A column: deconstruct gives the arguments to rebuild it."""

    def deconstruct(self):
        keywords = {"deconstruct": True, "name": self.name}
        return self.name, keywords

    def clone(self):
        name, kwargs = self.deconstruct()
        return type(self)(**kwargs)

    def __copy__(self):
        # deconstruct, then rebuild: deconstruct must give every keyword
        return self.clone()
'''

REPORT = '''Combining with boolean expressions crashes on deconstruct.

>>> Q(Exists(x)).deconstruct()
'''


def test_a_method_called_on_a_new_instance_is_read_as_class_dot_method() -> None:
    terms = {t.text: t for t in extract_terms(
        "```\nQ(x=1).deconstruct()\nFigure(figsize=(3, 4)).add_axes(rect)\nq.deconstruct()\n```"
    ).terms}
    assert terms["Q.deconstruct"].kind == "dotted"
    assert terms["Q.deconstruct"].names == ["deconstruct"]
    assert "Figure.add_axes" in terms  # one level of nested parentheses in the arguments
    assert not any(t.startswith("q.") for t in terms)  # a lowercase variable names no class


async def test_the_instance_call_points_at_that_class_method(tmp_path: Path) -> None:
    pkg = tmp_path / "shop" / "models"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("from .query_utils import Q\nfrom .fields import Field\n")
    (pkg / "query_utils.py").write_text(QUERY_UTILS)
    (pkg / "fields.py").write_text(FIELDS)
    forget_memory(tmp_path)
    result = await search(SearchRequest(query=REPORT, repo=str(tmp_path), max_tokens=4000,
                                        planner="deterministic"))
    assert result.spans[0].path == "shop/models/query_utils.py"
    assert "kwargs = {child[0]: child[1]}" in result.texts[0]


def test_import_lines_cover_parenthesised_imports_only() -> None:
    text = ("import os\nfrom a.b import (\n    c,\n    d,\n)\n\nx = 'from a import b'\n"
            "def f():\n    import json\n    return json\n")
    assert import_lines(text) == {1, 2, 3, 4, 5, 9}


async def test_a_block_of_imports_yields_to_the_code_that_uses_the_names(tmp_path: Path) -> None:
    # The report imports three names; the module imports them too, at its top. The region
    # that does the work the report describes must come first, not the import block.
    (tmp_path / "app").mkdir()
    body = ("from app.parsing import parse_header, split_fields, decode_value\n"
            "from app.text import normalise\n\n\n"
            + "".join(f"def helper_{k}(v):\n    return v + {k}\n\n\n" for k in range(12))
            + "def read_record(raw):\n    fields = split_fields(raw)\n"
            "    if not fields:\n        raise ValueError('empty record header')\n"
            "    return decode_value(fields[0])\n")
    (tmp_path / "app" / "records.py").write_text(body)
    (tmp_path / "app" / "parsing.py").write_text(
        "def parse_header(x):\n    return x\n\n\ndef split_fields(x):\n    return x.split()\n\n\n"
        "def decode_value(x):\n    return x\n")
    (tmp_path / "app" / "text.py").write_text("def normalise(x):\n    return x\n")
    forget_memory(tmp_path)
    query = ("read_record raises ValueError: empty record header\n\n```python\n"
             "from app.parsing import parse_header, split_fields, decode_value\n"
             "read_record(b'')\n```\n")
    result = await search(SearchRequest(query=query, repo=str(tmp_path), max_tokens=4000,
                                        planner="deterministic"))
    shown = [(s.path, s.start_line) for s in result.spans]
    records = [start for path, start in shown if path == "app/records.py"]
    assert records and records[0] > 2, shown  # its first region is read_record, not line 1


def test_numbered_migrations_rank_below_code() -> None:
    for generated, own in [("django/contrib/auth/migrations/0001_initial.py",
                            "django/contrib/auth/models.py"),
                           ("alembic/versions/0042_add_user.py", "alembic/operations.py")]:
        assert prior(generated) == MIGRATION_PRIOR * prior(own)
    # the code that writes migrations is not one
    assert prior("django/db/migrations/autodetector.py") == 1.0
    assert prior("django/db/migrations/operations/models.py") == 1.0


def test_a_module_a_repro_imports_from_weighs_less_than_the_names_it_imports() -> None:
    terms = {t.text: t for t in extract_terms(
        "It crashes:\n```python\nfrom django.contrib.auth import get_user_model\n"
        "import numpy.linalg\nget_user_model().objects.filter(name='x')\n```").terms}
    assert terms["django.contrib.auth"].weight < terms["get_user_model"].weight
    assert terms["numpy.linalg"].weight == terms["django.contrib.auth"].weight
    # written in the prose, the same dotted name is the reporter's pointer: full weight
    prose = {t.text: t for t in extract_terms(
        "The check in django.contrib.auth is wrong.").terms}
    assert prose["django.contrib.auth"].weight > terms["django.contrib.auth"].weight


async def test_a_late_hit_in_a_long_function_is_shown(tmp_path: Path) -> None:
    # build_feed is 100 lines long with the word `item` every few lines; the report's
    # distinctive call, feed.add_item, is near its end. Hits run without gaps from top to
    # bottom: the window must not keep only the first 60 lines.
    body = ["def build_feed(items):", "    feed = Feed()"]
    for k in range(24):
        body += [f"    item_{k} = items[{k}]", f"    check(item_{k})", "    log('x')",
                 "    pass"]
    body += ["    for item in items:", "        feed.add_item(title=item.title, link=item.link)",
             "    return feed", ""]
    (tmp_path / "views.py").write_text("\n".join(body) + "\n")
    forget_memory(tmp_path)
    call = next(i for i, line in enumerate(body, 1) if "feed.add_item(" in line)
    result = await search(SearchRequest(
        query="Add a comments argument to feed.add_item() for each item",
        repo=str(tmp_path), max_tokens=600, planner="deterministic"))
    assert any(s.start_line <= call <= s.end_line for s in result.spans), \
        [(s.start_line, s.end_line) for s in result.spans]


def test_a_capitalised_name_called_in_prose_is_a_class() -> None:
    terms = {t.text: t for t in extract_terms(
        "Fixed regression in Word(min), and SkipTo(expr, ignore=x) skips too far. "
        "Tested on Python (3.11).").terms}
    assert terms["Word"].kind == "identifier"
    assert terms["SkipTo"].kind == "identifier"
    assert "Python" not in terms  # a space before the parenthesis: prose


async def test_a_report_pasted_with_crlf_ends_is_read_as_with_lf(tmp_path: Path) -> None:
    # GitHub issues arrive with CRLF line ends; the fenced repro must still read as code
    # (`Q(...).deconstruct()` names Q's method, not Field's), and the answer must not change.
    pkg = tmp_path / "shop" / "models"
    pkg.mkdir(parents=True)
    (pkg / "query_utils.py").write_text(QUERY_UTILS)
    (pkg / "fields.py").write_text(FIELDS)
    forget_memory(tmp_path)
    lf = "Combining Q objects crashes.\n\n```python\nQ(Exists(x)).deconstruct()\n```\n"
    crlf = lf.replace("\n", "\r\n")
    assert SearchRequest(query=crlf).query == lf
    answers = []
    for query in (lf, crlf):
        result = await search(SearchRequest(query=query, repo=str(tmp_path), max_tokens=4000,
                                            planner="deterministic"))
        answers.append([(s.path, s.start_line, s.end_line) for s in result.spans])
    assert answers[0][0][0] == "shop/models/query_utils.py"
    assert answers[1] == answers[0]
