"""Edits cut off mid-way (a reply cut at its token limit): the last line stops inside a
word where a line of the file goes on. No reading of such an edit is the intended file,
so it is refused, even where its last line is valid code inside a matched definition."""

from __future__ import annotations

import pytest

from splice.apply import merge
from splice.core.errors import MalformedEdit

ORIGINAL = '''import click


def test_progressbar_iter_outside_with_exceptions(runner):
    with pytest.raises(RuntimeError, match="with block"):
        progress = click.progressbar(length=2)
        iter(progress)


def test_progressbar_is_iterator(runner, monkeypatch):
    bar = click.progressbar(range(10))
    assert next(bar) == 0
'''


def test_a_definition_cut_mid_word_is_refused() -> None:
    # the writer's new version of the test, cut off after `click.p`: the line is valid
    # Python and the header matches a definition, yet how it ends is unknown
    edit = ("# ... existing code ...\n\n\n"
            "def test_progressbar_iter_outside_with_exceptions(runner):\n"
            "    progress = click.p\n")
    with pytest.raises(MalformedEdit) as info:
        merge(ORIGINAL, edit, path="tests/test_termui.py")
    assert info.value.details["why"] == "cut_off"
    assert "line 6" in str(info.value)  # the file's line it is the start of


def test_a_whole_file_cut_mid_word_is_refused() -> None:
    original = '__title__ = "httpx"\n__version__ = "0.25.0"\n'
    with pytest.raises(MalformedEdit, match="cut off"):
        merge(original, '__title__ = "httpx"\n__version_', path="httpx/__version__.py")


def test_a_last_line_ending_on_a_whole_word_is_not_taken_for_cut() -> None:
    # `bar = click.progressbar` is the start of line 11 too, but it stops at a word's end
    edit = ("# ... existing code ...\n"
            "def test_progressbar_is_iterator(runner, monkeypatch):\n"
            "    bar = click.progressbar(range(10))\n"
            "    assert next(bar) == 1\n")
    result = merge(ORIGINAL, edit, path="tests/test_termui.py")
    assert result.text == ORIGINAL.replace("next(bar) == 0", "next(bar) == 1")


def test_force_merges_what_the_writer_insists_on() -> None:
    original = '__title__ = "httpx"\n__version__ = "0.25.0"\n'
    result = merge(original, '__title__ = "httpx"\n__version_\n', path="v.py", force=True)
    assert result.text.endswith("__version_\n")


def test_an_edit_cut_inside_a_quoted_word_is_refused() -> None:
    # click tests/test_shell_completion.py: new tests appended after the file's last test,
    # the reply cut inside a comment at `"name`: the comment's line is new, so no file line
    # goes on from it, but the quote it opens is never closed
    edit = ("# ... existing code ...\n"
            "    assert next(bar) == 0\n\n\n"
            "def test_add_completion_class_with_name():\n"
            "    # Adding a completion class should return that class.\n"
            '    # Because we are using the "name\n')
    with pytest.raises(MalformedEdit) as info:
        merge(ORIGINAL, edit, path="tests/test_termui.py")
    assert info.value.details["why"] == "cut_off"


def test_closed_quotes_and_docstrings_at_the_end_are_not_cut() -> None:
    # right outcome: a complete last line (quotes closed, a docstring's closing `"""`)
    edit = ("# ... existing code ...\n"
            "    assert next(bar) == 0\n\n\n"
            "def test_names():\n"
            '    """Names."""\n'
            '    assert click.style("x") == "x"\n')
    out = merge(ORIGINAL, edit, path="tests/test_termui.py").text
    assert out.endswith('    assert click.style("x") == "x"\n')
