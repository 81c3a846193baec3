"""Line endings, BOM, final newline, tabs; already-applied; SyntaxBroken; SuspiciousDeletion."""

from __future__ import annotations

import pytest

from splice.apply import AmbiguousMatch, ApplyError, SuspiciousDeletion, SyntaxBroken, merge
from splice.core.errors import NoMatch


def sr(old: str, new: str) -> str:
    return f"<<<<<<< SEARCH\n{old}=======\n{new}>>>>>>> REPLACE\n"


def test_crlf_kept_for_old_and_new_lines() -> None:
    original = "a = 1\r\nb = 2\r\nc = 3\r\n"
    result = merge(original, sr("b = 2\n", "b = 20\nbb = 21\n"), path="x.py")
    assert result.text == "a = 1\r\nb = 20\r\nbb = 21\r\nc = 3\r\n"


def test_crlf_edit_into_lf_file_gives_lf() -> None:
    result = merge("a\nb\n", "<<<<<<< SEARCH\r\nb\r\n=======\r\nc\r\n>>>>>>> REPLACE\r\n")
    assert result.text == "a\nc\n"


def test_bom_kept() -> None:
    original = "\ufeffx = 1\ny = 2\n"
    result = merge(original, sr("y = 2\n", "y = 3\n"), path="x.py")
    assert result.text == "\ufeffx = 1\ny = 3\n"


def test_missing_final_newline_kept() -> None:
    result = merge("a = 1\nb = 2", sr("b = 2\n", "b = 3\nc = 4\n"), path="x.py")
    assert result.text == "a = 1\nb = 3\nc = 4"


def test_final_newline_kept_when_editing_the_last_line_of_a_file_without_one() -> None:
    result = merge("a = 1\nb = 2", sr("a = 1\n", "a = 0\n"))
    assert result.text == "a = 0\nb = 2"


def test_whole_file_keeps_endings_of_original() -> None:
    result = merge("a\r\nb\r\n", "a\nc\n", fmt="whole")
    assert result.text == "a\r\nc\r\n"


def test_tabs_kept_exactly() -> None:
    original = "func f() {\n\treturn 1\n}\n"
    result = merge(original, sr("\treturn 1\n", "\treturn 2\n"), path="f.go")
    assert result.text == "func f() {\n\treturn 2\n}\n"


def test_mixed_endings_untouched_lines_keep_theirs() -> None:
    original = "a\r\nb\nc\r\nd\r\n"
    result = merge(original, sr("c\n", "C\n"))
    assert result.text == "a\r\nb\nC\r\nd\r\n"


def test_search_replace_already_applied(sample: str) -> None:
    edit = sr("    return len(text)\n", "    return len(text) + 1\n")
    once = merge(sample, edit)
    again = merge(once.text, edit)
    assert again.already_applied and again.text == once.text
    assert not once.already_applied


def test_udiff_already_applied(sample: str) -> None:
    diff = "@@\n def load(path):\n-    with open(path) as handle:\n+    with open(path, 'rb') as handle:\n"
    once = merge(sample, diff)
    again = merge(once.text, diff)
    assert again.already_applied
    assert again.text == once.text


def test_patch_already_applied(sample: str) -> None:
    patch = ("*** Begin Patch\n*** Update File: s.py\n@@\n class Store:\n"
             "-    def __init__(self, root):\n+    def __init__(self, root, ttl=0):\n*** End Patch\n")
    once = merge(sample, patch, path="s.py")
    again = merge(once.text, patch, path="s.py")
    assert again.already_applied and again.text == once.text


def test_lazy_that_changes_nothing_is_already_applied(sample: str) -> None:
    edit = "# ... existing code ...\ndef load(path):\n    with open(path) as handle:\n# ... existing code ...\n"
    result = merge(sample, edit, path="store.py")
    assert result.already_applied and result.text == sample


def test_reapplying_indented_replacement_is_already_applied_not_fuzzy(sample: str) -> None:
    edit = sr("if b:\n    return 1\n", "if b:\n    return 11\n    # note\n")
    original = "def f(b):\n    if b:\n        return 1\n    return 2\n"
    once = merge(original, edit, path="f.py")
    again = merge(once.text, edit, path="f.py")
    assert again.already_applied and again.text == once.text


