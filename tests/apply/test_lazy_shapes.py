"""Lazy edits in the shapes models write: whole definitions, segments ending on a changed
line, forgotten markers, the writer's evidence. Each test states the file it expects (or
that the edit must be refused) and fails without the rule it names."""

from __future__ import annotations

import pytest

from splice.apply import AmbiguousMatch, ApplyError, merge

M = "# ... existing code ...\n"

GROUPBY = '''import numpy as np


class Plotter:
    def __init__(self, data):
        self.data = data

    def _fit_predict(self, data):
        x = data["x"]
        y = data["y"]
        return np.polyfit(x, y, 1)

    def __call__(self, data, groupby):
        if groupby is None:
            return self._fit_predict(data)
        return groupby.apply(data, self._fit_predict)


def helper():
    return 1
'''


def test_whole_method_with_changed_last_line_replaces_it_entirely() -> None:
    # rule: structure (a whole definition replaces its namesake). Anchors alone keep the
    # old `return groupby.apply(...)` under the new three-line return: two returns.
    edit = M + '''    def __call__(self, data, groupby):
        if groupby is None:
            return self._fit_predict(data)
        return (
            groupby.apply(data.dropna(), self._fit_predict)
        )
''' + M
    expected = GROUPBY.replace(
        "        return groupby.apply(data, self._fit_predict)\n",
        "        return (\n            groupby.apply(data.dropna(), self._fit_predict)\n        )\n")
    assert merge(GROUPBY, edit, path="plot.py").text == expected


def test_new_definition_goes_where_its_neighbours_put_it() -> None:
    edit = M + '''    def _fit_predict(self, data):
        x = data["x"]
        y = data["y"]
        return np.polyfit(x, y, 2)

    def _residuals(self, data):
        return data["y"] - self._fit_predict(data)
''' + M
    expected = GROUPBY.replace(
        "        return np.polyfit(x, y, 1)\n",
        "        return np.polyfit(x, y, 2)\n\n    def _residuals(self, data):\n"
        "        return data[\"y\"] - self._fit_predict(data)\n")
    assert merge(GROUPBY, edit, path="plot.py").text == expected


def test_decorated_definition_with_changed_signature() -> None:
    original = "import functools\n\n\n@functools.cache\ndef area(r):\n    return 3.14 * r * r\n\n\ndef other():\n    return 2\n"
    edit = M + "@functools.lru_cache(maxsize=8)\ndef area(r, pi=3.14159):\n    return pi * r * r\n" + M
    expected = ("import functools\n\n\n@functools.lru_cache(maxsize=8)\ndef area(r, pi=3.14159):\n"
                "    return pi * r * r\n\n\ndef other():\n    return 2\n")
    assert merge(original, edit, path="geo.py").text == expected


def test_definition_without_its_decorator_keeps_the_decorator() -> None:
    original = "@app.route('/')\ndef index():\n    return 'hi'\n\n\ndef other():\n    return 2\n"
    edit = M + "def index():\n    return 'hello'\n" + M
    expected = original.replace("'hi'", "'hello'")
    assert merge(original, edit, path="web.py").text == expected


@pytest.mark.parametrize(("path", "original", "edit", "expected"), [
    ("a.js", "function a() {\n  return 1;\n}\n\nfunction b() {\n  return 2;\n}\n",
     "// ... existing code ...\nfunction a() {\n  const x = 1;\n  return x + 1;\n}\n// ... existing code ...\n",
     "function a() {\n  const x = 1;\n  return x + 1;\n}\n\nfunction b() {\n  return 2;\n}\n"),
    ("a.ts", "class K {\n  a(): number {\n    return 1;\n  }\n\n  b(): number {\n    return 2;\n  }\n}\n",
     "// ... existing code ...\n  a(): number {\n    return 10;\n  }\n// ... existing code ...\n",
     "class K {\n  a(): number {\n    return 10;\n  }\n\n  b(): number {\n    return 2;\n  }\n}\n"),
    ("a.go", "package a\n\nfunc A() int {\n\treturn 1\n}\n\nfunc B() int {\n\treturn 2\n}\n",
     "// ... existing code ...\nfunc A() int {\n\tx := 1\n\treturn x\n}\n// ... existing code ...\n",
     "package a\n\nfunc A() int {\n\tx := 1\n\treturn x\n}\n\nfunc B() int {\n\treturn 2\n}\n"),
    ("a.rs", "fn a() -> i32 {\n    1\n}\n\nfn b() -> i32 {\n    2\n}\n",
     "// ... existing code ...\nfn a() -> i32 {\n    let x = 1;\n    x\n}\n// ... existing code ...\n",
     "fn a() -> i32 {\n    let x = 1;\n    x\n}\n\nfn b() -> i32 {\n    2\n}\n"),
    ("A.java", "class A {\n    int a() {\n        return 1;\n    }\n\n    int b() {\n        return 2;\n    }\n}\n",
     "// ... existing code ...\n    int a() {\n        return 11;\n    }\n// ... existing code ...\n",
     "class A {\n    int a() {\n        return 11;\n    }\n\n    int b() {\n        return 2;\n    }\n}\n"),
])
def test_whole_definitions_in_every_grammar(path: str, original: str, edit: str,
                                            expected: str) -> None:
    # the last line of each definition changed: `}` alone anchors in many places
    assert merge(original, edit, path=path).text == expected


TWO_GETS = '''class A:
    def get(self):
        return 1


class B:
    def get(self):
        return 2
'''


def test_same_name_in_two_classes_is_refused_with_symbols() -> None:
    edit = M + "    def get(self):\n        return 3\n" + M
    with pytest.raises(AmbiguousMatch) as info:
        merge(TWO_GETS, edit, path="ab.py")
    assert "A.get" in str(info.value) and "B.get" in str(info.value)


