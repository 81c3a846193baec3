"""Evidence that settles close calls between placements of a lazy segment (lazy.evidence),
each rule with a case it settles and one it must still refuse. Shapes come from real
version-pair diffs where the engine refused (or, for the short anchor, merged wrongly)."""

from __future__ import annotations

import pytest

from splice.apply import merge
from splice.apply.formats.lazy.evidence import (
    AttachedLines,
    LineWords,
    UniqueLines,
    definition_name,
    lost_definitions,
    new_definitions,
)
from splice.core.errors import AmbiguousMatch

# httpx _auth.py shape: every class has a docstring, a blank line and `def auth_flow`, so
# a segment anchored on those lines fits three classes.
AUTH = '''class Auth:
    """
    Base class.
    """

    requires_body = False
    requires_response = False

    def auth_flow(self, request):
        yield request


class FunctionAuth:
    """
    Calls a function.
    """

    def __init__(self, func):
        self._func = func

    def auth_flow(self, request):
        yield self._func(request)


class NetRCAuth:
    """
    Reads a netrc file.
    """

    def __init__(self, file=None):
        self._netrc_info = netrc.netrc(file)

    def auth_flow(self, request):
        yield request


class DigestAuth:
    _ALGORITHMS = {"MD5": 1}

    def __init__(self, username, password):
        self._username = username
'''


def test_unique_lines_place_a_segment_whose_anchors_repeat() -> None:
    # `def __init__(self, file=None):` and the netrc line stand once in the file, inside
    # NetRCAuth; the other classes would get a second copy of them
    edit = '''# ... existing code ...
    """

    def __init__(self, file=None):
        # Lazily import 'netrc'.
        import netrc

        self._netrc_info = netrc.netrc(file)

    def auth_flow(self, request):
# ... existing code ...
'''
    result = merge(AUTH, edit, path="auth.py")
    assert result.text == AUTH.replace(
        "    def __init__(self, file=None):\n",
        "    def __init__(self, file=None):\n        # Lazily import 'netrc'.\n"
        "        import netrc\n\n")


def test_repeated_anchors_without_unique_lines_are_refused() -> None:
    # the same anchors around lines found nowhere in the file: any class could be meant
    edit = '''# ... existing code ...
    """

    def __init__(self):
        self.ready = True

    def auth_flow(self, request):
# ... existing code ...
'''
    with pytest.raises(AmbiguousMatch):
        merge(AUTH, edit, path="auth.py")


def test_unique_lines_settle_nothing_when_each_place_holds_some() -> None:
    unique = UniqueLines({"only here": [3], "only there": [9], "twice": [1, 5]},
                         ["only here", "only there", "twice"])
    assert unique.positions == {3, 9}
    assert unique.outweighs((0, 5), (6, 8))  # the rival holds none of them
    assert not unique.outweighs((0, 5), (6, 12))  # each holds one the other lacks
    assert not unique.outweighs((0, 12), (0, 12))


# attrs tests/attr_import_star.py shape: the segment starts and ends with blank lines,
# which fit around any line; its one changed line is an edit of line 4.
STAR = """# SPDX-License-Identifier: MIT


from attr import *  # noqa: F401, F403


# This is imported by test_import::test_from_attr_import_star; this must
# be done indirectly because importing * is only allowed on module level,
# so can't be done inside a test.
"""


def test_changed_line_is_placed_over_the_line_it_edits() -> None:
    edit = """# ... existing code ...


from attr import *  # noqa: F403


# ... existing code ...
"""
    result = merge(STAR, edit, path="attr_import_star.py")
    assert result.text == STAR.replace("# noqa: F401, F403", "# noqa: F403")


def test_new_line_between_blank_anchors_is_refused() -> None:
    # a line that is no edit of any file line: which blank stretch it goes to is a guess
    edit = """# ... existing code ...


import os


# ... existing code ...
"""
    with pytest.raises(AmbiguousMatch):
        merge(STAR, edit, path="attr_import_star.py")