def test_syntax_broken_names_lines_and_force_overrides(sample: str) -> None:
    edit = sr("        self.root = root\n", "        self.root = (root\n")
    with pytest.raises(SyntaxBroken) as info:
        merge(sample, edit, path="store.py")
    assert info.value.details["error_lines"]
    assert "no longer parses" in str(info.value)
    forced = merge(sample, edit, path="store.py", force=True)
    assert "self.root = (root" in forced.text


def test_syntax_of_already_broken_file_is_not_judged() -> None:
    original = "def f(:\n    return 1\n"
    result = merge(original, sr("    return 1\n", "    return 2\n"), path="f.py")
    assert "return 2" in result.text


def test_no_grammar_no_syntax_check() -> None:
    result = merge("a: [1\n", sr("a: [1\n", "a: [1, (\n"), path="x.yaml")
    assert result.text == "a: [1, (\n"


def _long_file(n: int = 80) -> str:
    body = [f"def f{i}():\n    return {i}\n\n" for i in range(n)]
    return "import os\n\n" + "".join(body)


def test_forgotten_bottom_marker_after_a_whole_definition_is_assumed() -> None:
    # the segment is all of f3 and the unchanged f4 after it, so "runs to the end of the
    # file" would drop f5..f79: the writer forgot the closing marker (its last lines
    # anchor one place), and the merge says it assumed one
    original = _long_file()
    edit = "# ... existing code ...\ndef f3():\n    return 333\n\ndef f4():\n    return 4\n"
    result = merge(original, edit, path="m.py")
    assert result.text == original.replace("    return 3\n", "    return 333\n")
    assert result.assumed_marker == ["end"]


def test_forgotten_bottom_marker_on_a_new_last_line_is_refused() -> None:
    # f3 ending on a new line, no marker after: forgot the marker, or cut off inside f3
    # (issue 13, rule 5: the far end must anchor)
    original = _long_file()
    with pytest.raises(AmbiguousMatch, match="no marker below"):
        merge(original, "# ... existing code ...\ndef f3():\n    return 333\n", path="m.py")


def test_forgotten_middle_marker_is_suspicious() -> None:
    original = _long_file()
    edit = ("# ... existing code ...\ndef f1():\n    return 111\n\n"
            "def f70():\n    return 70\n# ... existing code ...\n")
    with pytest.raises(SuspiciousDeletion):
        merge(original, edit, path="m.py")


def test_small_deliberate_deletion_between_anchors_passes() -> None:
    original = _long_file()
    edit = "# ... existing code ...\n    return 1\n\ndef f3():\n# ... existing code ...\n"
    result = merge(original, edit, path="m.py")
    assert "def f2():" not in result.text and "def f3():" in result.text
    assert "def f1():\n    return 1\n\ndef f3():" in result.text


def test_whole_snippet_much_shorter_than_file_is_suspicious() -> None:
    original = _long_file()
    with pytest.raises(SuspiciousDeletion):
        merge(original, "def f1():\n    return 1\n", path="m.py")


def test_whole_genuine_rewrite_passes_when_the_edit_says_whole() -> None:
    original = _long_file(10)
    assert merge(original, "print('hi')\n", path="m.py", fmt="whole").text == "print('hi')\n"


@pytest.mark.parametrize("fragment", ["pass\n", "x = 1\n", "# ... existing co\n",
                                      "print('hi')\n"])
def test_short_fragment_is_never_taken_for_the_whole_file(fragment: str) -> None:
    original = _long_file(10)
    with pytest.raises(SuspiciousDeletion) as info:
        merge(original, fragment, path="m.py")
    assert "is not the whole file" in str(info.value)
    assert "existing code" in (info.value.hint or "")


def test_auto_detected_whole_file_keeping_most_lines_replaces_it() -> None:
    original = _long_file(10)
    new = original.replace("return 3", "return 33")
    assert merge(original, new, path="m.py").text == new


def test_tiny_file_may_be_replaced_by_text_as_long() -> None:
    assert merge("x = 1\n", "x = 2\n", path="m.py").text == "x = 2\n"


