"""The module a report's title names (`inspectdb should generate related_name ...`) is shown
among the first five files, even when the body's words all point at other modules; a title
word many files hold, or a name many modules carry, names none (title_modules.py)."""

from __future__ import annotations

from pathlib import Path

from splice.search import SearchRequest, search
from splice.search.title_modules import FIRST_SLOTS, place_named

REPORT = """inspectdb should generate related_name on same relation links.
Description
Hi!
After models generation with inspectdb command we have issue with relations to same entities
module.Model.field1: (fields.E304) Reverse accessor for 'module.Model.field1' clashes with reverse accessor for 'module.Model.field2'.
HINT: Add or change a related_name argument to the definition for 'module.Model.field1' or 'module.Model.field2'.
*
Maybe we can autogenerate
related_name='attribute_name'
to all fields in model if related Model was used for this table
"""

RELATED = '''class ForeignObject:
    """A relation to another model; its reverse accessor is named by related_name."""

    def __init__(self, to, related_name=None):
        self.to, self.related_name = to, related_name

    def _check_clashes(self, errors):
        rel_name = self.related_name or self.name + "_set"
        for clash in self.reverse_accessors():
            if clash.related_name == rel_name:
                errors.append(
                    "Reverse accessor for '%s' clashes with reverse accessor for '%s'." % (self, clash))
                errors.append("Add or change a related_name argument to the definition "
                              "for '%s' or '%s'." % (self, clash))
        return errors
'''

LOOK_ALIKE = '''class Relation{i}:
    """A related model's reverse accessor: related_name, or the model's name."""

    def reverse_accessor(self, field, related_name=None):
        related_name = related_name or field.related_name
        if related_name is None:
            related_name = field.model.__name__.lower() + "_set"
        return related_name

    def clashes(self, other, related_name):
        return self.reverse_accessor(other) == related_name
'''

INSPECTDB = '''from proj.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Introspects the database tables and outputs a Django model module."

    def handle_inspection(self, connection, table_name):
        relations = connection.introspection.get_relations(table_name)
        for column, (ref_column, ref_table) in relations.items():
            rel_to = "self" if ref_table == table_name else ref_table
            yield "%s = models.ForeignKey(%r, models.DO_NOTHING)" % (column, rel_to)
'''

FILLER = '''def step_{i}(items, limit={i}):
    """Keep the first steps of a list."""
    return [item for item in items[:limit] if item is not None]
'''


def build(root: Path, filler: int = 45) -> None:
    """A repo where the body's words (related_name, reverse accessor, clashes) fill six
    modules besides the field that checks them, and `inspectdb` names one command module;
    `filler` modules of other code make the repo large enough to measure a word's rarity."""
    files = {"proj/db/models/fields/related.py": RELATED,
             "proj/core/management/commands/inspectdb.py": INSPECTDB,
             "proj/core/management/base.py": "class BaseCommand:\n    help = ''\n"}
    for i in range(6):
        files[f"proj/db/models/relations{i}.py"] = LOOK_ALIKE.format(i=i)
    for i in range(filler):
        files[f"proj/utils/steps{i}.py"] = FILLER.format(i=i)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


async def ranked_files(root: Path, report: str) -> list[str]:
    result = await search(SearchRequest(query=report, repo=str(root), max_tokens=4000))
    return list(dict.fromkeys(s.path for s in result.spans))


async def test_the_command_the_title_names_is_among_the_first_five(tmp_path: Path) -> None:
    build(tmp_path)
    files = await ranked_files(tmp_path, REPORT)
    assert "proj/core/management/commands/inspectdb.py" in files[:FIRST_SLOTS]
    # the files the body's words found keep the first places
    assert files[0] == "proj/db/models/fields/related.py"


async def test_the_same_name_in_the_body_only_moves_nothing(tmp_path: Path) -> None:
    # the title is the summary: a name the body mentions in passing is not the subject
    build(tmp_path)
    report = "Reverse accessors clash on same relation links.\n" + REPORT.split("\n", 1)[1]
    files = await ranked_files(tmp_path, report)
    assert "proj/core/management/commands/inspectdb.py" not in files[:FIRST_SLOTS]


async def test_a_title_word_many_files_hold_names_no_module(tmp_path: Path) -> None:
    # `steps` is in every filler module's text: an ordinary word of this repo, not a name
    build(tmp_path)
    (tmp_path / "proj/core/steps.py").write_text("def steps(n):\n    return list(range(n))\n")
    report = "Reverse accessor steps clash on same relation links.\n" + REPORT.split("\n", 1)[1]
    files = await ranked_files(tmp_path, report)
    assert "proj/core/steps.py" not in files[:FIRST_SLOTS]


def code(path: str) -> bool:
    return not path.startswith("tests/")


def test_the_named_module_takes_the_last_of_the_first_places() -> None:
    top = [f"f{i}.py" for i in range(8)]
    score = {p: 10.0 - i for i, p in enumerate(top)} | {"a/x.py": 0.0, "b/x.py": 1.0}
    placed = place_named(top, ["a/x.py", "b/x.py"], score, 8, code)
    assert placed[:FIRST_SLOTS] == ["f0.py", "f1.py", "f2.py", "f3.py", "b/x.py"]
    assert len(placed) == 8
    assert place_named(top, [], score, 8, code) == top


