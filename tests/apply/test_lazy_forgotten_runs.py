"""Forgotten markers whose edge lines repeat elsewhere in the file: the reading "the writer
forgot the marker" is merged when the segment's edge anchors one place (issue 13, rule 5),
and refused when it does not. Each test states the file it expects or the refusal."""

from __future__ import annotations

import pytest

from splice.apply import AmbiguousMatch, ApplyError, merge

M = "# ... existing code ...\n"

# Every Store method ends `return result` + blank line: the first two lines of a segment
# that starts on one of those endings occur four times; `def parse` + its first line twice.
STORE = '''import json


class Store:
    def __init__(self, path):
        self.path = path
        self.cache = {}

    def load(self):
        with open(self.path) as fh:
            result = json.load(fh)
        return result

    def keys(self):
        result = sorted(self.cache)
        return result

    def parse(self, text):
        tokens = text.split()
        result = [t.lower() for t in tokens]
        return result

    def dump(self):
        result = json.dumps(self.cache)
        return result


class Tokens:
    def parse(self, text):
        tokens = text.split()
        return tokens

    def size(self):
        return len(self.items)
'''


def test_forgotten_top_marker_whose_first_lines_repeat_is_assumed() -> None:
    # `return result` + blank stand before four methods; with the next two lines the run
    # is one place (parse), so the top marker was forgotten
    edit = ("        return result\n\n    def parse(self, text):\n"
            "        tokens = text.split()\n        result = [t.upper() for t in tokens]\n"
            "        return result\n" + "    " + M)
    result = merge(STORE, edit, path="store.py")
    assert result.text == STORE.replace("t.lower()", "t.upper()")
    assert result.assumed_marker == ["top"]


def test_forgotten_end_marker_whose_last_lines_repeat_is_assumed() -> None:
    edit = (M + "    def keys(self):\n        result = sorted(self.cache, reverse=True)\n"
            "        return result\n\n    def parse(self, text):\n"
            "        tokens = text.split()\n")
    result = merge(STORE, edit, path="store.py")
    assert result.text == STORE.replace("sorted(self.cache)", "sorted(self.cache, reverse=True)")
    assert result.assumed_marker == ["end"]


def test_three_edge_lines_that_fit_twice_are_refused() -> None:
    # the segment's first three lines (as many as a diff's context) stand at two places
    # (`keys` renamed `dump` in a first class): a run one line longer at the second is no
    # proof the writer meant it, so the marker is not assumed
    original = STORE.replace("    def keys(self):\n", "    def dump(self):\n", 1)
    edit = ("        return result\n\n    def dump(self):\n"
            "        result = json.dumps(self.cache)\n        result = result.strip()\n"
            + "        " + M)
    with pytest.raises(AmbiguousMatch):
        merge(original, edit, path="store.py")


TESTS = '''import os
import sys

import pytest

from app import core


def test_load():
    data = core.load(os.devnull)
    assert data == {}


def test_argv():
    assert core.args(sys.argv[:1]) == []


def test_empty():
    with pytest.raises(ValueError):
        core.parse("")
'''


def test_forgotten_end_marker_after_one_distinctive_line_is_assumed() -> None:
    # a new import above `import pytest`, and the edit stops there: its last line stands
    # once in the file and the segment's first lines anchor above it
    edit = M + "import sys\n\nfrom unittest import mock\nimport pytest\n"
    result = merge(TESTS, edit, path="test_core.py")
    assert result.text == TESTS.replace("\nimport pytest\n", "\nfrom unittest import mock\n"
                                                            "import pytest\n")
    assert result.assumed_marker == ["end"]


def test_forgotten_top_marker_before_one_distinctive_line_is_assumed() -> None:
    edit = ("    assert core.args(sys.argv[:1]) == []\n    assert core.args([]) == []\n\n\n"
            "def test_empty():\n" + M)
    result = merge(TESTS, edit, path="test_core.py")
    assert result.text == TESTS.replace("sys.argv[:1]) == []\n",
                                        "sys.argv[:1]) == []\n    assert core.args([]) == []\n")
    assert result.assumed_marker == ["top"]


def test_one_trivial_edge_line_is_not_a_forgotten_marker() -> None:
    # `else:` stands once in the file, but a bare keyword proves nothing of where the
    # segment ends: the file may end there too, or the edit was cut off
    original = TESTS.replace("\n\ndef test_argv", "\n\ndef test_mode():\n    if core.DEBUG:\n"
                             "        core.trace()\n    else:\n        core.quiet()\n\n\n"
                             "def test_argv")
    edit = (M + "def test_mode():\n    if core.DEBUG:\n        core.trace()\n"
            "        print(\"tracing on\")\n    else:\n")
    with pytest.raises(ApplyError):
        merge(original, edit, path="test_core.py")