def test_edited_origin_needs_one_clear_resemblance() -> None:
    words = LineWords(["x = compute(alpha, beta)", "y = compute(alpha, gamma)",
                       "return total_of(items)"])
    assert words.edited_origin("return total_of(all_items)") == 2
    # as like one line as the other: no origin
    assert words.edited_origin("z = compute(alpha, delta)") is None
    assert words.edited_origin("unrelated text here") is None


# attrs validators.py shape: two classes end with `__repr__` then `__eq__`, so a segment
# anchored on those lines fits both; the cheaper rewrite is the one-line `__repr__`.
VALIDATORS = """class InValidator:
    def __call__(self, inst, attr, value):
        if value not in self.options:
            raise ValueError(
                value,
            )

    def __repr__(self):
        return "<in_ validator with options {options!r}>".format(
            options=self.options
        )

    def __eq__(self, other):
        return self is other


class CallableValidator:
    def __call__(self, inst, attr, value):
        if not callable(value):
            raise TypeError(
                value,
            )

    def __repr__(self):
        return "<is_callable validator>"

    def __eq__(self, other):
        return self is other
"""


def _repr_edit(line: str) -> str:
    return f"""# ... existing code ...
            )

    def __repr__(self):
        {line}

    def __eq__(self, other):
# ... existing code ...
"""


def test_close_rival_holding_the_changed_line_origin_is_chosen() -> None:
    # the new f-string is an edit of InValidator's `.format(` line: that placement costs
    # a little more than rewriting CallableValidator's repr, but only it holds the line
    # the change edits
    line = 'return f"<in_ validator with options {self.options!r}>"'
    result = merge(VALIDATORS, _repr_edit(line), path="validators.py")
    assert result.text == VALIDATORS.replace(
        """        return "<in_ validator with options {options!r}>".format(
            options=self.options
        )""", f"        {line}")


def test_close_rivals_without_evidence_either_way_are_refused() -> None:
    with pytest.raises(AmbiguousMatch):
        merge(VALIDATORS, _repr_edit("return repr(self.__dict__)"), path="validators.py")


# pydantic-core tests/benchmarks shape: every test has the same decorator pattern.
BENCH = """@pytest.mark.benchmark(group='list')
def test_list(benchmark):
    v = SchemaValidator(core_schema.list_schema())

    benchmark(v.validate_python, [1, 2])


@pytest.mark.benchmark(group='strict_int')
def test_strict_int(benchmark):
    v = SchemaValidator(core_schema.int_schema(strict=True))

    benchmark(v.validate_python, 42)


@pytest.mark.benchmark(group='int_range')
def test_int_range(benchmark):
    v = SchemaValidator(core_schema.int_schema(gt=0, lt=100))

    assert v.validate_python(42) == 42

    benchmark(v.validate_python, 42)


@pytest.mark.benchmark(group='int_range')
def test_int_range_json(benchmark):
    v = SchemaValidator(core_schema.int_schema(gt=0, lt=100))

    benchmark(v.validate_json, '42')
"""


def test_segment_that_would_rename_a_definition_is_refused() -> None:
    # a new test added after test_strict_int, with one context line on each side: its
    # lines resemble test_strict_int's, so the cheapest reading rewrites (renames)
    # test_strict_int instead of adding a test. Merged, that silently lost a test.
    edit = """# ... existing code ...

@pytest.mark.benchmark(group='strict_int')
def test_strict_int_fails(benchmark):
    v = SchemaValidator(core_schema.int_schema(strict=True))

    @benchmark
    def t():
        try:
            v.validate_python(())
        except ValidationError:
            pass


@pytest.mark.benchmark(group='int_range')
# ... existing code ...
"""
    with pytest.raises(AmbiguousMatch) as info:
        merge(BENCH, edit, path="test_micro.py")
    assert info.value.details["joint"] == "drops_definition"


