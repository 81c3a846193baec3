"""Structure placement at a definition's edges, in the shapes models send (each right
outcome decided from the text before splice ran):

- a comment above a class's first method, copied with the method (django's sessions
  middleware, SWE-bench dev django-13344): the comment is the file's, not a new one;
- a new Go function written between a type and the comment heading the next function,
  cut by the marker (git-lfs tools/filetools.go): that comment is the file's;
- blank lines, then a function whose original has comments above it (rich cells.py): read
  by its lines the segment drops the comments, read as a whole definition it keeps them:
  refuse;
- a function's head and changed line with the marker at its header's indentation, the
  original going on with code the segment never mentions (django auth forms,
  django-13741): whole new version or head? refuse. A whole new version whose old last
  statement spread over lines (attrs validators `__repr__`) still replaces it.
"""

from __future__ import annotations

import pytest

from splice.apply import merge
from splice.core.errors import AmbiguousMatch

MIDDLEWARE = '''from django.utils.deprecation import MiddlewareMixin


class SessionMiddleware(MiddlewareMixin):
    # RemovedInDjango40Warning: when the deprecation ends, replace with:
    #   def __init__(self, get_response):
    def __init__(self, get_response=None):
        self._get_response_none_deprecation(get_response)
        self.get_response = get_response
        self._async_check()
        engine = import_module(settings.SESSION_ENGINE)
        self.SessionStore = engine.SessionStore

    def process_request(self, request):
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
'''
MIDDLEWARE_EDIT = '''# ... existing code ...
    #   def __init__(self, get_response):
    def __init__(self, get_response=None):
        super().__init__(get_response)
        engine = import_module(settings.SESSION_ENGINE)
        self.SessionStore = engine.SessionStore
    # ... existing code ...
'''


def test_comment_above_a_first_method_is_the_files_own() -> None:
    out = merge(MIDDLEWARE, MIDDLEWARE_EDIT, path="middleware.py").text
    old = ("        self._get_response_none_deprecation(get_response)\n"
           "        self.get_response = get_response\n        self._async_check()\n")
    assert out == MIDDLEWARE.replace(old, "        super().__init__(get_response)\n")


FILETOOLS = '''package tools

// repositoryPermissionFetcher is an interface that matches the configuration
// object and can be used to fetch repository permissions.
type repositoryPermissionFetcher interface {
\tRepositoryPermissions(executable bool) os.FileMode
}

// MkdirAll makes a directory and any intervening directories with the
// permissions specified by the core.sharedRepository setting.
func MkdirAll(path string, config repositoryPermissionFetcher) error {
\treturn os.MkdirAll(path, config.RepositoryPermissions(true))
}
'''
MKDIR = '''// Mkdir makes a directory with the
// permissions specified by the core.sharedRepository setting.
func Mkdir(path string, config repositoryPermissionFetcher) error {
\treturn os.Mkdir(path, config.RepositoryPermissions(true))
}
'''
FILETOOLS_EDIT = f'''// ... existing code ...
// object and can be used to fetch repository permissions.
type repositoryPermissionFetcher interface {{
\tRepositoryPermissions(executable bool) os.FileMode
}}

{MKDIR}
// MkdirAll makes a directory and any intervening directories with the
// ... existing code ...
'''


def test_comment_heading_the_next_function_is_kept_once() -> None:
    out = merge(FILETOOLS, FILETOOLS_EDIT, path="tools/filetools.go").text
    assert out == FILETOOLS.replace("// MkdirAll makes", MKDIR + "\n// MkdirAll makes")


CELLS = '''def cell_len(text):
    return len(text)


# TODO: This is inefficient
# TODO: This might not work with CWJ type characters
def chop_cells(text, max_size):
    return [text[:max_size]]


if __name__ == "__main__":
    print(chop_cells("abc", 1))
'''
CELLS_EDIT = '''# ... existing code ...


def chop_cells(text, width):
    return [text[:width]]
# ... existing code ...
'''


def test_blank_lines_over_the_files_comments_are_refused() -> None:
    with pytest.raises(AmbiguousMatch) as err:
        merge(CELLS, CELLS_EDIT, path="rich/cells.py")
    assert err.value.details["why"] == "attached_open"
    assert err.value.details["candidates"] == [5]