CHECKS = '''import re

from app import checks


@checks.register
class AsciiName(checks.Pattern):
    pattern = r"^[a-z_]+$"
    message = (
        "Use only English letters "
        "and underscores."
    )
    flags = re.ASCII


@checks.register
class UnicodeName(checks.Pattern):
    pattern = r"^[a-z_]+$"
    message = (
        "Use only letters "
        "and underscores."
    )
    flags = 0
'''


def test_assumed_top_marker_settles_which_sibling_the_segment_starts_in() -> None:
    # the blank + decorator opening fits both classes, the class line only the second;
    # the segment's last line fits both too: once the forgotten top marker is assumed at
    # the second class, its end can only be the second class's line
    edit = ('\n@checks.register\nclass UnicodeName(checks.Pattern):\n    pattern = r"^\\w+\\Z"\n'
            '    message = (\n        "Use only letters "\n        "and underscores."\n' + M)
    result = merge(CHECKS, edit, path="checks.py")
    second = CHECKS.index("class UnicodeName")
    assert result.text == CHECKS[:second] + CHECKS[second:].replace(r'r"^[a-z_]+$"',
                                                                    r'r"^\w+\Z"')
    assert result.assumed_marker == ["top"]


PATHS = '''"""Where the app keeps its files."""
import os


def home():
    base = os.environ.get("HOME", "/")
    path = os.path.join(base, ".app")
    os.makedirs(path, exist_ok=True)
    return path


def cache():
    return os.path.join(home(), "cache")
'''


def test_forgotten_top_marker_near_the_top_is_assumed_when_the_top_was_not_shown() -> None:
    # read as the start of the file, the segment would delete the docstring and the
    # import, which the writer was never shown (it saw `home` only): the marker was
    # forgotten
    edit = ('    base = os.environ.get("HOME", "/")\n    path = os.path.join(base, ".app")\n'
            "    os.makedirs(path, mode=0o700, exist_ok=True)\n    return path\n" + M)
    expected = PATHS.replace("(path, exist_ok", "(path, mode=0o700, exist_ok")
    result = merge(PATHS, edit, path="paths.py", seen_lines=[(5, 9)],
                   instruction="Create the folder private.")
    assert result.text == expected
    assert result.assumed_marker == ["top"]
    # with nothing said of what the writer saw, deleting the top stays a reading: refuse
    with pytest.raises(ApplyError):
        merge(PATHS, edit, path="paths.py")


FILES = '''class Reader:
    def read(self, path):
        with open(path) as fh:
            data = fh.read()
        return data.strip()

    def close(self):
        self.closed = True


class Writer:
    def write(self, path, data):
        with open(path, "w") as fh:
            fh.write(data)
        self.count += 1
        return len(data)

    def close(self):
        self.closed = True

    def flush(self):
        pass
'''


def test_forgotten_end_marker_settled_by_the_lines_the_writer_saw() -> None:
    # the segment's last three lines (`close` and the blank above it) stand in both
    # classes; the writer was shown `Reader` only, so its end is Reader's close
    edit = (M + "        with open(path) as fh:\n            data = fh.read()\n"
            "        return data.rstrip()\n\n    def close(self):\n        self.closed = True\n")
    expected = FILES.replace("data.strip()", "data.rstrip()")
    result = merge(FILES, edit, path="files.py", seen_lines=[(1, 8)],
                   instruction="Update `Reader.read`.")
    assert result.text == expected
    assert result.assumed_marker == ["end"]
    with pytest.raises(ApplyError):  # nothing said of what the writer saw: two places
        merge(FILES, edit, path="files.py")


CALLS = '''def test_old(self):
    with warns() as ws:
        call()
    assert (
        "deprecated"
        in ws.message
    )

def test_version(self):
    with warns() as ws:
        version()
    assert (
        "deprecated"
        in ws.message
    )

def test_name(self):
    assert name()
'''


def test_a_shown_place_beside_an_unshown_context_is_refused() -> None:
    # the writer was shown `test_version` (lines 9-15) and rewrites it whole; the
    # segment opens on the closing lines of `test_old` just above it (the context a
    # writer copies above a definition), which `test_version`'s old body ends on too:
    # read there, the new version would land after the old one. Two readings: refuse
    edit = ("    in ws.message\n    )\n\ndef test_version(self, recwarn):\n    version()\n"
            "    assert recwarn.list == []\n\ndef test_name(self):\n" + M)
    with pytest.raises(ApplyError):
        merge(CALLS, edit, path="test_calls.py", seen_lines=[(9, 15)])