def test_definition_helpers() -> None:
    assert definition_name("    def run(self):") == "run"
    assert definition_name("pub(crate) fn parse<'a>(x: &str) {") == "parse"
    assert definition_name("export async function load() {") == "load"
    assert definition_name("return value") is None
    keys = ["def old_name():", "    return 1", "def kept():", "    return kept()"]
    assert lost_definitions(keys, 0, 4, ["def new_name():", "    return kept()"]) == [0]
    assert new_definitions(keys, ["def new_name():", "def kept():"]) == ["new_name"]


# commander lib/argument.js shape: every method has a JSDoc ending the same two lines.
ARGUMENT = """class Argument {
  /**
   * Return argument name.
   *
   * @return {string}
   */

  name() {
    return this._name;
  }

  /**
   * Set the default value, and optionally supply the description.
   *
   * @param {any} value
   * @param {string} [description]
   * @return {Argument}
   */

  default(value, description) {
    this.defaultValue = value;
    this.defaultValueDescription = description;
    return this;
  }

  /**
   * Set the custom handler for processing CLI command arguments.
   *
   * @param {Function} [fn]
   * @return {Argument}
   */

  argParser(fn) {
    this.parseArg = fn;
    return this;
  }
}
"""


def test_deletion_reading_that_would_orphan_a_doc_comment_is_no_reading() -> None:
    # the closing lines of the JSDoc repeat at argParser's; reading the edit as also
    # deleting default() and the head of argParser's JSDoc would leave default()'s doc
    # comment on argParser: no edit means that, so the nearest reading stands
    edit = """// ... existing code ...
  /**
   * Set the default value, and optionally supply the description.
   *
   * @param {*} value
   * @param {string} [description]
   * @return {Argument}
   */
// ... existing code ...
"""
    result = merge(ARGUMENT, edit, path="argument.js")
    assert result.text == ARGUMENT.replace("@param {any} value", "@param {*} value")


def test_attached_lines_follow_the_grammar() -> None:
    lines = ARGUMENT.splitlines()
    attached = AttachedLines(lines, "argument.js")
    assert attached(1) and attached(2)  # `/**` and a line inside the doc comment
    assert not attached(7)  # `name() {`
    # deleting a method's body but not its doc comment parts them
    assert attached.detaches(7, 10)
    # the doc comment and its method together are whole
    assert not attached.detaches(10, 24)
    python = AttachedLines(["@decorator", "def f():", "    pass"], "m.py")
    assert python(0) and not python(1)


# pydantic-core tests/serializers/test_list_tuple.py shape: an item appended to a list of
# calls that all end with the same `),` line.
ITEMS = """def test_function_positional_tuple():
    s = SchemaSerializer(
        {
            'type': 'tuple-positional',
            'items_schema': [
                core_schema.any_schema(
                    serialization=plain(partial(f, 'a'), info_arg=True)
                ),
                core_schema.any_schema(
                    serialization=plain(partial(f, 'b'), info_arg=True)
                ),
            ],
            'extras_schema': core_schema.any_schema(
                serialization=plain(partial(f, 'extra'), info_arg=True)
            ),
        }
    )
"""


def test_short_anchor_that_repeats_the_changed_pattern_is_refused() -> None:
    # one context line (`),`) fits after item 'a' and after item 'b'; anchored after 'a'
    # the next line matches too (a two-line run), but that reading rewrites item 'b'
    # instead of appending a third item. Merging it silently deleted item 'b'.
    edit = """# ... existing code ...
                ),
                core_schema.any_schema(
                    serialization=plain(partial(f, 'extra'), info_arg=True)
                ),
            ],
            'variadic_item_index': 2,
        }
# ... existing code ...
"""
    with pytest.raises(AmbiguousMatch):
        merge(ITEMS, edit, path="test_list_tuple.py")
