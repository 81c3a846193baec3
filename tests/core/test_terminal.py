"""The output layer: nothing re-flowed in a pipe, code written as it is, --width obeyed."""

from __future__ import annotations

import io

import pytest
from rich.table import Table

from splice.core import terminal


@pytest.fixture(autouse=True)
def _no_width() -> None:
    terminal.set_width(None)
    yield
    terminal.set_width(None)


def test_a_pipe_gets_long_lines_and_tables_unwrapped(capsys: pytest.CaptureFixture[str]) -> None:
    console = terminal.make_console()
    long = "x = " + "'word' + " * 40 + "'end'"
    console.print(long, markup=False)
    table = Table("name", "text")
    table.add_row("a", "y" * 150)
    console.print(table)
    console.rule("stdout")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == long
    assert any("y" * 150 in line for line in out)
    assert out[-1] == "--- stdout ---"


def test_code_lines_keep_tabs_markup_and_emoji_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code = "\tif x:\n\t\treturn '[bold]:smile:[/]'\n"
    terminal.write_lines(code)
    assert capsys.readouterr().out == code


def test_width_option_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(terminal.WIDTH_ENV, "120")
    assert terminal.chosen_width() == 120
    terminal.set_width(60)
    assert terminal.chosen_width() == 60
    buffer = io.StringIO()
    console = terminal.make_console()
    console.file = buffer
    console.print("z" * 100)
    assert buffer.getvalue() == "z" * 100 + "\n"  # a pipe: soft wrap, even at width 60
