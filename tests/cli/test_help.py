"""`splice --help` and every command's help read cleanly at 80 and 200 columns.

Flags carry no type (`--json`, not `--json <bool>`), arguments are named as the docstrings
name them (QUERY, [FILE]), and paragraphs are re-flowed to the width instead of keeping the
docstring's own line breaks in the middle of a sentence.
"""

import re

import click
import pytest
import typer
from typer.testing import CliRunner

from splice.cli import app


def _commands() -> list[list[str]]:
    root = typer.main.get_command(app)
    out: list[list[str]] = [[]]

    def walk(group: click.Command, path: list[str]) -> None:
        for name, cmd in getattr(group, "commands", {}).items():
            out.append([*path, name])
            walk(cmd, [*path, name])

    walk(root, [])
    return out


COMMANDS = _commands()


def test_every_command_is_covered() -> None:
    names = {" ".join(c) for c in COMMANDS}
    assert {"search", "compact", "apply", "run", "mcp", "bench", "bench tokens"} <= names


@pytest.mark.parametrize("columns", [80, 200])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "splice")
def test_help_reads_cleanly(command: list[str], columns: int) -> None:
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    text = result.output
    assert "<bool>" not in text
    usage = text.splitlines()[0]
    assert usage.startswith("Usage:") and "{" not in usage
    assert max(len(line) for line in text.splitlines()) <= columns
    # a paragraph's lines are re-flowed: no line of prose stops short while the next
    # line carries on the same sentence in lower case (a docstring's own line break)
    prose = re.split(r"\n(?:Arguments|Options|Commands):\n", text)[0].splitlines()[1:]
    for line, nxt in zip(prose, prose[1:], strict=False):
        if line.strip() and re.match(r"  [a-z(`]", nxt):
            assert len(line) + len(nxt.split()[0]) + 1 > min(columns, 80) - 2, (line, nxt)
