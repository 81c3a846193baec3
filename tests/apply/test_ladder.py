"""Each rung of the matching ladder, and the errors when no rung gives one place."""

from __future__ import annotations

import pytest

from splice.apply import AmbiguousMatch, NoMatch, merge


def sr(old: str, new: str) -> str:
    return f"<<<<<<< SEARCH\n{old}=======\n{new}>>>>>>> REPLACE\n"


def test_exact_rung(sample: str) -> None:
    result = merge(sample, sr("        self.root = root\n", "        self.root = root or '.'\n"))
    assert result.rungs == ["exact"]


def test_trailing_whitespace_rung_keeps_file_text_for_unchanged_lines() -> None:
    original = "def f():   \n    x = 1\n    return x\n"
    edit = sr("def f():\n    x = 1\n", "def f():\n    x = 2\n")
    result = merge(original, edit, path="f.py")
    assert result.rungs == ["rstrip"]
    # the kept line keeps its trailing spaces: only the changed line is rewritten
    assert result.text == "def f():   \n    x = 2\n    return x\n"


def test_indentation_rung_reindents_replacement(sample: str) -> None:
    edit = sr("def get(self, key):\n    return load(os.path.join(self.root, key))\n",
              "def get(self, key):\n    if not key:\n        raise KeyError(key)\n"
              "    return load(os.path.join(self.root, key))\n")
    result = merge(sample, edit, path="store.py")
    assert result.rungs == ["indent"]
    assert ("    def get(self, key):\n        if not key:\n            raise KeyError(key)\n"
            "        return load(os.path.join(self.root, key))\n") in result.text


def test_indentation_rung_over_indented_model() -> None:
    original = "if a:\n    b()\n    c()\n"
    edit = sr("        b()\n        c()\n", "        b()\n        d()\n")
    result = merge(original, edit)
    assert result.text == "if a:\n    b()\n    d()\n"
    assert result.rungs == ["indent"]


def test_indentation_rung_keeps_tabs() -> None:
    original = "func f() {\n\tif x {\n\t\treturn 1\n\t}\n}\n"
    edit = sr("    if x {\n        return 1\n    }\n",
              "    if x {\n        log()\n        return 1\n    }\n")
    result = merge(original, edit, path="f.go")
    assert result.text == "func f() {\n\tif x {\n\t\tlog()\n\t\treturn 1\n\t}\n}\n"


def test_fuzzy_rung_takes_changed_lines_from_the_model_only(sample: str) -> None:
    # the model mis-copied a comment-free line slightly: "hanlde" for "handle"
    edit = sr('def save(path, text):\n    with open(path, "w") as hanlde:\n'
              "        handle.write(text)\n    return len(text)\n",
              'def save(path, text):\n    with open(path, "w") as hanlde:\n'
              "        handle.write(text)\n    return len(text) or None\n")
    result = merge(sample, edit, path="store.py")
    assert result.rungs == ["fuzzy"]
    assert '    with open(path, "w") as handle:\n' in result.text  # file's line kept
    assert "    return len(text) or None\n" in result.text


def test_fuzzy_refuses_when_too_different(sample: str) -> None:
    edit = sr("def save(path, payload):\n    with open(path, 'wb') as f:\n",
              "def save(path, payload):\n    pass\n")
    with pytest.raises(NoMatch):
        merge(sample, edit, path="store.py")


def test_ambiguous_match_lists_candidate_lines() -> None:
    original = "def a():\n    return 1\n\n\ndef b():\n    return 1\n"
    with pytest.raises(AmbiguousMatch) as info:
        merge(original, sr("    return 1\n", "    return 2\n"), path="m.py")
    err = info.value
    assert err.details["candidates"] == [2, 6]
    assert "2, 6" in str(err) and "more unchanged lines" in str(err)


def test_no_match_shows_closest_lines_with_numbers(sample: str) -> None:
    edit = sr("    def get(self, name):\n        return load(self.root + name)\n",
              "    def get(self, name):\n        return None\n")
    with pytest.raises(NoMatch) as info:
        merge(sample, edit, path="store.py")
    text = str(info.value)
    assert "were not found in store.py" in text
    assert "19 |     def get(self, key):" in text
    assert "Copy the current lines" in text
    assert info.value.details["closest_lines"][0] <= 19


def test_no_match_when_file_has_nothing_like_it(sample: str) -> None:
    with pytest.raises(NoMatch) as info:
        merge(sample, sr("zzz qqq\n", "yyy\n"), path="store.py")
    assert info.value.path == "store.py"


def test_udiff_line_numbers_alone_do_not_pick_between_identical_places() -> None:
    original = "a = 1\nb = 2\n\na = 1\nb = 2\n"
    with pytest.raises(AmbiguousMatch):
        merge(original, "@@ -4,2 +4,2 @@\n a = 1\n-b = 2\n+b = 3\n")


def test_udiff_line_numbers_break_ties_once_an_earlier_hunk_shows_the_offset() -> None:
    original = "head = 0\nx = 1\na = 1\nb = 2\n\na = 1\nb = 2\n"
    # numbers are 10 too high throughout; the first hunk is unique and reveals that
    edit = ("@@ -11,2 +11,2 @@\n head = 0\n-x = 1\n+x = 2\n"
            "@@ -16,2 +16,2 @@\n a = 1\n-b = 2\n+b = 3\n")
    assert merge(original, edit).text == "head = 0\nx = 2\na = 1\nb = 2\n\na = 1\nb = 3\n"


def test_ordered_hunks_resolve_repeats_after_previous_hunk() -> None:
    original = "x = 0\nrepeat()\nmid = 1\nrepeat()\n"
    edit = ("@@\n-mid = 1\n+mid = 2\n"
            "@@\n-repeat()\n+repeat(2)\n")
    assert merge(original, edit).text == "x = 0\nrepeat()\nmid = 2\nrepeat(2)\n"


def test_lazy_ambiguous_anchor_is_refused() -> None:
    original = ("def a():\n    x = 1\n    return x\n\n\ndef b():\n    x = 1\n    return x\n")
    edit = "# ... existing code ...\n    x = 1\n    y = 2\n    return x\n# ... existing code ...\n"
    with pytest.raises(AmbiguousMatch):
        merge(original, edit, path="m.py")


def test_lazy_indentation_off_by_constant() -> None:
    original = "class A:\n    def f(self):\n        a = 1\n        return a\n\n    def g(self):\n        pass\n"
    edit = ("# ... existing code ...\ndef f(self):\n    a = 1\n    a += 1\n    return a\n"
            "# ... existing code ...\n")
    result = merge(original, edit, path="a.py")
    assert result.rungs == ["strip"]
    assert "    def f(self):\n        a = 1\n        a += 1\n        return a\n" in result.text
