"""`splice --help` and every command's help, typed in a real terminal at 80 and 200 columns."""

from __future__ import annotations

import re

import click
import pytest
import typer.main

from splice.cli import app
from tests.acceptance.installed import Installed
from tests.acceptance.terminal import Screen

BOX = re.compile(r"[│╭╮╰╯─┃━┏┓┗┛]")


def _commands() -> list[tuple[list[str], str]]:
    """(words after `splice`, first sentence of the help) for the app, groups and commands."""
    found: list[tuple[list[str], str]] = []

    def walk(command: click.Command, words: list[str]) -> None:
        text = " ".join((command.help or "").split())
        found.append((words, re.split(r"(?<=[.:])\s", text, maxsplit=1)[0]))
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk(sub, [*words, name])

    walk(typer.main.get_command(app), [])
    return found


COMMANDS = _commands()


def _flat(lines: list[str]) -> str:
    return " ".join(" ".join(BOX.sub(" ", line).split()) for line in lines)


def _helps(screen: Screen) -> dict[str, list[str]]:
    return {" ".join(words): screen.type(" ".join(["splice", *words, "--help"]))
            for words, _ in COMMANDS}


def _check_readable(width: int, helps: dict[str, list[str]]) -> list[str]:
    problems = []
    for words, sentence in COMMANDS:
        key = " ".join(words)
        lines = helps[key]
        text = "\n".join(lines)
        if "Traceback" in text or not any(f"Usage: splice {key}".strip() in line
                                          for line in lines):
            problems.append(f"{key or 'splice'}: no usage line or a traceback")
        if any(len(line) > width for line in lines):
            problems.append(f"{key}: a line wider than the terminal")
        if sentence and " ".join(sentence.split()) not in _flat(lines):
            problems.append(f"{key}: its first sentence is not shown whole: {sentence!r}")
        if width >= 200 and sentence and len(sentence) < 70 and not any(
                sentence in " ".join(BOX.sub(" ", line).split()) for line in lines):
            problems.append(f"{key}: its first sentence is broken across lines at "
                            f"{width} columns")
    return problems


@pytest.fixture(scope="module")
def helps(installed: Installed) -> dict[int, dict[str, list[str]]]:
    """Every help screen, typed once per width."""
    out: dict[int, dict[str, list[str]]] = {}
    for width in (80, 200):
        screen = Screen(installed, width=width)
        try:
            out[width] = _helps(screen)
        finally:
            screen.close()
    return out


@pytest.mark.parametrize("width", [80, 200])
def test_help_reads_at_80_and_200_columns(helps: dict[int, dict[str, list[str]]],
                                          width: int) -> None:
    assert _check_readable(width, helps[width]) == []


def test_help_shows_no_type_placeholders_for_flags_or_braces_in_usage(
        helps: dict[int, dict[str, list[str]]]) -> None:
    problems = []
    for key, lines in helps[200].items():
        for line in lines:
            if re.search(r"--[\w-]+\s+(-\w\s+)?<bool>", line):
                problems.append(f"{key}: {line.strip()}")
            if "Usage:" in line and "{" in line:
                problems.append(f"{key}: {line.strip()}")
    assert problems == []
