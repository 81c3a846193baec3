"""A new definition alone between markers says nothing of where it goes: the lines it
shares with the file belong to other definitions, so anchoring on them would splice it
into one of those. Refused (the issue's def-added-bare: must refuse)."""

from __future__ import annotations

import pytest

from splice.apply import merge
from splice.core.errors import NoMatch

TESTS = '''import pytest


def test_exclude_none(serializer):
    schema = build_schema(volume=True, area=True)
    serializer.load(schema, strict=True)
    model = make_model(3, 4)
    assert serializer.to_python(model, exclude_none=False) == {'width': 3, 'Area': 12}
    assert serializer.to_python(model, exclude_none=True) == {'width': 3}


def test_other():
    assert True
'''


def test_a_new_function_alone_between_markers_is_refused() -> None:
    # its closing asserts equal the tail of test_exclude_none: before, the merge anchored
    # on them and put the new test's head inside test_exclude_none
    edit = '''# ... existing code ...
def test_computed_fields_in_any_order(serializer):
    # issue 8691: the order of computed fields must not matter
    model = make_model(3, 4)
    assert serializer.to_python(model, exclude_none=False) == {'width': 3, 'Area': 12}
    assert serializer.to_python(model, exclude_none=True) == {'width': 3}
# ... existing code ...
'''
    with pytest.raises(NoMatch) as info:
        merge(TESTS, edit, path="tests/test_model.py")
    assert info.value.details["why"] == "no_anchor"
    assert "cut that definition in two" in str(info.value)


LOOKUPS = '''class Lookup:
    def get_group_by_cols(self, alias=None):
        cols = self.lhs.get_group_by_cols()
        return cols


class In(Lookup):
    lookup_name = 'in'

    def process_rhs(self, compiler, connection):
        return self.rhs
'''
METHOD = '''    # ... existing code ...
    def get_group_by_cols(self, alias=None):
        cols = self.lhs.get_group_by_cols()
        cols.append(self.rhs)
        return cols
    # ... existing code ...
'''


def test_a_method_whose_only_namesake_the_evidence_rules_out_is_refused() -> None:
    # the writer worked on `In` (lines 7-11); the only get_group_by_cols is Lookup's
    with pytest.raises(NoMatch, match="namesakes"):
        merge(LOOKUPS, METHOD, path="lookups.py", instruction="Update `In`.",
              seen_lines=[(7, 11)])


def test_a_definition_the_file_has_is_still_replaced() -> None:
    # without evidence against it, the namesake is the definition the segment rewrites
    result = merge(LOOKUPS, METHOD, path="lookups.py")
    assert result.text == LOOKUPS.replace("        return cols\n",
                                          "        cols.append(self.rhs)\n"
                                          "        return cols\n")


FIXTURE = '''class TestDisableValidators:
    @pytest.fixture(autouse=True)
    def reset_default(self):
        """
        Make sure validators are always enabled after a test.
        """
        yield
        _config._run_validators = True

    def test_default(self):
        assert _config._run_validators is True
'''


def test_a_renamed_definitions_head_still_merges() -> None:
    # the new name is not in the file, but the segment starts at the old header: the
    # definition renamed, the rest of its body kept by the marker
    edit = ('    # ... existing code ...\n'
            '    def _reset_default(self):\n'
            '        """\n'
            '        Make sure validators are always enabled after a test.\n'
            '        """\n'
            '    # ... existing code ...\n')
    result = merge(FIXTURE, edit, path="tests/test_validators.py")
    assert result.text == FIXTURE.replace("def reset_default", "def _reset_default")
