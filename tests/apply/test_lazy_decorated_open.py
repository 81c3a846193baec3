"""A whole definition sent unchanged from its header right under a marker, where the
file has decorators above that header, is refused (lazy.lone_definition.
check_decorators_written; structure_edges.decorated_open where structure places it).
Shape from django-13297's views/generic/base.py (a def-whole edit of the real fix): the
fix drops `@SimpleLazyObject` from a nested function and writes the function's new
version (its lines otherwise unchanged) between markers. Decided from the text before
splice ran: the marker above may stand for the decorator (the edit changes nothing) or
end above it (drop it): refuse, and say how to write either. A definition sent changed
keeps its decorators (the marker stands for them: the format's convention)."""

from __future__ import annotations

import pytest

from splice.apply import AmbiguousMatch, merge

ORIGINAL = '''def _wrap_url_kwargs(url_kwargs):
    context_kwargs = {}
    for key, value in url_kwargs.items():
        # Bind into function closure.
        @SimpleLazyObject
        def access_value(key=key, value=value):
            warnings.warn('deprecated %s' % key, RemovedInDjango40Warning, stacklevel=2)
            return value
        context_kwargs[key] = access_value
    return context_kwargs
'''
EDIT = '''        # ... existing code ...
        def access_value(key=key, value=value):
            warnings.warn('deprecated %s' % key, RemovedInDjango40Warning, stacklevel=2)
            return value
        # ... existing code ...
'''


def test_a_nested_definition_sent_without_its_decorator_is_refused() -> None:
    with pytest.raises(AmbiguousMatch) as err:
        merge(ORIGINAL, EDIT, path="django/views/generic/base.py",
              instruction="Update `_wrap_url_kwargs.access_value`.", seen_lines=[(5, 8)])
    assert err.value.details["why"] == "decorated_open"
    assert "lines 5-5" in str(err.value)


def test_starting_above_the_decorator_drops_it() -> None:
    above = "    for key, value in url_kwargs.items():\n        # Bind into function closure.\n"
    edit = EDIT.replace("        # ... existing code ...\n", "# ... existing code ...\n" + above, 1)
    out = merge(ORIGINAL, edit, path="django/views/generic/base.py").text
    assert out == ORIGINAL.replace("        @SimpleLazyObject\n", "")


def test_an_undecorated_definition_merges() -> None:
    original = ORIGINAL.replace("        @SimpleLazyObject\n", "")
    edit = EDIT.replace("stacklevel=2)", "stacklevel=3)")
    out = merge(original, edit, path="django/views/generic/base.py").text
    assert out == original.replace("stacklevel=2)", "stacklevel=3)")


def test_a_changed_definition_keeps_its_decorator() -> None:
    edit = EDIT.replace("stacklevel=2)", "stacklevel=3)")
    out = merge(ORIGINAL, edit, path="django/views/generic/base.py").text
    assert out == ORIGINAL.replace("stacklevel=2)", "stacklevel=3)")


WEB = "@app.route('/')\ndef index():\n    return 'hi'\n\n\ndef other():\n    return 2\n"
M = "# ... existing code ...\n"


def test_a_top_level_definition_sent_unchanged_is_refused() -> None:
    # placed by structure (a top-level function): the same question
    with pytest.raises(AmbiguousMatch) as err:
        merge(WEB, M + "def index():\n    return 'hi'\n" + M, path="web.py")
    assert err.value.details["why"] == "decorated_open"


def test_an_unchanged_definition_followed_by_a_new_one_merges() -> None:
    # django-15268's def-added shape: the unchanged definition is the new one's anchor
    edit = M + "def index():\n    return 'hi'\n\n\ndef about():\n    return 'me'\n" + M
    out = merge(WEB, edit, path="web.py").text
    assert out == WEB.replace("\n\n\ndef other", "\n\n\ndef about():\n    return 'me'\n\n\ndef other")
