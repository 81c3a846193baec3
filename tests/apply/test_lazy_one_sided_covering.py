"""A segment with context above only (it ends on changed lines) whose first lines are
blank lines standing above every function: its distinctive line `def format_filename(`
stands once in the file, so only the place whose anchored run holds it is a reading
(the issue's rule 3); the others would write a second copy of it. click utils.py."""

from __future__ import annotations

import pytest

from splice.apply import AmbiguousMatch, merge

ORIGINAL = '''\
def echo(message):
    print(message)


def format_filename(
    filename: t.Union[str, bytes, os.PathLike], shorten: bool = False
) -> str:
    """Formats a filename for user display."""
    return filename


def get_app_dir(app_name):
    return app_name
'''

SPLIT_SIGNATURE = ORIGINAL.replace(
    "    filename: t.Union[str, bytes, os.PathLike], shorten: bool = False\n",
    '    filename: "t.Union[str, bytes, os.PathLike[str], os.PathLike[bytes]]",\n'
    "    shorten: bool = False,\n")


def test_one_sided_segment_goes_where_its_unique_line_stands() -> None:
    # right outcome: the one parameter line becomes two
    edit = '''\
# ... existing code ...


def format_filename(
    filename: "t.Union[str, bytes, os.PathLike[str], os.PathLike[bytes]]",
    shorten: bool = False,
# ... existing code ...
'''
    assert merge(ORIGINAL, edit, path="utils.py").text == SPLIT_SIGNATURE


def test_one_sided_segment_without_a_unique_line_is_still_refused() -> None:
    # right outcome: refuse: two blank lines and `def` heads everywhere, no line that
    # stands once tells which function's first line it rewrites
    original = ORIGINAL.replace("def get_app_dir(app_name):",
                                "def format_filename(\n    app_name,\n):")
    edit = '''\
# ... existing code ...


def format_filename(
    filename: str,
# ... existing code ...
'''
    with pytest.raises(AmbiguousMatch):
        merge(original, edit, path="utils.py")
