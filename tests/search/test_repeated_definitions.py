"""A name a module defines again and again (`to_python` in each of its field classes) is
one definition of that name as far as the module's rank goes: counted per definition, the
forms module with a dozen `to_python` overrides outranked the model field the report is
about (shaped like django-13023)."""

from __future__ import annotations

from pathlib import Path

from splice.search import SearchRequest, search
from splice.search.index import forget_memory

REPORT = """DecimalField.to_python() raises TypeError on dict values.
Description
\t
A call to DecimalField.to_python() with a dictionary as the value parameter produces
TypeError instead of ValidationError. This is a problem, for example, when you try to
save a model object, and a decimal field got set to a dictionary by mistake. The
TypeError exception that comes back makes it really hard to track the problem to the
field if the object has a lot of fields.
"""

FORM_FIELD = '''

class {name}Field(Field):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        return {name}(value)
'''

FORMS = '''"""Form fields: each one cleans what a user typed."""

from decimal import Decimal


class Field:
    empty_values = (None, "")

    def to_python(self, value):
        return value

    def clean(self, value):
        return self.to_python(value)
''' + "".join(FORM_FIELD.format(name=n) for n in (
    "Integer", "Float", "Char", "Date", "Time", "Duration", "Regex", "Email", "File",
    "Image", "Url", "Boolean")) + '''

class DecimalField(Field):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return Decimal(str(value))
        except ArithmeticError:
            raise ValidationError("invalid", code="invalid")
'''

MODELS = '''"""Model fields: the columns of a model object, checked before save."""

import decimal


class Field:
    def to_python(self, value):
        return value

    def clean(self, value, model_instance):
        value = self.to_python(value)
        self.run_validators(value)
        return value


class DecimalField(Field):
    def to_python(self, value):
        if value is None:
            return value
        try:
            return decimal.Decimal(value)
        except decimal.InvalidOperation:
            raise ValidationError("invalid", code="invalid", params={"value": value})

    def pre_save(self, model_instance, add):
        return self.to_python(getattr(model_instance, self.attname))
'''


def _repo(root: Path) -> Path:
    for rel, text in {"app/__init__.py": "", "app/forms/__init__.py": "",
                      "app/forms/fields.py": FORMS, "app/db/__init__.py": "",
                      "app/db/models/__init__.py": "",
                      "app/db/models/fields.py": MODELS}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


async def test_a_dozen_overrides_count_as_one_definition(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    forget_memory(root)
    result = await search(SearchRequest(query=REPORT, repo=str(root), max_tokens=4000))
    files = list(dict.fromkeys(s.path for s in result.spans))
    assert files[0] == "app/db/models/fields.py"
    # the forms module still shows, and its DecimalField.to_python is found
    assert "app/forms/fields.py" in files[:2]