def test_a_named_module_already_among_the_first_places_leads() -> None:
    top = [f"f{i}.py" for i in range(8)]
    score = {p: 10.0 - i for i, p in enumerate(top)}
    assert place_named(top, ["f3.py"], score, 8, code) == \
        ["f3.py", "f0.py", "f1.py", "f2.py", "f4.py", "f5.py", "f6.py", "f7.py"]
    # of two shown, the better-scored leads
    assert place_named(top, ["f4.py", "f2.py"], score, 8, code)[:2] == ["f2.py", "f0.py"]


def test_tests_ranked_among_the_first_files_do_not_count_as_shown_first() -> None:
    # tests wait behind the code files: the 5th code file is shown 5th
    top = ["f0.py", "tests/t1.py", "f1.py", "f2.py", "f3.py", "x.py", "f4.py"]
    assert place_named(top, ["x.py"], {}, 7, code)[0] == "x.py"  # shown 5th: it leads
    top = ["f0.py", "tests/t1.py", "f1.py", "f2.py", "f3.py", "f4.py", "x.py"]
    assert place_named(top, ["x.py"], {}, 7, code) == \
        ["f0.py", "tests/t1.py", "f1.py", "f2.py", "f3.py", "x.py", "f4.py"]


def test_a_word_of_a_hyphenated_compound_names_nothing() -> None:
    from splice.search.title_modules import _NAME
    assert [m for m in _NAME.findall("Auto-reloader should pass -X options to mlab._helper")] == \
        ["should", "pass", "options", "to", "mlab", "_helper"]


FLOAT_REPORT = """Filter floatformat drops precision in decimal numbers
Description
I discovered that floatformat template filter may drop precision when used for Decimal numbers.
MWE:
from decimal import Decimal
from proj.conf import settings
from proj.template import Template, Context
settings.configure(TEMPLATES=TEMPLATES)
t = Template('{{ value|floatformat:20 }}')
c = Context({'value': Decimal('42.12345678901234567890')})
print(t.render(c)) #>>> 42.12345678901234400000
I traced the bug to incorrect conversion to Decimal within the floatformat implementation that can't really work for Decimal numbers. Decimal numbers are converted to float instead.
"""

FILTERS = '''from decimal import Decimal, InvalidOperation


def floatformat(text, arg=-1):
    """Display a float to a given number of decimal places."""
    try:
        d = Decimal(repr(float(text)))
    except InvalidOperation:
        return ""
    return str(round(d, int(arg)))


def upper(value):
    return value.upper()
'''

ENGINE = '''from decimal import Decimal
from proj.conf import settings


class Template{i}:
    """A template compiled with the configured settings; render() fills a Context."""

    def __init__(self, source, engine=None):
        self.source = source
        self.engine = engine or settings.configure(TEMPLATES=settings.TEMPLATES)

    def render(self, context):
        values = {{k: Decimal(v) if isinstance(v, float) else v for k, v in context.items()}}
        return self.source.format(**values)


class Context{i}(dict):
    def render(self, template):
        return template.render(self)
'''


async def test_a_function_the_title_names_brings_its_module(tmp_path: Path) -> None:
    # six template engines hold the script's names; only one module defines `floatformat`
    build(tmp_path)
    (tmp_path / "proj/template").mkdir(parents=True)
    (tmp_path / "proj/template/defaultfilters.py").write_text(FILTERS)
    for i in range(6):
        (tmp_path / f"proj/template/engine{i}.py").write_text(ENGINE.format(i=i))
    files = await ranked_files(tmp_path, FLOAT_REPORT)
    assert "proj/template/defaultfilters.py" in files[:FIRST_SLOTS]


async def test_a_title_module_the_body_ranks_among_the_first_five_leads(tmp_path: Path) -> None:
    # the body's words rank the command module 2nd-5th behind the field code; the title
    # names it: it leads (the rule off leaves related.py first)
    build(tmp_path)
    (tmp_path / "proj/core/management/commands/inspectdb.py").write_text(
        INSPECTDB + "\n\ndef related_name_for(column, relations):\n"
        "    # a reverse accessor clashes when two columns point at the same table\n"
        "    return 'related_name=%r' % (column + '_set') if relations.count(column) > 1 else ''\n")
    files = await ranked_files(tmp_path, REPORT)
    assert files[0] == "proj/core/management/commands/inspectdb.py"


async def test_a_standard_library_module_the_title_names_is_not_the_projects(
        tmp_path: Path) -> None:
    # `inspect.signature()` is Python's inspect; the project's utils/inspect.py is a helper
    build(tmp_path)
    (tmp_path / "proj/utils/inspect.py").write_text(
        "def func_accepts_kwargs(func, table):\n"
        "    # the related_name of the table a model was generated from\n"
        "    return bool(getattr(func, 'kwargs', table))\n")
    report = ("inspect.signature() returns incorrect signature on same relation links.\n"
              + REPORT.split("\n", 1)[1])
    files = await ranked_files(tmp_path, report)
    assert "proj/utils/inspect.py" not in files[:FIRST_SLOTS]
