"""A whole definition with no marker after it, short of the file's end: "the writer forgot
the closing marker" only where the segment's last lines anchor one place (issue 13, rule
5). Right outcomes decided from the text before splice ran:

- output cut off inside a method (SWE-bench dev django-13344, sessions middleware): the
  last line `super().__init` matches nothing; marker forgotten, or cut off? refuse;
- click decorators: `argument` and `option` in their new versions, no closing marker,
  ending on `return decorator`, which ends several functions: refuse;
- the same whole method, ending on lines the file holds once: the forgotten marker is
  assumed and the method replaced.
"""

from __future__ import annotations

import pytest

from splice.apply import merge
from splice.core.errors import AmbiguousMatch
from tests.apply.test_lazy_structure_edges import MIDDLEWARE

# the sessions middleware of django-13344 (comments above `__init__`)
CUT = '''    # ... existing code ...
    def __init__(self, get_response=None):
        super().__init
'''

WHOLE = '''    # ... existing code ...
    def __init__(self, get_response=None):
        super().__init__(get_response)
        engine = import_module(settings.SESSION_ENGINE)
        self.SessionStore = engine.SessionStore
'''

DECORATORS = '''def _param_memo(f, param):
    f.__click_params__.append(param)


def argument(*param_decls, **attrs):
    def decorator(f):
        _param_memo(f, Argument(param_decls, **attrs))
        return f

    return decorator


def option(*param_decls, **attrs):
    def decorator(f):
        _param_memo(f, Option(param_decls, **attrs))
        return f

    return decorator


def help_option(*param_decls, **kwargs):
    def decorator(f):
        kwargs.setdefault("help", "Show this message and exit.")
        return option(*param_decls, **kwargs)(f)

    return decorator
'''

DECORATORS_EDIT = '''# ... existing code ...
def option(*param_decls, cls=None, **attrs):
    if cls is None:
        cls = Option

    def decorator(f):
        _param_memo(f, cls(param_decls, **attrs))
        return f

    return decorator
'''


def test_cut_off_whole_method_without_closing_marker_is_refused() -> None:
    with pytest.raises(AmbiguousMatch, match="no marker below"):
        merge(MIDDLEWARE, CUT, path="middleware.py", instruction="Update "
              "`SessionMiddleware.__init__`.", seen_lines=[(7, 12)])


def test_last_lines_ending_several_functions_are_refused() -> None:
    with pytest.raises(AmbiguousMatch, match="no marker below"):
        merge(DECORATORS, DECORATORS_EDIT, path="decorators.py",
              instruction="Update `option`.")


def test_seen_lines_settle_which_function_the_last_lines_end() -> None:
    out = merge(DECORATORS, DECORATORS_EDIT, path="decorators.py",
                instruction="Update `option`.", seen_lines=[(13, 18)]).text
    assert out == DECORATORS.replace(
        "def option(*param_decls, **attrs):\n", "def option(*param_decls, cls=None, **attrs):\n"
        "    if cls is None:\n        cls = Option\n\n").replace(
        "Option(param_decls", "cls(param_decls")


def test_last_lines_anchoring_once_assume_the_marker() -> None:
    out = merge(MIDDLEWARE, WHOLE, path="middleware.py")
    old = ("        self._get_response_none_deprecation(get_response)\n"
           "        self.get_response = get_response\n        self._async_check()\n")
    assert out.text == MIDDLEWARE.replace(old, "        super().__init__(get_response)\n")
    assert out.assumed_marker == ["end"]
