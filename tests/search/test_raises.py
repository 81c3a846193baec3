"""The code that raises what a report quotes: a message declared under a key
(`'invalid_choice': _('Select a valid choice. ...')`) and raised by that key in the same
class (`raise ValidationError(self.error_messages['invalid_choice'], ...)`)."""

from __future__ import annotations

from pathlib import Path

from splice.search import SearchRequest, search
from splice.search.raises import message_keys, raise_sites
from splice.search.symbols import Definition

FILLER = "".join(f"""
    def label_{i}(self, obj):
        # the label a choice field shows for one object of its queryset
        return str(obj)
""" for i in range(12))

MODELS = '''from forms.exceptions import ValidationError


class ModelChoiceField:
    """A choice field whose choices are a model queryset."""
    default_error_messages = {
        'invalid_choice': 'Select a valid choice. That choice is not one of the available choices.',
        'required': 'This field is required.',
    }

    def __init__(self, queryset, empty_label="---------", to_field_name=None):
        self.queryset = queryset
        self.empty_label = empty_label
        self.to_field_name = to_field_name
''' + FILLER + '''
    def validate(self, value):
        if value is None:
            raise ValidationError(self.error_messages['required'], code='required')

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            key = self.to_field_name or 'pk'
            value = self.queryset.get(**{key: value})
        except (ValueError, TypeError, self.queryset.model.DoesNotExist):
            raise ValidationError(self.error_messages['invalid_choice'], code='invalid_choice')
        return value


class ModelMultipleChoiceField(ModelChoiceField):
    """A multiple choice field whose choices are a model queryset."""
    default_error_messages = {
        'invalid_list': 'Enter a list of values.',
    }

    def clean(self, value):
        if not isinstance(value, (list, tuple)):
            raise ValidationError(self.error_messages['invalid_list'], code='invalid_list')
        return [self.to_python(v) for v in value]
'''

REPORT = """ModelChoiceField does not provide value of invalid choice when raising ValidationError
Description
Compared with ChoiceField and others, ModelChoiceField does not show the value of the invalid
choice when raising a validation error. The message it gives is
"Select a valid choice. That choice is not one of the available choices." without the value;
passing the invalid value in and showing it in the message should fix this.
"""


def _line(text: str) -> int:
    return MODELS.splitlines().index(text) + 1


RAISE = "            raise ValidationError(self.error_messages['invalid_choice'], code='invalid_choice')"


def test_a_message_declared_under_a_key_points_at_the_raise_of_that_key() -> None:
    lines = MODELS.splitlines()
    owner = Definition(name="ModelChoiceField", kind="class", start_line=4,
                       end_line=_line("        return value"))
    phrase = "select a valid choice. that choice is not one of the available choices."
    keys = message_keys(lines, [(phrase, 2.0)], [owner])
    assert [(k, w) for k, w, _ in keys] == [("invalid_choice", 2.0)]
    sites = raise_sites(MODELS, {"ValidationError"}, [(phrase, 2.0)], [owner])
    # the raise of that key, not the other raises of the same exception
    assert sites == {_line(RAISE): 2.0}
    assert raise_sites(MODELS, {"KeyError"}, [(phrase, 2.0)], [owner]) == {}


async def test_the_raise_of_a_quoted_message_comes_before_other_raises(tmp_path: Path) -> None:
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "models.py").write_text(MODELS)
    (tmp_path / "forms" / "exceptions.py").write_text(
        "class ValidationError(Exception):\n    def __init__(self, message, code=None):\n"
        "        self.message, self.code = message, code\n")
    for i in range(6):  # other fields: the report's words, no message
        (tmp_path / "forms" / f"widgets{i}.py").write_text(
            f"class ChoiceWidget{i}:\n    # shows the value of a choice field\n"
            f"    def format_value(self, value):\n        return value\n")
    result = await search(SearchRequest(query=REPORT, repo=str(tmp_path), max_tokens=1200))
    shown = [s for s in result.spans if s.path == "forms/models.py"]

    def place(line: str) -> int:
        return next(i for i, s in enumerate(shown) if s.start_line <= _line(line) <= s.end_line)

    # the message's declaration leads; of the raises, the one of its key comes first
    assert place("        'invalid_choice': 'Select a valid choice. That choice is not one of "
                 "the available choices.',") == 0
    others = ["            raise ValidationError(self.error_messages['required'], code='required')",
              "            raise ValidationError(self.error_messages['invalid_list'], "
              "code='invalid_list')"]
    assert all(place(RAISE) < place(other) for other in others)


def test_a_raise_below_a_blank_line_is_its_own_line() -> None:
    # the raise stands on line 5, after a blank line; its message is on the next line
    text = ("class F:\n    def clean(self, v):\n        x = 1\n\n"
            "        raise ValidationError(\n            'Select a valid choice please now',\n"
            "        )\n")
    assert raise_sites(text, {"ValidationError"}, [("select a valid choice", 1.0)], []) == {5: 1.0}