def test_marker_right_above_the_definition_keeps_the_comments() -> None:
    edit = CELLS_EDIT.replace("# ... existing code ...\n\n\n", "# ... existing code ...\n", 1)
    out = merge(CELLS, edit, path="rich/cells.py").text
    assert out == CELLS.replace("max_size):\n    return [text[:max_size]]",
                                "width):\n    return [text[:width]]")


FORMS = '''class ReadOnlyPasswordHashField(forms.Field):
    widget = ReadOnlyPasswordHashWidget

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def bound_data(self, data, initial):
        return initial
'''
FORMS_EDIT = '''    # ... existing code ...

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault('disabled', True)
    # ... rest of the code ...
'''


def test_head_with_a_level_marker_and_an_unmentioned_tail_is_refused() -> None:
    with pytest.raises(AmbiguousMatch) as err:
        merge(FORMS, FORMS_EDIT, path="django/contrib/auth/forms.py")
    assert err.value.details["why"] == "head_or_whole"


VALIDATORS = '''class _InstanceOfValidator:
    def __call__(self, inst, attr, value):
        pass

    def __repr__(self):
        return "<instance_of validator for type {type!r}>".format(
            type=self.type
        )


def instance_of(type):
    return _InstanceOfValidator(type)
'''
REPR_EDIT = '''    # ... keep existing code ...
    def __repr__(self):
        return f"<instance_of validator for type {self.type!r}>"
    # ... existing code ...
'''


def test_whole_version_of_a_statement_spread_over_lines_replaces_it() -> None:
    out = merge(VALIDATORS, REPR_EDIT, path="src/attr/validators.py").text
    old = ('        return "<instance_of validator for type {type!r}>".format(\n'
           "            type=self.type\n        )\n")
    assert out == VALIDATORS.replace(
        old, '        return f"<instance_of validator for type {self.type!r}>"\n')


OUTPUT_WRAPPER = '''class OutputWrapper(TextIOBase):
    def __getattr__(self, name):
        return getattr(self._out, name)

    def isatty(self):
        return hasattr(self._out, 'isatty') and self._out.isatty()
'''
FLUSH = '''    def flush(self):
        if hasattr(self._out, 'flush'):
            self._out.flush()
'''
# django-13516 (def-added): a new method after an existing one, a blank line, the marker
FLUSH_EDIT = f'''    # ... existing code ...

    def __getattr__(self, name):
        return getattr(self._out, name)

{FLUSH}
    # ... rest of the code ...
'''


def test_blank_lines_after_a_new_definition_are_the_files() -> None:
    out = merge(OUTPUT_WRAPPER, FLUSH_EDIT, path="django/core/management/base.py").text
    assert out == OUTPUT_WRAPPER.replace("name)\n\n", f"name)\n\n{FLUSH}\n")


NATIVE = '''class TestRequests:
    def test_autoset_header_values_are_native(self, httpbin):
        data = "this is a string"
        length = "16"
        req = requests.Request("POST", httpbin("post"), data=data)
        p = req.prepare()

        assert p.headers["Content-Length"] == length

    def test_nonhttp_schemes_dont_check_URLs(self):
        pass
'''
# requests (def-added): the method whole, then a new one cut by the marker on a line the
# first one holds mid-way: a new method cut short, or the old method's tail kept?
AUTOSET = NATIVE[NATIVE.index("    def test_autoset"):NATIVE.index("    def test_nonhttp")]
NATIVE_EDIT = f'''    # ... rest of the code ...
{AUTOSET}    def test_content_length_for_string_data_counts_bytes(self, httpbin):
        data = "This is a string containing multi-byte UTF-8"
        length = str(len(data.encode("utf-8")))
        req = requests.Request("POST", httpbin("post"), data=data)
    # ... keep existing code ...
'''


def test_new_definition_cut_on_a_line_the_old_one_holds_mid_way_is_refused() -> None:
    with pytest.raises(AmbiguousMatch) as err:
        merge(NATIVE, NATIVE_EDIT, path="tests/test_requests.py")
    assert err.value.details["why"] == "cut_new"
    assert err.value.details["candidates"] == [5]