def test_instruction_naming_the_class_settles_it() -> None:
    edit = M + "    def get(self):\n        return 3\n" + M
    result = merge(TWO_GETS, edit, path="ab.py", instruction="Make B.get return 3")
    assert result.text == TWO_GETS.replace("return 2", "return 3")


def test_seen_lines_settle_it() -> None:
    edit = M + "    def get(self):\n        return 3\n" + M
    result = merge(TWO_GETS, edit, path="ab.py", seen_lines=[(1, 3)])
    assert result.text == TWO_GETS.replace("return 1", "return 3")


def _long_module(n: int = 12) -> str:
    parts = [f"def f{i}(items):\n    total = 0\n    for item in items:\n"
             f"        total += item.price * {i}\n    return total\n\n\n" for i in range(n)]
    return "import os\n\n\n" + "".join(parts)


def test_new_user_case_never_appends_the_tail() -> None:
    # marker, function head, marker, the function's changed tail, no closing marker:
    # the tail must go into f3 (or be refused), never to the end of the file
    original = _long_module()
    edit = (M + "def f3(items):\n" + "    " + M
            + "        total += item.price * 3\n    return round(total, 2)\n")
    expected = original.replace("        total += item.price * 3\n    return total\n",
                                "        total += item.price * 3\n    return round(total, 2)\n")
    try:
        result = merge(original, edit, path="shop.py")
    except ApplyError:
        return
    assert result.text == expected


SHORT = ("import os\n\n\ndef f(items):\n    total = 0\n    for item in items:\n"
         "        total += item\n    return total\n\n\ndef g():\n    return 1\n")


@pytest.mark.parametrize("tail", ["    return total * 2\n", "    return sum(items)\n"])
def test_new_user_case_as_written_is_not_appended(tail: str) -> None:
    # the head segment anchors; the tail matches nothing and has no closing marker:
    # appending it after g() (what anchors alone did) puts f's return into g
    edit = M + "def f(items):\n    total = 0\n" + M + tail
    with pytest.raises(ApplyError):
        merge(SHORT, edit, path="f.py")


def test_new_user_case_with_every_tail_line_changed_is_refused() -> None:
    original = _long_module()
    edit = (M + "def f3(items):\n" + "    " + M
            + "        total += item.price * 3 * item.count\n    return round(total, 2)\n")
    with pytest.raises(ApplyError):
        merge(original, edit, path="shop.py")


def test_forgotten_top_marker_is_assumed_and_reported() -> None:
    original = _long_module()
    edit = ("def f5(items):\n    total = 0\n    for item in items:\n"
            "        total += item.price * 50\n    return total\n" + M)
    result = merge(original, edit, path="shop.py")
    assert result.text == original.replace("item.price * 5\n", "item.price * 50\n")
    assert result.assumed_marker == ["top"]


def test_forgotten_end_marker_on_a_fragment_is_assumed() -> None:
    # not a whole definition: its last line anchors one place, so the marker was forgotten
    original = _long_module()
    edit = (M + "    for item in items:\n        total += item.price * 70\n"
            "    return total\n\n\ndef f8(items):\n")
    result = merge(original, edit, path="shop.py")
    assert result.text == original.replace("item.price * 7\n", "item.price * 70\n")
    assert result.assumed_marker == ["end"]


def test_markers_written_are_not_reported_as_assumed() -> None:
    original = _long_module()
    edit = M + "        total += item.price * 4\n    return total + 1\n\n\ndef f5(items):\n" + M
    result = merge(original, edit, path="shop.py")
    assert result.assumed_marker == []


RUN = '''def run(items):
    count = 0
    for item in items:
        count += item.size
    report(count)
    return count


def other():
    return 2
'''


def test_segment_ending_on_a_changed_line_replaces_the_line_it_resembles() -> None:
    # rule: reach. One-sided anchors used to mean "insert after", refused here because
    # the new line looks like a rewrite of its neighbour.
    edit = M + "    for item in items:\n        count += item.weight\n" + M
    expected = RUN.replace("item.size", "item.weight")
    assert merge(RUN, edit, path="run.py").text == expected


def test_segment_starting_on_a_changed_line_replaces_the_line_it_resembles() -> None:
    edit = M + "    notify(count)\n    return count\n" + M
    expected = RUN.replace("report(count)", "notify(count)")
    assert merge(RUN, edit, path="run.py").text == expected


def test_segment_ending_on_new_lines_inserts_them() -> None:
    edit = M + "        count += item.size\n        log.debug(item)\n" + M
    expected = RUN.replace("item.size\n", "item.size\n        log.debug(item)\n")
    assert merge(RUN, edit, path="run.py").text == expected


def test_segment_whose_new_line_half_resembles_its_neighbour_is_refused() -> None:
    # `report_total(count, total=total)` half resembles `report(count)`: replace it, or
    # insert beside it? The two files differ and the text does not say which.
    edit = M + "        count += item.size\n    report_total(count, total=total)\n" + M
    with pytest.raises(AmbiguousMatch):
        merge(RUN, edit, path="run.py")


def test_comment_tail_above_a_definition_keeps_the_comment_head() -> None:
    # the segment repeats the last two lines of the doc comment: the first one stays
    original = ("package a\n\n// Close closes it.\n// It is safe to call twice.\n// Always.\n"
                "func Close() int {\n\treturn 1\n}\n\nfunc Other() int {\n\treturn 2\n}\n")
    edit = ("// ... existing code ...\n// It is safe to call twice.\n// Always.\n"
            "func Close() int {\n\treturn 0\n}\n// ... existing code ...\n")
    expected = original.replace("\treturn 1\n", "\treturn 0\n")
    assert merge(original, edit, path="a.go").text == expected