def test_lazy_edit_into_crlf_file_with_bom() -> None:
    original = "\ufeffdef f():\r\n    a = 1\r\n    return a\r\n\r\n\r\ndef g():\r\n    pass\r\n"
    edit = ("# ... existing code ...\ndef f():\n    a = 1\n    a += 1\n    return a\n"
            "# ... existing code ...\n")
    result = merge(original, edit, path="m.py")
    assert result.text == ("\ufeffdef f():\r\n    a = 1\r\n    a += 1\r\n    return a\r\n\r\n\r\n"
                           "def g():\r\n    pass\r\n")


def test_snippet_without_top_marker_that_drops_imports_is_suspicious() -> None:
    original = "import os\nimport sys\n\n\ndef foo():\n    return 1\n\n\ndef bar():\n    return 2\n"
    # all of foo, no top marker: read as a forgotten marker (foo is defined once), said so
    edit = "def foo():\n    return 10\n# ... existing code ...\n"
    result = merge(original, edit, path="m.py")
    assert result.text == original.replace("return 1\n", "return 10\n")
    assert result.assumed_marker == ["top"]
    with pytest.raises(SuspiciousDeletion):  # the first line is new: dropping imports
        merge(original, "def fresh():\n    return 0\n\n\ndef foo():\n"
                        "# ... existing code ...\n", path="m.py")


def test_changed_first_line_without_top_marker_passes() -> None:
    original = '"""Version 1.0 of the tool."""\nimport os\n\n\ndef foo():\n    return 1\n'
    edit = '"""Version 1.1 of the tool."""\nimport os\n# ... existing code ...\n'
    result = merge(original, edit, path="m.py")
    assert result.text.startswith('"""Version 1.1 of the tool."""\nimport os\n')


def test_moved_line_left_twice_is_refused_not_duplicated() -> None:
    # Real shape (a test module's imports reordered): the segment's first two lines also
    # fit two lines further down, which would keep `import simplejson` where it stood
    # and bring it again. Refused: the file is not touched twice over.
    original = ('"""Doc."""\nimport uuid\nfrom enum import Enum\n\nimport simplejson\n\n'
                "import pytz\n\nfrom pkg import a, b\nfrom pkg.errors import Error\n\n"
                "x = 1\n")
    edit = ("# ... existing code ...\n\nimport pytz\nimport simplejson\n\n"
            "from pkg import b, a\nfrom pkg.errors import Error\n# ... existing code ...\n")
    try:
        result = merge(original, edit, path="m.py")
    except AmbiguousMatch as exc:  # left twice, or as near as the reading covering it
        assert ("twice" in str(exc) and "line 5" in str(exc)) or \
            exc.details.get("why") == "rival_reading"
    else:  # a placement that covers the old line is the only acceptable success
        assert result.text.count("import simplejson") == 1


def test_patch_deleting_a_line_that_never_existed_is_not_already_applied() -> None:
    original = "def f():\n    a = 1\n    return a\n"
    patch = ("*** Begin Patch\n*** Update File: m.py\n@@\n def f():\n-    debug()\n"
             "     a = 1\n*** End Patch\n")
    with pytest.raises(NoMatch):
        merge(original, patch, path="m.py")


def test_patch_whose_added_line_is_in_place_is_already_applied() -> None:
    original = "def f():\n    a = 2\n    return a\n"
    patch = ("*** Begin Patch\n*** Update File: m.py\n@@\n def f():\n-    a = 1\n+    a = 2\n"
             "     return a\n*** End Patch\n")
    assert merge(original, patch, path="m.py").already_applied


def test_a_miscopied_search_whose_replace_stands_elsewhere_is_not_already_applied() -> None:
    original = ("def a():\n    x = 1\n    y = 2\n\n\ndef b():\n    x = 1\n    z = 3\n    y = 2\n"
                "\n\ndef c():\n    q = 0\n")
    # a() never held `q = 0` (c() does): the SEARCH is miscopied, and b() holding the
    # REPLACE says nothing about a()
    edit = ("<<<<<<< SEARCH\n    x = 1\n    q = 0\n    y = 2\n=======\n    x = 1\n    z = 3\n"
            "    y = 2\n>>>>>>> REPLACE\n")
    with pytest.raises(ApplyError):
        merge(original, edit, path="m.py")
